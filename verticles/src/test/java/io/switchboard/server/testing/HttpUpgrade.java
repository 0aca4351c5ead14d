package io.switchboard.server.testing;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends one hand-written HTTP request on a plain socket and reads the answer's status line, headers
 * and body: for upgrade requests no library would send (wrong versions, bad keys, forged tokens)
 * and for reading the JSON error of a refused upgrade. Blocking, with a read timeout.
 */
public final class HttpUpgrade {

  /** What the server answered. */
  public record Answer(int status, Map<String, String> headers, String body) {

    /** The header's value (names are compared ignoring case), or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body's {@code error} object. */
    public JsonObject error() {
      return new JsonObject(body).getJsonObject("error");
    }
  }

  /** A valid key, for requests whose key is not what is being tested. */
  public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  private HttpUpgrade() {}

  /** A valid upgrade request line and headers for {@code target}, ending before the blank line. */
  public static String validHead(String target, int port) {
    return "GET "
        + target
        + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1:"
        + port
        + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: "
        + KEY
        + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n";
  }

  /** Sends a valid upgrade of {@code target} with extra header lines (each ending in CRLF). */
  public static Answer upgrade(int port, String target, String extraHeaders) throws IOException {
    return send(port, validHead(target, port) + extraHeaders + "\r\n");
  }

  /** Sends {@code request} as is and reads the answer head (and body, by Content-Length). */
  public static Answer send(int port, String request) throws IOException {
    return exchange(null, port, request, false);
  }

  /**
   * Sends {@code request} from a local address of its own (any of 127.0.0.0/8, to play another
   * client address) and reads the answer; for a refusal ({@code expectClose}), also asserts that
   * the server then closed the TCP connection.
   */
  public static Answer send(String localAddress, int port, String request, boolean expectClose)
      throws IOException {
    return exchange(localAddress, port, request, expectClose);
  }

  private static Answer exchange(String localAddress, int port, String request, boolean expectClose)
      throws IOException {
    try (Socket socket = new Socket()) {
      if (localAddress != null) {
        socket.bind(new InetSocketAddress(localAddress, 0));
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String statusLine = line(in);
      if (statusLine == null) {
        throw new IOException("the server closed the connection without an answer");
      }
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      String length = headers.get("content-length");
      byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
      if (expectClose && in.read() != -1) {
        throw new AssertionError("the server sent more after its answer instead of closing");
      }
      return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int end =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}
