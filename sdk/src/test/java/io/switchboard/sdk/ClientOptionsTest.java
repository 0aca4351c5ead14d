package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The documented defaults, copies, and the rules the setters enforce. */
class ClientOptionsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    ClientOptions options = new ClientOptions();

    assertThat(options.getUrl()).isEqualTo("ws://localhost:8080/ws");
    assertThat(options.getUrls()).containsExactly("ws://localhost:8080/ws");
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

  @Test
  void oneUrlIsAListOfOneAndSettingItReplacesEveryUrl() {
    ClientOptions options =
        new ClientOptions().setUrls(List.of("ws://a:8080/ws", "ws://b:8080/ws"));

    options.setUrl("wss://only.example/ws");

    assertThat(options.getUrls()).containsExactly("wss://only.example/ws");
    assertThat(options.getUrl()).isEqualTo("wss://only.example/ws");
  }

  @Test
  void urlsKeepTheirOrderAndTheFirstIsTheUrl() {
    ClientOptions options =
        new ClientOptions().setUrls(List.of("ws://b:8080/ws", "ws://a:8080/ws", "wss://c/ws"));

    assertThat(options.getUrls()).containsExactly("ws://b:8080/ws", "ws://a:8080/ws", "wss://c/ws");
    assertThat(options.getUrl()).isEqualTo("ws://b:8080/ws");
    assertThatThrownBy(() -> options.getUrls().add("ws://d/ws"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theFirstAddedUrlReplacesTheDefaultAndLaterOnesAreAppended() {
    ClientOptions options = new ClientOptions().addUrl("ws://a:8080/ws").addUrl("ws://b:8080/ws");
    assertThat(options.getUrls()).containsExactly("ws://a:8080/ws", "ws://b:8080/ws");

    ClientOptions afterSetUrl = new ClientOptions().setUrl("ws://a:8080/ws").addUrl("ws://b/ws");
    assertThat(afterSetUrl.getUrls()).containsExactly("ws://a:8080/ws", "ws://b/ws");
  }

  @Test
  void aCopyKeepsTheUrlsAndWhetherTheyWereSet() {
    ClientOptions original = new ClientOptions().addUrl("ws://a/ws").addUrl("ws://b/ws");

    ClientOptions copy = new ClientOptions(original).addUrl("ws://c/ws");
    original.setUrl("ws://z/ws");

    assertThat(copy.getUrls()).containsExactly("ws://a/ws", "ws://b/ws", "ws://c/ws");
    assertThat(new ClientOptions(new ClientOptions()).addUrl("ws://a/ws").getUrls())
        .as("a copy of the defaults still replaces the default URL")
        .containsExactly("ws://a/ws");
  }

  static Stream<Arguments> badUrls() {
    return Stream.of(
        Arguments.of(List.of(), "urls must hold at least one URL, was []"),
        Arguments.of(
            List.of("ws://a/ws", "http://b/ws"),
            "urls[1] must be an absolute ws:// or wss:// URL with a host, was 'http://b/ws'"),
        Arguments.of(
            List.of("ws:///ws"),
            "urls[0] must be an absolute ws:// or wss:// URL with a host, was 'ws:///ws'"),
        Arguments.of(
            Arrays.asList("ws://a/ws", null),
            "urls[1] must be an absolute ws:// or wss:// URL with a host, was null"),
        Arguments.of(
            List.of("ws://a/ws", "ws://a b/ws"),
            "urls[1] must be a valid URL, was 'ws://a b/ws': Illegal character in authority at"
                + " index 5: ws://a b/ws"),
        Arguments.of(
            List.of("ws://a:8080/ws", "ws://b/ws", "ws://a:8080/ws"),
            "urls[2] must not repeat a URL, was 'ws://a:8080/ws', listed already as"
                + " 'ws://a:8080/ws'"),
        Arguments.of(
            List.of("ws://Node-A/ws", "ws://node-a:80/ws"),
            "urls[1] must not repeat a URL, was 'ws://node-a:80/ws', listed already as"
                + " 'ws://Node-A/ws'"),
        Arguments.of(
            List.of("wss://a", "wss://a:443/"),
            "urls[1] must not repeat a URL, was 'wss://a:443/', listed already as 'wss://a'"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badUrls")
  void badUrlListsAreRefusedNamingTheEntryAndTheRule(List<String> urls, String message) {
    ClientOptions options = new ClientOptions();

    assertThatThrownBy(() -> options.setUrls(urls))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(options.getUrls()).as("unchanged").containsExactly(ClientOptions.DEFAULT_URL);
  }

  @Test
  void theSameServerOnAnotherPortPathOrSchemeIsNotARepeat() {
    List<String> distinct =
        List.of("ws://a/ws", "ws://a:8081/ws", "ws://a/other", "wss://a/ws", "ws://a/ws?x=1");

    assertThat(new ClientOptions().setUrls(distinct).getUrls()).isEqualTo(distinct);
  }

  @Test
  void addingAUrlThatIsListedOrMalformedIsRefused() {
    ClientOptions options = new ClientOptions().addUrl("ws://a:8080/ws");

    assertThatThrownBy(() -> options.addUrl("ws://A:8080/ws"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "url must not repeat a URL, was 'ws://A:8080/ws', listed already as 'ws://a:8080/ws'");
    assertThatThrownBy(() -> options.addUrl("tcp://b/ws"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("url must be an absolute ws:// or wss:// URL with a host, was 'tcp://b/ws'");
    assertThat(options.getUrls()).containsExactly("ws://a:8080/ws");
  }

  @Test
  void aNegotiateStepWithSeveralUrlsIsRefusedWhenTheClientIsCreated() {
    ClientOptions options =
        new ClientOptions()
            .setUrls(List.of("ws://a/ws", "ws://b/ws"))
            .setNegotiate(token -> Future.succeededFuture(new NegotiateResult("ws://c/ws", null)));

    assertThatThrownBy(() -> SwitchboardClient.create(options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "urls must hold one URL when a negotiate step is set (the step picks each attempt's"
                + " URL), was [ws://a/ws, ws://b/ws]");
  }
}
