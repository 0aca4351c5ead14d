package io.switchboard.server.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.ScriptProcess;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Python example, taken from the README itself and run with {@code python3} against a
 * real server, so that what the README shows is what the bridge does. Only the port changes: the
 * README's {@code 7000} becomes the test server's.
 */
class BridgeReadmeIT extends ServerTestBase {

  private static final Pattern PYTHON = Pattern.compile("```python\n(.*?)```", Pattern.DOTALL);
  private static final String ADDRESS = "(\"127.0.0.1\", 7000)";

  @Override
  protected JsonObject config() {
    return new JsonObject().put("bridge", new JsonObject().put("enabled", true).put("port", 0));
  }

  @Test
  void theReadmesPythonExampleBroadcastsAndSeesTheNextConnection() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher snippet = PYTHON.matcher(readme.substring(readme.indexOf("## TCP event-bus bridge")));
    assertThat(snippet.find()).as("a python block in the README's bridge section").isTrue();
    assertThat(snippet.group(1)).contains(ADDRESS);
    String script =
        snippet.group(1).replace(ADDRESS, "(\"127.0.0.1\", " + server.bridgePort() + ")");
    WsClient reader = connect();
    join(reader, "news");

    try (ScriptProcess python = ScriptProcess.start("Python 3", "python3", "-u", "-c", script)) {
      assertThat(python.nextLine()).isEqualTo("{'success': True, 'delivered': 1}");
      JsonObject message = reader.next("message");
      assertThat(message.getString("channel")).isEqualTo("news");
      assertThat(message.getString("event")).isEqualTo("HELLO");
      assertThat(message.getJsonObject("data"))
          .isEqualTo(new JsonObject().put("text", "hi from Python"));

      WsClient next = connect();
      assertThat(python.nextLine()).isEqualTo(next.connectionId());
      assertThat(python.awaitExit()).as("exit code after %s", python.seen()).isZero();
    }
  }
}
