package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.PluginJars;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding plugins: conflicts stop start-up, jars load from a folder, verticles deploy in order. */
class PluginLoadingIT {

  @TempDir Path dir;
  private Vertx clientVertx;
  private WebSocketClient client;

  @BeforeEach
  void createClient() {
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient();
  }

  @AfterEach
  void closeClient() {
    Await.result(clientVertx.close());
  }

  @Test
  void twoPluginsClaimingOneTypeStopStartUpNamingBoth() {
    Throwable failure =
        startFailure(
            new JsonObject(),
            TestPlugins.of("first", Set.of("SHARED"), c -> c.ack()),
            TestPlugins.of("second", Set.of("SHARED", "OTHER"), c -> c.ack()));

    assertThat(failure)
        .hasMessage(
            "message type 'SHARED' is claimed by plugin 'first' (embedded) and plugin 'second'"
                + " (embedded)");
  }

  @Test
  void aPluginClaimingABuiltInTypeOrAliasStopsStartUp() {
    Throwable failure =
        startFailure(
            new JsonObject(), TestPlugins.of("sneaky", Set.of("JOIN_CHANNEL"), c -> c.ack()));

    assertThat(failure)
        .hasMessage(
            "plugin 'sneaky' (embedded) claims the built-in message type 'JOIN_CHANNEL' (built in"
                + " as 'join')");
  }

  @Test
  void twoPluginsWithOneNameStopStartUp() {
    Throwable failure =
        startFailure(
            new JsonObject(),
            TestPlugins.of("twin", Set.of("A"), c -> c.ack()),
            TestPlugins.of("twin", Set.of("B"), c -> c.ack()));

    assertThat(failure).hasMessageStartingWith("two plugins are named 'twin': ");
  }

  @Test
  void anInvalidNameStopsStartUp() {
    Throwable failure =
        startFailure(new JsonObject(), TestPlugins.of("Bad Name", Set.of("A"), c -> c.ack()));

    assertThat(failure)
        .hasMessageEndingWith(
            "(embedded) has the name 'Bad Name'; a plugin name is 1 to 63 lower-case letters,"
                + " digits and dashes");
  }

  @Test
  void settingsForAPluginThatIsNotLoadedStopStartUp() {
    JsonObject config =
        new JsonObject()
            .put(
                "plugins",
                new JsonObject().put("settings", new JsonObject().put("chatt", new JsonObject())));

    Throwable failure = startFailure(config, TestPlugins.echo());

    assertThat(failure).hasMessage("plugins.settings.chatt names no loaded plugin; loaded: echo");
  }

  @Test
  void aPluginWhoseStartFailsStopsStartUp() {
    MessageTypePlugin broken =
        new MessageTypePlugin() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public Set<String> messageTypes() {
            return Set.of("X");
          }

          @Override
          public Future<Void> start(io.switchboard.plugin.PluginEnvironment environment) {
            return Future.failedFuture("no database");
          }

          @Override
          public Future<Void> handle(io.switchboard.plugin.PluginContext context) {
            return Future.succeededFuture();
          }
        };

    Throwable failure = startFailure(new JsonObject(), broken);

    assertThat(failure).hasMessage("plugin 'broken' (embedded) failed to start: no database");
  }

  @Test
  void aNamespaceNamingAnAuthorizerThatIsNotLoadedStopsStartUpNamingBoth() {
    Throwable failure =
        startFailure(
            roomsAuthorizedBy("rooms"), TestPlugins.of("first", Set.of("A"), c -> c.ack()));

    assertThat(failure)
        .hasMessage(
            "channels.namespaces.room.authorizer names plugin 'rooms', which is not loaded;"
                + " loaded: first");
  }

  @Test
  void aNamespaceNamingAPluginThatIsNotAnAuthorizerStopsStartUpNamingBoth() {
    Throwable failure = startFailure(roomsAuthorizedBy("echo"), TestPlugins.echo());

    assertThat(failure)
        .hasMessageStartingWith(
            "channels.namespaces.room.authorizer names plugin 'echo' (embedded), which is not a"
                + " ChannelAuthorizer (io.switchboard.server.plugin.TestPlugins$");
  }

  @Test
  void aNamespaceNamingADisabledAuthorizerStopsStartUp() {
    JsonObject config =
        roomsAuthorizedBy("rooms")
            .put(
                "plugins",
                new JsonObject()
                    .put(
                        "settings",
                        new JsonObject().put("rooms", new JsonObject().put("enabled", false))));

    Throwable failure = startFailure(config, new TestPlugins.Rooms());

    assertThat(failure)
        .hasMessage(
            "channels.namespaces.room.authorizer names plugin 'rooms' (embedded), which is"
                + " disabled (plugins.settings.rooms.enabled: false)");
  }

  @Test
  void onlyAnAuthorizerMayOwnNoMessageType() {
    Throwable failure =
        startFailure(new JsonObject(), TestPlugins.of("idle", Set.of(), c -> c.ack()));

    assertThat(failure)
        .hasMessage(
            "plugin 'idle' (embedded) declares no message type; only a ChannelAuthorizer may own"
                + " none");
  }

  @Test
  void anAuthorizerListedInBothServicesFilesOfItsJarIsLoadedOnceAndDecides() throws Exception {
    String source =
        String.join(
            "\n",
            "package com.example.gate;",
            "import io.switchboard.plugin.*;",
            "import io.vertx.core.Future;",
            "public class Gate implements ChannelAuthorizer {",
            "  public String name() { return \"gate\"; }",
            "  public Future<AccessDecision> authorize(AccessRequest request) {",
            "    return Future.succeededFuture(request.channel().endsWith(\":in\")",
            "        ? AccessDecision.allow() : AccessDecision.refuse(\"only :in\"));",
            "  }",
            "}");
    Path classes = PluginJars.compile(dir, Map.of("com/example/gate/Gate.java", source));
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJars.jar(
        classes,
        "com.example.gate.Gate",
        plugins.resolve("gate.jar"),
        List.of(
            "io.switchboard.plugin.MessageTypePlugin", "io.switchboard.plugin.ChannelAuthorizer"));
    JsonObject config =
        roomsAuthorizedBy("gate")
            .put("plugins", new JsonObject().put("directory", plugins.toString()));
    TestServer server = TestServer.start(config);
    try {
      WsClient ws = WsClient.connect(client, server.wsPort());

      JsonObject allowed =
          ws.request(new JsonObject().put("type", "join").put("channel", "room:in"));
      JsonObject refused =
          ws.request(new JsonObject().put("type", "join").put("channel", "room:out"));

      assertThat(server.server().plugins().plugins())
          .extracting(LoadedPlugin::name)
          .containsExactly("gate");
      assertThat(allowed.getString("type")).isEqualTo("subscription_confirmed");
      assertThat(refused.getJsonObject("error").getString("message")).isEqualTo("only :in");
    } finally {
      server.close();
    }
  }

  private static JsonObject roomsAuthorizedBy(String plugin) {
    return new JsonObject()
        .put(
            "channels",
            new JsonObject()
                .put(
                    "namespaces",
                    new JsonObject()
                        .put(
                            "room",
                            new JsonObject().put("join", "anyone").put("authorizer", plugin))));
  }

  @Test
  void aJarInThePluginsFolderIsLoadedInItsOwnClassLoader() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path jar = buildShoutPluginJar(plugins.resolve("shout-plugin.jar"));
    JsonObject config =
        new JsonObject().put("plugins", new JsonObject().put("directory", plugins.toString()));
    TestServer withJar = TestServer.start(config);
    try {
      WsClient ws = WsClient.connect(client, withJar.wsPort());
      ws.request(new JsonObject().put("type", "join").put("channel", "loud"));

      ws.send(new JsonObject().put("type", "SHOUT").put("channel", "loud").put("data", "hello"));

      JsonObject message = ws.next("message");
      assertThat(message.getString("event")).isEqualTo("SHOUT");
      assertThat(message.getString("data")).isEqualTo("HELLO");
      LoadedPlugin loaded = withJar.server().plugins().plugins().get(0);
      assertThat(loaded.source()).isEqualTo(jar.getFileName().toString());
      assertThat(loaded.plugin().getClass().getClassLoader().getName())
          .isEqualTo("plugin:shout-plugin.jar");
    } finally {
      withJar.close();
    }

    TestServer withoutJar = TestServer.start();
    try {
      WsClient ws = WsClient.connect(client, withoutJar.wsPort());
      JsonObject error =
          ws.request(new JsonObject().put("type", "SHOUT").put("channel", "loud").put("data", "x"));
      assertThat(error.getJsonObject("error").getString("code")).isEqualTo("unknown_type");
    } finally {
      withoutJar.close();
    }
  }

  @Test
  void apiPluginsShowsTheFolderAsConfiguredAndJarsByFileNameOnly() throws Exception {
    // A relative folder, resolved against the working directory as for every embedded server:
    // the answer must name it as configured, never by its absolute path.
    String configured = "it-plugins-" + UUID.randomUUID();
    Path folder = Files.createDirectories(Path.of(configured).toAbsolutePath());
    try {
      buildShoutPluginJar(folder.resolve("shout-plugin.jar"));
      TestServer server =
          TestServer.start(
              new JsonObject().put("plugins", new JsonObject().put("directory", configured)));
      try {
        String body =
            Await.result(
                    WebClient.create(clientVertx)
                        .get(server.adminPort(), "127.0.0.1", "/api/plugins")
                        .send())
                .bodyAsString();

        JsonObject plugins = new JsonObject(body);
        assertThat(plugins.getString("directory")).isEqualTo(configured);
        assertThat(plugins.getJsonArray("plugins"))
            .extracting(p -> ((JsonObject) p).getString("jar"))
            .containsExactly("shout-plugin.jar");
        assertThat(body)
            .doesNotContain(folder.toString())
            .doesNotContain(Path.of("").toAbsolutePath().toString());
      } finally {
        server.close();
      }
    } finally {
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void apiPluginsShowsTheVersionOfTheManifestElseOfTheJarsMavenMetadata() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("versions"));
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "2.0.0");
    versionedPluginJar(
        plugins.resolve("maven-only.jar"), "MavenOnly", Map.of("com.example", "1.4.2"), null);
    versionedPluginJar(
        plugins.resolve("both.jar"), "Both", Map.of("com.example", "1.4.2"), manifest);
    versionedPluginJar(
        plugins.resolve("shaded.jar"),
        "Shaded",
        Map.of("org.acme", "9.9.9", "com.example", "3.1.0"),
        null);
    versionedPluginJar(plugins.resolve("none.jar"), "None", Map.of(), null);
    TestServer server =
        TestServer.start(
            new JsonObject().put("plugins", new JsonObject().put("directory", plugins.toString())));
    try {
      JsonArray listed =
          Await.result(
                  WebClient.create(clientVertx)
                      .get(server.adminPort(), "127.0.0.1", "/api/plugins")
                      .send())
              .bodyAsJsonObject()
              .getJsonArray("plugins");

      Map<String, String> versions = new java.util.TreeMap<>();
      listed.forEach(
          p ->
              versions.put(
                  ((JsonObject) p).getString("name"), ((JsonObject) p).getString("version")));
      assertThat(versions)
          .containsExactlyEntriesOf(
              new java.util.TreeMap<>(
                  Map.of(
                      "mavenonly",
                      "1.4.2",
                      "both",
                      "2.0.0",
                      "shaded",
                      "3.1.0",
                      "none",
                      "unknown")));
    } finally {
      server.close();
    }
  }

  /**
   * A plugin jar of {@code com.example.<className>} (named and typed after it, lower and upper
   * case), with one {@code pom.properties} per group given (artifact {@code <group>-artifact}).
   */
  private void versionedPluginJar(
      Path jar, String className, Map<String, String> versionByGroup, Manifest manifest)
      throws IOException {
    String source =
        String.join(
            "\n",
            "package com.example;",
            "import io.switchboard.plugin.*;",
            "import io.vertx.core.Future;",
            "import java.util.Set;",
            "public class " + className + " implements MessageTypePlugin {",
            "  public String name() { return \"" + className.toLowerCase() + "\"; }",
            "  public Set<String> messageTypes() { return Set.of(\""
                + className.toUpperCase()
                + "\"); }",
            "  public Future<Void> handle(PluginContext context) { return context.ack(); }",
            "}");
    Path classes =
        PluginJars.compile(
            dir.resolve(className), Map.of("com/example/" + className + ".java", source));
    Map<String, String> files = new java.util.HashMap<>();
    versionByGroup.forEach(
        (group, version) ->
            files.put(
                "META-INF/maven/" + group + "/" + group + "-artifact/pom.properties",
                "groupId="
                    + group
                    + "\nartifactId="
                    + group
                    + "-artifact\nversion="
                    + version
                    + "\n"));
    PluginJars.jar(
        classes,
        "com.example." + className,
        jar,
        List.of("io.switchboard.plugin.MessageTypePlugin"),
        files,
        manifest);
  }

  @Test
  void pluginVerticlesDeployAfterTheCoreAndStopBeforeIt() {
    JsonObject config =
        withVerticles(
            new JsonObject()
                .put("class", OrderProbeVerticle.class.getName())
                .put("config", new JsonObject().put("greeting", "hello")));
    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    TestServer server = TestServer.start(config);
    // Listening only now, the test sees the probe's stop report (its start is covered below).
    MessageConsumer<JsonObject> consumer =
        server.vertx().eventBus().consumer(OrderProbeVerticle.REPORTS, m -> reports.add(m.body()));
    Await.result(consumer.completion());
    WsClient connected = WsClient.connect(client, server.wsPort());
    Await.until(
        "routing has registered the client",
        () ->
            Await.result(
                        server
                            .vertx()
                            .eventBus()
                            .<JsonObject>request(
                                io.switchboard.server.bus.InternalAddresses.ROUTING_QUERY,
                                new JsonObject().put("query", "stats")))
                    .body()
                    .getInteger("connections")
                == 1);

    JsonObject listed =
        server
            .server()
            .plugins()
            .describe(server.server().metrics(), server.server().config().plugins().verticles());
    server.close();

    assertThat(listed.getJsonArray("verticles").getJsonObject(0).getString("deploymentId"))
        .isNotBlank();
    assertThat(connected.next("server_shutdown").getJsonObject("data").getString("reason"))
        .isEqualTo("server shutting down");
    assertThat(reports).hasSize(1);
    JsonObject atStop = reports.get(0);
    assertThat(atStop.getString("phase")).isEqualTo("stop");
    assertThat(atStop.getString("greeting")).isEqualTo("hello");
    assertThat(atStop.getInteger("instances"))
        .as("connection instances still up at stop")
        .isEqualTo(2);
    assertThat(atStop.getInteger("connections")).as("clients still connected at stop").isEqualTo(1);
  }

  @Test
  void aPluginVerticleThatStartsSeesTheCoreRunning() {
    JsonObject config =
        withVerticles(new JsonObject().put("class", StartProbeVerticle.class.getName()));

    TestServer server = TestServer.start(config);
    try {
      assertThat(StartProbeVerticle.SEEN.get()).isEqualTo("instances=2");
    } finally {
      server.close();
    }
  }

  @Test
  void aMissingOrWrongVerticleClassStopsStartUpNamingTheEntry() {
    JsonObject missing = withVerticles(new JsonObject().put("class", "com.example.Nope"));
    JsonObject notAVerticle = withVerticles(new JsonObject().put("class", String.class.getName()));

    assertThat(startFailure(missing))
        .hasMessage(
            "plugins.verticles[0].class com.example.Nope was not found in the class path or the plugin jars");
    assertThat(startFailure(notAVerticle))
        .hasMessage(
            "plugins.verticles[0].class java.lang.String is not a Vert.x verticle (Deployable)");
  }

  private static JsonObject withVerticles(JsonObject verticle) {
    return new JsonObject()
        .put("plugins", new JsonObject().put("verticles", new JsonArray().add(verticle)));
  }

  private Throwable startFailure(JsonObject overrides, MessageTypePlugin... plugins) {
    JsonObject config =
        new JsonObject()
            .put("ws", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("admin", new JsonObject().put("port", 0))
            .put("plugins", new JsonObject().put("directory", dir.resolve("none").toString()));
    for (String section : overrides.fieldNames()) {
      config.put(
          section,
          config
              .getJsonObject(section, new JsonObject())
              .mergeIn(overrides.getJsonObject(section)));
    }
    return Await.failure(
        SwitchboardServer.start(SwitchboardConfig.fromJson(config), List.of(plugins)));
  }

  /** Compiles a plugin that is nowhere on the class path and packs it as a plugin jar. */
  private Path buildShoutPluginJar(Path jar) throws IOException {
    String source =
        String.join(
            "\n",
            "package com.example.shout;",
            "import io.switchboard.plugin.*;",
            "import io.vertx.core.Future;",
            "import java.util.Set;",
            "public class ShoutPlugin implements MessageTypePlugin {",
            "  public String name() { return \"shout\"; }",
            "  public Set<String> messageTypes() { return Set.of(\"SHOUT\"); }",
            "  public Future<Void> handle(PluginContext context) {",
            "    String text = String.valueOf(context.frame().data()).toUpperCase();",
            "    return context.publish(context.frame().channel(), text).mapEmpty();",
            "  }",
            "}");
    Path classes = PluginJars.compile(dir, Map.of("com/example/shout/ShoutPlugin.java", source));
    return PluginJars.jar(classes, "com.example.shout.ShoutPlugin", jar);
  }
}
