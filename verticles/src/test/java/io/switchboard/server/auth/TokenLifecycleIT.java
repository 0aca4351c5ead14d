package io.switchboard.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A connection's token expires while it is open: the client is told ahead ({@code token_expiring}),
 * may refresh it with a token of the same user ({@code refresh}, answered {@code refreshed}), and
 * is closed with 4004 when it does not. Real tokens, real timers, short lives.
 */
class TokenLifecycleIT extends ServerTestBase {

  /** Tokens here live a few seconds; the notice comes one second before the expiry. */
  private static final long NOTICE_MS = 1_000;

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "auth",
            Tokens.authConfig().put("clockSkewSeconds", 0).put("refreshNoticeMs", NOTICE_MS));
  }

  @Test
  void welcomeNamesTheVerifiedIdentityAndTheExpiry() {
    long exp = nowSeconds() + 3600;
    WsClient client =
        connect(
            "/ws?token=" + Tokens.hs256(Tokens.claims("alice").put("org", "acme").put("exp", exp)));

    JsonObject data = client.welcome().getJsonObject("data");

    assertThat(data.getString("userId")).isEqualTo("alice");
    assertThat(data.getString("organizationId")).isEqualTo("acme");
    assertThat(Instant.parse(data.getString("expiresAt"))).isEqualTo(Instant.ofEpochSecond(exp));
  }

  @Test
  void anExpiringTokenIsAnnouncedThenTheConnectionIsClosedWith4004() {
    long exp = nowSeconds() + 3;
    WsClient client = connect("/ws?token=" + Tokens.hs256(Tokens.claims("bob").put("exp", exp)));

    JsonObject notice = client.next("token_expiring");

    assertThat(Instant.parse(notice.getJsonObject("data").getString("expiresAt")))
        .isEqualTo(Instant.ofEpochSecond(exp));
    assertThat(Instant.parse(notice.getJsonObject("data").getString("closeAt")))
        .isEqualTo(Instant.ofEpochSecond(exp));
    assertThat(client.awaitClose()).isEqualTo((short) 4004);
    assertThat(client.closeReason()).isEqualTo("token expired");
  }

  @Test
  void aRefreshWithANewTokenOfTheSameUserKeepsTheConnectionPastTheOldExpiry() {
    long exp = nowSeconds() + 3;
    WsClient client = connect("/ws?token=" + Tokens.hs256(Tokens.claims("carol").put("exp", exp)));
    client.next("token_expiring");
    long laterExp = nowSeconds() + 3600;

    JsonObject refreshed =
        client.request(
            new JsonObject()
                .put("type", "refresh")
                .put("id", "r1")
                .put(
                    "data",
                    new JsonObject()
                        .put("token", Tokens.hs256(Tokens.claims("carol").put("exp", laterExp)))));
    Await.until(
        "the first token's expiry has passed",
        () -> System.currentTimeMillis() > exp * 1000 + 1_500);

    assertThat(refreshed.getString("type")).isEqualTo("refreshed");
    assertThat(refreshed.getString("id")).isEqualTo("r1");
    assertThat(Instant.parse(refreshed.getJsonObject("data").getString("expiresAt")))
        .isEqualTo(Instant.ofEpochSecond(laterExp));
    client.assertNothingReceived();
    assertThat(client.isClosed()).isFalse();
  }

  @Test
  void aRefreshNamingAnotherUserIsRefusedAndTheOldExpiryStands() {
    long exp = nowSeconds() + 3;
    WsClient client = connect("/ws?token=" + Tokens.hs256(Tokens.claims("dave").put("exp", exp)));

    JsonObject refused =
        client.request(
            new JsonObject()
                .put("type", "refresh")
                .put("id", "r2")
                .put("data", new JsonObject().put("token", Tokens.forUser("mallory"))));

    assertThat(refused.getString("type")).isEqualTo("error");
    assertThat(refused.getString("id")).isEqualTo("r2");
    assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("unauthorized");
    assertThat(refused.getJsonObject("error").getString("message"))
        .isEqualTo("a refreshed token must keep the user: 'sub' must be 'dave', was 'mallory'");
    assertThat(refused.getJsonObject("data")).as("the token is not echoed back").isNull();
    client.next("token_expiring");
    assertThat(client.awaitClose()).isEqualTo((short) 4004);
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
