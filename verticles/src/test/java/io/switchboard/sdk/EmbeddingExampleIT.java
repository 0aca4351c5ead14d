package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import example.EmbeddingExample;
import io.switchboard.server.testing.ServerTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "Embedding the SDK" example is this module's {@link EmbeddingExample}, and works.
 */
class EmbeddingExampleIT extends ServerTestBase {

  private static final String SECTION = "## Embedding the SDK";

  @Test
  void theReadmeShowsTheExampleSourceExactly() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String source = Files.readString(Path.of("src/test/java/example/EmbeddingExample.java"));

    int section = readme.indexOf("\n" + SECTION + "\n");
    assertThat(section).as("the README has a section '%s'", SECTION).isPositive();
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    int end = readme.indexOf("```\n", start);

    assertThat(readme.substring(start, end)).isEqualTo(source);
  }

  @Test
  void theExampleChatsWithARealServer() throws Exception {
    String url = "ws://127.0.0.1:" + server.wsPort() + "/ws";

    String text =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return EmbeddingExample.chat(url);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .get(30, TimeUnit.SECONDS);

    assertThat(text).as("it read its own hello back").isEqualTo("hello");
  }
}
