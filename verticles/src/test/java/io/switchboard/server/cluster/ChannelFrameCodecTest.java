package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The wire form of a channel message between nodes. */
class ChannelFrameCodecTest {

  private final ChannelFrameCodec codec = new ChannelFrameCodec();

  @Test
  void aFrameCrossesTheWireWithItsBytesUnchanged() {
    Buffer frame = Buffer.buffer("{\"type\":\"message\",\"channel\":\"chat:été\",\"data\":\"ü\"}");
    ChannelFrame sent = ChannelFrame.toChannel("chat:été", frame);

    ChannelFrame received = roundTrip(sent, 7);

    assertThat(received.channel()).isEqualTo("chat:été");
    assertThat(received.frame().getBytes()).isEqualTo(frame.getBytes());
    assertThat(received.userId()).isNull();
    assertThat(received.organizationId()).isNull();
    assertThat(received.filtered()).isFalse();
  }

  @Test
  void theUserAndOrganisationFilterCrossesTheWire() {
    ChannelFrame sent = new ChannelFrame("chat:a", Buffer.buffer("{}"), "user-1", "org-2");

    ChannelFrame received = roundTrip(sent, 0);

    assertThat(received)
        .isEqualTo(new ChannelFrame("chat:a", Buffer.buffer("{}"), "user-1", "org-2"));
    assertThat(received.filtered()).isTrue();
  }

  @Test
  void theOffsetTheOwnerGaveCrossesTheWire() {
    ChannelFrame sent = ChannelFrame.sequenced("chat:a", Buffer.buffer("{}"), 9_876_543_210L);

    ChannelFrame received = roundTrip(sent, 3);

    assertThat(received.offset()).isEqualTo(9_876_543_210L);
    assertThat(received.filtered()).isFalse();
    assertThat(roundTrip(ChannelFrame.toChannel("chat:a", Buffer.buffer("{}")), 0).offset())
        .isZero();
  }

  @Test
  void aForwardedPublishKeepsItsKey() {
    ChannelFrame sent =
        ChannelFrame.publish("chat:a", Buffer.buffer("{}"), "alice\u0001s-1\u0001p-7");

    ChannelFrame received = roundTrip(sent, 5);

    assertThat(received.publishKey()).isEqualTo("alice\u0001s-1\u0001p-7");
    assertThat(received.offset()).isZero();
    assertThat(roundTrip(ChannelFrame.toChannel("chat:a", Buffer.buffer("{}")), 0).publishKey())
        .isNull();
  }

  @Test
  void insideOneJvmTheRecordPassesAsItIs() {
    ChannelFrame sent = ChannelFrame.toChannel("chat:a", Buffer.buffer("{}"));

    assertThat(codec.transform(sent)).isSameAs(sent);
  }

  /** Encodes after {@code offset} bytes of something else, as the event bus does. */
  private ChannelFrame roundTrip(ChannelFrame sent, int offset) {
    Buffer wire = Buffer.buffer(new byte[offset]);
    codec.encodeToWire(wire, sent);
    wire.appendString("trailing");
    return codec.decodeFromWire(offset, wire);
  }
}
