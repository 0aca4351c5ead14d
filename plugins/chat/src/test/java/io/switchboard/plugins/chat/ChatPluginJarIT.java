package io.switchboard.plugins.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerProcess;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat plugin as users install it: its jar, built by Maven, dropped into the plugins folder of
 * the fat jar running as a separate process.
 */
class ChatPluginJarIT {

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
  void withTheJarInThePluginsFolderChatMessagesWork() throws Exception {
    Path pluginJar = Path.of(System.getProperty("plugin.jar"));
    Path plugins = Files.createDirectories(workDir.resolve("plugins"));
    Files.copy(pluginJar, plugins.resolve(pluginJar.getFileName()));
    server =
        ServerProcess.start(workDir, new ServerProcess.Options().onFreeLoopbackPorts())
            .awaitStarted();
    WsClient alice =
        WsClient.connect(vertx.createWebSocketClient(), server.wsPort(), "/ws?userId=alice", null);
    WsClient bob = WsClient.connect(vertx.createWebSocketClient(), server.wsPort());
    alice.request(new JsonObject().put("type", "join").put("channel", "chat:general"));
    bob.request(new JsonObject().put("type", "join").put("channel", "chat:general"));

    alice.send(
        new JsonObject()
            .put("type", "CHAT_MESSAGE")
            .put("channel", "chat:general")
            .put("id", "c1")
            .put("data", new JsonObject().put("text", "Hello everyone!")));

    JsonObject message = bob.next("message");
    assertThat(message.getString("event")).isEqualTo("CHAT_MESSAGE");
    assertThat(message.getJsonObject("data").getString("text")).isEqualTo("Hello everyone!");
    assertThat(message.getJsonObject("data").getString("userId")).isEqualTo("alice");
    assertThat(message.getJsonObject("data").getString("senderId")).isEqualTo(alice.connectionId());
    JsonObject listed =
        Await.result(
                WebClient.create(vertx).get(server.adminPort(), "127.0.0.1", "/api/plugins").send())
            .bodyAsJsonObject()
            .getJsonArray("plugins")
            .getJsonObject(0);
    assertThat(listed.getString("name")).isEqualTo("chat");
    assertThat(listed.getString("jar")).isEqualTo(pluginJar.getFileName().toString());
    assertThat(listed.getString("version")).isEqualTo("0.1.0-SNAPSHOT");
  }

  @Test
  void withoutTheJarTheSameFrameIsAnUnknownType() {
    server =
        ServerProcess.start(workDir, new ServerProcess.Options().onFreeLoopbackPorts())
            .awaitStarted();
    WsClient alice = WsClient.connect(vertx.createWebSocketClient(), server.wsPort());
    alice.request(new JsonObject().put("type", "join").put("channel", "chat:general"));

    JsonObject error =
        alice.request(
            new JsonObject()
                .put("type", "CHAT_MESSAGE")
                .put("channel", "chat:general")
                .put("data", new JsonObject().put("text", "Hello everyone!")));

    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("unknown_type");
  }
}
