package io.switchboard.server.hostile;

import static io.switchboard.server.hostile.Expect.badRequest;
import static io.switchboard.server.hostile.Expect.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who a client may say it is, on the three kinds of server: a development server (no key, the
 * identity from the query), a server with a key that lets clients without a token in (anonymous),
 * and a server without a key that takes no identity at all. And a {@code refresh} from any
 * connection that was not made with a token.
 */
class IdentityModesIT extends HostileServerBase {

  private static final String DEV = "development";
  private static final String TOKEN_OR_ANONYMOUS = "token or anonymous";
  private static final String ANONYMOUS_ONLY = "anonymous only";
  private static final String NO_KEY =
      "this server has no JWT key configured, so it cannot verify tokens; connect without one or"
          + " configure auth.jwtSecret, auth.jwtKeyFiles or auth.jwksFile";
  private static final String REFRESH_REFUSED =
      "refresh is only for connections authenticated with a token";

  private TestServer tokenOrAnonymous;
  private TestServer anonymousOnly;

  @BeforeAll
  void startTheOtherServers() {
    tokenOrAnonymous =
        TestServer.start(
            production(
                new JsonObject()
                    .put(
                        "auth",
                        new JsonObject().put("jwtSecret", Tokens.SECRET).put("anonymous", true))));
    anonymousOnly =
        TestServer.start(
            production(
                new JsonObject()
                    .put(
                        "auth",
                        new JsonObject().put("queryIdentity", false).put("anonymous", true))));
  }

  @AfterAll
  void theOtherServersStillServeThenStop() {
    try {
      assertControlServes(
          wsClient, tokenOrAnonymous.wsPort(), user -> "/ws?token=" + Tokens.forUser(user));
      assertControlServes(wsClient, anonymousOnly.wsPort(), user -> "/ws");
    } finally {
      tokenOrAnonymous.close();
      anonymousOnly.close();
    }
  }

  private int port(String kind) {
    return Map.of(
            DEV, server.wsPort(),
            TOKEN_OR_ANONYMOUS, tokenOrAnonymous.wsPort(),
            ANONYMOUS_ONLY, anonymousOnly.wsPort())
        .get(kind);
  }

  static Stream<Arguments> identities() {
    Head valid = Head.valid();
    String alice = Tokens.forUser("alice", "acme");
    return Stream.of(
        // Development server: the query says who the client is, trusted as sent.
        row(DEV, valid.target("/ws?userId=alice&organizationId=acme"), Welcome.of("alice", "acme")),
        row(DEV, valid.target("/ws?userId=alice"), Welcome.of("alice", null)),
        row(DEV, valid.target("/ws?organizationId=acme"), Welcome.of(null, "acme")),
        row(DEV, valid, Welcome.anonymous()),
        row(DEV, valid.target("/ws?userId=&organizationId="), Welcome.anonymous()),
        row(DEV, valid.target("/ws?userId=a%20b"), Welcome.of("a b", null)),
        row(DEV, valid.target("/ws?userId=" + "u".repeat(200)), Welcome.of("u".repeat(200), null)),
        row(
            DEV,
            valid.target("/ws?userId=a&userId=b"),
            badRequest("query parameter 'userId' must appear once, appeared 2 times")),
        row(
            DEV,
            valid.target("/ws?organizationId=a&organizationId=a"),
            badRequest("query parameter 'organizationId' must appear once, appeared 2 times")),
        row(
            DEV,
            valid.target("/ws?organizationId=" + "o".repeat(201)),
            badRequest("query parameter 'organizationId' must be at most 200 characters, was 201")),
        row(DEV, valid.with("Authorization", "Bearer " + alice), unauthorized(NO_KEY)),
        row(DEV, valid.target("/ws?token=" + alice), unauthorized(NO_KEY)),
        row(DEV, valid.target("/ws?userId=alice&token=" + alice), unauthorized(NO_KEY)),
        row(
            DEV,
            valid.with("Authorization", "Basic YWxpY2U6c2VjcmV0"),
            unauthorized("header 'Authorization' must be 'Bearer <token>'")),
        row(
            DEV,
            valid.target("/ws?userId=a&userId=b&token=" + alice),
            badRequest("query parameter 'userId' must appear once, appeared 2 times")),
        row(
            DEV,
            valid.target("/ws?token=" + alice).with("Authorization", "Bearer " + alice),
            badRequest(
                "send the token once: in the Authorization header or in the 'token' query"
                    + " parameter, not both")),
        row(
            DEV,
            valid.target("/ws?token=a&token=b"),
            badRequest("send one token: the request carries several")),
        // A key, and anonymous connections allowed.
        row(TOKEN_OR_ANONYMOUS, valid, Welcome.anonymous()),
        row(
            TOKEN_OR_ANONYMOUS,
            valid.with("Authorization", "Bearer " + alice),
            new Welcome("alice", "acme", tokenExpiry(alice))),
        row(
            TOKEN_OR_ANONYMOUS,
            valid.with("Authorization", "Bearer " + Jwts.tamperSignature(alice)),
            unauthorized("token signature does not verify")),
        row(TOKEN_OR_ANONYMOUS, valid.target("/ws?token="), unauthorized("token is empty")),
        row(
            TOKEN_OR_ANONYMOUS,
            valid.with("Authorization", "Basic YWxpY2U6c2VjcmV0"),
            unauthorized("header 'Authorization' must be 'Bearer <token>'")),
        row(
            TOKEN_OR_ANONYMOUS,
            valid.target("/ws?userId=alice"),
            badRequest(
                "query parameter 'userId' is not accepted: on this server identity comes from the"
                    + " token")),
        // No key and no query identity: every connection is anonymous.
        row(ANONYMOUS_ONLY, valid, Welcome.anonymous()),
        row(
            ANONYMOUS_ONLY,
            valid.target("/ws?userId=alice"),
            badRequest(
                "query parameter 'userId' is not accepted: auth.queryIdentity is off on this"
                    + " server")),
        row(
            ANONYMOUS_ONLY,
            valid.target("/ws?organizationId="),
            badRequest(
                "query parameter 'organizationId' is not accepted: auth.queryIdentity is off on"
                    + " this server")),
        row(ANONYMOUS_ONLY, valid.with("Authorization", "Bearer " + alice), unauthorized(NO_KEY)),
        row(
            ANONYMOUS_ONLY,
            valid.target("/ws?userId=alice&token=" + alice),
            badRequest(
                "query parameter 'userId' is not accepted: auth.queryIdentity is off on this"
                    + " server")));
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} -> {2}")
  @MethodSource("identities")
  void anIdentityClaimGetsItsExactAnswer(String kind, Head head, Object expected)
      throws IOException {
    Welcome.upgrade(port(kind), head, expected);
    rowDone();
  }

  static Stream<Arguments> connectionsWithoutAToken() {
    return Stream.of(
        Arguments.of(DEV, "/ws"),
        Arguments.of(DEV, "/ws?userId=alice&organizationId=acme"),
        Arguments.of(TOKEN_OR_ANONYMOUS, "/ws"),
        Arguments.of(ANONYMOUS_ONLY, "/ws"));
  }

  @ParameterizedTest(name = "[{index}] {0}: {1}")
  @MethodSource("connectionsWithoutAToken")
  void aRefreshFromAConnectionWithoutATokenIsUnauthorized(String kind, String uri) {
    WsClient client = track(WsClient.connect(wsClient, port(kind), uri, null));
    JsonObject before = client.welcome().getJsonObject("data");

    JsonObject error =
        client.request(
            new JsonObject()
                .put("type", "refresh")
                .put("id", "r1")
                .put("data", new JsonObject().put("token", Tokens.forUser("alice", "acme"))));

    assertThat(error.getString("type")).isEqualTo("error");
    assertThat(error.getString("id")).isEqualTo("r1");
    assertThat(error.getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "unauthorized")
                .put("message", REFRESH_REFUSED)
                .put("retryable", false));
    assertThat(error.containsKey("data")).as("the token is not echoed").isFalse();
    JsonObject pong = client.request(new JsonObject().put("type", "ping").put("id", "after"));
    assertThat(pong.getString("type")).isEqualTo("pong");
    assertThat(before.getString("userId")).isEqualTo(uri.contains("alice") ? "alice" : null);
    rowDone();
  }

  private static Arguments row(String kind, Head head, Object expected) {
    return Arguments.of(kind, head, expected);
  }

  /** The {@code exp} of a token made by {@link Tokens}. */
  private static Long tokenExpiry(String token) {
    String payload = token.split("\\.")[1];
    return new JsonObject(
            new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
        .getLong("exp");
  }
}
