package io.switchboard.protocol;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The message types of wire protocol v1.
 *
 * <p>Canonical names are lower-case. The upper-case names used by the systems Switchboard replaces
 * are accepted on input as aliases ({@code JOIN_CHANNEL} is {@code join}, {@code subscribe} is
 * {@code join}, {@code ERROR} is {@code error}, ...); servers and this SDK always write the
 * canonical name. Types registered by plugins are not listed here: they are plain strings.
 */
public enum MessageType {
  /** Client to server: liveness probe; the server answers {@link #PONG}. */
  PING("ping", Direction.CLIENT_TO_SERVER),
  /**
   * Client to server: subscribe to {@code channel}; answered by {@link #SUBSCRIPTION_CONFIRMED}.
   */
  JOIN("join", Direction.CLIENT_TO_SERVER, "subscribe", "JOIN_CHANNEL"),
  /** Client to server: unsubscribe from {@code channel}; answered by {@link #LEFT}. */
  LEAVE("leave", Direction.CLIENT_TO_SERVER, "unsubscribe", "LEAVE_CHANNEL"),
  /** Client to server: deliver {@code data} to every subscriber of {@code channel}. */
  PUBLISH("publish", Direction.CLIENT_TO_SERVER),
  /**
   * Client to server: replace the connection's token ({@code data.token}) before it expires;
   * answered by {@link #REFRESHED}.
   */
  REFRESH("refresh", Direction.CLIENT_TO_SERVER),
  /**
   * Both ways: a client asks who is in a joined {@code channel}; the server answers with a frame of
   * the same type whose {@code data} holds {@code count}, {@code members} (each {@code
   * {"connectionId", "userId", "organizationId", "joinedAt"}}) and {@code more}.
   */
  PRESENCE("presence", Direction.BOTH),

  /**
   * Both ways: a client reads a channel's history ({@code data.limit}, {@code data.since}); the
   * server answers with a frame of the same type whose {@code data} holds the messages and the
   * channel's current {@code offset} and {@code epoch}.
   */
  HISTORY("history", Direction.BOTH),

  /** Server to client: first frame after the upgrade, with the connection id. */
  WELCOME("welcome", Direction.SERVER_TO_CLIENT),
  /** Server to client: the answer to {@link #PING}. */
  PONG("pong", Direction.SERVER_TO_CLIENT),
  /** Server to client: a {@link #JOIN} succeeded. */
  SUBSCRIPTION_CONFIRMED("subscription_confirmed", Direction.SERVER_TO_CLIENT),
  /** Server to client: a {@link #LEAVE} succeeded. */
  LEFT("left", Direction.SERVER_TO_CLIENT),
  /** Server to client: something was published on a joined channel, or broadcast to this client. */
  MESSAGE("message", Direction.SERVER_TO_CLIENT),
  /** Server to client: the client frame carrying this {@code id} was accepted. */
  ACK("ack", Direction.SERVER_TO_CLIENT),
  /** Server to client: bad input or a refused action; see {@link ErrorCode}. */
  ERROR("error", Direction.SERVER_TO_CLIENT, "ERROR"),
  /** Server to client: periodic server figures, sent to subscribers of {@code $telemetry}. */
  METRICS_UPDATE("metrics_update", Direction.SERVER_TO_CLIENT),
  /** Server to client: the server is stopping; a close frame 1001 follows. */
  SERVER_SHUTDOWN("server_shutdown", Direction.SERVER_TO_CLIENT),
  /**
   * Server to client: the connection's token expires soon ({@code data.expiresAt}); send {@link
   * #REFRESH} with a new one, or the connection is closed with 4004 when it expires.
   */
  TOKEN_EXPIRING("token_expiring", Direction.SERVER_TO_CLIENT),
  /**
   * Server to client: a {@link #REFRESH} was accepted; {@code data.expiresAt} is the new expiry.
   */
  REFRESHED("refreshed", Direction.SERVER_TO_CLIENT),
  /**
   * Server to client: someone joined {@code channel}, whose namespace has {@code presenceNotices};
   * {@code data} is {@code {"connectionId", "userId", "organizationId"}}.
   */
  PRESENCE_JOINED("presence_joined", Direction.SERVER_TO_CLIENT),
  /**
   * Server to client: someone left {@code channel} (or disconnected), whose namespace has {@code
   * presenceNotices}; {@code data} as {@link #PRESENCE_JOINED}.
   */
  PRESENCE_LEFT("presence_left", Direction.SERVER_TO_CLIENT);

  /** Who may send a message type. */
  public enum Direction {
    CLIENT_TO_SERVER,
    SERVER_TO_CLIENT,
    /** A client's request and the server's answer to it share the type's name. */
    BOTH
  }

  private static final Map<String, MessageType> BY_WIRE_NAME = new HashMap<>();

  static {
    for (MessageType type : values()) {
      BY_WIRE_NAME.put(type.wireName, type);
      for (String alias : type.aliases) {
        BY_WIRE_NAME.put(alias, type);
      }
    }
  }

  private final String wireName;
  private final Direction direction;
  private final List<String> aliases;

  MessageType(String wireName, Direction direction, String... aliases) {
    this.wireName = wireName;
    this.direction = direction;
    this.aliases = List.of(aliases);
  }

  /** The canonical name written on the wire, e.g. {@code subscription_confirmed}. */
  public String wireName() {
    return wireName;
  }

  /** Who sends this type. */
  public Direction direction() {
    return direction;
  }

  /** The other names accepted on input, e.g. {@code JOIN_CHANNEL} and {@code subscribe}. */
  public List<String> aliases() {
    return aliases;
  }

  /**
   * Looks a type up by its canonical name or one of its aliases. Matching is exact (case
   * sensitive): {@code JOIN_CHANNEL} and {@code join} are known, {@code Join} is not.
   *
   * @return the type, or empty when the name is not a built-in type (it may be a plugin's)
   */
  public static Optional<MessageType> fromWire(String name) {
    return Optional.ofNullable(name == null ? null : BY_WIRE_NAME.get(name));
  }

  /** Whether {@code name} is a built-in type or one of its aliases. */
  public static boolean isBuiltIn(String name) {
    return name != null && BY_WIRE_NAME.containsKey(name);
  }
}
