package io.switchboard.server.hostile;

import static io.switchboard.server.hostile.Expect.badRequest;
import static io.switchboard.server.hostile.Expect.unauthorized;
import static io.switchboard.server.hostile.Jwts.AUDIENCE;
import static io.switchboard.server.hostile.Jwts.ISSUER;
import static io.switchboard.server.hostile.Jwts.claims;
import static io.switchboard.server.hostile.Jwts.header;
import static io.switchboard.server.hostile.Jwts.hs256;

import io.switchboard.server.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tokens at the upgrade, against a server that verifies HS256 (the shared secret), RS256 and ES256
 * (PEM public keys in real files) and requires an issuer and an audience. Every row is one token,
 * sent one way, and the exact answer: the identity of the welcome, or 401 with the sentence that
 * names the claim or the rule (400 where the request itself is malformed).
 */
class TokenUpgradeIT extends HostileServerBase {

  private static final String ALGORITHMS = "HS256, HS384, RS256, ES256, ES384";
  private static final String NOT_SIGNED =
      "token is not a signed JWT: expected header.payload.signature in base64url";
  private static final String BAD_SIGNATURE = "token signature does not verify";
  private static final String BEARER = "header 'Authorization' must be 'Bearer <token>'";

  @TempDir static Path keys;

  @Override
  protected JsonObject overrides() {
    return new JsonObject().put("auth", Jwts.authConfig(keys));
  }

  @Override
  protected String controlUri(String user) {
    return "/ws?token=" + hs256(claims(user));
  }

  static Stream<Arguments> tokens() {
    long now = Jwts.startTable();
    JsonObject alice = claims("alice", "acme");
    String good = hs256(alice);
    return Stream.of(
        // Valid tokens, however they are signed and sent.
        row("HS256 in the header", bearer(good), welcome("alice", "acme", now + 3600)),
        row("HS256 in the query", query(good), welcome("alice", "acme", now + 3600)),
        row("RS256 in the header", bearer(Jwts.rs256(alice)), welcome("alice", "acme", now + 3600)),
        row("RS256 in the query", query(Jwts.rs256(alice)), welcome("alice", "acme", now + 3600)),
        row("ES256 in the header", bearer(Jwts.es256(alice)), welcome("alice", "acme", now + 3600)),
        row(
            "HS384, allowed and keyed by the secret",
            bearer(Jwts.hmac(header("HS384"), alice, "HmacSHA384", Tokens.SECRET)),
            welcome("alice", "acme", now + 3600)),
        row(
            "scheme in lower case",
            authorization("bearer " + good),
            welcome("alice", "acme", now + 3600)),
        row(
            "scheme in upper case",
            authorization("BEARER " + good),
            welcome("alice", "acme", now + 3600)),
        row(
            "extra spaces",
            authorization("Bearer    " + good + "   "),
            welcome("alice", "acme", now + 3600)),
        row(
            "aud an array naming this server",
            bearer(hs256(claims("alice").put("aud", new JsonArray().add("other").add(AUDIENCE)))),
            welcome("alice", null, now + 3600)),
        row(
            "expired, within the clock skew",
            bearer(hs256(claims("alice").put("exp", now - 10))),
            welcome("alice", null, now - 10)),
        row(
            "nbf ahead, within the clock skew",
            bearer(hs256(claims("alice").put("nbf", now + 10))),
            welcome("alice", null, now + 3600)),
        row(
            "iat ahead, within the clock skew",
            bearer(hs256(claims("alice").put("iat", now + 10))),
            welcome("alice", null, now + 3600)),
        row(
            "nbf and iat in the past",
            bearer(hs256(claims("alice").put("nbf", now - 100).put("iat", now - 100))),
            welcome("alice", null, now + 3600)),
        row("no exp", bearer(hs256(without(claims("alice"), "exp"))), welcome("alice", null, null)),
        row(
            "exp with a fraction",
            bearer(hs256(claims("alice").put("exp", now + 3600.75))),
            welcome("alice", null, now + 3600)),
        row(
            "channel grants",
            bearer(
                hs256(
                    claims("alice")
                        .put("channels", new JsonArray().add("chat:vip").add("game:*")))),
            welcome("alice", null, now + 3600)),
        row(
            "a grant of every channel",
            bearer(hs256(claims("alice").put("channels", new JsonArray().add("*")))),
            welcome("alice", null, now + 3600)),
        row(
            "a token of 8192 characters in the query",
            query(padded(hs256(claims("alice")), 8192)),
            welcome("alice", null, now + 3600)),
        row(
            "channels claim null",
            bearer(hs256(claims("alice").putNull("channels"))),
            welcome("alice", null, now + 3600)),
        row(
            "1000 grants",
            bearer(hs256(claims("alice").put("channels", grants(1000)))),
            welcome("alice", null, now + 3600)),
        row(
            "sub of 200 characters",
            bearer(hs256(claims("u".repeat(200)))),
            welcome("u".repeat(200), null, now + 3600)),
        row(
            "org of 200 characters",
            bearer(hs256(claims("alice", "o".repeat(200)))),
            welcome("alice", "o".repeat(200), now + 3600)),
        row(
            "unknown header fields and claims",
            bearer(
                hs256(
                    header("HS256").put("kid", "k1").put("typ", "at+jwt"),
                    claims("alice").put("scope", "x"))),
            welcome("alice", null, now + 3600)),
        // No token, or not as a bearer token.
        row(
            "no token",
            Head.valid(),
            unauthorized(
                "a token is required: send 'Authorization: Bearer <token>' or the 'token' query parameter")),
        row("Basic scheme", authorization("Basic YWxpY2U6c2VjcmV0"), unauthorized(BEARER)),
        row("Bearer missing", authorization(good), unauthorized(BEARER)),
        row("Bearer alone", authorization("Bearer"), unauthorized(BEARER)),
        row("Bearer without a space", authorization("Bearer" + good), unauthorized(BEARER)),
        row("Token scheme", authorization("Token " + good), unauthorized(BEARER)),
        row("empty query token", Head.valid().target("/ws?token="), unauthorized("token is empty")),
        // Sent twice, or identity claimed in the query: the request is malformed.
        row(
            "in the header and the query",
            bearer(good).target("/ws?token=" + good),
            badRequest(
                "send the token once: in the Authorization header or in the 'token' query"
                    + " parameter, not both")),
        row(
            "two Authorization headers",
            bearer(good).plus("Authorization", "Bearer " + good),
            badRequest("send one token: the request carries several")),
        row(
            "two token parameters",
            Head.valid().target("/ws?token=" + good + "&token=" + good),
            badRequest("send one token: the request carries several")),
        row(
            "userId in the query",
            bearer(good).target("/ws?userId=alice"),
            badRequest(
                "query parameter 'userId' is not accepted: on this server identity comes from the"
                    + " token")),
        row(
            "organizationId in the query",
            query(good).target("/ws?token=" + good + "&organizationId=acme"),
            badRequest(
                "query parameter 'organizationId' is not accepted: on this server identity comes"
                    + " from the token")),
        row(
            "empty userId in the query",
            bearer(good).target("/ws?userId="),
            badRequest(
                "query parameter 'userId' is not accepted: on this server identity comes from the"
                    + " token")),
        row(
            "userId beside a forged token",
            bearer(Jwts.tamperSignature(good)).target("/ws?userId=alice"),
            badRequest(
                "query parameter 'userId' is not accepted: on this server identity comes from the"
                    + " token")),
        // Size and shape.
        row(
            "a token of 8193 characters",
            bearer("a".repeat(8193)),
            unauthorized("token is longer than 8192 characters (8193)")),
        row(
            "a token of 10 KB",
            bearer("a".repeat(10 * 1024)),
            unauthorized("token is longer than 8192 characters (10240)")),
        row(
            "a token of 10 KB in the query",
            query("a".repeat(10 * 1024)),
            unauthorized("token is longer than 8192 characters (10240)")),
        row("one segment", bearer("abc"), unauthorized(NOT_SIGNED)),
        row("two segments", bearer("abc.def"), unauthorized(NOT_SIGNED)),
        row("four segments", bearer(good + ".xyz"), unauthorized(NOT_SIGNED)),
        row(
            "empty signature",
            bearer(good.substring(0, good.lastIndexOf('.') + 1)),
            unauthorized(NOT_SIGNED)),
        row(
            "header not base64url",
            bearer("***." + Tokens.encode(alice) + ".c2ln"),
            Expect.refusedStartingWith(401, "unauthorized", "token header is not base64url: ")),
        row(
            "payload not base64url",
            bearer(Tokens.encode(header("HS256")) + ".%%%.c2ln"),
            Expect.refusedStartingWith(401, "unauthorized", "token payload is not base64url: ")),
        row(
            "signature with base64 padding",
            bearer(good + "="),
            Expect.refusedStartingWith(
                401, "unauthorized", "token signature is not canonical base64url: ")),
        row(
            "signature with an unused bit set (same bytes, another spelling)",
            bearer(withUnusedBitFlipped(good)),
            Expect.refusedStartingWith(
                401, "unauthorized", "token signature is not canonical base64url: ")),
        row(
            "header not JSON",
            bearer(Jwts.base64("hello") + "." + Tokens.encode(alice) + ".c2ln"),
            unauthorized("token header is not a JSON object")),
        row(
            "header a JSON array",
            bearer(Jwts.base64("[\"HS256\"]") + "." + Tokens.encode(alice) + ".c2ln"),
            unauthorized("token header is not a JSON object")),
        row(
            "payload not JSON",
            bearer(Tokens.encode(header("HS256")) + "." + Jwts.base64("{sub:alice}") + ".c2ln"),
            unauthorized("token payload is not a JSON object")),
        row(
            "payload a JSON string",
            bearer(Tokens.encode(header("HS256")) + "." + Jwts.base64("\"alice\"") + ".c2ln"),
            unauthorized("token payload is not a JSON object")),
        // The algorithm.
        row("alg none, unsigned", bearer(Tokens.unsigned(alice)), unauthorized(NOT_SIGNED)),
        row(
            "alg none with a signature",
            bearer(Tokens.raw(header("none"), alice, "c2ln")),
            unauthorized("token algorithm 'none' is not accepted: tokens must be signed")),
        row(
            "alg NONE with a signature",
            bearer(Tokens.raw(header("NONE"), alice, "c2ln")),
            unauthorized("token algorithm 'none' is not accepted: tokens must be signed")),
        row(
            "alg missing",
            bearer(hs256(new JsonObject().put("typ", "JWT"), alice)),
            unauthorized("token header 'alg' must be a string, was absent")),
        row(
            "alg a number",
            bearer(hs256(new JsonObject().put("alg", 256), alice)),
            unauthorized("token header 'alg' must be a string, was 256")),
        row("alg unknown", bearer(hs256(header("XY999"), alice)), algorithmRefused("XY999")),
        row("alg in lower case", bearer(hs256(header("hs256"), alice)), algorithmRefused("hs256")),
        row(
            "alg HS512, not allowed",
            bearer(Jwts.hmac(header("HS512"), alice, "HmacSHA512", Tokens.SECRET)),
            algorithmRefused("HS512")),
        row(
            "alg RS512, not allowed",
            bearer(Jwts.signed(header("RS512"), alice, "SHA512withRSA", Jwts.RSA.getPrivate())),
            algorithmRefused("RS512")),
        row(
            "alg PS256, not allowed",
            bearer(hs256(header("PS256"), alice)),
            algorithmRefused("PS256")),
        row(
            "alg ES384, allowed but without a key",
            bearer(
                Jwts.signed(
                    header("ES384"),
                    alice,
                    "SHA384withECDSAinP1363Format",
                    Tokens.ec("secp384r1").getPrivate())),
            unauthorized("no key is configured for token algorithm 'ES384'")),
        // Signatures: algorithm confusion, tampering, other keys.
        row(
            "HS256 keyed with the RSA public key PEM",
            bearer(
                Jwts.hmac(header("HS256"), alice, "HmacSHA256", Tokens.pem(Jwts.RSA.getPublic()))),
            unauthorized(BAD_SIGNATURE)),
        row(
            "HS256 keyed with the EC public key PEM",
            bearer(
                Jwts.hmac(header("HS256"), alice, "HmacSHA256", Tokens.pem(Jwts.EC.getPublic()))),
            unauthorized(BAD_SIGNATURE)),
        row(
            "RS256 header, HMAC signature",
            bearer(hs256(header("RS256"), alice)),
            unauthorized(BAD_SIGNATURE)),
        row(
            "ES256 header, HMAC signature",
            bearer(hs256(header("ES256"), alice)),
            unauthorized(BAD_SIGNATURE)),
        row(
            "ES256 header, RSA signature",
            bearer(Jwts.signed(header("ES256"), alice, "SHA256withRSA", Jwts.RSA.getPrivate())),
            unauthorized(BAD_SIGNATURE)),
        row(
            "RS256 header, EC signature",
            bearer(
                Jwts.signed(
                    header("RS256"), alice, "SHA256withECDSAinP1363Format", Jwts.EC.getPrivate())),
            unauthorized(BAD_SIGNATURE)),
        row(
            "HS384 header, HS256 signature",
            bearer(hs256(header("HS384"), alice)),
            unauthorized(BAD_SIGNATURE)),
        row(
            "HS256 payload with another sub",
            bearer(Jwts.tamperPayload(good, claims("mallory", "acme"))),
            unauthorized(BAD_SIGNATURE)),
        row(
            "RS256 payload with another org",
            bearer(Jwts.tamperPayload(Jwts.rs256(alice), claims("alice", "evil"))),
            unauthorized(BAD_SIGNATURE)),
        row(
            "ES256 payload with a grant of everything",
            bearer(
                Jwts.tamperPayload(
                    Jwts.es256(alice), claims("alice").put("channels", new JsonArray().add("*")))),
            unauthorized(BAD_SIGNATURE)),
        row(
            "HS256 signature tampered",
            bearer(Jwts.tamperSignature(good)),
            unauthorized(BAD_SIGNATURE)),
        row(
            "RS256 signature tampered",
            bearer(Jwts.tamperSignature(Jwts.rs256(alice))),
            unauthorized(BAD_SIGNATURE)),
        row(
            "ES256 signature tampered",
            bearer(Jwts.tamperSignature(Jwts.es256(alice))),
            unauthorized(BAD_SIGNATURE)),
        row(
            "HS256 signature of another token",
            bearer(Jwts.withSignatureOf(good, hs256(claims("bob")))),
            unauthorized(BAD_SIGNATURE)),
        row(
            "HS256 with another secret",
            bearer(
                Jwts.hmac(
                    header("HS256"), alice, "HmacSHA256", "another-secret-of-at-least-32-bytes!")),
            unauthorized(BAD_SIGNATURE)),
        row(
            "RS256 with another key",
            bearer(
                Jwts.signed(header("RS256"), alice, "SHA256withRSA", Jwts.OTHER_RSA.getPrivate())),
            unauthorized(BAD_SIGNATURE)),
        row(
            "ES256 with another key",
            bearer(
                Jwts.signed(
                    header("ES256"),
                    alice,
                    "SHA256withECDSAinP1363Format",
                    Jwts.OTHER_EC.getPrivate())),
            unauthorized(BAD_SIGNATURE)),
        row(
            "signature of one character",
            bearer(good.substring(0, good.lastIndexOf('.')) + ".x"),
            Expect.refusedStartingWith(401, "unauthorized", "token signature is not base64url: ")),
        row(
            "signature cut short",
            bearer(good.substring(0, good.length() - 10)),
            Expect.refusedStartingWith(401, "unauthorized", "token signature is not base64url: ")),
        // Time claims.
        row(
            "expired beyond the clock skew",
            bearer(hs256(claims("alice").put("exp", now - 60))),
            unauthorized("token expired at " + Instant.ofEpochSecond(now - 60))),
        row(
            "expired in 1970",
            bearer(hs256(claims("alice").put("exp", 1))),
            unauthorized("token expired at 1970-01-01T00:00:01Z")),
        row(
            "nbf beyond the clock skew",
            bearer(hs256(claims("alice").put("nbf", now + 120))),
            unauthorized("token is not valid before " + Instant.ofEpochSecond(now + 120))),
        row(
            "iat beyond the clock skew",
            bearer(hs256(claims("alice").put("iat", now + 120))),
            unauthorized(
                "token was issued in the future (iat " + Instant.ofEpochSecond(now + 120) + ")")),
        row(
            "exp a string",
            bearer(hs256(claims("alice").put("exp", "9999999999"))),
            unauthorized("token claim 'exp' must be a number (seconds), was '9999999999'")),
        row(
            "nbf a string",
            bearer(hs256(claims("alice").put("nbf", "0"))),
            unauthorized("token claim 'nbf' must be a number (seconds), was '0'")),
        row(
            "iat a boolean",
            bearer(hs256(claims("alice").put("iat", true))),
            unauthorized("token claim 'iat' must be a number (seconds), was true")),
        row(
            "exp an object",
            bearer(hs256(claims("alice").put("exp", new JsonObject().put("s", 1)))),
            unauthorized("token claim 'exp' must be a number (seconds), was {\"s\":1}")),
        // Issuer and audience.
        row(
            "another issuer",
            bearer(hs256(claims("alice").put("iss", "https://evil.example"))),
            unauthorized("token issuer must be '" + ISSUER + "', was 'https://evil.example'")),
        row(
            "the issuer in upper case",
            bearer(hs256(claims("alice").put("iss", "HTTPS://ISSUER.EXAMPLE"))),
            unauthorized("token issuer must be '" + ISSUER + "', was 'HTTPS://ISSUER.EXAMPLE'")),
        row(
            "no issuer",
            bearer(hs256(without(claims("alice"), "iss"))),
            unauthorized("token issuer must be '" + ISSUER + "', was absent")),
        row(
            "issuer a number",
            bearer(hs256(claims("alice").put("iss", 42))),
            unauthorized("token issuer must be '" + ISSUER + "', was 42")),
        row(
            "another audience",
            bearer(hs256(claims("alice").put("aud", "other"))),
            unauthorized("token audience must include '" + AUDIENCE + "', was 'other'")),
        row(
            "an audience array without this server",
            bearer(hs256(claims("alice").put("aud", new JsonArray().add("a").add("b")))),
            unauthorized("token audience must include '" + AUDIENCE + "', was [\"a\",\"b\"]")),
        row(
            "an empty audience array",
            bearer(hs256(claims("alice").put("aud", new JsonArray()))),
            unauthorized("token audience must include '" + AUDIENCE + "', was []")),
        row(
            "no audience",
            bearer(hs256(without(claims("alice"), "aud"))),
            unauthorized("token audience must include '" + AUDIENCE + "', was absent")),
        row(
            "audience a number",
            bearer(hs256(claims("alice").put("aud", 5))),
            unauthorized("token audience must include '" + AUDIENCE + "', was 5")),
        // The identity claims.
        row(
            "no sub",
            bearer(hs256(without(claims("alice"), "sub"))),
            unauthorized("token claim 'sub' is required: it is the user id")),
        row(
            "sub null",
            bearer(hs256(claims("alice").putNull("sub"))),
            unauthorized("token claim 'sub' is required: it is the user id")),
        row(
            "sub empty",
            bearer(hs256(claims(""))),
            unauthorized("token claim 'sub' must be a non-empty string, was ''")),
        row(
            "sub a number",
            bearer(hs256(claims("alice").put("sub", 42))),
            unauthorized("token claim 'sub' must be a non-empty string, was 42")),
        row(
            "sub a boolean",
            bearer(hs256(claims("alice").put("sub", true))),
            unauthorized("token claim 'sub' must be a non-empty string, was true")),
        row(
            "sub an object",
            bearer(hs256(claims("alice").put("sub", new JsonObject().put("id", "alice")))),
            unauthorized("token claim 'sub' must be a non-empty string, was {\"id\":\"alice\"}")),
        row(
            "sub of 201 characters",
            bearer(hs256(claims("u".repeat(201)))),
            unauthorized("token claim 'sub' must be at most 200 characters, was 201")),
        row(
            "org a number",
            bearer(hs256(claims("alice").put("org", 42))),
            unauthorized("token claim 'org' must be a non-empty string, was 42")),
        row(
            "org empty",
            bearer(hs256(claims("alice", ""))),
            unauthorized("token claim 'org' must be a non-empty string, was ''")),
        row(
            "org an array",
            bearer(hs256(claims("alice").put("org", new JsonArray().add("acme")))),
            unauthorized("token claim 'org' must be a non-empty string, was [\"acme\"]")),
        row(
            "org of 201 characters",
            bearer(hs256(claims("alice", "o".repeat(201)))),
            unauthorized("token claim 'org' must be at most 200 characters, was 201")),
        // The channel grants.
        row(
            "channels a string",
            bearer(hs256(claims("alice").put("channels", "chat:vip"))),
            unauthorized(
                "token claim 'channels' must be an array of channel names, was 'chat:vip'")),
        row(
            "channels an object",
            bearer(hs256(claims("alice").put("channels", new JsonObject().put("chat:vip", true)))),
            unauthorized(
                "token claim 'channels' must be an array of channel names, was {\"chat:vip\":true}")),
        row(
            "channels listing a number",
            bearer(hs256(claims("alice").put("channels", new JsonArray().add("chat:vip").add(1)))),
            unauthorized("token claim 'channels' must list channel names (strings), found 1")),
        row(
            "channels listing null",
            bearer(hs256(claims("alice").put("channels", new JsonArray().addNull()))),
            unauthorized("token claim 'channels' must list channel names (strings), found null")),
        row(
            "channels listing a name with a space",
            bearer(hs256(claims("alice").put("channels", new JsonArray().add("bad channel")))),
            unauthorized(
                "token claim 'channels' lists an invalid channel 'bad channel': field 'channels'"
                    + " may only contain A-Z a-z 0-9 _ : . @ $ -, found U+0020 at index 3")),
        row(
            "channels listing an empty name",
            bearer(hs256(claims("alice").put("channels", new JsonArray().add("")))),
            unauthorized(
                "token claim 'channels' lists an invalid channel '': field 'channels' must not be"
                    + " empty")),
        row(
            "channels listing a star inside a name",
            bearer(hs256(claims("alice").put("channels", new JsonArray().add("chat:*x")))),
            unauthorized(
                "token claim 'channels' lists an invalid channel 'chat:*x': field 'channels' may"
                    + " only contain A-Z a-z 0-9 _ : . @ $ -, found '*' at index 5")),
        row(
            "channels listing a name of 201 characters",
            bearer(hs256(claims("alice").put("channels", new JsonArray().add("c".repeat(201))))),
            unauthorized(
                "token claim 'channels' lists an invalid channel '"
                    + "c".repeat(40)
                    + "…': field 'channels' must be at most 200 characters, was '"
                    + "c".repeat(40)
                    + "…' (201 characters)")),
        row(
            "1001 grants",
            bearer(hs256(claims("alice").put("channels", grants(1001)))),
            unauthorized("token claim 'channels' may list at most 1000 channels, listed 1001")));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {2}")
  @MethodSource("tokens")
  void aTokenGetsItsExactAnswer(String name, Head head, Object expected) throws IOException {
    Welcome.upgrade(server.wsPort(), head, expected);
    rowDone();
  }

  private static Arguments row(String name, Head head, Object expected) {
    return Arguments.of(name, head, expected);
  }

  private static Welcome welcome(String userId, String organizationId, Long expiresAt) {
    return new Welcome(userId, organizationId, expiresAt);
  }

  private static Head bearer(String token) {
    return authorization("Bearer " + token);
  }

  private static Head authorization(String value) {
    return Head.valid().with("Authorization", value);
  }

  private static Head query(String token) {
    return Head.valid().target("/ws?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  /** The claims padded with an unknown claim until the token is {@code length} characters. */
  private static String padded(String token, int length) {
    JsonObject claims = claims("alice").put("pad", "");
    int room = length - hs256(claims).length();
    // Three characters of JSON become four of base64url.
    return hs256(claims.put("pad", "p".repeat(room / 4 * 3)));
  }

  private static JsonObject without(JsonObject claims, String claim) {
    claims.remove(claim);
    return claims;
  }

  /** {@code n} grants of the shortest channel name, so that the token fits in a header. */
  private static JsonArray grants(int n) {
    return new JsonArray(Collections.nCopies(n, "a"));
  }

  private static Expect algorithmRefused(String alg) {
    return unauthorized(
        "token algorithm '" + alg + "' is not allowed; auth.algorithms is " + ALGORITHMS);
  }

  /**
   * The token with the last character of its signature changed so that the signature's bytes stay
   * the same: an HS256 signature is 32 bytes in 43 base64url characters, whose last one carries two
   * bits that decoders ignore.
   */
  private static String withUnusedBitFlipped(String token) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = token.charAt(token.length() - 1);
    return token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
  }
}
