package io.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.config.ChannelsConfig.NamespaceConfig;
import io.switchboard.server.history.HistoryPolicy;
import io.switchboard.server.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

  @Test
  void securityDefaultsAreSafe() {
    SwitchboardConfig config = SwitchboardConfig.defaults();

    assertThat(config.ws().host()).isEqualTo("127.0.0.1");
    assertThat(config.ws().allowedOrigins()).isEmpty();
    assertThat(config.auth().jwtEnabled()).isFalse();
    assertThat(config.auth().identityFromQuery()).isTrue();
    assertThat(config.auth().anonymous()).isFalse();
    assertThat(config.auth().algorithms()).containsExactly("HS256", "RS256", "ES256");
    assertThat(config.limits().maxConnectionsPerIp()).isEqualTo(100);
    assertThat(config.limits().messageRate()).isEqualTo(100);
    assertThat(config.channels().namespace("news").publish()).isEqualTo(AccessRule.NOBODY);
    assertThat(config.channels().namespace("user:alice").join()).isEqualTo(AccessRule.OWNER);
    assertThat(config.channels().namespace("$telemetry").join())
        .isEqualTo(AccessRule.AUTHENTICATED);
    assertThat(config.channels().namespace("game:1")).isNull();
  }

  @Test
  void namespacesAreLaidOverTheDefaults() {
    ChannelsConfig channels =
        SwitchboardConfig.fromJson(
                new JsonObject(
                    "{\"channels\":{\"namespaces\":{\"chat\":{\"publish\":\"anyone\"},"
                        + "\"user\":null,\"game\":{\"publish\":\"granted\"}}}}"))
            .channels();

    assertThat(channels.namespace("chat:a").join()).isEqualTo(AccessRule.ANYONE);
    assertThat(channels.namespace("chat:a").publish()).isEqualTo(AccessRule.ANYONE);
    assertThat(channels.namespace("user:alice")).isNull();
    assertThat(channels.namespace("game:1").join()).isEqualTo(AccessRule.AUTHENTICATED);
    assertThat(channels.namespace("game:1").publish()).isEqualTo(AccessRule.GRANTED);
    assertThat(channels.namespace("org:acme").publish()).isEqualTo(AccessRule.MEMBERS);
  }

  @Test
  void aNamespaceKeepsHistoryOnlyWhenToldAndTheCapsHaveDefaults() {
    ChannelsConfig channels =
        SwitchboardConfig.fromJson(
                new JsonObject(
                    "{\"channels\":{\"namespaces\":{\"chat\":{\"historySize\":1000,"
                        + "\"historyTtlMs\":600000},\"feed\":{\"historySize\":5}},"
                        + "\"maxStreams\":50}}"))
            .channels();

    assertThat(channels.history("chat:a")).isEqualTo(new HistoryPolicy(1000, 600_000));
    assertThat(channels.history("feed:a"))
        .isEqualTo(new HistoryPolicy(5, NamespaceConfig.DEFAULT_HISTORY_TTL_MS));
    assertThat(channels.history("lobby").keeps()).isFalse();
    assertThat(channels.history("game:unconfigured").keeps()).isFalse();
    assertThat(channels.namespace("chat:a").publish()).isEqualTo(AccessRule.SUBSCRIBERS);
    assertThat(channels.maxStreams()).isEqualTo(50);
    assertThat(channels.maxHistoryBytes()).isEqualTo(ChannelsConfig.DEFAULT_MAX_HISTORY_BYTES);
    assertThat(channels.maxHistoryLimit()).isEqualTo(ChannelsConfig.DEFAULT_MAX_HISTORY_LIMIT);
    assertThat(SwitchboardConfig.defaults().channels().namespaces().values())
        .allSatisfy(namespace -> assertThat(namespace.history().keeps()).isFalse());
  }

  @Test
  void aNamespaceNamesItsAuthorizerAndNoneHasOneByDefault() {
    ChannelsConfig channels =
        SwitchboardConfig.fromJson(
                new JsonObject(
                    "{\"channels\":{\"namespaces\":{\"room\":{\"authorizer\":\"rooms\"},"
                        + "\"chat\":{\"authorizer\":\"chat-guard\"}}}}"))
            .channels();

    assertThat(channels.namespace("room:a").authorizer()).isEqualTo("rooms");
    assertThat(channels.namespace("room:a").join()).isEqualTo(AccessRule.AUTHENTICATED);
    assertThat(channels.namespace("chat:a").authorizer()).isEqualTo("chat-guard");
    assertThat(channels.namespace("chat:a").publish()).isEqualTo(AccessRule.SUBSCRIBERS);
    assertThat(SwitchboardConfig.defaults().channels().namespaces().values())
        .allSatisfy(namespace -> assertThat(namespace.hasAuthorizer()).isFalse());
  }

  @Test
  void aNamespaceAsksForPresenceNoticesAndNoneDoesByDefault() {
    ChannelsConfig channels =
        SwitchboardConfig.fromJson(
                new JsonObject(
                    "{\"channels\":{\"namespaces\":{\"room\":{\"presenceNotices\":true},"
                        + "\"chat\":{\"presenceNotices\":true}}}}"))
            .channels();

    assertThat(channels.namespace("room:a").presenceNotices()).isTrue();
    assertThat(channels.namespace("room:a").join()).isEqualTo(AccessRule.AUTHENTICATED);
    assertThat(channels.namespace("chat:a").presenceNotices()).isTrue();
    assertThat(channels.namespace("chat:a").publish()).isEqualTo(AccessRule.SUBSCRIBERS);
    assertThat(channels.namespace("plain").presenceNotices()).isFalse();
    assertThat(SwitchboardConfig.defaults().channels().namespaces().values())
        .allSatisfy(namespace -> assertThat(namespace.presenceNotices()).isFalse());
    assertThat(
            SwitchboardConfig.fromJson(
                    new JsonObject(
                        "{\"channels\":{\"namespaces\":{\"room\":{\"presenceNotices\":true}}}}"))
                .toJson()
                .getJsonObject("channels")
                .getJsonObject("namespaces")
                .getJsonObject("room"))
        .isEqualTo(
            new JsonObject()
                .put("join", "authenticated")
                .put("publish", "nobody")
                .put("presenceNotices", true));
  }

  @ParameterizedTest
  @CsvSource({
    "https://app.example,https://app.example",
    "HTTPS://App.Example:443,https://app.example",
    "http://localhost:3000,http://localhost:3000",
    "http://127.0.0.1:80,http://127.0.0.1",
  })
  void originsAreComparedInTheirCanonicalForm(String configured, String canonical) {
    assertThat(Origins.normalize(configured)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"null", "file://", "https://a.example/", "https://u@a.example", "ws://a.example"})
  void whatIsNotAnOriginIsRefused(String value) {
    assertThat(Origins.normalize(value)).isNull();
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
        "{\"ws\":{\"prot\":1}}|unknown configuration key ws.prot; ws accepts allowedOrigins, coalesceMaxDelayUs, compression, flushPolicy, host, instances, maxFrameBytes, maxMessageBytes, maxWriteQueueBytes, path, port, subprotocols, tlsCertFile, tlsKeyFile, tlsKeyStore, tlsKeyStorePassword",
        "{\"ws\":{\"flushPolicy\":\"batch\"}}|ws.flushPolicy must be per-message or coalesce, was batch",
        "{\"ws\":{\"coalesceMaxDelayUs\":0}}|ws.coalesceMaxDelayUs must be > 0, was 0",
        "{\"ws\":{\"subprotocols\":[\"a b\"]}}|ws.subprotocols must be a list of subprotocol names (HTTP tokens), was [\"a b\"]",
        "{\"auth\":{\"jwtSecret\":\"short\"}}|auth.jwtSecret must be at least 32 bytes (256 bits) for HS256, was a secret of 5 bytes",
        "{\"auth\":{\"algorithms\":[\"none\"]}}|auth.algorithms must be a list of [HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512] (never none), was [\"none\"]",
        "{\"auth\":{\"algorithms\":[]}}|auth.algorithms must be a non-empty list of [HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512], was []",
        "{\"auth\":{\"algorithms\":\"HS256\"}}|auth.algorithms must be a JSON array of strings, was HS256",
        "{\"auth\":{\"clockSkewSeconds\":301}}|auth.clockSkewSeconds must be between 0 and 300, was 301",
        "{\"auth\":{\"organizationClaim\":\" \"}}|auth.organizationClaim must be a claim name, was \"\"",
        "{\"auth\":{\"jwtKeyFiles\":[\"\"]}}|auth.jwtKeyFiles must be a JSON array of non-empty strings, was [\"\"]",
        "{\"ws\":{\"host\":\"0.0.0.0\"}}|auth.queryIdentity must be false when ws.host is not a loopback address, was true with ws.host 0.0.0.0: any client could claim any identity. Configure a JWT key (auth.jwtSecret, auth.jwtKeyFiles or auth.jwksFile), or set auth.queryIdentity to false and auth.anonymous to true to accept connections without identity, or bind ws.host to 127.0.0.1",
        "{\"auth\":{\"queryIdentity\":false}}|auth.anonymous must be true when no JWT key is configured and auth.queryIdentity is false, was false: no client could connect. Configure auth.jwtSecret, auth.jwtKeyFiles or auth.jwksFile",
        "{\"limits\":{\"maxConnections\":0}}|limits.maxConnections must be between 1 and 1000000, was 0",
        "{\"limits\":{\"messageRate\":-1}}|limits.messageRate must be between 0 and 1000000, was -1",
        "{\"admin\":{\"maxStreams\":0}}|admin.maxStreams must be between 1 and 1000, was 0",
        "{\"admin\":{\"maxStreams\":1001}}|admin.maxStreams must be between 1 and 1000, was 1001",
        "{\"limits\":{\"handshakeTimeoutMs\":0}}|limits.handshakeTimeoutMs must be > 0, was 0",
        "{\"limits\":{\"maxChanels\":1}}|unknown configuration key limits.maxChanels; limits accepts firstFrameTimeoutMs, handshakeTimeoutMs, maxChannelsPerConnection, maxConnections, maxConnectionsPerIp, maxConnectionsPerUser, maxPendingHandshakes, maxPendingHandshakesPerIp, maxPendingRequests, messageBurst, messageRate",
        "{\"channels\":{\"publishRequiresJoin\":true}}|unknown configuration key channels.publishRequiresJoin; channels accepts maxDedupEntries, maxDedupEntriesPerSession, maxHistoryBytes, maxHistoryLimit, maxStreams, namespaces, publishDedupWindowMs",
        "{\"channels\":{\"namespaces\":{\"chat\":{\"join\":\"everyone\"}}}}|channels.namespaces.chat.join must be one of anyone, authenticated, owner, members, subscribers, granted, nobody, was \"everyone\"",
        "{\"channels\":{\"namespaces\":{\"chat\":{\"jion\":\"anyone\"}}}}|unknown configuration key channels.namespaces.chat.jion; channels.namespaces.chat accepts authorizer, historySize, historyTtlMs, join, presenceNotices, publish",
        "{\"channels\":{\"namespaces\":{\"room\":{\"presenceNotices\":\"yes\"}}}}|channels.namespaces.room.presenceNotices must be true or false, was \"yes\"",
        "{\"channels\":{\"namespaces\":{\"room\":{\"authorizer\":\"Rooms\"}}}}|channels.namespaces.room.authorizer must be the name of a plugin (1 to 63 lower-case letters, digits and dashes) or \"\" for none, was \"Rooms\"",
        "{\"channels\":{\"namespaces\":{\"room\":{\"authorizer\":7}}}}|channels.namespaces.room.authorizer must be a string, was 7",
        "{\"channels\":{\"namespaces\":{\"chat\":{\"join\":\"subscribers\"}}}}|channels.namespaces.chat.join must be one of anyone, authenticated, owner, members, granted, nobody (subscribers applies to publish only), was subscribers",
        "{\"channels\":{\"namespaces\":{\"\":{\"join\":\"owner\"}}}}|channels.namespaces.\"\".join must be a rule that needs no id: the channels of namespace '' are not named after a user or an organisation, was owner",
        "{\"channels\":{\"namespaces\":{\"$\":{\"publish\":\"anyone\"}}}}|channels.namespaces.$.publish must be nobody: the server's $ channels are read-only, was anyone",
        "{\"channels\":{\"namespaces\":{\"a b\":{}}}}|channels.namespaces must be keyed by \"\", \"$\" or a prefix of at most 64 characters of A-Z a-z 0-9 _ - ., was a namespace 'a b'",
        "{\"channels\":{\"namespaces\":{\"chat\":true}}}|channels.namespaces.chat must be a JSON object, was true",
        "{\"channels\":{\"namespaces\":{\"chat\":{\"historySize\":-1}}}}|channels.namespaces.chat.historySize must be between 0 and 100000, was -1",
        "{\"channels\":{\"namespaces\":{\"chat\":{\"historySize\":100001}}}}|channels.namespaces.chat.historySize must be between 0 and 100000, was 100001",
        "{\"channels\":{\"namespaces\":{\"chat\":{\"historySize\":\"10\"}}}}|channels.namespaces.chat.historySize must be a whole number, was \"10\"",
        "{\"channels\":{\"namespaces\":{\"chat\":{\"historyTtlMs\":0}}}}|channels.namespaces.chat.historyTtlMs must be > 0, was 0",
        "{\"channels\":{\"namespaces\":{\"$\":{\"historySize\":5}}}}|channels.namespaces.$.historySize must be 0: the server's $ channels have no stream of messages to keep, was 5",
        "{\"channels\":{\"maxStreams\":0}}|channels.maxStreams must be between 1 and 100000000, was 0",
        "{\"channels\":{\"maxHistoryBytes\":1000}}|channels.maxHistoryBytes must be between 1024 and 2147483647, was 1000",
        "{\"channels\":{\"maxHistoryLimit\":10001}}|channels.maxHistoryLimit must be between 1 and 10000, was 10001",
        "{\"ws\":{\"allowedOrigins\":[\"https://app.example/path\"]}}|ws.allowedOrigins must be a list of origins scheme://host[:port] (http or https, no path), was \"https://app.example/path\"",
        "{\"ws\":{\"allowedOrigins\":[\"null\"]}}|ws.allowedOrigins must be a list of origins scheme://host[:port] (http or https, no path), was \"null\"",
        "{\"websocket\":{}}|unknown configuration section websocket; the sections are ws, auth, limits, admin, heartbeat, telemetry, channels, routing, shutdown, metrics, plugins, vertx, cluster, bridge",
        "{\"plugins\":{\"settings\":{\"chat\":true}}}|plugins.settings.chat must be a JSON object, was true",
        "{\"plugins\":{\"settings\":{\"chat\":{\"enabld\":false}}}}|unknown configuration key plugins.settings.chat.enabld; plugins.settings.chat accepts config, enabled, timeoutMs",
        "{\"plugins\":{\"settings\":{\"chat\":{\"timeoutMs\":-1}}}}|plugins.settings.chat.timeoutMs must be >= 0, was -1",
        "{\"plugins\":{\"verticles\":[{\"instances\":2}]}}|plugins.verticles[0].class must be a class name, was \"\"",
        "{\"plugins\":{\"verticles\":[{\"class\":\"a.B\",\"instances\":0}]}}|plugins.verticles[0].instances must be between 1 and 1024, was 0",
        "{\"plugins\":{\"verticles\":{}}}|plugins.verticles must be a JSON array, was {}",
        "{\"ws\":[]}|ws must be a JSON object, was []",
        "{\"ws\":{\"port\":9000},\"admin\":{\"port\":9000}}|admin.port must differ from ws.port, both were 9000",
        "{\"cluster\":{\"enabled\":\"yes\"}}|cluster.enabled must be true or false, was \"yes\"",
        "{\"cluster\":{\"port\":70000}}|cluster.port must be between 0 and 65535, was 70000",
        "{\"cluster\":{\"members\":[\"\"]}}|cluster.members must be a JSON array of non-empty strings, was [\"\"]",
        "{\"cluster\":{\"host\":\" \"}}|cluster.host must be a host name or address, was \" \"",
        "{\"cluster\":{\"answerTimeoutMs\":0}}|cluster.answerTimeoutMs must be > 0, was 0",
        "{\"cluster\":{\"memebrs\":[]}}|unknown configuration key cluster.memebrs; cluster accepts allowPlaintext, answerTimeoutMs, configFile, enabled, eventBusPort, historyQuorum, host, members, port, tlsCaFile, tlsCertFile, tlsKeyFile, tlsKeyStore, tlsKeyStorePassword, tlsTrustStore, tlsTrustStorePassword",
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

  @Test
  void keyStorePasswordsAreMaskedInTheLoggedConfiguration(@TempDir Path dir) throws Exception {
    Path store = Files.writeString(dir.resolve("server.p12"), "read only at start-up");
    JsonObject tls =
        new JsonObject()
            .put("tlsKeyStore", store.toString())
            .put("tlsKeyStorePassword", "p4ssw0rd-not-for-logs");

    SwitchboardConfig config =
        SwitchboardConfig.fromJson(new JsonObject().put("ws", tls).put("admin", tls.copy()));

    assertThat(config.ws().tls().keyStorePassword()).isEqualTo("p4ssw0rd-not-for-logs");
    assertThat(config.toLoggableJson().encode()).doesNotContain("p4ssw0rd-not-for-logs");
    assertThat(config.toLoggableJson().getJsonObject("ws").getString("tlsKeyStorePassword"))
        .isEqualTo("****");
    assertThat(config.toLoggableJson().getJsonObject("admin").getString("tlsKeyStorePassword"))
        .isEqualTo("****");
    assertThat(config.toJson().getJsonObject("ws").getString("tlsKeyStore"))
        .isEqualTo(store.toString());
  }

  @Test
  void theKeyStoreTypeIsToldFromTheFile(@TempDir Path dir) throws Exception {
    Path jks =
        Files.write(
            dir.resolve("a.store"),
            new byte[] {(byte) 0xFE, (byte) 0xED, (byte) 0xFE, (byte) 0xED, 0});
    Path other = Files.write(dir.resolve("b.store"), new byte[] {0x30, (byte) 0x82, 1, 2});
    Function<Path, String> typeOf =
        file ->
            SwitchboardConfig.fromJson(
                    new JsonObject()
                        .put(
                            "ws",
                            new JsonObject()
                                .put("tlsKeyStore", file.toString())
                                .put("tlsKeyStorePassword", "x")))
                .ws()
                .tls()
                .keyStoreType();

    assertThat(typeOf.apply(jks)).isEqualTo("JKS");
    assertThat(typeOf.apply(other)).isEqualTo("PKCS12");
  }

  @ParameterizedTest
  @CsvSource({
    "ws,port,SWITCHBOARD_WS_PORT,switchboard.ws.port",
    "ws,maxFrameBytes,SWITCHBOARD_WS_MAX_FRAME_BYTES,switchboard.ws.maxFrameBytes",
    "heartbeat,intervalMs,SWITCHBOARD_HEARTBEAT_INTERVAL_MS,switchboard.heartbeat.intervalMs",
    "vertx,eventLoopPoolSize,SWITCHBOARD_VERTX_EVENT_LOOP_POOL_SIZE,switchboard.vertx.eventLoopPoolSize",
    "cluster,enabled,SWITCHBOARD_CLUSTER_ENABLED,switchboard.cluster.enabled",
    "cluster,configFile,SWITCHBOARD_CLUSTER_CONFIG_FILE,switchboard.cluster.configFile",
  })
  void overrideNamesFollowTheKey(String section, String key, String env, String sys) {
    assertThat(ConfigLoader.envName(section, key)).isEqualTo(env);
    assertThat(ConfigLoader.sysName(section, key)).isEqualTo(sys);
  }

  @Test
  void clusteringIsOffByDefaultAndTurnsOnByEnvironmentOrSystemProperty() {
    JsonObject base = ConfigLoader.embeddedDefaults();

    assertThat(SwitchboardConfig.fromJson(base).cluster().enabled()).isFalse();
    assertThat(
            SwitchboardConfig.fromJson(
                    ConfigLoader.applyOverrides(
                        base, new JsonObject().put("SWITCHBOARD_CLUSTER_ENABLED", "true")))
                .cluster()
                .enabled())
        .isTrue();
    SwitchboardConfig bySystemProperty =
        SwitchboardConfig.fromJson(
            ConfigLoader.applyOverrides(
                base,
                new JsonObject()
                    .put("switchboard.cluster.enabled", "true")
                    .put("switchboard.cluster.members", "[\"127.0.0.1:6001\"]")
                    .put("switchboard.cluster.port", "6001")));
    assertThat(bySystemProperty.cluster().enabled()).isTrue();
    assertThat(bySystemProperty.cluster().members()).containsExactly("127.0.0.1:6001");
    assertThat(bySystemProperty.cluster().port()).isEqualTo(6001);
    assertThat(SwitchboardConfig.defaults().clustered().cluster().enabled()).isTrue();
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
        "SWITCHBOARD_WS_PROT|1|unknown configuration override SWITCHBOARD_WS_PROT; ws accepts host, port, path, instances, maxFrameBytes, maxMessageBytes, compression, maxWriteQueueBytes, subprotocols, flushPolicy, coalesceMaxDelayUs, allowedOrigins, tlsCertFile, tlsKeyFile, tlsKeyStore, tlsKeyStorePassword",
        "switchboard.admin.tokn|x|unknown configuration override switchboard.admin.tokn; admin accepts enabled, host, port, token, maxStreams, tlsCertFile, tlsKeyFile, tlsKeyStore, tlsKeyStorePassword",
        "SWITCHBOARD_FOO_BAR|1|unknown configuration override SWITCHBOARD_FOO_BAR; an environment variable override is SWITCHBOARD_<SECTION>_<KEY> with a section of ws, auth, limits, admin, heartbeat, telemetry, channels, routing, shutdown, metrics, plugins, vertx, cluster, bridge; the other SWITCHBOARD_ variables allowed are SWITCHBOARD_CONF, SWITCHBOARD_LOG_LEVEL, SWITCHBOARD_TEST_LOG_LEVEL, SWITCHBOARD_TOKEN",
        "SWITCHBOARD_CLUSTR_ENABLED|true|unknown configuration override SWITCHBOARD_CLUSTR_ENABLED; an environment variable override is SWITCHBOARD_<SECTION>_<KEY> with a section of ws, auth, limits, admin, heartbeat, telemetry, channels, routing, shutdown, metrics, plugins, vertx, cluster, bridge; the other SWITCHBOARD_ variables allowed are SWITCHBOARD_CONF, SWITCHBOARD_LOG_LEVEL, SWITCHBOARD_TEST_LOG_LEVEL, SWITCHBOARD_TOKEN",
        "SWITCHBOARD_|1|unknown configuration override SWITCHBOARD_; an environment variable override is SWITCHBOARD_<SECTION>_<KEY> with a section of ws, auth, limits, admin, heartbeat, telemetry, channels, routing, shutdown, metrics, plugins, vertx, cluster, bridge; the other SWITCHBOARD_ variables allowed are SWITCHBOARD_CONF, SWITCHBOARD_LOG_LEVEL, SWITCHBOARD_TEST_LOG_LEVEL, SWITCHBOARD_TOKEN",
        "SWITCHBOARD_METRICS|true|unknown configuration override SWITCHBOARD_METRICS; metrics accepts enabled, jvm",
        "switchboard.clustr.enabled|true|unknown configuration override switchboard.clustr.enabled; a system property override is switchboard.<section>.<key> with a section of ws, auth, limits, admin, heartbeat, telemetry, channels, routing, shutdown, metrics, plugins, vertx, cluster, bridge",
        "switchboard.WS.port|1|unknown configuration override switchboard.WS.port; a system property override is switchboard.<section>.<key> with a section of ws, auth, limits, admin, heartbeat, telemetry, channels, routing, shutdown, metrics, plugins, vertx, cluster, bridge",
        "switchboard.metrics.|true|unknown configuration override switchboard.metrics.; metrics accepts enabled, jvm",
      })
  void aBadOverrideIsRefused(String name, String value, String message) {
    JsonObject flat = new JsonObject().put(name, value);

    assertThatThrownBy(() -> ConfigLoader.applyOverrides(ConfigLoader.embeddedDefaults(), flat))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void variablesAndPropertiesThatAreNotOverridesAreLetThrough() {
    JsonObject flat = new JsonObject().put("PATH", "/usr/bin").put("SWITCHBOARDX", "1");
    for (String other : ConfigLoader.OTHER_VARIABLES) {
      flat.put(other, "set");
    }
    // No dot after the prefix: a build's own properties, such as the tests' switchboard.fatJar.
    flat.put("switchboard.fatJar", "target/switchboard.jar").put("switchboard.version", "1.0");

    JsonObject merged = ConfigLoader.applyOverrides(ConfigLoader.embeddedDefaults(), flat);

    assertThat(merged).isEqualTo(ConfigLoader.embeddedDefaults());
    assertThat(ConfigLoader.OTHER_VARIABLES)
        .containsExactly(
            "SWITCHBOARD_CONF",
            "SWITCHBOARD_LOG_LEVEL",
            "SWITCHBOARD_TEST_LOG_LEVEL",
            "SWITCHBOARD_TOKEN");
  }

  @Test
  void anUnknownSectionInTheFileStopsTheLoader(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("switchboard.json");
    Files.writeString(file, "{\"ws\":{\"port\":7000},\"clustr\":{\"enabled\":true}}");

    Throwable failure = Await.failure(ConfigLoader.load(vertx, file));

    assertThat(failure)
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "unknown configuration section clustr; the sections are ws, auth, limits, admin,"
                + " heartbeat, telemetry, channels, routing, shutdown, metrics, plugins, vertx, cluster, bridge");
  }

  @Test
  void anUnknownSectionInASystemPropertyStopsTheLoader() {
    System.setProperty("switchboard.clustr.enabled", "true");

    Throwable failure = Await.failure(ConfigLoader.load(vertx, null));

    assertThat(failure)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("unknown configuration override switchboard.clustr.enabled;");
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
