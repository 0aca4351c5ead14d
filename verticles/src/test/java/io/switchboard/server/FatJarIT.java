package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fat jar as a user runs it: a separate JVM, configured by file, environment and -D. */
class FatJarIT {

  private static final Pattern STARTED =
      Pattern.compile(
          "switchboard started \\[ws: ws://127\\.0\\.0\\.1:(\\d+)/ws, instances: \\d+, admin:"
              + " http://127\\.0\\.0\\.1:(\\d+)\\]");

  @TempDir Path workDir;
  private Vertx vertx;
  private Process process;
  private Path logFile;

  @BeforeEach
  void createVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Await.result(vertx.close());
  }

  @Test
  void theJarServesClientsAndShutsDownGracefullyOnSigterm() throws Exception {
    start(
        Map.of(
            "SWITCHBOARD_WS_HOST", "127.0.0.1",
            "SWITCHBOARD_WS_PORT", "0",
            "SWITCHBOARD_ADMIN_PORT", "0",
            "SWITCHBOARD_ADMIN_TOKEN", "jar-token"),
        "-Dswitchboard.shutdown.reconnectAfterMs=777");
    Matcher started = awaitLine(STARTED);
    int wsPort = Integer.parseInt(started.group(1));
    int adminPort = Integer.parseInt(started.group(2));
    WebSocketClient ws = vertx.createWebSocketClient();
    WebClient http = WebClient.create(vertx);
    WsClient client = WsClient.connect(ws, wsPort);
    client.request(new JsonObject().put("type", "join").put("channel", "jar"));

    HttpResponse<Buffer> broadcast =
        Await.result(
            http.post(adminPort, "127.0.0.1", "/v1/broadcast")
                .bearerTokenAuthentication("jar-token")
                .sendJsonObject(
                    new JsonObject()
                        .put("channel", "jar")
                        .put("type", "HELLO")
                        .put("data", "from REST")));
    JsonObject message = client.next("message");
    process.destroy(); // SIGTERM

    assertThat(broadcast.bodyAsJsonObject().getInteger("delivered")).isEqualTo(1);
    assertThat(message.getString("data")).isEqualTo("from REST");
    JsonObject notice = client.next("server_shutdown");
    assertThat(notice.getJsonObject("data").getLong("reconnectAfterMs")).isEqualTo(777L);
    assertThat(client.awaitClose()).isEqualTo((short) 1001);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the process exits").isTrue();
    assertThat(process.exitValue()).isEqualTo(143);
    assertThat(output())
        .anySatisfy(
            line -> assertThat(line).contains("configuration loaded [file: embedded defaults"))
        .anySatisfy(line -> assertThat(line).contains("\"token\":\"****\""))
        .anySatisfy(
            line -> assertThat(line).contains("switchboard stopped [connections closed: 1,"));
    assertThat(output()).noneSatisfy(line -> assertThat(line).contains("jar-token"));
  }

  @Test
  void aBadEnvironmentValueStopsStartUpNamingKeyValueAndRule() throws Exception {
    start(Map.of("SWITCHBOARD_HEARTBEAT_INTERVAL_MS", "-5"));

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output())
        .contains("switchboard: configuration error: heartbeat.intervalMs must be > 0, was -5");
  }

  @Test
  void aConfigurationFileIsReadAndAnUnknownKeyInItIsRefused() throws Exception {
    Path conf = workDir.resolve("bad.json");
    Files.writeString(conf, "{\"ws\": {\"prot\": 9000}}");

    start(Map.of(), "--conf", conf.toString());

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "switchboard: configuration error: unknown configuration key ws.prot;"));
  }

  private void start(Map<String, String> env, String... args) throws IOException {
    Path jar = Path.of(System.getProperty("switchboard.fatJar", "target/switchboard.jar"));
    assertThat(jar).as("the fat jar (built by mvn package)").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java));
    List<String> jvmArgs = List.of(args).stream().filter(a -> a.startsWith("-D")).toList();
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    command.addAll(List.of(args).stream().filter(a -> !a.startsWith("-D")).toList());
    // To a file, not a pipe: the JDK closes a pipe when the process exits, racing any reader.
    logFile = workDir.resolve("switchboard.out");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile());
    builder.environment().putAll(env);
    process = builder.start();
  }

  /** Every line the process has written so far. */
  private List<String> output() {
    try {
      return Files.exists(logFile)
          ? Files.readAllLines(logFile, StandardCharsets.UTF_8)
          : List.of();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Matcher awaitLine(Pattern pattern) {
    Matcher[] found = new Matcher[1];
    Await.until(
        "the line " + pattern + " in the output",
        java.time.Duration.ofSeconds(60),
        () -> {
          for (String line : output()) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
              found[0] = m;
              return true;
            }
          }
          if (!process.isAlive()) {
            throw new AssertionError("the process exited: " + output());
          }
          return false;
        });
    return found[0];
  }
}
