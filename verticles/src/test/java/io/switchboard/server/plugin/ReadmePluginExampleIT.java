package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.PluginJars;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Writing a plugin" example is real: its plugin class and TCK test compile, and the
 * jar made of its class and services file works in a server.
 */
class ReadmePluginExampleIT {

  private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void theReadmesPluginCompilesLoadsAndShouts() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section =
        readme.substring(
            readme.indexOf("## Writing a plugin"), readme.indexOf("### Plugin verticles"));
    List<String> java = new ArrayList<>();
    String services = null;
    Matcher block = BLOCK.matcher(section);
    while (block.find()) {
      if (block.group(1).equals("java")) {
        java.add(block.group(2));
      } else if (block.group(1).equals("text")) {
        services = block.group(2).trim();
      }
    }
    assertThat(java).as("the plugin and its TCK test").hasSize(2);
    assertThat(services).isEqualTo("com.example.shout.ShoutPlugin");
    Map<String, String> sources =
        Map.of(
            "com/example/shout/ShoutPlugin.java", java.get(0),
            "com/example/shout/ShoutPluginIT.java", java.get(1));

    Path classes = PluginJars.compile(dir, sources);

    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJars.jar(classes, services, plugins.resolve("shout-plugin-1.0.0.jar"));
    TestServer server =
        TestServer.start(
            new JsonObject().put("plugins", new JsonObject().put("directory", plugins.toString())));
    Vertx vertx = Vertx.vertx();
    try {
      WsClient client = WsClient.connect(vertx.createWebSocketClient(), server.wsPort());
      client.request(new JsonObject().put("type", "join").put("channel", "room"));

      client.send(
          new JsonObject()
              .put("type", "SHOUT")
              .put("channel", "room")
              .put("data", "hi")
              .put("id", "s"));

      JsonObject message = client.next("message");
      assertThat(message.getString("event")).isEqualTo("SHOUT");
      assertThat(message.getString("data")).isEqualTo("HI");
      assertThat(client.next("ack").getString("id")).isEqualTo("s");
    } finally {
      Await.result(vertx.close());
      server.close();
    }
  }
}
