package io.switchboard.server.testing;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client over a plain socket, for what a well-behaved library will not do: invalid
 * UTF-8, oversize frames, hand-made fragments, and never answering a ping. Blocking, with a read
 * timeout.
 */
public final class RawWebSocket implements AutoCloseable {

  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CONTINUATION = 0x0;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /**
   * A frame received from the server; {@code rsv1} is the bit that marks a compressed message when
   * permessage-deflate was negotiated.
   */
  public record Frame(int opcode, boolean fin, byte[] payload, boolean rsv1) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The code of a close frame. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private String upgradeResponse;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Opens {@code /ws} and completes the upgrade; the welcome frame is left to read. */
  public static RawWebSocket connect(int port) throws IOException {
    return connect(port, "");
  }

  /**
   * Opens {@code /ws} with extra request headers (each ending in CRLF) and completes the upgrade.
   */
  public static RawWebSocket connect(int port, String extraHeaders) throws IOException {
    return connect(port, extraHeaders, 0);
  }

  /**
   * Opens {@code /ws} with a receive buffer of about {@code receiveBufferBytes} (0 for the system's
   * default): a small one makes a client that stops reading back up the server quickly.
   */
  public static RawWebSocket connect(int port, String extraHeaders, int receiveBufferBytes)
      throws IOException {
    return connect(null, port, extraHeaders, receiveBufferBytes);
  }

  /**
   * Opens {@code /ws} from a local address of its own ({@code 127.0.0.2}, say: every 127.0.0.0/8
   * address is loopback; null for the system's choice), so that a server counting connections per
   * IP tells it apart.
   */
  public static RawWebSocket connect(
      String localAddress, int port, String extraHeaders, int receiveBufferBytes)
      throws IOException {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request =
        "GET /ws HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + extraHeaders
            + "\r\n";
    return open(localAddress, port, request, receiveBufferBytes);
  }

  /**
   * Sends this exact upgrade request (request line, headers and the blank line) and completes the
   * upgrade; the welcome frame is left to read.
   */
  public static RawWebSocket connectWith(int port, String request) throws IOException {
    return open(null, port, request, 0);
  }

  private static RawWebSocket open(
      String localAddress, int port, String request, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    if (receiveBufferBytes > 0) {
      socket.setReceiveBufferSize(receiveBufferBytes);
    }
    if (localAddress != null) {
      socket.bind(new java.net.InetSocketAddress(localAddress, 0));
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
    RawWebSocket ws = new RawWebSocket(socket);
    ws.out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    ws.out.flush();
    ws.upgradeResponse = ws.readHead();
    if (!ws.upgradeResponse.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("upgrade refused: " + ws.upgradeResponse);
    }
    return ws;
  }

  /** The server's 101 response: status line and headers. */
  public String upgradeResponse() {
    return upgradeResponse;
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the upgrade");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one masked frame, as a client must. */
  public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
    out.write(frame(opcode, fin, payload));
    out.flush();
  }

  /** Sends frames made with {@link #frame} in one write, so that the server reads them at once. */
  public void sendInOneWrite(byte[]... frames) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] frame : frames) {
      all.write(frame);
    }
    out.write(all.toByteArray());
    out.flush();
  }

  /** One masked frame, as a client must send it; any opcode, reserved ones included. */
  public static byte[] frame(int opcode, boolean fin, byte[] payload) {
    ByteBuffer header = ByteBuffer.allocate(14);
    header.put((byte) ((fin ? 0x80 : 0) | opcode));
    if (payload.length < 126) {
      header.put((byte) (0x80 | payload.length));
    } else if (payload.length < 65536) {
      header.put((byte) (0x80 | 126)).putShort((short) payload.length);
    } else {
      header.put((byte) (0x80 | 127)).putLong(payload.length);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    header.put(mask);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(header.array(), 0, header.position());
    frame.write(masked, 0, masked.length);
    return frame.toByteArray();
  }

  /** Writes bytes as they are: for frames no conforming client would send. */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  public void sendText(String text) throws IOException {
    sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The next frame from the server, pings included (they are never answered). */
  public Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload, (b0 & 0x40) != 0);
  }

  /** The next text frame as JSON, skipping pings. */
  public JsonObject readJson() throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame.opcode() == TEXT) {
        return new JsonObject(frame.text());
      }
      if (frame.opcode() == CLOSE) {
        throw new IOException("closed by the server with " + frame.closeCode());
      }
    }
  }

  /** Reads (and discards) frames until the server's close frame; returns its code. */
  public int awaitClose() throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame.opcode() == CLOSE) {
        return frame.closeCode();
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
