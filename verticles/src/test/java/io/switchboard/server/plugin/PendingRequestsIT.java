package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client cannot make the server hold its frames without bound while a plugin is slow: once {@code
 * limits.maxPendingRequests} of its frames wait for an answer, the server stops reading that socket
 * until answers come, so the client's later frames wait in TCP, not in the server.
 */
class PendingRequestsIT extends ServerTestBase {

  private static final int MAX_PENDING = 4;

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put("limits", new JsonObject().put("maxPendingRequests", MAX_PENDING))
        .put(
            "plugins",
            new JsonObject()
                .put(
                    "settings",
                    new JsonObject().put("stall", new JsonObject().put("timeoutMs", 1_000))));
  }

  @Override
  protected List<MessageTypePlugin> plugins() {
    return List.of(TestPlugins.stalling());
  }

  @Test
  void framesBeyondTheLimitWaitUntilEarlierOnesAreAnswered() {
    WsClient client = connect();
    for (int i = 1; i <= MAX_PENDING + 2; i++) {
      client.send(new JsonObject().put("type", "STALL").put("id", "s" + i));
    }
    client.send(new JsonObject().put("type", "ping").put("id", "after"));

    List<String> answers = new ArrayList<>();
    while (answers.size() < MAX_PENDING + 3) {
      JsonObject frame = client.next();
      answers.add(frame.getString("type") + ":" + frame.getString("id"));
    }

    // The four stalled frames time out together (their timers start in one read), and each answer
    // lets one more frame be read: the fifth and sixth stall in turn, and the ping, the seventh
    // frame, is read only once three of the first four are answered. Were the socket read on, the
    // ping would be answered at once, before any timeout.
    assertThat(answers.subList(0, MAX_PENDING + 1))
        .containsExactlyInAnyOrder("error:s1", "error:s2", "error:s3", "error:s4", "pong:after");
    assertThat(answers.indexOf("pong:after"))
        .as("answers before the pong, in %s", answers)
        .isGreaterThanOrEqualTo(3);
    // Read a whole timeout later, the fifth and sixth time out after the others.
    assertThat(answers.subList(MAX_PENDING + 1, MAX_PENDING + 3))
        .containsExactlyInAnyOrder("error:s5", "error:s6");
  }
}
