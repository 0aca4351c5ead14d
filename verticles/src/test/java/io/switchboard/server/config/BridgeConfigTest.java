package io.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.protocol.Addresses;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code bridge} section: its defaults, its rules, and the rule for binding beyond loopback.
 */
class BridgeConfigTest {

  @Test
  void theBridgeIsOffOnLoopbackWithBroadcastInAndEventsOut() {
    BridgeConfig bridge = SwitchboardConfig.defaults().bridge();

    assertThat(bridge.enabled()).isFalse();
    assertThat(bridge.host()).isEqualTo("127.0.0.1");
    assertThat(bridge.port()).isEqualTo(7000);
    assertThat(bridge.inbound())
        .extracting(p -> p.toOptions().getAddress())
        .containsExactly("switchboard.broadcast");
    assertThat(bridge.outboundPermits("switchboard.events.connection.connected")).isTrue();
    assertThat(bridge.outboundPermits("switchboard.events.")).isFalse();
    assertThat(bridge.outboundPermits("switchboard.broadcast")).isFalse();
    assertThat(bridge.outboundPermits("switchboardxevents.x")).isFalse();
    assertThat(bridge.tokenRequired()).isFalse();
    assertThat(bridge.clientCertificatesRequired()).isFalse();
  }

  @Test
  void everyLifecycleEventAddressIsOutboundByDefault() throws Exception {
    BridgeConfig bridge = SwitchboardConfig.defaults().bridge();
    int events = 0;
    for (Field field : Addresses.class.getFields()) {
      if (field.getName().startsWith("EVENT_")) {
        events++;
        assertThat(bridge.outboundPermits((String) field.get(null))).as(field.getName()).isTrue();
      }
    }
    assertThat(events).isEqualTo(6);
    assertThat(bridge.inbound())
        .extracting(p -> p.matches(Addresses.BROADCAST))
        .containsExactly(true);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"bridge\":{\"enabled\":true,\"host\":\"0.0.0.0\"}}|bridge.token must be set when"
            + " bridge.host is not a loopback address and bridge.tlsClientCaFile is empty, was"
            + " empty with bridge.host 0.0.0.0; set a token, require client certificates"
            + " (bridge.tlsClientCaFile) or bind the bridge to 127.0.0.1",
        "{\"bridge\":{\"token\":\"short\"}}|bridge.token must be at least 16 characters, was a"
            + " token of 5 characters",
        "{\"bridge\":{\"inbound\":[{\"address\":\"a\",\"addressRegex\":\"b\"}]}}|bridge.inbound[0]"
            + " must be {\"address\": <address>} or {\"addressRegex\": <regular expression>}"
            + " (exactly one of the two), was {\"address\":\"a\",\"addressRegex\":\"b\"}",
        "{\"bridge\":{\"inbound\":[\"switchboard.broadcast\"]}}|bridge.inbound[0] must be"
            + " {\"address\": <address>} or {\"addressRegex\": <regular expression>}, was"
            + " switchboard.broadcast",
        "{\"bridge\":{\"inbound\":[{\"adress\":\"x\"}]}}|unknown configuration key"
            + " bridge.inbound[0].adress; bridge.inbound[0] accepts address, addressRegex",
        "{\"bridge\":{\"outbound\":[{\"address\":\"\"}]}}|bridge.outbound[0].address must be a"
            + " non-empty string, was {\"address\":\"\"}",
        "{\"bridge\":{\"outbound\":[{\"addressRegex\":\"(\"}]}}|bridge.outbound[0].addressRegex"
            + " must be a Java regular expression, was ( (Unclosed group)",
        "{\"bridge\":{\"outbound\":{}}}|bridge.outbound must be a JSON array, was {}",
        "{\"bridge\":{\"maxFrameBytes\":10}}|bridge.maxFrameBytes must be between 256 and"
            + " 16777216, was 10",
        "{\"bridge\":{\"maxConnections\":0}}|bridge.maxConnections must be between 1 and 100000,"
            + " was 0",
        "{\"bridge\":{\"idleTimeoutMs\":0}}|bridge.idleTimeoutMs must be between 1 and 86400000,"
            + " was 0",
        "{\"bridge\":{\"tlsClientCaFile\":\"ca.pem\"}}|bridge.tlsClientCaFile must be empty while"
            + " the bridge does not speak TLS (client certificates need bridge.tlsCertFile and"
            + " bridge.tlsKeyFile, or bridge.tlsKeyStore), was ca.pem",
        "{\"bridge\":{\"enabled\":true,\"port\":9000},\"ws\":{\"port\":9000}}|bridge.port must"
            + " differ from ws.port, both were 9000",
        "{\"bridge\":{\"enabled\":true,\"port\":8081}}|bridge.port must differ from admin.port,"
            + " both were 8081",
        "{\"bridge\":{\"tokn\":\"x\"}}|unknown configuration key bridge.tokn; bridge accepts"
            + " enabled, host, idleTimeoutMs, inbound, maxConnections, maxFrameBytes,"
            + " maxRegistrations, maxWriteQueueBytes, outbound, port, tlsCertFile,"
            + " tlsClientCaFile, tlsKeyFile, tlsKeyStore, tlsKeyStorePassword, token",
      })
  void aBadValueNamesTheKeyTheValueAndTheRule(String json, String message) {
    assertThatThrownBy(() -> SwitchboardConfig.fromJson(new JsonObject(json)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void aBridgeBeyondLoopbackIsAllowedWithATokenWhichIsMaskedInTheLog() {
    SwitchboardConfig config =
        SwitchboardConfig.fromJson(
            new JsonObject()
                .put(
                    "bridge",
                    new JsonObject()
                        .put("enabled", true)
                        .put("host", "0.0.0.0")
                        .put("token", "a-token-of-enough-length")));

    assertThat(config.bridge().tokenRequired()).isTrue();
    assertThat(config.toLoggableJson().getJsonObject("bridge").getString("token"))
        .isEqualTo("****");
    assertThat(config.toJson().getJsonObject("bridge").getString("token"))
        .isEqualTo("a-token-of-enough-length");
  }

  @Test
  void aBridgeBeyondLoopbackIsAllowedWithClientCertificates(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "read only at start-up");
    Path key = Files.writeString(dir.resolve("key.pem"), "read only at start-up");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "read only at start-up");
    SwitchboardConfig config =
        SwitchboardConfig.fromJson(
            new JsonObject()
                .put(
                    "bridge",
                    new JsonObject()
                        .put("enabled", true)
                        .put("host", "0.0.0.0")
                        .put("tlsCertFile", cert.toString())
                        .put("tlsKeyFile", key.toString())
                        .put("tlsClientCaFile", ca.toString())));

    assertThat(config.bridge().clientCertificatesRequired()).isTrue();
    assertThat(config.bridge().tls().enabled()).isTrue();
  }

  @Test
  void theTableOfPermittedAddressesIsOverriddenAsJson() {
    JsonObject flat =
        new JsonObject()
            .put("SWITCHBOARD_BRIDGE_ENABLED", "true")
            .put(
                "SWITCHBOARD_BRIDGE_INBOUND",
                "[{\"address\":\"svc.a\"},{\"addressRegex\":\"b.*\"}]")
            .put("switchboard.bridge.port", "7100");

    SwitchboardConfig config =
        SwitchboardConfig.fromJson(
            ConfigLoader.applyOverrides(ConfigLoader.embeddedDefaults(), flat));

    assertThat(config.bridge().enabled()).isTrue();
    assertThat(config.bridge().port()).isEqualTo(7100);
    assertThat(config.bridge().toJson().getJsonArray("inbound").encode())
        .isEqualTo("[{\"address\":\"svc.a\"},{\"addressRegex\":\"b.*\"}]");
  }

  @Test
  void theEmbeddedDefaultsAreTheRecordsDefaults() {
    assertThat(ConfigLoader.embeddedDefaults().getJsonObject("bridge"))
        .isEqualTo(SwitchboardConfig.defaults().toJson().getJsonObject("bridge"));
  }
}
