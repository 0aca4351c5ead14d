package io.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {

  private static Vertx vertx;

  @BeforeAll
  static void createVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    Await.result(vertx.close());
  }

  @AfterEach
  void clearSystemProperties() {
    System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith("switchboard."))
        .forEach(System::clearProperty);
  }

  @Test
  void theEmbeddedDefaultsAreTheRecordDefaultsKeyForKey() {
    assertThat(ConfigLoader.embeddedDefaults()).isEqualTo(SwitchboardConfig.defaults().toJson());
  }

  @Test
  void theEmbeddedDefaultsAreTheRepositorysConfFile() throws Exception {
    Path conf = Path.of("..", "conf", "switchboard.json");

    assertThat(new JsonObject(Files.readString(conf))).isEqualTo(ConfigLoader.embeddedDefaults());
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    SwitchboardConfig config = SwitchboardConfig.defaults();

    assertThat(config.ws().port()).isEqualTo(8080);
    assertThat(config.ws().compression()).isFalse();
    assertThat(config.ws().maxFrameBytes()).isEqualTo(65536);
    assertThat(config.admin().port()).isEqualTo(8081);
    assertThat(config.admin().host()).isEqualTo("127.0.0.1");
    assertThat(config.heartbeat().intervalMs()).isEqualTo(25_000);
    assertThat(config.heartbeat().staleTimeoutMs()).isEqualTo(300_000);
    assertThat(config.telemetry().intervalMs()).isEqualTo(10_000);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"heartbeat\":{\"intervalMs\":-5}}|heartbeat.intervalMs must be > 0, was -5",
        "{\"heartbeat\":{\"intervalMs\":0}}|heartbeat.intervalMs must be > 0, was 0",
        "{\"heartbeat\":{\"staleTimeoutMs\":-1}}|heartbeat.staleTimeoutMs must be >= 0, was -1",
        "{\"ws\":{\"port\":70000}}|ws.port must be between 0 and 65535, was 70000",
        "{\"ws\":{\"port\":\"8080\"}}|ws.port must be a whole number, was \"8080\"",
        "{\"ws\":{\"port\":80.5}}|ws.port must be a whole number, was 80.5",
        "{\"ws\":{\"port\":18446744073709551696}}|ws.port must be between 0 and 65535, was 18446744073709551696",
        "{\"ws\":{\"port\":-1208925819614629174706175}}|ws.port must be between 0 and 65535, was -1208925819614629174706175",
        "{\"heartbeat\":{\"intervalMs\":1e19}}|heartbeat.intervalMs must be at most 9223372036854775807, was 10000000000000000000",
        "{\"heartbeat\":{\"intervalMs\":1e400}}|heartbeat.intervalMs must be a whole number, was Infinity",
        "{\"ws\":{\"compression\":\"yes\"}}|ws.compression must be true or false, was \"yes\"",
        "{\"ws\":{\"path\":\"ws\"}}|ws.path must be a path starting with /, was ws",
        "{\"ws\":{\"maxFrameBytes\":100}}|ws.maxFrameBytes must be between 125 and 16777216, was 100",
        "{\"ws\":{\"maxMessageBytes\":1000}}|ws.maxMessageBytes must be >= ws.maxFrameBytes (65536), was 1000",
        "{\"ws\":{\"host\":5}}|ws.host must be a string, was 5",
        "{\"ws\":{\"prot\":1}}|unknown configuration key ws.prot; ws accepts coalesceMaxDelayUs, compression, flushPolicy, host, instances, maxFrameBytes, maxMessageBytes, maxWriteQueueBytes, path, port, subprotocols",
        "{\"ws\":{\"flushPolicy\":\"batch\"}}|ws.flushPolicy must be per-message or coalesce, was batch",
        "{\"ws\":{\"coalesceMaxDelayUs\":0}}|ws.coalesceMaxDelayUs must be > 0, was 0",
        "{\"ws\":{\"subprotocols\":[\"a b\"]}}|ws.subprotocols must be a list of subprotocol names (HTTP tokens), was [\"a b\"]",
        "{\"websocket\":{}}|unknown configuration section websocket; the sections are ws, admin, heartbeat, telemetry, channels, shutdown, metrics, plugins, vertx",
        "{\"plugins\":{\"settings\":{\"chat\":true}}}|plugins.settings.chat must be a JSON object, was true",
        "{\"plugins\":{\"settings\":{\"chat\":{\"enabld\":false}}}}|unknown configuration key plugins.settings.chat.enabld; plugins.settings.chat accepts config, enabled, timeoutMs",
        "{\"plugins\":{\"settings\":{\"chat\":{\"timeoutMs\":-1}}}}|plugins.settings.chat.timeoutMs must be >= 0, was -1",
        "{\"plugins\":{\"verticles\":[{\"instances\":2}]}}|plugins.verticles[0].class must be a class name, was \"\"",
        "{\"plugins\":{\"verticles\":[{\"class\":\"a.B\",\"instances\":0}]}}|plugins.verticles[0].instances must be between 1 and 1024, was 0",
        "{\"plugins\":{\"verticles\":{}}}|plugins.verticles must be a JSON array, was {}",
        "{\"ws\":[]}|ws must be a JSON object, was []",
        "{\"ws\":{\"port\":9000},\"admin\":{\"port\":9000}}|admin.port must differ from ws.port, both were 9000",
        "{\"admin\":{\"host\":\"0.0.0.0\"}}|admin.token must be set when admin.host is not a loopback address, was empty with admin.host 0.0.0.0; set a token or bind the admin API to 127.0.0.1",
      })
  void aBadValueNamesTheKeyTheValueAndTheRule(String json, String message) {
    assertThatThrownBy(() -> SwitchboardConfig.fromJson(new JsonObject(json)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void aWholeNumberWrittenWithAFractionIsTakenAsIs() {
    SwitchboardConfig config =
        SwitchboardConfig.fromJson(
            new JsonObject("{\"ws\":{\"port\":9000.0},\"heartbeat\":{\"intervalMs\":2.5e3}}"));

    assertThat(config.ws().port()).isEqualTo(9000);
    assertThat(config.heartbeat().intervalMs()).isEqualTo(2500);
  }

  @Test
  void aPublicAdminApiIsAllowedWithAToken() {
    SwitchboardConfig config =
        SwitchboardConfig.fromJson(
            new JsonObject("{\"admin\":{\"host\":\"0.0.0.0\",\"token\":\"t\"}}"));

    assertThat(config.admin().tokenRequired()).isTrue();
    assertThat(config.toLoggableJson().getJsonObject("admin").getString("token")).isEqualTo("****");
  }

  @ParameterizedTest
  @CsvSource({
    "ws,port,SWITCHBOARD_WS_PORT,switchboard.ws.port",
    "ws,maxFrameBytes,SWITCHBOARD_WS_MAX_FRAME_BYTES,switchboard.ws.maxFrameBytes",
    "heartbeat,intervalMs,SWITCHBOARD_HEARTBEAT_INTERVAL_MS,switchboard.heartbeat.intervalMs",
    "vertx,eventLoopPoolSize,SWITCHBOARD_VERTX_EVENT_LOOP_POOL_SIZE,switchboard.vertx.eventLoopPoolSize",
  })
  void overrideNamesFollowTheKey(String section, String key, String env, String sys) {
    assertThat(ConfigLoader.envName(section, key)).isEqualTo(env);
    assertThat(ConfigLoader.sysName(section, key)).isEqualTo(sys);
  }

  @Test
  void environmentThenSystemPropertiesOverrideTheFileTypedByTheDefault() {
    JsonObject base = ConfigLoader.embeddedDefaults();
    JsonObject flat =
        new JsonObject()
            .put("SWITCHBOARD_WS_PORT", "9090")
            .put("SWITCHBOARD_WS_COMPRESSION", "TRUE")
            .put("SWITCHBOARD_ADMIN_TOKEN", "abc")
            .put("SWITCHBOARD_HEARTBEAT_INTERVAL_MS", "1000")
            .put("switchboard.heartbeat.intervalMs", "2000")
            .put("PATH", "/usr/bin");

    SwitchboardConfig config = SwitchboardConfig.fromJson(ConfigLoader.applyOverrides(base, flat));

    assertThat(config.ws().port()).isEqualTo(9090);
    assertThat(config.ws().compression()).isTrue();
    assertThat(config.admin().token()).isEqualTo("abc");
    assertThat(config.heartbeat().intervalMs()).isEqualTo(2000);
  }

  @ParameterizedTest(name = "[{index}] {0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SWITCHBOARD_WS_PORT|abc|SWITCHBOARD_WS_PORT (ws.port) must be a whole number, was \"abc\"",
        "SWITCHBOARD_WS_COMPRESSION|yes|SWITCHBOARD_WS_COMPRESSION (ws.compression) must be true or false, was \"yes\"",
        "SWITCHBOARD_WS_PROT|1|unknown configuration override SWITCHBOARD_WS_PROT; ws accepts host, port, path, instances, maxFrameBytes, maxMessageBytes, compression, maxWriteQueueBytes, subprotocols, flushPolicy, coalesceMaxDelayUs",
        "switchboard.admin.tokn|x|unknown configuration override switchboard.admin.tokn; admin accepts enabled, host, port, token",
      })
  void aBadOverrideIsRefused(String name, String value, String message) {
    JsonObject flat = new JsonObject().put(name, value);

    assertThatThrownBy(() -> ConfigLoader.applyOverrides(ConfigLoader.embeddedDefaults(), flat))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void theLoaderReadsTheFileAndSystemProperties(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("switchboard.json");
    Files.writeString(file, "{\"ws\":{\"port\":7000},\"telemetry\":{\"intervalMs\":500}}");
    System.setProperty("switchboard.telemetry.intervalMs", "750");

    SwitchboardConfig config = Await.result(ConfigLoader.load(vertx, file));

    assertThat(config.ws().port()).isEqualTo(7000);
    assertThat(config.telemetry().intervalMs()).isEqualTo(750);
    assertThat(config.heartbeat().intervalMs()).isEqualTo(25_000);
  }

  @Test
  void aSectionThatIsNotAnObjectIsNamedByTheLoader(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("switchboard.json");
    Files.writeString(file, "{\"ws\":5}");

    Throwable failure = Await.failure(ConfigLoader.load(vertx, file));

    assertThat(failure)
        .isInstanceOf(ConfigException.class)
        .hasMessage("ws must be a JSON object, was 5");
  }

  @Test
  void aMissingOrMalformedFileIsAClearFailure(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"ws\": ");

    Throwable missing = Await.failure(ConfigLoader.load(vertx, dir.resolve("nope.json")));
    Throwable malformed = Await.failure(ConfigLoader.load(vertx, broken));

    assertThat(missing)
        .isInstanceOf(ConfigException.class)
        .hasMessage("configuration file " + dir.resolve("nope.json") + " does not exist");
    assertThat(malformed)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("configuration file " + broken + " is not valid:");
  }
}
