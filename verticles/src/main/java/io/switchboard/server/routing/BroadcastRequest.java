package io.switchboard.server.routing;

import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.vertx.core.json.JsonObject;

/**
 * A broadcast from a service: {@code {"channel"?, "userId"?, "organizationId"?, "type", "data"}},
 * the body of {@code POST /v1/broadcast} and of the {@code switchboard.broadcast} bus address.
 * Targets combine: each one given narrows who receives it.
 *
 * @param type the event name; clients receive it as the {@code event} field of a {@code message}
 */
record BroadcastRequest(
    String channel, String userId, String organizationId, String type, Object data) {

  static final int MAX_TYPE_LENGTH = 100;
  static final int MAX_IDENTITY_LENGTH = 200;

  /**
   * Reads and checks a broadcast body.
   *
   * @throws ProtocolException with {@code bad_request} naming the field and the rule, or {@code
   *     forbidden} for a {@code $} channel
   */
  static BroadcastRequest parse(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new ProtocolException(
          ProtocolError.of(
              ErrorCode.BAD_REQUEST,
              "the broadcast must be a JSON object, was " + ProtocolError.jsonKind(body)));
    }
    String type = FrameCodec.optionalString(json, "type");
    if (type == null) {
      throw new ProtocolException(ProtocolError.missingField("type"));
    }
    if (type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
      throw new ProtocolException(
          ProtocolError.invalidField("type", type, "1 to " + MAX_TYPE_LENGTH + " characters"));
    }
    if (!json.containsKey("data")) {
      throw new ProtocolException(ProtocolError.missingField("data"));
    }
    String channel = FrameCodec.optionalString(json, "channel");
    if (channel != null) {
      ChannelNames.validate("channel", channel);
      if (ChannelNames.isServerChannel(channel)) {
        throw new ProtocolException(
            ProtocolError.forbidden(
                "broadcasts may not target '$' channels; '" + channel + "' belongs to the server"));
      }
    }
    String userId = identity(json, "userId");
    String organizationId = identity(json, "organizationId");
    if (channel == null && userId == null && organizationId == null) {
      throw new ProtocolException(
          ProtocolError.of(
              ErrorCode.BAD_REQUEST,
              "a broadcast needs at least one target: channel, userId or organizationId"));
    }
    return new BroadcastRequest(channel, userId, organizationId, type, json.getValue("data"));
  }

  private static String identity(JsonObject json, String field) {
    String value = FrameCodec.optionalString(json, field);
    if (value != null && (value.isEmpty() || value.length() > MAX_IDENTITY_LENGTH)) {
      throw new ProtocolException(
          ProtocolError.invalidField(field, value, "1 to " + MAX_IDENTITY_LENGTH + " characters"));
    }
    return value;
  }
}
