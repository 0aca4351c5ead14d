package io.switchboard.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.RawWebSocket;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * With {@code ws.compression} on, a socket that negotiated permessage-deflate really receives
 * compressed frames (RSV1 set, a deflate stream that inflates to the frame), its own frames and the
 * channel fan-out alike, while a socket that did not negotiate it beside it gets the same messages
 * uncompressed. The fan-out writes pre-framed buffers below the deflate encoder, which would pass
 * them uncompressed; compressed sockets take Vert.x's write path instead.
 */
class CompressionIT extends ServerTestBase {

  private static final String DEFLATE = "Sec-WebSocket-Extensions: permessage-deflate\r\n";

  /** Long and repetitive, so that compression visibly shrinks it. */
  private static final String PAYLOAD = "compress me ".repeat(200);

  @Override
  protected JsonObject config() {
    return new JsonObject().put("ws", new JsonObject().put("compression", true));
  }

  @Test
  void aSocketThatNegotiatedDeflateReceivesCompressedFramesAndAPlainOneBesideItDoesNot()
      throws Exception {
    String channel = channel("deflate");
    WsClient plain = connect();
    join(plain, channel);
    try (RawWebSocket compressed = RawWebSocket.connect(server.wsPort(), DEFLATE)) {
      assertThat(compressed.upgradeResponse().toLowerCase()).contains("permessage-deflate");
      Inflater inflater = new Inflater(true);

      RawWebSocket.Frame welcome = nextText(compressed);
      assertThat(welcome.rsv1()).as("the welcome frame is compressed").isTrue();
      assertThat(new JsonObject(inflate(inflater, welcome.payload())).getString("type"))
          .isEqualTo("welcome");

      compressed.sendText(
          new JsonObject().put("type", "join").put("channel", channel).put("id", "j").encode());
      RawWebSocket.Frame confirmed = nextText(compressed);
      assertThat(confirmed.rsv1()).isTrue();
      assertThat(new JsonObject(inflate(inflater, confirmed.payload())).getString("type"))
          .isEqualTo("subscription_confirmed");

      WsClient publisher = connect();
      for (int i = 0; i < 3; i++) {
        publisher.send(
            new JsonObject()
                .put("type", "publish")
                .put("channel", channel)
                .put("data", new JsonObject().put("n", i).put("text", PAYLOAD)));
      }

      for (int i = 0; i < 3; i++) {
        RawWebSocket.Frame frame = nextText(compressed);
        assertThat(frame.rsv1()).as("channel message %d is compressed", i).isTrue();
        assertThat(frame.payload().length).isLessThan(PAYLOAD.length() / 4);
        JsonObject message = new JsonObject(inflate(inflater, frame.payload()));
        assertThat(message.getString("type")).isEqualTo("message");
        assertThat(message.getJsonObject("data").getInteger("n")).isEqualTo(i);
        assertThat(message.getJsonObject("data").getString("text")).isEqualTo(PAYLOAD);

        JsonObject same = plain.next("message");
        assertThat(same.getJsonObject("data").getInteger("n")).isEqualTo(i);
      }
    }
  }

  @Test
  void aSocketThatDidNotAskForDeflateGetsPlainFramesFromTheSameServer() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(server.wsPort())) {
      assertThat(raw.upgradeResponse().toLowerCase()).doesNotContain("permessage-deflate");
      RawWebSocket.Frame welcome = nextText(raw);
      assertThat(welcome.rsv1()).isFalse();
      assertThat(new JsonObject(welcome.text()).getString("type")).isEqualTo("welcome");
    }
  }

  private static RawWebSocket.Frame nextText(RawWebSocket socket) throws IOException {
    while (true) {
      RawWebSocket.Frame frame = socket.readFrame();
      if (frame.opcode() == RawWebSocket.TEXT) {
        return frame;
      }
      assertThat(frame.opcode()).as("a frame other than text or ping").isEqualTo(RawWebSocket.PING);
    }
  }

  /**
   * Inflates one message of a permessage-deflate stream (RFC 7692: the sender dropped the trailing
   * empty block, the receiver appends it). One inflater per socket: without "no context takeover",
   * each message may refer back to the ones before it.
   */
  private static String inflate(Inflater inflater, byte[] payload) throws DataFormatException {
    byte[] input = new byte[payload.length + 4];
    System.arraycopy(payload, 0, input, 0, payload.length);
    input[payload.length + 2] = (byte) 0xFF;
    input[payload.length + 3] = (byte) 0xFF;
    inflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    while (!inflater.needsInput()) {
      int n = inflater.inflate(chunk);
      if (n == 0 && inflater.needsInput()) {
        break;
      }
      out.write(chunk, 0, n);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
