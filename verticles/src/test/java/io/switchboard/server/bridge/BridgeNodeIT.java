package io.switchboard.server.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.ScriptProcess;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A service in another language: {@code src/test/node/bridge-client.js}, written against the
 * bridge's framing with Node's {@code net} module alone, run with {@code node} (Node.js 20 or later
 * on the PATH; the test fails saying so when it is not) against a real server with a bridge token.
 */
class BridgeNodeIT extends ServerTestBase {

  private static final String TOKEN = "node-bridge-token-0123456789";
  private static final Path SCRIPT = Path.of("src", "test", "node", "bridge-client.js");

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put("bridge", new JsonObject().put("enabled", true).put("port", 0).put("token", TOKEN));
  }

  @Test
  void aNodeClientSeesLifecycleEventsAndPublishesToAWebSocketClient() {
    assertThat(Files.isRegularFile(SCRIPT)).as("%s exists", SCRIPT.toAbsolutePath()).isTrue();
    String channel = channel("from-node");
    try (ScriptProcess node =
        ScriptProcess.start(
            "Node.js 20 or later",
            "node",
            SCRIPT.toString(),
            "127.0.0.1",
            String.valueOf(server.bridgePort()),
            channel,
            TOKEN)) {
      assertThat(new JsonObject(node.nextLine())).isEqualTo(new JsonObject().put("event", "ready"));

      WsClient client = connect();
      assertThat(new JsonObject(node.nextLine()))
          .isEqualTo(
              new JsonObject()
                  .put("event", "connected")
                  .put("connectionId", client.connectionId()));

      join(client, channel);
      assertThat(new JsonObject(node.nextLine()))
          .isEqualTo(
              new JsonObject().put("event", "joined").put("connectionId", client.connectionId()));
      JsonObject message = client.next("message");
      assertThat(message.getString("channel")).isEqualTo(channel);
      assertThat(message.getString("event")).isEqualTo("FROM_NODE");
      assertThat(message.getJsonObject("data").getString("runtime")).startsWith("v");
      assertThat(new JsonObject(node.nextLine()))
          .isEqualTo(
              new JsonObject()
                  .put("event", "reply")
                  .put("body", new JsonObject().put("success", true).put("delivered", 1)));
      assertThat(node.awaitExit()).as("exit code after %s", node.seen()).isZero();
    }
  }
}
