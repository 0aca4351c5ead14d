package io.switchboard.bench.bare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.bench.client.SwitchboardWire;
import io.switchboard.bench.client.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class BareFramesTest {

  private final SwitchboardWire wire = new SwitchboardWire();

  @Test
  void theBenchClientsFramesAreRecognised() {
    assertThat(BareFrames.kind(Buffer.buffer(wire.join("c")))).isEqualTo(BareFrames.Kind.JOIN);
    assertThat(BareFrames.kind(Buffer.buffer(wire.publish("c", "1"))))
        .isEqualTo(BareFrames.Kind.PUBLISH);
    assertThat(BareFrames.kind(Buffer.buffer("{\"type\":\"ping\"}")))
        .isEqualTo(BareFrames.Kind.OTHER);
  }

  @Test
  void theChannelIsReadWithoutParsing() {
    assertThat(BareFrames.channel(Buffer.buffer(wire.join("bench-7")))).isEqualTo("bench-7");
    assertThat(BareFrames.channel(Buffer.buffer("{\"type\":\"join\"}"))).isNull();
  }

  @Test
  void aMessageFrameSplicesThePublishedDataUnchangedIntoSwitchboardsEnvelope() {
    String data = "{\"seq\":3,\"sent\":99,\"pad\":\"xx\",\"nested\":{\"a\":[1,2,{\"b\":\"}\"}]}}";
    Buffer publish = Buffer.buffer(wire.publish("bench-1", data));

    Buffer message = BareFrames.message("bench-1", publish);

    JsonObject json = new JsonObject(message);
    assertThat(message.toString()).startsWith("{\"type\":\"message\",\"channel\":\"bench-1\",");
    assertThat(json.getString("type")).isEqualTo("message");
    assertThat(json.getString("channel")).isEqualTo("bench-1");
    assertThat(json.getJsonObject("data")).isEqualTo(new JsonObject(data));
    assertThat(json.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  }

  @Test
  void aPublishWithoutDataHasNoMessage() {
    assertThat(BareFrames.message("c", Buffer.buffer("{\"type\":\"publish\",\"channel\":\"c\"}")))
        .isNull();
  }

  @Test
  void welcomeAndConfirmationAreWhatTheGeneratorWaitsFor() {
    assertThat(wire.kind(BareFrames.welcome("bare-1"))).isEqualTo(Wire.Kind.WELCOME);
    assertThat(wire.kind(BareFrames.subscriptionConfirmed("j1", "c", 3)))
        .isEqualTo(Wire.Kind.JOINED);
    assertThat(new JsonObject(BareFrames.subscriptionConfirmed("j1", "c", 3)).getJsonObject("data"))
        .isEqualTo(new JsonObject().put("subscribers", 3));
  }

  @Test
  void flushPoliciesAreNamedAsOnTheCommandLine() {
    assertThat(FlushPolicy.of("per-message")).isEqualTo(FlushPolicy.PER_MESSAGE);
    assertThat(FlushPolicy.of("coalesce")).isEqualTo(FlushPolicy.COALESCE);
    assertThatThrownBy(() -> FlushPolicy.of("never"))
        .hasMessage("unknown flush policy 'never'; known: per-message, coalesce");
  }

  @Test
  void theJoinAnswerEchoesTheJoinsId() {
    Buffer join = Buffer.buffer("{\"type\":\"join\",\"channel\":\"c\",\"id\":\"j-42\"}");

    JsonObject answer =
        new JsonObject(BareFrames.subscriptionConfirmed(BareFrames.id(join), "c", 1));

    assertThat(answer.getString("id")).isEqualTo("j-42");
    assertThat(new JsonObject(BareFrames.subscriptionConfirmed(null, "c", 1)).containsKey("id"))
        .isFalse();
  }
}
