package io.switchboard.bench.client;

/**
 * The Engine.IO v4 and Socket.IO v5 packet text the generator needs, over a plain WebSocket: every
 * text frame is one Engine.IO packet, a type digit then its data; a Socket.IO packet is the data of
 * an Engine.IO {@code message} (4): a type digit, an optional acknowledgement id, then a JSON array
 * for events. The default namespace is implied, so it never appears.
 *
 * <pre>
 *   0{"sid":...,"pingInterval":25000,...}   open (server)        40         connect (client)
 *   40{"sid":...}                           connected (server)   2 / 3      ping (server) / pong
 *   42["event",arg]                         event                421["e",a] event asking for ack 1
 *   431[reply]                              ack 1                44{...}    connect error
 * </pre>
 */
public final class EngineIo {

  /** Engine.IO packet types. */
  public static final char OPEN = '0';

  public static final char CLOSE = '1';
  public static final char PING = '2';
  public static final char PONG = '3';
  public static final char MESSAGE = '4';

  /** Socket.IO packet types, carried in an Engine.IO message. */
  public static final char CONNECT = '0';

  public static final char DISCONNECT = '1';
  public static final char EVENT = '2';
  public static final char ACK = '3';
  public static final char CONNECT_ERROR = '4';

  /** The client's request to join the default namespace. */
  public static final String CONNECT_PACKET = "" + MESSAGE + CONNECT;

  /** The answer to a server ping. */
  public static final String PONG_PACKET = String.valueOf(PONG);

  /** A decoded packet. */
  public record Packet(char engineType, char socketType, long ackId, String data) {

    /** No Socket.IO type: the Engine.IO packet is not a message. */
    public static final char NONE = ' ';

    /** No acknowledgement id. */
    public static final long NO_ACK = -1;
  }

  private EngineIo() {}

  /** An event: {@code 42["name",argument]}. */
  public static String event(String name, String jsonArgument) {
    return "" + MESSAGE + EVENT + "[" + jsonString(name) + "," + jsonArgument + "]";
  }

  /** An event asking for an acknowledgement: {@code 42<ackId>["name",argument]}. */
  public static String event(String name, String jsonArgument, long ackId) {
    if (ackId < 0) {
      throw new IllegalArgumentException("ack id must be >= 0, was " + ackId);
    }
    return "" + MESSAGE + EVENT + ackId + "[" + jsonString(name) + "," + jsonArgument + "]";
  }

  /**
   * Decodes one packet.
   *
   * @throws IllegalArgumentException if the text is empty or its type is not a digit
   */
  public static Packet decode(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("an Engine.IO packet cannot be empty");
    }
    char engineType = text.charAt(0);
    if (engineType < OPEN || engineType > '6') {
      throw new IllegalArgumentException("unknown Engine.IO packet type '" + engineType + "'");
    }
    if (engineType != MESSAGE || text.length() == 1) {
      return new Packet(engineType, Packet.NONE, Packet.NO_ACK, text.substring(1));
    }
    char socketType = text.charAt(1);
    if (socketType < CONNECT || socketType > '6') {
      throw new IllegalArgumentException("unknown Socket.IO packet type '" + socketType + "'");
    }
    int at = 2;
    if (at < text.length() && text.charAt(at) == '/') {
      int comma = text.indexOf(',', at);
      at = comma < 0 ? text.length() : comma + 1; // a namespace, which the bench never uses
    }
    int digitsFrom = at;
    while (at < text.length() && Character.isDigit(text.charAt(at))) {
      at++;
    }
    long ackId = at > digitsFrom ? Long.parseLong(text.substring(digitsFrom, at)) : Packet.NO_ACK;
    return new Packet(engineType, socketType, ackId, text.substring(at));
  }

  /** {@code value} as a JSON string literal. */
  public static String jsonString(String value) {
    StringBuilder json = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }
}
