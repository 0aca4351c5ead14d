package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
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
    Path src = Files.createDirectories(dir.resolve("src/com/example/shout"));
    Files.writeString(src.resolve("ShoutPlugin.java"), java.get(0));
    Files.writeString(src.resolve("ShoutPluginIT.java"), java.get(1));
    Path classes = Files.createDirectories(dir.resolve("classes"));

    int status =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                src.resolve("ShoutPlugin.java").toString(),
                src.resolve("ShoutPluginIT.java").toString());

    assertThat(status).as("javac exit status").isZero();
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    try (OutputStream file = Files.newOutputStream(plugins.resolve("shout-plugin-1.0.0.jar"));
        JarOutputStream jar = new JarOutputStream(file)) {
      jar.putNextEntry(new JarEntry("com/example/shout/ShoutPlugin.class"));
      jar.write(Files.readAllBytes(classes.resolve("com/example/shout/ShoutPlugin.class")));
      jar.putNextEntry(new JarEntry("META-INF/services/io.switchboard.plugin.MessageTypePlugin"));
      jar.write((services + "\n").getBytes(StandardCharsets.UTF_8));
    }
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
