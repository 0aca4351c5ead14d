package io.switchboard.protocol;

/** Constants of wire protocol v1 that clients and servers share. */
public final class Protocol {

  /** The protocol version announced in {@code welcome.data.protocol}. */
  public static final int VERSION = 1;

  /**
   * The WebSocket subprotocol naming this protocol version. Clients may offer it in {@code
   * Sec-WebSocket-Protocol}; the server then selects it. Offering nothing is fine too.
   */
  public static final String SUBPROTOCOL = "switchboard.v1";

  /** The default WebSocket path on the public port. */
  public static final String DEFAULT_PATH = "/ws";

  /** The longest accepted correlation {@code id}, in characters. */
  public static final int MAX_ID_LENGTH = 64;

  /** {@code error.data.originalMessage} holds at most this many characters of the frame. */
  public static final int MAX_ORIGINAL_MESSAGE_CHARS = 1024;

  /** The default limit for a frame and for a whole message, in bytes (64 KiB). */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

  private Protocol() {}
}
