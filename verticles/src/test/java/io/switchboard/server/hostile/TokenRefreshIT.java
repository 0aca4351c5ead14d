package io.switchboard.server.hostile;

import static io.switchboard.server.hostile.Jwts.AUDIENCE;
import static io.switchboard.server.hostile.Jwts.ISSUER;
import static io.switchboard.server.hostile.Jwts.claims;
import static io.switchboard.server.hostile.Jwts.header;
import static io.switchboard.server.hostile.Jwts.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code refresh} frame of a connection made with alice's token (organisation acme): a new
 * token of the same user and organisation is {@code refreshed}; any other is {@code unauthorized}
 * with the sentence that names why, never echoing the token; a frame of the wrong shape is {@code
 * bad_request}. The connection carries on with the identity it had.
 */
class TokenRefreshIT extends HostileServerBase {

  private static final String NOT_SIGNED =
      "token is not a signed JWT: expected header.payload.signature in base64url";

  @TempDir static Path keys;

  @Override
  protected JsonObject overrides() {
    return new JsonObject().put("auth", Jwts.authConfig(keys));
  }

  @Override
  protected String controlUri(String user) {
    return "/ws?token=" + hs256(claims(user));
  }

  /** A {@code refreshed} answer, with the new token's expiry (null: it does not expire). */
  record Refreshed(Long expiresAt) {
    @Override
    public String toString() {
      return "refreshed";
    }
  }

  /** An {@code error} answer; {@code echoed}: whether {@code data.originalMessage} is there. */
  record Refused(String code, String message, boolean echoed) {
    @Override
    public String toString() {
      return code;
    }
  }

  static Stream<Arguments> refreshes() {
    long now = Jwts.startTable();
    JsonObject alice = claims("alice", "acme").put("exp", now + 7200);
    return Stream.of(
        row("HS256, same user", withToken(hs256(alice)), new Refreshed(now + 7200)),
        row("RS256, same user", withToken(Jwts.rs256(alice)), new Refreshed(now + 7200)),
        row("ES256, same user", withToken(Jwts.es256(alice)), new Refreshed(now + 7200)),
        row(
            "a token that does not expire",
            withToken(hs256(without(claims("alice", "acme"), "exp"))),
            new Refreshed(null)),
        row(
            "new grants",
            withToken(
                hs256(claims("alice", "acme").put("channels", new JsonArray().add("chat:*")))),
            new Refreshed(now + 3600)),
        row(
            "another user",
            withToken(hs256(claims("bob", "acme"))),
            unauthorized("a refreshed token must keep the user: 'sub' must be 'alice', was 'bob'")),
        row(
            "another organisation",
            withToken(hs256(claims("alice", "globex"))),
            unauthorized(
                "a refreshed token must keep the organisation: 'org' must be 'acme', was 'globex'")),
        row(
            "no organisation",
            withToken(hs256(claims("alice"))),
            unauthorized(
                "a refreshed token must keep the organisation: 'org' must be 'acme', was absent")),
        row(
            "expired",
            withToken(hs256(claims("alice", "acme").put("exp", now - 60))),
            unauthorized("token expired at " + Instant.ofEpochSecond(now - 60))),
        row(
            "another issuer",
            withToken(hs256(claims("alice", "acme").put("iss", "https://evil.example"))),
            unauthorized("token issuer must be '" + ISSUER + "', was 'https://evil.example'")),
        row(
            "another audience",
            withToken(hs256(claims("alice", "acme").put("aud", "other"))),
            unauthorized("token audience must include '" + AUDIENCE + "', was 'other'")),
        row(
            "alg none with a signature",
            withToken(Tokens.raw(header("none"), claims("alice", "acme"), "c2ln")),
            unauthorized("token algorithm 'none' is not accepted: tokens must be signed")),
        row(
            "unsigned",
            withToken(Tokens.unsigned(claims("alice", "acme"))),
            unauthorized(NOT_SIGNED)),
        row("garbage", withToken("xyz"), unauthorized(NOT_SIGNED)),
        row(
            "a forged signature",
            withToken(Jwts.tamperSignature(hs256(alice))),
            unauthorized("token signature does not verify")),
        row(
            "another key",
            withToken(
                Jwts.signed(header("RS256"), alice, "SHA256withRSA", Jwts.OTHER_RSA.getPrivate())),
            unauthorized("token signature does not verify")),
        row(
            "a token of 10 KB",
            withToken("a".repeat(10 * 1024)),
            unauthorized("token is longer than 8192 characters (10240)")),
        row(
            "sub a number",
            withToken(hs256(claims("alice", "acme").put("sub", 7))),
            unauthorized("token claim 'sub' must be a non-empty string, was 7")),
        row(
            "an algorithm not allowed",
            withToken(Jwts.hmac(header("HS512"), alice, "HmacSHA512", Tokens.SECRET)),
            unauthorized(
                "token algorithm 'HS512' is not allowed; auth.algorithms is HS256, HS384, RS256,"
                    + " ES256, ES384")),
        // The frame's shape.
        row("no data", refresh(), badRequest("field 'data.token' is required for type 'refresh'")),
        row(
            "data without token",
            refresh().put("data", new JsonObject()),
            badRequest("field 'data.token' is required for type 'refresh'")),
        row(
            "data null",
            refresh().putNull("data"),
            badRequest("field 'data' must be an object, was null")),
        row(
            "data a string",
            refresh().put("data", hs256(alice)),
            badRequest("field 'data' must be an object, was a string")),
        row(
            "data an array",
            refresh().put("data", new JsonArray().add(hs256(alice))),
            badRequest("field 'data' must be an object, was an array")),
        row(
            "token null",
            refresh().put("data", new JsonObject().putNull("token")),
            badRequest("field 'data.token' is required for type 'refresh'")),
        row(
            "token a number",
            refresh().put("data", new JsonObject().put("token", 5)),
            badRequest("field 'data.token' must be a non-empty string, was a number")),
        row(
            "token a boolean",
            refresh().put("data", new JsonObject().put("token", true)),
            badRequest("field 'data.token' must be a non-empty string, was a boolean")),
        row(
            "token an object",
            refresh().put("data", new JsonObject().put("token", new JsonObject())),
            badRequest("field 'data.token' must be a non-empty string, was an object")),
        row(
            "token empty",
            refresh().put("data", new JsonObject().put("token", "")),
            badRequest("field 'data.token' must be a non-empty string, was ''")));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {2}")
  @MethodSource("refreshes")
  void aRefreshGetsItsExactAnswerAndTheConnectionCarriesOn(
      String name, JsonObject frame, Object expected) {
    WsClient client =
        track(
            WsClient.connect(
                wsClient, server.wsPort(), "/ws?token=" + hs256(claims("alice", "acme")), null));

    JsonObject answer = client.request(frame);

    assertThat(answer.getString("id")).as("the id is echoed").isEqualTo("r");
    if (expected instanceof Refreshed refreshed) {
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("refreshed");
      assertThat(answer.getJsonObject("data").getValue("expiresAt"))
          .isEqualTo(refreshed.expiresAt() == null ? null : Jwts.serverTime(refreshed.expiresAt()));
    } else {
      Refused refused = (Refused) expected;
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("error");
      assertThat(answer.getJsonObject("error"))
          .isEqualTo(
              new JsonObject()
                  .put("code", refused.code())
                  .put("message", refused.message())
                  .put("retryable", false));
      assertThat(answer.containsKey("data")).as("original echoed").isEqualTo(refused.echoed());
    }
    JsonObject pong = client.request(new JsonObject().put("type", "ping").put("id", "after"));
    assertThat(pong.getString("type")).isEqualTo("pong");
    JsonObject connection =
        adminGet("/api/connections/" + client.connectionId()).bodyAsJsonObject();
    assertThat(connection.getString("userId")).isEqualTo("alice");
    assertThat(connection.getString("organizationId")).isEqualTo("acme");
    rowDone();
  }

  private static Arguments row(String name, JsonObject frame, Object expected) {
    return Arguments.of(name, frame, expected);
  }

  private static JsonObject refresh() {
    return new JsonObject().put("type", "refresh").put("id", "r");
  }

  private static JsonObject withToken(String token) {
    return refresh().put("data", new JsonObject().put("token", token));
  }

  private static Refused unauthorized(String message) {
    return new Refused("unauthorized", message, false);
  }

  private static Refused badRequest(String message) {
    return new Refused("bad_request", message, true);
  }

  private static JsonObject without(JsonObject claims, String claim) {
    claims.remove(claim);
    return claims;
  }
}
