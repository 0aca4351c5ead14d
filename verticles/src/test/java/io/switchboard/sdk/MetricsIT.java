package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The client's figures, checked against what the server counted for the same connection. */
class MetricsIT extends SdkTestBase {

  @Test
  void messageAndByteCountsMatchWhatTheServerCounted() {
    String channel = channel("counted");
    Instant start = Instant.now();
    SwitchboardClient client = connected(options());
    Await.result(client.join(channel, m -> {}));
    Await.result(client.publish(channel, "é ✓"));
    Await.until("the own copy of the message", () -> client.metrics().messagesReceived() == 5);

    ClientMetrics metrics = client.metrics();
    JsonObject server = adminGet("/api/connections/" + client.connectionId()).bodyAsJsonObject();

    assertThat(metrics.messagesSent())
        .as("greeting ping, join, publish")
        .isEqualTo(3)
        .isEqualTo(server.getLong("messagesIn"));
    assertThat(metrics.messagesReceived())
        .as("welcome, pong, confirmation, ack, message")
        .isEqualTo(5)
        .isEqualTo(server.getLong("messagesOut"));
    assertThat(metrics.bytesSent()).isGreaterThan(2 * "{\"type\":\"join\"}".length());
    assertThat(metrics.bytesReceived()).isGreaterThan(metrics.bytesSent());
    assertThat(metrics.lastMessageTime()).isBetween(start, Instant.now());
    assertThat(metrics.connectionUptime()).isPositive();
    assertThat(metrics.queueDepth()).isZero();
    assertThat(metrics.errorCount()).isZero();
    assertThat(metrics.reconnectionCount()).isZero();
  }

  @Test
  void uptimeIsZeroWhenNotConnectedAndErrorsAreCounted() {
    SwitchboardClient client = connected(options());
    Await.result(client.send(new JsonObject().put("type", "NOT_A_TYPE")));
    Await.until("the error", () -> client.metrics().errorCount() == 1);

    Await.result(client.disconnect());

    assertThat(client.metrics().connectionUptime()).isEqualTo(Duration.ZERO);
    assertThat(client.metrics().errorCount()).isEqualTo(1);
  }
}
