package io.switchboard.sdk;

import io.vertx.core.json.JsonObject;

/**
 * A {@code message} frame delivered on a joined channel, passed to the handler given to {@link
 * SwitchboardClient#join}.
 *
 * @param channel the channel it was published to
 * @param data the payload exactly as published: a Vert.x JSON value ({@link JsonObject}, {@code
 *     JsonArray}, String, Number, Boolean) or null
 * @param event the broadcast's {@code type} for messages sent through the admin API or the event
 *     bus, null for messages published by clients
 * @param ts the server's ISO-8601 UTC timestamp, or null
 * @param frame the whole frame as received, for fields this record does not name
 */
public record ChannelMessage(
    String channel, Object data, String event, String ts, JsonObject frame) {

  /**
   * The message's place in its channel's stream, or null for a message without one (a broadcast
   * narrowed to some of the channel's subscribers, a server without offsets).
   */
  public StreamPosition position() {
    return StreamPosition.of(frame);
  }
}
