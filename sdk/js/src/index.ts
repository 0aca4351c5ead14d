/**
 * `@switchboard/client`: the browser and Node client of Switchboard. `createClient(options)` gives
 * a client with the Java SDK's guarantees and names; see the package README.
 */
export { createClient, type SwitchboardClient } from "./client.js";
export { DEFAULTS, type ClientOptions, type WebSocketConstructor, type WebSocketLike } from "./options.js";
export {
  ACKNOWLEDGED,
  CONNECTION_LOST,
  EMPTY_MESSAGE,
  NOT_INITIALIZED,
  Reasons,
  SENT,
} from "./reasons.js";
export {
  ProtocolError,
  type ChannelMessage,
  type ClientMetrics,
  type ConnectionState,
  type History,
  type Presence,
  type PresenceMember,
  type ReconnectAttempt,
  type ReconnectMode,
  type Resync,
  type SendOptions,
  type SendResult,
  type StateChange,
  type StreamPosition,
  type Subscription,
} from "./types.js";
