package io.switchboard.server.history;

import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.vertx.core.json.JsonObject;

/**
 * A request for a channel's history, from a client's {@code history} frame, the {@code
 * switchboard.history} bus address or the admin API: the last {@code limit} messages kept, or the
 * first {@code limit} after {@code since}.
 *
 * @param channel the channel
 * @param since read the messages after this position, or null for the most recent ones
 * @param limit at most this many messages, at least 1
 */
public record HistoryRequest(String channel, StreamPosition since, int limit) {

  /** The longest epoch a client may send back: the server's are 16 characters. */
  public static final int MAX_EPOCH_LENGTH = 64;

  /**
   * Reads the body of a bus request, {@code {"channel", "limit"?, "since"?: {"offset", "epoch"}}}.
   *
   * @param maxLimit {@code channels.maxHistoryLimit}: the most, and the default, {@code limit}
   * @throws ProtocolException {@code bad_request} naming the field and the rule
   */
  public static HistoryRequest fromBus(Object body, int maxLimit) {
    if (!(body instanceof JsonObject json)) {
      throw new ProtocolException(
          ProtocolError.of(
              ErrorCode.BAD_REQUEST,
              "the history request must be a JSON object, was " + ProtocolError.jsonKind(body)));
    }
    String channel = FrameCodec.optionalString(json, Envelope.CHANNEL);
    if (channel == null) {
      throw new ProtocolException(ProtocolError.missingField(Envelope.CHANNEL));
    }
    ChannelNames.validate(Envelope.CHANNEL, channel);
    return new HistoryRequest(
        channel,
        since(json.getValue(Envelope.SINCE), Envelope.SINCE),
        limit(json.getValue("limit"), "limit", maxLimit));
  }

  /** This request as the bus takes it. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(Envelope.CHANNEL, channel).put("limit", limit);
    if (since != null) {
      json.put(
          Envelope.SINCE,
          new JsonObject().put(Envelope.OFFSET, since.offset()).put(Envelope.EPOCH, since.epoch()));
    }
    return json;
  }

  /**
   * Reads a position a client or service sends back, {@code {"offset": <whole number >= 0>,
   * "epoch": <non-empty string>}}.
   *
   * @param field the field's name in messages, e.g. {@code since} or {@code data.since}
   * @return null when the value is absent (null)
   * @throws ProtocolException {@code bad_request} naming the field and the rule
   */
  public static StreamPosition since(Object value, String field) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject since)) {
      throw new ProtocolException(
          ProtocolError.wrongType(field, "an object with offset and epoch", value));
    }
    Object offset = since.getValue(Envelope.OFFSET);
    if (offset == null) {
      throw new ProtocolException(ProtocolError.missingField(field + "." + Envelope.OFFSET));
    }
    if (!(offset instanceof Integer || offset instanceof Long)
        || ((Number) offset).longValue() < 0) {
      throw new ProtocolException(
          ProtocolError.invalidField(
              field + "." + Envelope.OFFSET, offset, "a whole number from 0 to " + Long.MAX_VALUE));
    }
    Object epoch = since.getValue(Envelope.EPOCH);
    if (epoch == null) {
      throw new ProtocolException(ProtocolError.missingField(field + "." + Envelope.EPOCH));
    }
    if (!(epoch instanceof String text)) {
      throw new ProtocolException(
          ProtocolError.wrongType(field + "." + Envelope.EPOCH, "a string", epoch));
    }
    if (text.isEmpty() || text.length() > MAX_EPOCH_LENGTH) {
      throw new ProtocolException(
          ProtocolError.invalidField(
              field + "." + Envelope.EPOCH,
              text,
              "1 to " + MAX_EPOCH_LENGTH + " characters (an epoch the server sent)"));
    }
    return new StreamPosition(((Number) offset).longValue(), text);
  }

  /**
   * Reads a {@code limit}: a whole number from 1 to {@code maxLimit}; absent, {@code maxLimit}.
   *
   * @throws ProtocolException {@code bad_request} naming the field and the rule
   */
  public static int limit(Object value, String field, int maxLimit) {
    if (value == null) {
      return maxLimit;
    }
    if (!(value instanceof Integer || value instanceof Long)
        || ((Number) value).longValue() < 1
        || ((Number) value).longValue() > maxLimit) {
      throw new ProtocolException(
          ProtocolError.invalidField(
              field,
              value,
              "a whole number from 1 to " + maxLimit + " (channels.maxHistoryLimit)"));
    }
    return ((Number) value).intValue();
  }
}
