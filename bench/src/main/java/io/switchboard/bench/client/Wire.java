package io.switchboard.bench.client;

import io.vertx.core.buffer.Buffer;

/**
 * What the generator says to a target and how it reads the answers: Switchboard's protocol (which
 * the bare server speaks too) or Socket.IO over Engine.IO v4. Implementations are stateless and
 * read frames without building JSON trees, so that reading does not become the load.
 */
public interface Wire {

  /** What a frame from the server is, as far as the generator cares. */
  enum Kind {
    /** The transport is open but the session is not yet: answer with {@link #replyTo}. */
    OPENING,
    /** The session is ready: the end of connection set-up. */
    WELCOME,
    /** A join was confirmed. */
    JOINED,
    /** A channel message: a delivery. */
    MESSAGE,
    /** An application-level ping: answer with {@link #replyTo}. */
    PING,
    /** The server refused something. */
    ERROR,
    /** Anything else, ignored. */
    OTHER
  }

  /** The name of the protocol, as workers are told it. */
  String name();

  /** The request URI of the WebSocket upgrade, with its query. */
  String path();

  /**
   * What a frame is, from its {@linkplain Bytes#head head} and full length.
   *
   * @param head the frame's first bytes
   */
  Kind kind(byte[] head);

  /** What a frame is. */
  default Kind kind(Buffer frame) {
    return kind(Bytes.head(frame));
  }

  /** The text frame to answer a frame of this kind with, or null for none. */
  String replyTo(Kind kind);

  /**
   * A text frame that tells the server this client is alive, sent by every connection about once a
   * {@linkplain LocalFleet#KEEP_ALIVE_MS minute}, as real clients do; null when the server drives
   * liveness itself.
   */
  String keepAlive();

  /** A text frame joining {@code channel}, answered by a {@link Kind#JOINED} frame. */
  String join(String channel);

  /** A text frame publishing {@code json} (a JSON value) to {@code channel}, with no reply. */
  String publish(String channel, String json);

  /** The wire of this name. */
  static Wire named(String name) {
    return switch (name) {
      case SwitchboardWire.NAME -> new SwitchboardWire();
      case EngineIoWire.NAME -> new EngineIoWire();
      default -> throw new IllegalArgumentException("unknown wire '" + name + "'");
    };
  }
}
