package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The documented defaults, copies, and the rules the setters enforce. */
class ClientOptionsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    ClientOptions options = new ClientOptions();

    assertThat(options.getUrl()).isEqualTo("ws://localhost:8080/ws");
    assertThat(options.getMaxReconnectAttempts()).isZero();
    assertThat(options.getReconnectInitialDelayMs()).isEqualTo(1000);
    assertThat(options.getReconnectMaxDelayMs()).isEqualTo(30_000);
    assertThat(options.isJitter()).isTrue();
    assertThat(options.getReconnectMode()).isEqualTo(ReconnectMode.STATEFUL);
    assertThat(options.getHeartbeatIntervalMs()).isEqualTo(30_000);
    assertThat(options.getPongTimeoutMs()).isEqualTo(10_000);
    assertThat(options.getConnectionTimeoutMs()).isEqualTo(10_000);
    assertThat(options.getCloseTimeoutMs()).isEqualTo(5000);
    assertThat(options.getMaxBufferedMessages()).isEqualTo(1000);
    assertThat(options.isEnableMessageBuffering()).isTrue();
    assertThat(options.getHeaders()).isEmpty();
    assertThat(options.getSubprotocols()).isEmpty();
    assertThat(options.getAuthToken()).isNull();
    assertThat(options.getNegotiate()).isNull();
    assertThat(options.getRandom()).isNull();

    SendOptions send = new SendOptions();
    assertThat(send.isQueue()).isTrue();
    assertThat(send.getTimeoutMs()).isEqualTo(5000);
  }

  @Test
  void aCopyIsIndependentOfTheOriginal() {
    Random random = new Random(1);
    ClientOptions original =
        new ClientOptions()
            .setUrl("wss://example.org/ws")
            .addHeader("User-Agent", "test")
            .setSubprotocols(List.of("v1"))
            .setRandom(random)
            .setAuthToken(() -> Future.succeededFuture("t"));

    ClientOptions copy = new ClientOptions(original);
    original.addHeader("X-Other", "1").setSubprotocols(List.of()).setUrl("ws://other/ws");

    assertThat(copy.getUrl()).isEqualTo("wss://example.org/ws");
    assertThat(copy.getHeaders()).isEqualTo(Map.of("User-Agent", "test"));
    assertThat(copy.getSubprotocols()).containsExactly("v1");
    assertThat(copy.getRandom()).isSameAs(random);
    assertThat(copy.getAuthToken()).isSameAs(original.getAuthToken());
  }

  @Test
  void settersRefuseBadValuesNamingTheOptionTheValueAndTheRule() {
    ClientOptions options = new ClientOptions();

    assertThatThrownBy(() -> options.setHeartbeatIntervalMs(-5))
        .hasMessage("heartbeatIntervalMs must be >= 0, was -5");
    assertThatThrownBy(() -> options.setMaxReconnectAttempts(-1))
        .hasMessage("maxReconnectAttempts must be >= 0, was -1");
    assertThatThrownBy(() -> options.setReconnectInitialDelayMs(0))
        .hasMessage("reconnectInitialDelayMs must be >= 1, was 0");
    assertThatThrownBy(() -> options.setPongTimeoutMs(0))
        .hasMessage("pongTimeoutMs must be >= 1, was 0");
    assertThatThrownBy(() -> options.setConnectionTimeoutMs(0))
        .hasMessage("connectionTimeoutMs must be >= 1, was 0");
    assertThatThrownBy(() -> options.setCloseTimeoutMs(0))
        .hasMessage("closeTimeoutMs must be >= 1, was 0");
    assertThatThrownBy(() -> options.setMaxBufferedMessages(0))
        .hasMessage("maxBufferedMessages must be >= 1, was 0");
    assertThatThrownBy(() -> options.setUrl("http://localhost:8080/ws"))
        .hasMessage(
            "url must be an absolute ws:// or wss:// URL with a host, was"
                + " 'http://localhost:8080/ws'");
    assertThatThrownBy(() -> new SendOptions().setTimeoutMs(0))
        .hasMessage("timeoutMs must be > 0, was 0");
  }

  @Test
  void aMaximumDelayBelowTheInitialDelayIsRefusedWhenTheClientIsCreated() {
    ClientOptions options =
        new ClientOptions().setReconnectInitialDelayMs(5000).setReconnectMaxDelayMs(1000);

    assertThatThrownBy(() -> SwitchboardClient.create(options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reconnectMaxDelayMs must be >= reconnectInitialDelayMs (5000), was 1000");
  }
}
