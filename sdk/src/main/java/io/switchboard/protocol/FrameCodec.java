package io.switchboard.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Turns text frames into {@link Envelope}s and back. Decoding checks the envelope's rules and
 * reports the first broken one as a {@link ProtocolException} whose {@link ProtocolError} names the
 * field and the rule; it never throws anything else for bad input.
 */
public final class FrameCodec {

  private FrameCodec() {}

  /**
   * Parses and checks one text frame.
   *
   * @throws ProtocolException with {@code bad_request} when the text is not a JSON object or a
   *     field breaks the envelope's rules
   */
  public static Envelope decode(String text) {
    return toEnvelope(parse(text));
  }

  /**
   * Parses JSON text into a Vert.x JSON value ({@link JsonObject}, {@code JsonArray}, String,
   * Number, Boolean or null), without checking that it is a frame.
   *
   * @throws ProtocolException with {@code bad_request} when the text is not JSON
   */
  public static Object parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ProtocolException(ProtocolError.notJson("it is empty"));
    }
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new ProtocolException(ProtocolError.notJson(describe(e)));
    }
  }

  /**
   * Checks a parsed value against the envelope's rules.
   *
   * @throws ProtocolException with {@code bad_request} naming the first broken rule
   */
  public static Envelope toEnvelope(Object decoded) {
    if (!(decoded instanceof JsonObject json)) {
      throw new ProtocolException(ProtocolError.notAnObject(decoded));
    }
    String type = requiredType(json);
    String id = optionalId(json);
    String channel = optionalString(json, Envelope.CHANNEL);
    if (channel != null) {
      ChannelNames.validate(Envelope.CHANNEL, channel);
    }
    String ts = optionalString(json, Envelope.TS);
    if (ts == null && json.getValue(Envelope.TIMESTAMP_ALIAS) instanceof String alias) {
      ts = alias;
    }
    Long offset = null;
    Object rawOffset = json.getValue(Envelope.OFFSET);
    if (rawOffset != null) {
      if (!(rawOffset instanceof Number n)) {
        throw new ProtocolException(
            ProtocolError.wrongType(Envelope.OFFSET, "a number", rawOffset));
      }
      offset = n.longValue();
    }
    String epoch = optionalString(json, Envelope.EPOCH);
    ProtocolError error = null;
    Object rawError = json.getValue(Envelope.ERROR);
    if (rawError != null) {
      if (!(rawError instanceof JsonObject errorJson)) {
        throw new ProtocolException(ProtocolError.wrongType(Envelope.ERROR, "an object", rawError));
      }
      error = ProtocolError.fromJson(errorJson);
    }
    return new Envelope(
        type, id, channel, json.getValue(Envelope.DATA), ts, offset, epoch, error, json);
  }

  /**
   * The frame's correlation id if it has a valid one, so that an error about another field can
   * still echo it; null otherwise.
   */
  public static String correlationId(Object decoded) {
    if (decoded instanceof JsonObject json
        && json.getValue(Envelope.ID) instanceof String id
        && id.length() <= Protocol.MAX_ID_LENGTH) {
      return id;
    }
    return null;
  }

  private static String requiredType(JsonObject json) {
    if (!json.containsKey(Envelope.TYPE)) {
      throw new ProtocolException(ProtocolError.missingField(Envelope.TYPE));
    }
    Object type = json.getValue(Envelope.TYPE);
    if (!(type instanceof String s)) {
      throw new ProtocolException(ProtocolError.wrongType(Envelope.TYPE, "a string", type));
    }
    if (s.isEmpty()) {
      throw new ProtocolException(
          ProtocolError.of(ErrorCode.BAD_REQUEST, "field 'type' must not be empty"));
    }
    return s;
  }

  private static String optionalId(JsonObject json) {
    String id = optionalString(json, Envelope.ID);
    if (id != null && id.length() > Protocol.MAX_ID_LENGTH) {
      throw new ProtocolException(
          ProtocolError.invalidField(
              Envelope.ID, id, "at most " + Protocol.MAX_ID_LENGTH + " characters"));
    }
    return id;
  }

  /**
   * An optional string field: absent and JSON null both read as null.
   *
   * @throws ProtocolException with {@code bad_request} when the field holds another JSON kind
   */
  public static String optionalString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new ProtocolException(ProtocolError.wrongType(field, "a string", value));
    }
    return s;
  }

  private static String describe(DecodeException e) {
    if (e.getCause() instanceof JsonProcessingException cause) {
      JsonLocation at = cause.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String what = cause.getOriginalMessage();
      int newline = what.indexOf('\n');
      return (newline < 0 ? what : what.substring(0, newline)) + where;
    }
    return e.getMessage();
  }
}
