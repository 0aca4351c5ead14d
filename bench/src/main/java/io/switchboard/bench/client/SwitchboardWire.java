package io.switchboard.bench.client;

import java.nio.charset.StandardCharsets;

/**
 * Switchboard's wire protocol v1, spoken by the server and by the bare reference server. Frames are
 * classified by their {@code type}, which both servers write first; a frame that puts it elsewhere
 * is still recognised, only more slowly.
 */
public final class SwitchboardWire implements Wire {

  public static final String NAME = "switchboard";

  private static final byte[] MESSAGE_PREFIX = ascii("{\"type\":\"message\"");
  private static final byte[] MESSAGE = ascii("\"type\":\"message\"");
  private static final byte[] WELCOME = ascii("\"type\":\"welcome\"");
  private static final byte[] CONFIRMED = ascii("\"type\":\"subscription_confirmed\"");
  private static final byte[] ERROR = ascii("\"type\":\"error\"");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String path() {
    return "/ws";
  }

  @Override
  public Kind kind(byte[] frame) {
    if (Bytes.startsWith(frame, MESSAGE_PREFIX)) {
      return Kind.MESSAGE;
    }
    if (Bytes.indexOf(frame, WELCOME, 0) >= 0) {
      return Kind.WELCOME;
    }
    if (Bytes.indexOf(frame, CONFIRMED, 0) >= 0) {
      return Kind.JOINED;
    }
    if (Bytes.indexOf(frame, ERROR, 0) >= 0) {
      return Kind.ERROR;
    }
    return Bytes.indexOf(frame, MESSAGE, 0) >= 0 ? Kind.MESSAGE : Kind.OTHER;
  }

  @Override
  public String replyTo(Kind kind) {
    return null;
  }

  /**
   * An application-level ping: Switchboard closes a socket that sends nothing for {@code
   * heartbeat.staleTimeoutMs} (5 minutes by default) with 4003.
   */
  @Override
  public String keepAlive() {
    return "{\"type\":\"ping\"}";
  }

  @Override
  public String join(String channel) {
    return "{\"type\":\"join\",\"channel\":\"" + channel + "\",\"id\":\"j\"}";
  }

  @Override
  public String publish(String channel, String json) {
    // data last: the bare server splices everything after "data": into its message frame.
    return "{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + json + "}";
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
