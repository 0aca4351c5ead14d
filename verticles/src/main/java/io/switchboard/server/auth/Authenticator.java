package io.switchboard.server.auth;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;

/**
 * Establishes a connection's {@link Identity} from its upgrade request, the one time it is set: a
 * verified token ({@code Authorization: Bearer}, or the {@code token} query parameter for browsers,
 * which cannot set headers), or on a development server the {@code userId} and {@code
 * organizationId} query parameters, or nobody where anonymous connections are allowed. Thread-safe.
 */
public final class Authenticator {

  /** The query parameter carrying a token. */
  public static final String TOKEN_PARAM = "token";

  public static final String USER_PARAM = "userId";
  public static final String ORGANIZATION_PARAM = "organizationId";

  private final AuthConfig config;
  private final TokenVerifier verifier;

  private Authenticator(AuthConfig config, TokenVerifier verifier) {
    this.config = config;
    this.verifier = verifier;
  }

  /**
   * An authenticator for the configuration; reads the configured keys now (blocking).
   *
   * @throws io.switchboard.server.config.ConfigException naming a key that cannot be used
   */
  public static Authenticator create(Vertx vertx, AuthConfig config) {
    return new Authenticator(
        config, config.jwtEnabled() ? TokenVerifier.create(vertx, config) : null);
  }

  /**
   * Who the client of an upgrade request is.
   *
   * @return the identity; or a failure: {@link TokenRejected} (answer 401) for a missing or invalid
   *     token, {@link ProtocolException} with {@code bad_request} (answer 400) for parameters that
   *     break a rule
   */
  public Future<Identity> identify(MultiMap headers, MultiMap params) {
    String token;
    try {
      token = token(headers, params);
      if (verifier == null) {
        return Future.succeededFuture(withoutKey(token, params));
      }
      refuseIdentityParams(params, "on this server identity comes from the token");
    } catch (ProtocolException | TokenRejected e) {
      return Future.failedFuture(e);
    }
    if (token == null) {
      return config.anonymous()
          ? Future.succeededFuture(Identity.ANONYMOUS)
          : Future.failedFuture(
              new TokenRejected(
                  "a token is required: send 'Authorization: Bearer <token>' or the '"
                      + TOKEN_PARAM
                      + "' query parameter"));
    }
    return verifier.verify(token);
  }

  /**
   * The identity a {@code refresh} frame's token gives a connection: the same user and
   * organisation, with the new token's expiry and grants.
   *
   * @return the new identity, or a {@link TokenRejected} failure saying why not
   */
  public Future<Identity> refresh(Identity current, String token) {
    if (verifier == null || current.source() != Identity.Source.TOKEN) {
      return Future.failedFuture(
          new TokenRejected("refresh is only for connections authenticated with a token"));
    }
    return verifier
        .verify(token)
        .compose(
            next -> {
              if (!next.userId().equals(current.userId())) {
                return Future.failedFuture(
                    new TokenRejected(
                        "a refreshed token must keep the user: 'sub' must be '"
                            + current.userId()
                            + "', was '"
                            + next.userId()
                            + "'"));
              }
              if (!Objects.equals(next.organizationId(), current.organizationId())) {
                return Future.failedFuture(
                    new TokenRejected(
                        "a refreshed token must keep the organisation: '"
                            + config.organizationClaim()
                            + "' must be "
                            + quoted(current.organizationId())
                            + ", was "
                            + quoted(next.organizationId())));
              }
              return Future.succeededFuture(next);
            });
  }

  /** Whether connections may carry tokens here (a key is configured). */
  public boolean verifiesTokens() {
    return verifier != null;
  }

  /** The identity on a server without a key: malformed parameters (400) before a token (401). */
  private Identity withoutKey(String token, MultiMap params) {
    if (!config.queryIdentity()) {
      refuseIdentityParams(params, "auth.queryIdentity is off on this server");
    }
    String userId = config.queryIdentity() ? idParam(params, USER_PARAM) : null;
    String organizationId = config.queryIdentity() ? idParam(params, ORGANIZATION_PARAM) : null;
    if (token != null) {
      throw new TokenRejected(
          "this server has no JWT key configured, so it cannot verify tokens; connect without one"
              + " or configure auth.jwtSecret, auth.jwtKeyFiles or auth.jwksFile");
    }
    if (userId == null && organizationId == null) {
      return Identity.ANONYMOUS;
    }
    return new Identity(userId, organizationId, List.of(), 0, Identity.Source.QUERY);
  }

  private static String token(MultiMap headers, MultiMap params) {
    List<String> authorization = headers.getAll("Authorization");
    List<String> fromQuery = params.getAll(TOKEN_PARAM);
    if (authorization.size() > 1 || fromQuery.size() > 1) {
      throw new ProtocolException(
          ProtocolError.of(ErrorCode.BAD_REQUEST, "send one token: the request carries several"));
    }
    if (!authorization.isEmpty() && !fromQuery.isEmpty()) {
      throw new ProtocolException(
          ProtocolError.of(
              ErrorCode.BAD_REQUEST,
              "send the token once: in the Authorization header or in the '"
                  + TOKEN_PARAM
                  + "' query parameter, not both"));
    }
    if (!fromQuery.isEmpty()) {
      return fromQuery.get(0);
    }
    if (authorization.isEmpty()) {
      return null;
    }
    String value = authorization.get(0);
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new TokenRejected("header 'Authorization' must be 'Bearer <token>'");
    }
    return value.substring(7).trim();
  }

  /** Refuses the identity query parameters where the query does not say who a client is. */
  private static void refuseIdentityParams(MultiMap params, String why) {
    for (String name : List.of(USER_PARAM, ORGANIZATION_PARAM)) {
      if (params.contains(name)) {
        throw new ProtocolException(
            ProtocolError.of(
                ErrorCode.BAD_REQUEST, "query parameter '" + name + "' is not accepted: " + why));
      }
    }
  }

  private static String idParam(MultiMap params, String name) {
    List<String> values = params.getAll(name);
    if (values.size() > 1) {
      throw new ProtocolException(
          ProtocolError.of(
              ErrorCode.BAD_REQUEST,
              "query parameter '"
                  + name
                  + "' must appear once, appeared "
                  + values.size()
                  + " times"));
    }
    String value = values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    if (value != null && value.length() > TokenVerifier.MAX_ID_LENGTH) {
      throw new ProtocolException(
          ProtocolError.of(
              ErrorCode.BAD_REQUEST,
              "query parameter '"
                  + name
                  + "' must be at most "
                  + TokenVerifier.MAX_ID_LENGTH
                  + " characters, was "
                  + value.length()));
    }
    return value;
  }

  private static String quoted(String value) {
    return value == null ? "absent" : "'" + value + "'";
  }
}
