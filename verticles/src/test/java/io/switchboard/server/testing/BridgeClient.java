package io.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw client of the TCP event-bus bridge over a plain (or TLS) socket, speaking its framing by
 * hand: a 4-byte big-endian length, then that many bytes of JSON. Blocking, with {@link
 * Await#TIMEOUT} on every read, so a test can send malformed and oversize frames and read exactly
 * what the server answered.
 */
public final class BridgeClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private BridgeClient(Socket socket) {
    try {
      this.socket = socket;
      socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A plain TCP connection to the bridge on 127.0.0.1. */
  public static BridgeClient connect(int port) {
    return connect(port, 0);
  }

  /**
   * A connection whose receive buffer is at most {@code receiveBufferBytes} (0 for the system's
   * default), for a client that stops reading.
   */
  public static BridgeClient connect(int port, int receiveBufferBytes) {
    try {
      Socket socket = new Socket();
      if (receiveBufferBytes > 0) {
        socket.setReceiveBufferSize(receiveBufferBytes);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) Await.TIMEOUT.toMillis());
      return new BridgeClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client over a socket already connected, e.g. a TLS one. */
  public static BridgeClient over(Socket socket) {
    return new BridgeClient(socket);
  }

  /** Sends one frame. */
  public BridgeClient send(JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    return sendRaw(ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array());
  }

  /** Sends a frame whose JSON is given as text, unchecked. */
  public BridgeClient sendText(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return sendRaw(ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array());
  }

  /** Sends bytes as they are: a length prefix of the test's choosing, part of a frame, ... */
  public BridgeClient sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next frame, failing if none arrives within {@link Await#TIMEOUT} or the socket ends. */
  public JsonObject next() {
    try {
      int length = in.readInt();
      byte[] json = new byte[length];
      in.readFully(json);
      return new JsonObject(new String(json, StandardCharsets.UTF_8));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame from the bridge within " + Await.TIMEOUT, e);
    } catch (EOFException e) {
      throw new AssertionError("the bridge closed the connection instead of answering", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next frame, which must be an error frame with this {@code message}. */
  public JsonObject nextError(String message) {
    JsonObject frame = next();
    assertThat(frame.getString("type") + " " + frame.getString("message"))
        .as("error frame expected, got %s", frame)
        .isEqualTo("err " + message);
    return frame;
  }

  /**
   * Sends a {@code ping} and returns every frame that arrived before its {@code pong}: once this
   * returns, the bridge has handled every frame sent before.
   */
  public List<JsonObject> sync() {
    send(new JsonObject().put("type", "ping"));
    List<JsonObject> before = new ArrayList<>();
    while (true) {
      JsonObject frame = next();
      if ("pong".equals(frame.getString("type"))) {
        return before;
      }
      before.add(frame);
    }
  }

  /** Asserts that the bridge still answers, with nothing else before its {@code pong}. */
  public void assertAlive() {
    assertThat(sync()).as("frames before the pong").isEmpty();
  }

  /**
   * Reads until the server closes the connection and returns the frames read on the way; fails if
   * it stays open for {@link Await#TIMEOUT}.
   */
  public List<JsonObject> framesUntilClosed() {
    List<JsonObject> frames = new ArrayList<>();
    while (true) {
      try {
        int length = in.readInt();
        byte[] json = new byte[length];
        in.readFully(json);
        frames.add(new JsonObject(new String(json, StandardCharsets.UTF_8)));
      } catch (EOFException e) {
        return frames;
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the bridge kept the connection open for " + Await.TIMEOUT, e);
      } catch (IOException e) {
        return frames; // reset by the server: closed too
      }
    }
  }

  /**
   * Reads and discards until the server closes the connection; answers the bytes read. Fails if it
   * stays open with nothing to read for {@link Await#TIMEOUT}.
   */
  public long drainUntilClosed() {
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    while (true) {
      try {
        int read = in.read(chunk);
        if (read < 0) {
          return total;
        }
        total += read;
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "the bridge kept the connection open for " + Await.TIMEOUT + " after " + total, e);
      } catch (IOException e) {
        return total;
      }
    }
  }

  /** Whether the server has closed the connection, waiting at most {@code millis} to find out. */
  public boolean closedWithin(int millis) {
    try {
      socket.setSoTimeout(millis);
      int read = in.read();
      if (read >= 0) {
        throw new AssertionError("unexpected byte from the bridge: " + read);
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    } finally {
      try {
        socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
      } catch (IOException e) {
        // closed
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
