package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's idiom for waiting on the client from a thread that is not Vert.x's, as it says it
 * behaves: {@code await(timeout, unit)} throws {@link TimeoutException} and leaves the operation
 * running, throws a failure as it is, and refuses an event-loop thread; the {@code
 * CompletableFuture} route wraps a failure in an {@link ExecutionException}.
 */
class WaitingFromAPlainThreadTest {

  private Vertx vertx;
  private SwitchboardClient client;

  /** A token that never comes: the client stays CONNECTING, and its connect() pending. */
  private final Promise<String> token = Promise.promise();

  @BeforeEach
  void createClient() {
    vertx = Vertx.vertx();
    client =
        SwitchboardClient.create(vertx, new ClientOptions().setAuthToken(() -> token.future()));
  }

  @AfterEach
  void close() throws Exception {
    client.disconnect().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void awaitWithATimeoutThrowsTimeoutExceptionAndTheOperationCarriesOn() {
    Future<Void> connecting = client.connect();

    assertThatThrownBy(() -> connecting.await(100, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    assertThat(connecting.isComplete()).isFalse();
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);
  }

  @Test
  void awaitThrowsTheFailureAsItIsAndTheCompletableFutureRouteWrapsIt() {
    client.connect();

    assertThatThrownBy(() -> client.join("no spaces", m -> {}).await(5, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.error().code()).isEqualTo(ErrorCode.BAD_REQUEST));
    CompletableFuture<Subscription> joined =
        client.join("no spaces", m -> {}).toCompletionStage().toCompletableFuture();
    assertThatThrownBy(() -> joined.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ProtocolException.class);
  }

  @Test
  void awaitRefusesAnEventLoopThread() throws Exception {
    CompletableFuture<Throwable> refused = new CompletableFuture<>();

    vertx.runOnContext(
        v -> {
          try {
            client.connect().await(1, TimeUnit.SECONDS);
            refused.complete(null);
          } catch (Throwable t) {
            refused.complete(t);
          }
        });

    assertThat(refused.get(5, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot be called on a Vert.x event-loop thread");
  }
}
