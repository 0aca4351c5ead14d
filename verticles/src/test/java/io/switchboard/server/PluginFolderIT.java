package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.PluginJars;
import io.switchboard.server.testing.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the plugins folder is, as the fat jar's launcher and an application embedding the server
 * jar each resolve a relative {@code plugins.directory}, and how start-up ends when the plugins
 * found there cannot run: exit code 2 when they conflict (the configuration is wrong), 1 when one's
 * own start fails. Each case is a JVM of its own, started from the fat jar.
 */
class PluginFolderIT {

  @TempDir Path workDir;
  @TempDir Path build;
  private ServerProcess server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theLauncherResolvesARelativeFolderAgainstTheFolderOfTheJar() throws Exception {
    String configured = "it-plugins-" + UUID.randomUUID();
    Path folder = Files.createDirectories(ServerProcess.fatJar().getParent().resolve(configured));
    try {
      pluginJar(folder.resolve("shout.jar"), "ShoutPlugin", "shout", "SHOUT", null);

      server =
          ServerProcess.start(
                  workDir,
                  new ServerProcess.Options()
                      .onFreeLoopbackPorts()
                      .env("SWITCHBOARD_PLUGINS_DIRECTORY", configured))
              .awaitStarted();

      assertThat(server.output())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("plugins loaded [folder: " + folder + ", plugins: [shout]"));
    } finally {
      delete(folder);
    }
  }

  @Test
  void anEmbeddingApplicationResolvesARelativeFolderAgainstItsWorkingDirectory() throws Exception {
    Path folder = Files.createDirectories(workDir.resolve("plugins"));
    pluginJar(folder.resolve("shout.jar"), "ShoutPlugin", "shout", "SHOUT", null);
    Path app =
        PluginJars.compile(
            build.resolve("app"),
            Map.of(
                "app/EmbeddingApp.java",
                String.join(
                    "\n",
                    "package app;",
                    "import io.switchboard.server.SwitchboardServer;",
                    "import io.switchboard.server.config.ConfigLoader;",
                    "import io.switchboard.server.config.SwitchboardConfig;",
                    "import io.vertx.core.Vertx;",
                    "public class EmbeddingApp {",
                    "  public static void main(String[] args) {",
                    "    Vertx bootstrap = Vertx.vertx();",
                    "    SwitchboardConfig config = ConfigLoader.load(bootstrap, null).await();",
                    "    bootstrap.close().await();",
                    "    SwitchboardServer.start(config).await();",
                    "  }",
                    "}")));

    // The server's classes come from switchboard.jar, whose folder holds no such plugin.
    server =
        ServerProcess.start(
                workDir,
                new ServerProcess.Options()
                    .onFreeLoopbackPorts()
                    .env("SWITCHBOARD_PLUGINS_DIRECTORY", "plugins")
                    .mainClass("app.EmbeddingApp", app))
            .awaitStarted();

    assertThat(server.output())
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "plugins loaded [folder: " + folder.toRealPath() + ", plugins: [shout]"));
  }

  @Test
  void pluginsClaimingOneTypeStopStartUpWithTheConfigurationExitCode() throws Exception {
    Path folder = Files.createDirectories(workDir.resolve("plugins"));
    pluginJar(folder.resolve("a-shout.jar"), "ShoutPlugin", "shout", "SHOUT", null);
    pluginJar(folder.resolve("b-loud.jar"), "LoudPlugin", "loud", "SHOUT", null);

    server = ServerProcess.start(workDir, new ServerProcess.Options().onFreeLoopbackPorts());

    assertThat(server.awaitExit()).isEqualTo(2);
    assertThat(server.output())
        .contains(
            "switchboard: configuration error: message type 'SHOUT' is claimed by plugin 'shout'"
                + " (a-shout.jar) and plugin 'loud' (b-loud.jar)");
  }

  @Test
  void settingsNamingNoLoadedPluginStopStartUpWithTheConfigurationExitCode() {
    server =
        ServerProcess.start(
            workDir,
            new ServerProcess.Options()
                .onFreeLoopbackPorts()
                .env("SWITCHBOARD_PLUGINS_SETTINGS", "{\"shuot\": {\"enabled\": true}}"));

    assertThat(server.awaitExit()).isEqualTo(2);
    assertThat(server.output())
        .contains(
            "switchboard: configuration error: plugins.settings.shuot names no loaded plugin;"
                + " loaded: none");
  }

  @Test
  void aPluginWhoseOwnStartFailsStopsStartUpWithExitCode1() throws Exception {
    Path folder = Files.createDirectories(workDir.resolve("plugins"));
    pluginJar(
        folder.resolve("broken.jar"),
        "BrokenPlugin",
        "broken",
        "BROKEN",
        "return Future.failedFuture(\"no database\");");

    server = ServerProcess.start(workDir, new ServerProcess.Options().onFreeLoopbackPorts());

    assertThat(server.awaitExit()).isEqualTo(1);
    assertThat(server.output())
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "switchboard failed to start: plugin 'broken' (broken.jar) failed to"
                            + " start: no database"));
  }

  /**
   * A plugin jar of one class {@code com.example.<className>} named {@code name}, owning {@code
   * type} and publishing what it gets; {@code start} runs {@code startBody} when given.
   */
  private void pluginJar(Path jar, String className, String name, String type, String startBody)
      throws IOException {
    String source =
        String.join(
            "\n",
            "package com.example;",
            "import io.switchboard.plugin.*;",
            "import io.vertx.core.Future;",
            "import java.util.Set;",
            "public class " + className + " implements MessageTypePlugin {",
            "  public String name() { return \"" + name + "\"; }",
            "  public Set<String> messageTypes() { return Set.of(\"" + type + "\"); }",
            startBody == null
                ? ""
                : "  public Future<Void> start(PluginEnvironment e) { " + startBody + " }",
            "  public Future<Void> handle(PluginContext context) {",
            "    return context.publish(context.frame().channel(), context.frame().data())",
            "        .mapEmpty();",
            "  }",
            "}");
    Path classes =
        PluginJars.compile(
            build.resolve(className + "-" + UUID.randomUUID()),
            Map.of("com/example/" + className + ".java", source));
    PluginJars.jar(classes, "com.example." + className, jar);
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
