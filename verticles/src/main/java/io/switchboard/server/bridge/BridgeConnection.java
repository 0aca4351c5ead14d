package io.switchboard.server.bridge;

import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.config.BridgeConfig;
import io.switchboard.server.frame.Incidents;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switchboard's guard on one bridge connection, between the socket and the bridge's own frame
 * parser, which keeps no limit of its own: it holds at most one frame of {@code
 * bridge.maxFrameBytes} (a larger one closes the connection as soon as its length arrives), checks
 * each frame's shape and token, counts registrations, and closes a connection whose unread output
 * passes {@code bridge.maxWriteQueueBytes}. Only whole, well-formed frames reach the bridge, with
 * the token removed from their headers. Runs on the bridge verticle's event loop.
 */
final class BridgeConnection {

  private static final Logger log = LoggerFactory.getLogger(BridgeConnection.class);

  static final List<String> TYPES = List.of("send", "publish", "register", "unregister", "ping");

  /** Delivery options the bridge would take from the headers: not offered to remote peers. */
  private static final Set<String> REFUSED_HEADERS = Set.of("codecName", "localOnly");

  /**
   * The longest request timeout a frame may ask for: the bus holds a pending request's reply
   * handler that long when nothing answers.
   */
  static final long MAX_TIMEOUT_MS = 60_000;

  private final NetSocket socket;
  private final BridgeConfig config;
  private final byte[] token;
  private final Set<String> registered = new HashSet<>();
  private final BridgeFrameReader reader;
  private Handler<Buffer> bridgeParser;
  private boolean closing;

  BridgeConnection(NetSocket socket, BridgeConfig config) {
    this.socket = socket;
    this.config = config;
    this.token = config.token().getBytes(StandardCharsets.UTF_8);
    socket.setWriteQueueMaxSize(config.maxWriteQueueBytes());
    this.reader =
        new BridgeFrameReader(
            config.maxFrameBytes(),
            new BridgeFrameReader.Frames() {
              @Override
              public void frame(Buffer json) {
                onFrame(json);
              }

              @Override
              public void tooLarge(long announced) {
                refuseAndClose(
                    BridgeError.FRAME_TOO_LARGE,
                    "a frame may hold at most "
                        + config.maxFrameBytes()
                        + " bytes (bridge.maxFrameBytes), this one announced "
                        + announced);
              }
            });
  }

  /** What reads the socket in place of the bridge's parser, which it feeds. */
  Handler<Buffer> guard(Handler<Buffer> parser) {
    this.bridgeParser = parser;
    return reader::feed;
  }

  /** After the bridge wrote to the socket: a peer that does not read is closed. */
  void afterWrite() {
    if (!closing && socket.writeQueueFull()) {
      log.info(
          "bridge connection closed as a slow consumer [remote: {}, max write queue bytes: {}]",
          socket.remoteAddress(),
          config.maxWriteQueueBytes());
      closing = true;
      reader.stop();
      socket.close();
    }
  }

  private void onFrame(Buffer json) {
    Object decoded;
    try {
      decoded = Json.decodeValue(json);
    } catch (DecodeException e) {
      refuse(BridgeError.INVALID_FRAME, "a frame must be a JSON object, this one is not JSON");
      return;
    }
    if (!(decoded instanceof JsonObject frame)) {
      refuse(BridgeError.INVALID_FRAME, "a frame must be a JSON object, was " + kind(decoded));
      return;
    }
    Object type = frame.getValue("type");
    if (!(type instanceof String t) || !TYPES.contains(t)) {
      refuse(
          BridgeError.UNKNOWN_TYPE,
          "field 'type' must be one of " + String.join(", ", TYPES) + ", was " + shown(type));
      return;
    }
    for (String field : List.of("address", "replyAddress")) {
      Object value = frame.getValue(field);
      if (value != null && !(value instanceof String)) {
        refuse(
            BridgeError.INVALID_FRAME,
            "field '" + field + "' must be a string, was " + kind(value));
        return;
      }
    }
    if (frame.getValue("body") instanceof BigInteger) {
      // The event bus has no codec for it: the bridge would throw instead of answering.
      refuse(
          BridgeError.INVALID_FRAME,
          "field 'body' must be a value the event bus carries; a whole number beyond 64 bits"
              + " is not (send it as a string, or inside an object)");
      return;
    }
    if (!headersAccepted(frame) || (!t.equals("ping") && !tokenAccepted(frame))) {
      return;
    }
    if (!registrationAccepted(t, frame.getString("address"))) {
      return;
    }
    try {
      bridgeParser.handle(BridgeFrames.encode(frame));
    } catch (RuntimeException e) {
      // The bridge's own handling threw (nothing known does, once the frame passed the checks
      // above): the client hears of it instead of waiting, and the log has the trace.
      ProtocolError error =
          Incidents.report(log, "bridge frame failed [remote: " + socket.remoteAddress() + "]", e);
      socket.write(BridgeError.INTERNAL.frame(error.message()));
    }
  }

  /** Headers must be strings, but {@code timeout}; the token is taken out here. */
  private boolean headersAccepted(JsonObject frame) {
    Object value = frame.getValue("headers");
    if (value == null) {
      return true;
    }
    if (!(value instanceof JsonObject headers)) {
      refuse(BridgeError.INVALID_HEADERS, "field 'headers' must be an object, was " + kind(value));
      return false;
    }
    for (String name : headers.fieldNames()) {
      Object header = headers.getValue(name);
      String problem =
          REFUSED_HEADERS.contains(name)
              ? "is not accepted over the bridge"
              : name.equals("timeout")
                  ? (header instanceof Number n
                          && n.doubleValue() % 1 == 0
                          && n.doubleValue() >= 1
                          && n.doubleValue() <= MAX_TIMEOUT_MS
                      ? null
                      : "must be a whole number of milliseconds between 1 and "
                          + MAX_TIMEOUT_MS
                          + ", was "
                          + shown(header))
                  : header instanceof String ? null : "must be a string, was " + kind(header);
      if (problem != null) {
        refuse(BridgeError.INVALID_HEADERS, "header '" + name + "' " + problem);
        return false;
      }
    }
    return true;
  }

  private boolean tokenAccepted(JsonObject frame) {
    JsonObject headers = frame.getJsonObject("headers");
    Object given = headers == null ? null : headers.remove("token");
    if (!config.tokenRequired()) {
      return true;
    }
    if (given == null) {
      refuse(
          BridgeError.TOKEN_REQUIRED,
          "every frame but ping must carry the bridge token as headers.token");
      return false;
    }
    // Constant time: how long the comparison takes says nothing about how much of it matched.
    if (!MessageDigest.isEqual(token, ((String) given).getBytes(StandardCharsets.UTF_8))) {
      refuse(BridgeError.INVALID_TOKEN, "headers.token is not the bridge token");
      return false;
    }
    return true;
  }

  /**
   * The bridge keeps one consumer per register and forgets the one it replaces, so a repeated or
   * endless register would hold consumers until the process ends.
   */
  private boolean registrationAccepted(String type, String address) {
    if (address == null) {
      return true;
    }
    if (type.equals("unregister")) {
      registered.remove(address);
      return true;
    }
    if (!type.equals("register") || !config.outboundPermits(address)) {
      return true; // the bridge refuses the address itself
    }
    if (registered.contains(address)) {
      refuse(
          BridgeError.ALREADY_REGISTERED,
          "this connection is already registered on '" + address + "'");
      return false;
    }
    if (registered.size() >= config.maxRegistrations()) {
      refuse(
          BridgeError.TOO_MANY_REGISTRATIONS,
          "a connection may be registered on at most "
              + config.maxRegistrations()
              + " addresses (bridge.maxRegistrations)");
      return false;
    }
    registered.add(address);
    return true;
  }

  private void refuse(BridgeError error, String detail) {
    log.debug(
        "bridge frame refused [remote: {}, code: {}, detail: {}]",
        socket.remoteAddress(),
        error.code(),
        detail);
    socket.write(error.frame(detail));
    afterWrite(); // a peer sending refused frames without reading is a slow consumer too
  }

  private void refuseAndClose(BridgeError error, String detail) {
    log.info(
        "bridge connection closed [remote: {}, code: {}, detail: {}]",
        socket.remoteAddress(),
        error.code(),
        detail);
    closing = true;
    reader.stop();
    socket.write(error.frame(detail));
    socket.close();
  }

  private static String kind(Object value) {
    return value == null
        ? "null"
        : value instanceof String
            ? "a string"
            : value instanceof Number
                ? "a number"
                : value instanceof Boolean
                    ? "a boolean"
                    : value instanceof JsonObject ? "an object" : "an array";
  }

  private static String shown(Object value) {
    return value instanceof String s
        ? "'" + s + "'"
        : value instanceof Number n ? n.toString() : kind(value);
  }
}
