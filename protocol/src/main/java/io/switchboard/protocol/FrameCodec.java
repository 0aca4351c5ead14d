package io.switchboard.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;

/**
 * Turns text frames into {@link Envelope}s and back. Decoding checks the envelope's rules and
 * reports the first broken one as a {@link ProtocolException} whose {@link ProtocolError} names the
 * field and the rule; it never throws anything else for bad input.
 *
 * <p>Frames are strict JSON (RFC 8259): no comments, no single quotes, no unquoted field names, no
 * trailing commas, no {@code NaN} or {@code Infinity} (nor a number beyond a double's range, which
 * would read as one), no leading zeros, nothing after the value, no field twice in one object, and
 * at most {@value #MAX_NESTING_DEPTH} levels of nested objects and arrays.
 */
public final class FrameCodec {

  /**
   * How deep objects and arrays may nest in a frame, counting the frame object itself: its {@code
   * data} may hold {@value #MAX_NESTING_DEPTH} - 1 levels.
   */
  public static final int MAX_NESTING_DEPTH = 64;

  /**
   * Vert.x's own factory accepts comments and keeps the last of duplicate fields; this one is the
   * RFC, with every lenient read feature left off (they are off by default; disabling them says
   * so).
   */
  private static final JsonFactory STRICT_JSON =
      JsonFactory.builder()
          .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .disable(JsonReadFeature.ALLOW_YAML_COMMENTS)
          .disable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
          .disable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
          .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .disable(JsonReadFeature.ALLOW_MISSING_VALUES)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
          .disable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
          .disable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
          .disable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
          .disable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
          .disable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
          .build();

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
   * Parses strict JSON text into a Vert.x JSON value ({@link JsonObject}, {@code JsonArray},
   * String, Number, Boolean or null), without checking that it is a frame. Values come out as
   * {@code Json.decodeValue} makes them: integers as Integer, Long or BigInteger by size, other
   * numbers as Double.
   *
   * @throws ProtocolException with {@code bad_request} when the text is not strict JSON, naming the
   *     rule and where it broke
   */
  public static Object parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ProtocolException(ProtocolError.notJson("it is empty"));
    }
    try {
      // Vert.x's own tree building, so that numbers and strings decode exactly as Json.decodeValue.
      return JacksonCodec.fromParser(
          new StrictParser(STRICT_JSON.createParser(text)), Object.class);
    } catch (IOException | DecodeException e) {
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

  private static String describe(Exception e) {
    // JacksonCodec wraps the parser's exceptions in DecodeException; creating a parser on a String
    // declares an IOException it never throws.
    Throwable failure = e instanceof DecodeException && e.getCause() != null ? e.getCause() : e;
    if (failure instanceof JsonProcessingException cause) {
      String what = cause.getOriginalMessage();
      int newline = what.indexOf('\n');
      what = newline < 0 ? what : what.substring(0, newline);
      if (what.startsWith("Unexpected character ('/'")
          || what.startsWith("Unexpected character ('#'")) {
        // Outside strings these two only ever start a comment (//, /* */, #).
        what = "comments are not allowed";
      }
      return withoutJacksonHints(what) + at(cause.getLocation());
    }
    return e.getMessage();
  }

  /** Drops Jackson's advice on enabling its features: a client cannot act on it. */
  private static String withoutJacksonHints(String message) {
    return message
        .replaceAll(": enable `[^`]*` to allow$", "")
        .replaceAll(", from `[^`]*`\\)", ")")
        .replaceAll(
            " \\(not recognized as one since Feature '[^']*' not enabled for parser\\)", "");
  }

  private static String at(JsonLocation location) {
    return location == null
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /**
   * Adds what Jackson's stream parser leaves out: a refusal of anything after the root value
   * (Vert.x checks for a trailing token too, but reports it without a location), and the location
   * of a broken constraint (Jackson reports none, and closing the parser moves it to the end).
   */
  private static final class StrictParser extends JsonParserDelegate {

    StrictParser(JsonParser parser) {
      super(parser);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      // The root value is complete when a token has been read and the parser is back at the root.
      if (currentToken() != null && getParsingContext().inRoot()) {
        return endOfInput();
      }
      try {
        return super.nextToken();
      } catch (StreamConstraintsException e) {
        String what =
            e.getMessage().startsWith("Document nesting depth")
                ? "objects and arrays nest deeper than " + MAX_NESTING_DEPTH + " levels"
                : e.getMessage();
        throw new JsonParseException(this, what, currentLocation());
      }
    }

    /**
     * Refuses a number beyond the range of a double: Jackson reads 1e400 as Infinity, which Vert.x
     * then writes as the string "Infinity", so the server would relay another value than the one
     * sent. Numbers that small round to zero, as before.
     */
    @Override
    public Number getNumberValue() throws IOException {
      Number value = super.getNumberValue();
      if (value instanceof Double d && d.isInfinite()) {
        String text = getText();
        throw new JsonParseException(
            this,
            "number "
                + (text.length() <= 40 ? text : text.substring(0, 40) + "…")
                + " is beyond the range of a 64-bit floating-point number",
            currentTokenLocation());
      }
      return value;
    }

    private JsonToken endOfInput() throws IOException {
      JsonLocation end = currentLocation();
      JsonToken next;
      try {
        next = super.nextToken();
      } catch (JsonParseException e) {
        throw trailingContent(e.getLocation() == null ? end : e.getLocation());
      }
      if (next != null) {
        throw trailingContent(currentTokenLocation());
      }
      return null;
    }

    private JsonParseException trailingContent(JsonLocation where) {
      return new JsonParseException(this, "unexpected content after the JSON value", where);
    }
  }
}
