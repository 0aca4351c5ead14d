package io.switchboard.server.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * How clients prove who they are ({@code auth} section). With a JWT key configured ({@link
 * #jwtSecret}, {@link #jwtKeyFiles} or {@link #jwksFile}), every upgrade must carry a valid token
 * unless {@link #anonymous} allows connections without one. Without a key, a development server
 * bound to loopback takes the identity from the {@code userId} and {@code organizationId} query
 * parameters ({@link #queryIdentity}); start-up refuses that on any other address.
 *
 * @param jwtSecret the HS256 shared secret, at least {@value #MIN_SECRET_BYTES} bytes; empty: none
 * @param jwtKeyFiles PEM files holding RSA or EC public keys or certificates (RS256, ES256)
 * @param jwksFile a JSON Web Key Set file ({@code {"keys": [...]}}); empty: none
 * @param algorithms the signature algorithms a token may use; {@code none} is never accepted
 * @param issuer when not empty, a token's {@code iss} must equal it
 * @param audience when not empty, a token's {@code aud} must name it
 * @param clockSkewSeconds how far {@code exp}, {@code nbf} and {@code iat} may be off
 * @param organizationClaim the claim holding the organisation id
 * @param channelsClaim the claim listing extra channel grants (names, or prefixes ending in {@code
 *     *})
 * @param anonymous with a key configured: whether a connection without a token is accepted, with no
 *     identity
 * @param queryIdentity without a key: whether the query parameters say who the client is
 *     (development only, loopback only)
 * @param refreshNoticeMs how long before its token expires a connection is sent {@code
 *     token_expiring}
 */
public record AuthConfig(
    String jwtSecret,
    List<String> jwtKeyFiles,
    String jwksFile,
    List<String> algorithms,
    String issuer,
    String audience,
    int clockSkewSeconds,
    String organizationClaim,
    String channelsClaim,
    boolean anonymous,
    boolean queryIdentity,
    long refreshNoticeMs) {

  public static final String SECTION = "auth";
  public static final String DEFAULT_JWT_SECRET = "";
  public static final List<String> DEFAULT_JWT_KEY_FILES = List.of();
  public static final String DEFAULT_JWKS_FILE = "";
  public static final List<String> DEFAULT_ALGORITHMS = List.of("HS256", "RS256", "ES256");
  public static final String DEFAULT_ISSUER = "";
  public static final String DEFAULT_AUDIENCE = "";
  public static final int DEFAULT_CLOCK_SKEW_SECONDS = 30;
  public static final String DEFAULT_ORGANIZATION_CLAIM = "org";
  public static final String DEFAULT_CHANNELS_CLAIM = "channels";
  public static final boolean DEFAULT_ANONYMOUS = false;
  public static final boolean DEFAULT_QUERY_IDENTITY = true;
  public static final long DEFAULT_REFRESH_NOTICE_MS = 60_000;

  /** RFC 7518 asks for an HMAC key at least as long as the hash: 256 bits for HS256. */
  public static final int MIN_SECRET_BYTES = 32;

  /** The signature algorithms Switchboard can verify. */
  public static final List<String> SUPPORTED_ALGORITHMS =
      List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512");

  private static final Set<String> KEYS =
      Set.of(
          "jwtSecret",
          "jwtKeyFiles",
          "jwksFile",
          "algorithms",
          "issuer",
          "audience",
          "clockSkewSeconds",
          "organizationClaim",
          "channelsClaim",
          "anonymous",
          "queryIdentity",
          "refreshNoticeMs");

  static AuthConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    String secret = s.string("jwtSecret", DEFAULT_JWT_SECRET);
    if (!secret.isEmpty() && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw s.invalid(
          "jwtSecret",
          "a secret of " + secret.getBytes(StandardCharsets.UTF_8).length + " bytes",
          "at least " + MIN_SECRET_BYTES + " bytes (256 bits) for HS256");
    }
    List<String> algorithms = s.strings("algorithms", DEFAULT_ALGORITHMS);
    if (algorithms.isEmpty()) {
      throw s.invalid("algorithms", "[]", "a non-empty list of " + SUPPORTED_ALGORITHMS);
    }
    for (String algorithm : algorithms) {
      if (!SUPPORTED_ALGORITHMS.contains(algorithm)) {
        throw s.invalid(
            "algorithms",
            new JsonArray(algorithms).encode(),
            "a list of " + SUPPORTED_ALGORITHMS + " (never none)");
      }
    }
    for (String claim : List.of("organizationClaim", "channelsClaim")) {
      if (s.string(claim, "x").isBlank()) {
        throw s.invalid(claim, "\"\"", "a claim name");
      }
    }
    return new AuthConfig(
        secret,
        s.strings("jwtKeyFiles", DEFAULT_JWT_KEY_FILES),
        s.string("jwksFile", DEFAULT_JWKS_FILE),
        algorithms,
        s.string("issuer", DEFAULT_ISSUER),
        s.string("audience", DEFAULT_AUDIENCE),
        s.integer("clockSkewSeconds", DEFAULT_CLOCK_SKEW_SECONDS, 0, 300),
        s.string("organizationClaim", DEFAULT_ORGANIZATION_CLAIM),
        s.string("channelsClaim", DEFAULT_CHANNELS_CLAIM),
        s.bool("anonymous", DEFAULT_ANONYMOUS),
        s.bool("queryIdentity", DEFAULT_QUERY_IDENTITY),
        s.millis("refreshNoticeMs", DEFAULT_REFRESH_NOTICE_MS, 0));
  }

  /** Whether any JWT key is configured, which makes tokens the way clients identify. */
  public boolean jwtEnabled() {
    return !jwtSecret.isEmpty() || !jwtKeyFiles.isEmpty() || !jwksFile.isEmpty();
  }

  /** Whether the query parameters say who a client is: no key, and development identity on. */
  public boolean identityFromQuery() {
    return !jwtEnabled() && queryIdentity;
  }

  /**
   * Checks this section against the address the WebSocket port binds: every way of connecting must
   * be safe there.
   */
  void checkAgainst(String wsHost) {
    if (identityFromQuery() && !AdminConfig.isLoopback(wsHost)) {
      throw new ConfigException(
          "auth.queryIdentity must be false when ws.host is not a loopback address, was true with"
              + " ws.host "
              + wsHost
              + ": any client could claim any identity. Configure a JWT key (auth.jwtSecret,"
              + " auth.jwtKeyFiles or auth.jwksFile), or set auth.queryIdentity to false and"
              + " auth.anonymous to true to accept connections without identity, or bind ws.host"
              + " to 127.0.0.1");
    }
    if (!jwtEnabled() && !queryIdentity && !anonymous) {
      throw new ConfigException(
          "auth.anonymous must be true when no JWT key is configured and auth.queryIdentity is"
              + " false, was false: no client could connect. Configure auth.jwtSecret,"
              + " auth.jwtKeyFiles or auth.jwksFile");
    }
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("jwtSecret", jwtSecret)
        .put("jwtKeyFiles", new JsonArray(jwtKeyFiles))
        .put("jwksFile", jwksFile)
        .put("algorithms", new JsonArray(algorithms))
        .put("issuer", issuer)
        .put("audience", audience)
        .put("clockSkewSeconds", clockSkewSeconds)
        .put("organizationClaim", organizationClaim)
        .put("channelsClaim", channelsClaim)
        .put("anonymous", anonymous)
        .put("queryIdentity", queryIdentity)
        .put("refreshNoticeMs", refreshNoticeMs);
  }
}
