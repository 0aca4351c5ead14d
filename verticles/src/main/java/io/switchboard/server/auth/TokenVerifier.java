package io.switchboard.server.auth;

import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.config.AuthConfig;
import io.switchboard.server.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies the JWTs clients connect (and refresh) with, and turns their claims into an {@link
 * Identity}. Signatures, {@code iss}, {@code aud} and the time claims are checked by
 * vertx-auth-jwt; this class adds the algorithm allowlist, the claim shapes Switchboard relies on
 * ({@code sub}, the organisation and channels claims) and a precise reason for every refusal.
 */
public final class TokenVerifier {

  /** The longest token accepted, in characters; longer ones are refused before any decoding. */
  public static final int MAX_TOKEN_LENGTH = 8192;

  /** The longest user or organisation id, in characters. */
  public static final int MAX_ID_LENGTH = 200;

  /** The most channel grants one token may carry. */
  public static final int MAX_GRANTS = 1000;

  private final AuthConfig config;
  private final JWTAuth jwt;
  private final Set<String> keyedAlgorithms;

  private TokenVerifier(AuthConfig config, JWTAuth jwt, Set<String> keyedAlgorithms) {
    this.config = config;
    this.jwt = jwt;
    this.keyedAlgorithms = keyedAlgorithms;
  }

  /**
   * A verifier for the configured keys, read now (blocking file reads: call it at start-up).
   *
   * @throws ConfigException naming the key file or setting that cannot be used
   */
  public static TokenVerifier create(Vertx vertx, AuthConfig config) {
    JWTAuthOptions options =
        new JWTAuthOptions()
            .setJWTOptions(
                new JWTOptions()
                    .setLeeway(config.clockSkewSeconds())
                    .setIssuer(config.issuer().isEmpty() ? null : config.issuer())
                    .setAudience(config.audience().isEmpty() ? null : List.of(config.audience())));
    Set<String> keyed = new LinkedHashSet<>();
    for (PubSecKeyOptions key : JwtKeys.load(config)) {
      options.addPubSecKey(key);
      keyed.add(key.getAlgorithm());
    }
    for (JsonObject jwk : JwtKeys.loadJwks(config)) {
      options.addJwk(jwk);
      keyed.add(jwk.getString("alg"));
    }
    try {
      return new TokenVerifier(config, JWTAuth.create(vertx, options), Set.copyOf(keyed));
    } catch (RuntimeException e) {
      throw new ConfigException("auth keys could not be loaded: " + e.getMessage());
    }
  }

  /**
   * Verifies a token.
   *
   * @return the token's identity, or a failure with a {@link TokenRejected} saying why
   */
  public Future<Identity> verify(String token) {
    Claims claims;
    try {
      claims = precheck(token);
    } catch (TokenRejected e) {
      return Future.failedFuture(e);
    }
    Future<?> verified;
    try {
      verified = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // vertx-auth-jwt may throw instead of failing on claims of an unexpected shape.
      verified = Future.failedFuture(e);
    }
    return verified.transform(
        outcome -> {
          if (outcome.failed()) {
            return Future.failedFuture(explain(claims));
          }
          try {
            return Future.succeededFuture(identity(claims.payload));
          } catch (TokenRejected e) {
            return Future.failedFuture(e);
          }
        });
  }

  /** The decoded parts of a token that passed the shape checks, before its signature is. */
  private record Claims(JsonObject header, JsonObject payload) {}

  /** Checks what can be checked without the key: the format, the algorithm, the claims' types. */
  private Claims precheck(String token) {
    if (token == null || token.isEmpty()) {
      throw new TokenRejected("token is empty");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new TokenRejected(
          "token is longer than " + MAX_TOKEN_LENGTH + " characters (" + token.length() + ")");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[2].isEmpty()) {
      throw new TokenRejected(
          "token is not a signed JWT: expected header.payload.signature in base64url");
    }
    JsonObject header = segment(parts[0], "header");
    JsonObject payload = segment(parts[1], "payload");
    canonical(parts[2], "signature");
    Object alg = header.getValue("alg");
    if (!(alg instanceof String algorithm)) {
      throw new TokenRejected("token header 'alg' must be a string, was " + show(alg));
    }
    if (algorithm.equalsIgnoreCase("none")) {
      throw new TokenRejected("token algorithm 'none' is not accepted: tokens must be signed");
    }
    if (!config.algorithms().contains(algorithm)) {
      throw new TokenRejected(
          "token algorithm '"
              + cut(algorithm)
              + "' is not allowed; auth.algorithms is "
              + String.join(", ", config.algorithms()));
    }
    if (!keyedAlgorithms.contains(algorithm)) {
      throw new TokenRejected("no key is configured for token algorithm '" + algorithm + "'");
    }
    for (String time : List.of("exp", "nbf", "iat")) {
      Object value = payload.getValue(time);
      if (value != null && !(value instanceof Number)) {
        throw new TokenRejected(
            "token claim '" + time + "' must be a number (seconds), was " + show(value));
      }
    }
    identity(payload); // the claims' shapes, so a bad one is named even with a good signature
    return new Claims(header, payload);
  }

  private Identity identity(JsonObject payload) {
    Object sub = payload.getValue("sub");
    if (sub == null) {
      throw new TokenRejected("token claim 'sub' is required: it is the user id");
    }
    String userId = idClaim("sub", sub);
    Object org = payload.getValue(config.organizationClaim());
    String organizationId = org == null ? null : idClaim(config.organizationClaim(), org);
    List<String> grants = grants(payload.getValue(config.channelsClaim()));
    long expiresAtMs = payload.getValue("exp") instanceof Number exp ? exp.longValue() * 1000 : 0;
    return new Identity(userId, organizationId, grants, expiresAtMs, Identity.Source.TOKEN);
  }

  private static String idClaim(String claim, Object value) {
    if (!(value instanceof String id) || id.isEmpty()) {
      throw new TokenRejected(
          "token claim '" + claim + "' must be a non-empty string, was " + show(value));
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw new TokenRejected(
          "token claim '"
              + claim
              + "' must be at most "
              + MAX_ID_LENGTH
              + " characters, was "
              + id.length());
    }
    return id;
  }

  private List<String> grants(Object value) {
    if (value == null) {
      return List.of();
    }
    String claim = config.channelsClaim();
    if (!(value instanceof JsonArray array)) {
      throw new TokenRejected(
          "token claim '" + claim + "' must be an array of channel names, was " + show(value));
    }
    if (array.size() > MAX_GRANTS) {
      throw new TokenRejected(
          "token claim '"
              + claim
              + "' may list at most "
              + MAX_GRANTS
              + " channels, listed "
              + array.size());
    }
    List<String> grants = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String grant)) {
        throw new TokenRejected(
            "token claim '"
                + claim
                + "' must list channel names (strings), found "
                + (item == null ? "null" : show(item)));
      }
      try {
        // "*" alone is the prefix of every channel; any other grant names a channel or a prefix.
        if (!grant.equals("*")) {
          ChannelNames.validate(
              claim, grant.endsWith("*") ? grant.substring(0, grant.length() - 1) : grant);
        }
      } catch (ProtocolException e) {
        throw new TokenRejected(
            "token claim '"
                + claim
                + "' lists an invalid channel '"
                + cut(grant)
                + "': "
                + e.error().message());
      }
      grants.add(grant);
    }
    return grants;
  }

  /**
   * Turns vertx-auth-jwt's refusal into a sentence naming the claim that failed, read from the
   * claims themselves: the library's own messages (or exceptions, for claims of an unexpected type)
   * do not say.
   */
  private TokenRejected explain(Claims claims) {
    JsonObject payload = claims.payload;
    long now = System.currentTimeMillis() / 1000;
    int skew = config.clockSkewSeconds();
    Object audience = payload.getValue("aud");
    if (!config.audience().isEmpty() && !names(audience, config.audience())) {
      return new TokenRejected(
          "token audience must include '" + config.audience() + "', was " + show(audience));
    }
    Object issuer = payload.getValue("iss");
    if (!config.issuer().isEmpty() && !config.issuer().equals(issuer)) {
      return new TokenRejected(
          "token issuer must be '" + config.issuer() + "', was " + show(issuer));
    }
    if (payload.getValue("exp") instanceof Number exp && now - skew >= exp.longValue()) {
      return new TokenRejected("token expired at " + instant(exp.longValue()));
    }
    if (payload.getValue("nbf") instanceof Number nbf && nbf.longValue() > now + skew) {
      return new TokenRejected("token is not valid before " + instant(nbf.longValue()));
    }
    if (payload.getValue("iat") instanceof Number iat && iat.longValue() > now + skew) {
      return new TokenRejected(
          "token was issued in the future (iat " + instant(iat.longValue()) + ")");
    }
    return new TokenRejected("token signature does not verify");
  }

  /** A NumericDate for messages: an ISO instant, or the raw number when no instant is that far. */
  private static String instant(long seconds) {
    try {
      return Instant.ofEpochSecond(seconds).toString();
    } catch (DateTimeException e) {
      return seconds + " (seconds since 1970)";
    }
  }

  /** Whether an {@code aud} claim (a string or an array of them) names this audience. */
  private static boolean names(Object audience, String expected) {
    if (audience instanceof JsonArray list) {
      return list.contains(expected);
    }
    return expected.equals(audience);
  }

  /**
   * Decodes one part of a token, which must be base64url as JWS writes it (RFC 7515): no padding,
   * and the unused bits of the last character zero. Java's decoder also takes padding and ignores
   * those bits, so one signature could be written several ways; only the one way is accepted.
   */
  private static byte[] canonical(String part, String name) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new TokenRejected("token " + name + " is not base64url: " + e.getMessage());
    }
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
      throw new TokenRejected(
          "token "
              + name
              + " is not canonical base64url: JWS parts have no padding and zero unused bits");
    }
    return bytes;
  }

  private static JsonObject segment(String part, String name) {
    byte[] bytes = canonical(part, name);
    try {
      return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new TokenRejected("token " + name + " is not a JSON object");
    }
  }

  private static String show(Object value) {
    if (value == null) {
      return "absent";
    }
    String text = value instanceof String s ? "'" + cut(s) + "'" : cut(String.valueOf(value));
    return text;
  }

  private static String cut(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
