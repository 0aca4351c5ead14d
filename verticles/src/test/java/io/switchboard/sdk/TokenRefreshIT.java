package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The SDK keeps a long-lived connection's token fresh by itself: on {@code token_expiring} it asks
 * its token supplier again and sends {@code refresh}, so the connection outlives every token.
 */
class TokenRefreshIT extends SdkTestBase {

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "auth",
            Tokens.authConfig()
                .put("anonymous", true)
                .put("clockSkewSeconds", 0)
                .put("refreshNoticeMs", 1_000));
  }

  @Test
  void theTokenSupplierIsAskedAgainBeforeEachExpiryAndTheConnectionOutlivesItsTokens() {
    AtomicInteger calls = new AtomicInteger();
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    SwitchboardClient client =
        connected(
            options()
                .setAuthToken(
                    () -> {
                      calls.incrementAndGet();
                      long exp = System.currentTimeMillis() / 1000 + 3;
                      return Future.succeededFuture(
                          Tokens.hs256(Tokens.claims("erin").put("exp", exp)));
                    }));
    client.onMessage(frames::add);
    long firstExpiry = System.currentTimeMillis() + 3_000;

    Await.until(
        "two refreshes answered",
        java.time.Duration.ofSeconds(20),
        () -> frames.stream().filter(f -> "refreshed".equals(f.getString("type"))).count() >= 2);

    assertThat(System.currentTimeMillis()).isGreaterThan(firstExpiry);
    assertThat(calls.get()).as("the connect, then one call per refresh").isGreaterThanOrEqualTo(3);
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(client.metrics().reconnectionCount()).isZero();
  }

  @Test
  void withoutATokenSupplierTheErrorHandlerHearsWhyAndTheClientReconnectsAfter4004() {
    String token =
        Tokens.hs256(Tokens.claims("frank").put("exp", System.currentTimeMillis() / 1000 + 2));
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    SwitchboardClient client =
        connected(options().setHeaders(java.util.Map.of("Authorization", "Bearer " + token)));
    client.onError(errors::add);

    Await.until(
        "the client was told it cannot refresh",
        () ->
            errors.stream()
                .anyMatch(e -> String.valueOf(e.getMessage()).contains("no authToken supplier")));
    Await.until(
        "the connection closed with 4004",
        () ->
            errors.stream()
                .anyMatch(e -> String.valueOf(e.getMessage()).contains("4004 (token expired)")));
  }
}
