package io.switchboard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.client.Wire.Kind;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WireTest {

  static Stream<Arguments> switchboardFrames() {
    return Stream.of(
        Arguments.of("{\"type\":\"welcome\",\"data\":{\"connectionId\":\"ws_1\"}}", Kind.WELCOME),
        Arguments.of(
            "{\"type\":\"subscription_confirmed\",\"id\":\"j\",\"channel\":\"c\"}", Kind.JOINED),
        Arguments.of("{\"type\":\"message\",\"channel\":\"c\",\"data\":{}}", Kind.MESSAGE),
        Arguments.of("{\"channel\":\"c\",\"type\":\"message\",\"data\":{}}", Kind.MESSAGE),
        Arguments.of("{\"type\":\"error\",\"error\":{\"code\":\"bad_request\"}}", Kind.ERROR),
        Arguments.of("{\"type\":\"pong\"}", Kind.OTHER));
  }

  @ParameterizedTest
  @MethodSource("switchboardFrames")
  void switchboardFramesAreClassifiedByType(String frame, Kind kind) {
    assertThat(new SwitchboardWire().kind(Buffer.buffer(frame))).isEqualTo(kind);
  }

  static Stream<Arguments> engineIoFrames() {
    return Stream.of(
        Arguments.of("0{\"sid\":\"x\"}", Kind.OPENING),
        Arguments.of("40{\"sid\":\"y\"}", Kind.WELCOME),
        Arguments.of("2", Kind.PING),
        Arguments.of("430[{}]", Kind.JOINED),
        Arguments.of("42[\"message\",{}]", Kind.MESSAGE),
        Arguments.of("44{\"message\":\"refused\"}", Kind.ERROR),
        Arguments.of("1", Kind.OTHER),
        Arguments.of("", Kind.OTHER));
  }

  @ParameterizedTest
  @MethodSource("engineIoFrames")
  void engineIoFramesAreClassifiedByTheirFirstBytes(String frame, Kind kind) {
    assertThat(new EngineIoWire().kind(Buffer.buffer(frame))).isEqualTo(kind);
  }

  @Test
  void engineIoAnswersTheOpenWithConnectAndPingsWithPong() {
    EngineIoWire wire = new EngineIoWire();

    assertThat(wire.replyTo(Kind.OPENING)).isEqualTo("40");
    assertThat(wire.replyTo(Kind.PING)).isEqualTo("3");
    assertThat(wire.replyTo(Kind.MESSAGE)).isNull();
    assertThat(new SwitchboardWire().replyTo(Kind.PING)).isNull();
  }

  @Test
  void switchboardJoinAndPublishFramesFollowTheProtocol() {
    SwitchboardWire wire = new SwitchboardWire();

    JsonObject join = new JsonObject(wire.join("bench-3"));
    JsonObject publish = new JsonObject(wire.publish("bench-3", "{\"seq\":1}"));

    assertThat(join.getString("type")).isEqualTo("join");
    assertThat(join.getString("channel")).isEqualTo("bench-3");
    assertThat(join.getString("id")).isEqualTo("j");
    assertThat(publish.getString("type")).isEqualTo("publish");
    assertThat(publish.getJsonObject("data").getLong("seq")).isEqualTo(1);
    assertThat(publish.containsKey("id")).as("no id: no ack per publish").isFalse();
  }

  @Test
  void engineIoJoinAsksForAnAckAndPublishDoesNot() {
    EngineIoWire wire = new EngineIoWire();

    EngineIo.Packet join = EngineIo.decode(wire.join("room"));
    EngineIo.Packet publish = EngineIo.decode(wire.publish("room", "{\"seq\":1}"));

    assertThat(join.ackId()).isEqualTo(0);
    assertThat(new JsonArray(join.data())).containsExactly("join", "room");
    assertThat(publish.ackId()).isEqualTo(EngineIo.Packet.NO_ACK);
    assertThat(new JsonArray(publish.data()).getJsonObject(1).getString("channel"))
        .isEqualTo("room");
  }

  @Test
  void switchboardClientsKeepAliveWithAnAppLevelPingAndEngineIoClientsAnswerTheServer() {
    assertThat(new JsonObject(new SwitchboardWire().keepAlive()).getString("type"))
        .isEqualTo("ping");
    assertThat(new EngineIoWire().keepAlive()).isNull();
    assertThat(new SwitchboardWire().kind(Buffer.buffer("{\"type\":\"pong\",\"ts\":\"x\"}")))
        .isEqualTo(Kind.OTHER);
  }

  @Test
  void wiresAreFoundByName() {
    assertThat(Wire.named("switchboard")).isInstanceOf(SwitchboardWire.class);
    assertThat(Wire.named("engine.io")).isInstanceOf(EngineIoWire.class);
  }
}
