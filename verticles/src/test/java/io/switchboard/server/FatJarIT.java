package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerProcess;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fat jar as a user runs it: a separate JVM, configured by file, environment and -D. */
class FatJarIT {

  @TempDir Path workDir;
  private Vertx vertx;
  private ServerProcess server;

  @BeforeEach
  void createVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void cleanUp() {
    if (server != null) {
      server.close();
    }
    Await.result(vertx.close());
  }

  @Test
  void theJarServesClientsAndShutsDownGracefullyOnSigterm() {
    server =
        ServerProcess.start(
                workDir,
                new ServerProcess.Options()
                    .onFreeLoopbackPorts()
                    .env("SWITCHBOARD_ADMIN_TOKEN", "jar-token")
                    .jvmArg("-Dswitchboard.shutdown.reconnectAfterMs=777"))
            .awaitStarted();
    WebClient http = WebClient.create(vertx);
    WsClient client = WsClient.connect(vertx.createWebSocketClient(), server.wsPort());
    client.request(new JsonObject().put("type", "join").put("channel", "jar"));

    HttpResponse<Buffer> broadcast =
        Await.result(
            http.post(server.adminPort(), "127.0.0.1", "/v1/broadcast")
                .bearerTokenAuthentication("jar-token")
                .sendJsonObject(
                    new JsonObject()
                        .put("channel", "jar")
                        .put("type", "HELLO")
                        .put("data", "from REST")));
    JsonObject message = client.next("message");
    server.sigterm();

    assertThat(broadcast.bodyAsJsonObject().getInteger("delivered")).isEqualTo(1);
    assertThat(message.getString("data")).isEqualTo("from REST");
    JsonObject notice = client.next("server_shutdown");
    assertThat(notice.getJsonObject("data").getLong("reconnectAfterMs")).isEqualTo(777L);
    assertThat(client.awaitClose()).isEqualTo((short) 1001);
    assertThat(server.awaitExit()).isEqualTo(143);
    assertThat(server.output())
        .anySatisfy(
            line -> assertThat(line).contains("configuration loaded [file: embedded defaults"))
        .anySatisfy(line -> assertThat(line).contains("\"token\":\"****\""))
        .anySatisfy(
            line -> assertThat(line).contains("switchboard stopped [connections closed: 1,"));
    assertThat(server.output()).noneSatisfy(line -> assertThat(line).contains("jar-token"));
  }

  @Test
  void dashDashVersionPrintsTheVersionAndExitsAndHealthShowsTheSame() {
    String version = System.getProperty("switchboard.version");
    server = ServerProcess.start(workDir, new ServerProcess.Options().arg("--version"));

    assertThat(server.awaitExit()).isEqualTo(0);
    assertThat(server.output()).contains("switchboard " + version);
    assertThat(server.output()).noneSatisfy(line -> assertThat(line).contains("configuration"));

    server =
        ServerProcess.start(workDir, new ServerProcess.Options().onFreeLoopbackPorts())
            .awaitStarted();
    HttpResponse<Buffer> health =
        Await.result(
            WebClient.create(vertx).get(server.adminPort(), "127.0.0.1", "/health").send());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject().getString("version")).isEqualTo(version);
  }

  @Test
  void aBadEnvironmentValueStopsStartUpNamingKeyValueAndRule() {
    server =
        ServerProcess.start(
            workDir, new ServerProcess.Options().env("SWITCHBOARD_HEARTBEAT_INTERVAL_MS", "-5"));

    assertThat(server.awaitExit()).isEqualTo(2);
    assertThat(server.output())
        .contains("switchboard: configuration error: heartbeat.intervalMs must be > 0, was -5");
  }

  /**
   * Where epoll cannot load (here: Netty told not to load native code), {@code auto} starts on NIO
   * and says so, and an explicit {@code epoll} stops start-up with the reason.
   */
  @Test
  void withoutEpollAutoFallsBackToNioAndAnExplicitEpollIsAConfigurationError() {
    server =
        ServerProcess.start(
                workDir,
                new ServerProcess.Options()
                    .onFreeLoopbackPorts()
                    .jvmArg("-Dio.netty.transport.noNative=true"))
            .awaitStarted();
    assertThat(server.output())
        .anySatisfy(line -> assertThat(line).contains("vertx.transport auto: epoll cannot load"))
        .anySatisfy(line -> assertThat(line).contains("transport: nio"));
    WsClient client = WsClient.connect(vertx.createWebSocketClient(), server.wsPort());
    assertThat(client.request(new JsonObject().put("type", "ping").put("id", "p")).getString("id"))
        .isEqualTo("p");
    server.sigterm();
    assertThat(server.awaitExit()).isEqualTo(143);

    server =
        ServerProcess.start(
            workDir,
            new ServerProcess.Options()
                .jvmArg("-Dio.netty.transport.noNative=true")
                .env("SWITCHBOARD_VERTX_TRANSPORT", "epoll"));
    assertThat(server.awaitExit()).isEqualTo(2);
    assertThat(server.output())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "switchboard: configuration error: vertx.transport epoll cannot load")
                    .endsWith("; use auto or nio"));
  }

  @Test
  void anEnvironmentVariableNamingNoSectionStopsStartUpNamingIt() {
    server =
        ServerProcess.start(
            workDir, new ServerProcess.Options().env("SWITCHBOARD_CLUSTR_ENABLED", "true"));

    assertThat(server.awaitExit()).isEqualTo(2);
    assertThat(server.output())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "switchboard: configuration error: unknown configuration override"
                            + " SWITCHBOARD_CLUSTR_ENABLED; an environment variable override is"
                            + " SWITCHBOARD_<SECTION>_<KEY> with a section of ws, auth,"));
  }

  @Test
  void aSystemPropertyNamingNoSectionStopsStartUpNamingIt() {
    server =
        ServerProcess.start(
            workDir, new ServerProcess.Options().jvmArg("-Dswitchboard.clustr.enabled=true"));

    assertThat(server.awaitExit()).isEqualTo(2);
    assertThat(server.output())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "switchboard: configuration error: unknown configuration override"
                            + " switchboard.clustr.enabled; a system property override is"
                            + " switchboard.<section>.<key> with a section of ws, auth,"));
  }

  @Test
  void theVariablesThatAreNotOverridesStartNormally() {
    server =
        ServerProcess.start(
                workDir,
                new ServerProcess.Options()
                    .onFreeLoopbackPorts()
                    .env("SWITCHBOARD_LOG_LEVEL", "INFO")
                    .env("SWITCHBOARD_TOKEN", "a client's token"))
            .awaitStarted();

    assertThat(server.wsPort()).isPositive();
  }

  @Test
  void aPortInUseFailsStartUpAtOnceWithExitCode1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server =
          ServerProcess.start(
              workDir,
              new ServerProcess.Options()
                  .onFreeLoopbackPorts()
                  .env("SWITCHBOARD_WS_PORT", String.valueOf(taken.getLocalPort())));

      assertThat(server.awaitExit()).isEqualTo(1);
      assertThat(server.output())
          .anySatisfy(line -> assertThat(line).contains("switchboard failed to start"));
    }
  }

  @Test
  void aConfigurationFileIsReadAndAnUnknownKeyInItIsRefused() throws Exception {
    Path conf = workDir.resolve("bad.json");
    Files.writeString(conf, "{\"ws\": {\"prot\": 9000}}");

    server =
        ServerProcess.start(
            workDir, new ServerProcess.Options().arg("--conf").arg(conf.toString()));

    assertThat(server.awaitExit()).isEqualTo(2);
    assertThat(server.output())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "switchboard: configuration error: unknown configuration key ws.prot;"));
  }
}
