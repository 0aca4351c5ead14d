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
 * The README's "Writing a plugin" examples are real: the plugin and the channel authorizer, with
 * their TCK tests, compile, and the jars made of their classes and services files work in a server
 * as the README says.
 */
class ReadmePluginExampleIT {

  private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  /** The code blocks of one README section, by language, in order. */
  static Map<String, List<String>> blocks(String from, String to) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf(from), readme.indexOf(to));
    Map<String, List<String>> blocks = new java.util.HashMap<>();
    Matcher block = BLOCK.matcher(section);
    while (block.find()) {
      blocks.computeIfAbsent(block.group(1), l -> new ArrayList<>()).add(block.group(2));
    }
    return blocks;
  }

  @Test
  void theReadmesPluginCompilesLoadsAndShouts() throws Exception {
    Map<String, List<String>> blocks =
        blocks("### A complete minimal plugin", "### Channel authorizers");
    List<String> java = blocks.get("java");
    assertThat(java).as("the plugin and its TCK test").hasSize(2);
    String services = blocks.get("text").get(0).trim();
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

  @Test
  void theReadmesAuthorizerCompilesLoadsAndDecidesAsTheReadmeSays() throws Exception {
    Map<String, List<String>> blocks = blocks("### Channel authorizers", "### Plugin verticles");
    List<String> java = blocks.get("java");
    assertThat(java).as("the authorizer and its TCK test").hasSize(2);
    String services = blocks.get("text").get(0).trim();
    assertThat(services).isEqualTo("com.example.rooms.RoomsAuthorizer");
    JsonObject config = new JsonObject("{" + blocks.get("json").get(0) + "}");
    Map<String, String> sources =
        Map.of(
            "com/example/rooms/RoomsAuthorizer.java", java.get(0),
            "com/example/rooms/RoomsAuthorizerIT.java", java.get(1));

    Path classes = PluginJars.compile(dir, sources);

    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJars.jar(
        classes,
        services,
        plugins.resolve("rooms-authorizer-1.0.0.jar"),
        List.of("io.switchboard.plugin.ChannelAuthorizer"));
    config.getJsonObject("plugins").put("directory", plugins.toString());
    TestServer server = TestServer.start(config);
    Vertx vertx = Vertx.vertx();
    try {
      WsClient alice =
          WsClient.connect(
              vertx.createWebSocketClient(), server.wsPort(), "/ws?userId=alice", null);
      WsClient mallory =
          WsClient.connect(
              vertx.createWebSocketClient(), server.wsPort(), "/ws?userId=mallory", null);
      JsonObject join = new JsonObject().put("type", "join").put("channel", "room:ops");

      assertThat(alice.request(join).getString("type")).isEqualTo("subscription_confirmed");
      assertThat(mallory.request(join).getJsonObject("error"))
          .isEqualTo(
              new JsonObject()
                  .put("code", "rooms.not_invited")
                  .put("message", "you are not invited to room 'ops'")
                  .put("retryable", false));
      alice.close();
      mallory.close();
      Await.until(
          "the server read both clients' close frames",
          () -> server.server().metrics().activeConnections() == 0);
    } finally {
      server.close();
      Await.result(vertx.close());
    }
  }
}
