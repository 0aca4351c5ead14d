package io.switchboard.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * One decoded protocol frame: {@code {"type", "id"?, "channel"?, "data"?, "ts"?, "offset"?,
 * "epoch"?, "error"?}}. Instances come from {@link FrameCodec#decode(String)}, which has already
 * checked every field's JSON type and every rule of the envelope; unknown extra fields are kept in
 * {@link #json()} and otherwise ignored.
 *
 * @param type the type as sent: a canonical name, an alias such as {@code JOIN_CHANNEL}, or a
 *     plugin type; see {@link #builtInType()}
 * @param id the correlation id, at most {@value Protocol#MAX_ID_LENGTH} characters, or null
 * @param channel a channel name that passed {@link ChannelNames#validate}, or null
 * @param data the payload (a Vert.x JSON value), or null when absent or JSON null; see {@link
 *     #hasData()}
 * @param ts the server's ISO-8601 timestamp ({@code timestamp} is read as an alias), or null
 * @param offset the channel sequence number, or null
 * @param epoch the id of the channel's history stream, or null
 * @param error the error of an {@code error} frame, or null
 * @param json the whole decoded frame
 */
public record Envelope(
    String type,
    String id,
    String channel,
    Object data,
    String ts,
    Long offset,
    String epoch,
    ProtocolError error,
    JsonObject json) {

  public static final String TYPE = "type";
  public static final String ID = "id";
  public static final String CHANNEL = "channel";
  public static final String DATA = "data";
  public static final String TS = "ts";
  public static final String TIMESTAMP_ALIAS = "timestamp";
  public static final String OFFSET = "offset";
  public static final String EPOCH = "epoch";
  public static final String ERROR = "error";

  /**
   * On {@code join}: {@code {"offset", "epoch"}}, the last position the client received on the
   * channel, from which the server recovers what it missed. Read from {@link #json()}.
   */
  public static final String SINCE = "since";

  /** The built-in type this frame's {@link #type()} names (directly or as an alias), if any. */
  public Optional<MessageType> builtInType() {
    return MessageType.fromWire(type);
  }

  /** Whether the frame has a {@code data} field at all (it may be JSON null). */
  public boolean hasData() {
    return json.containsKey(DATA);
  }
}
