package io.switchboard.server.connection;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.auth.Authenticator;
import io.switchboard.server.auth.Identity;
import io.switchboard.server.auth.TokenRejected;
import io.switchboard.server.auth.TokenVerifier;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything before a WebSocket exists, for one connection instance: every accepted TCP connection
 * is counted and must complete its upgrade within {@code limits.handshakeTimeoutMs}; an upgrade
 * request is checked for form (RFC 6455), origin, connection limits and identity, in that order,
 * and answered with an HTTP error and {@code {"error": {"code", "message"}}} at the first failure,
 * before any WebSocket is created. Used on the instance's event loop only.
 */
final class Upgrades {

  /** What happens to an accepted upgrade. */
  interface Opened {
    /**
     * @param session the client's {@code session} query parameter, or null
     */
    void open(ServerWebSocket ws, Identity identity, ConnectionLimits.Slot slot, String session);
  }

  /**
   * The longest request line, in bytes: room for a {@code ?token=} of {@link
   * TokenVerifier#MAX_TOKEN_LENGTH} characters, so that an overlong token is refused by the
   * verifier with its own sentence. A longer line is answered 414.
   */
  static final int MAX_REQUEST_LINE_BYTES = 16 * 1024;

  /** The most header bytes a request may carry (a bearer token included); beyond: 431. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private static final Logger log = LoggerFactory.getLogger(Upgrades.class);

  private final Vertx vertx;
  private final SwitchboardConfig config;
  private final ConnectionLimits limits;
  private final Authenticator authenticator;
  private final SwitchboardMetrics metrics;
  private final Opened opened;

  /** TCP connections of this instance still in their handshake, with their timeout timers. */
  private final Map<HttpConnection, Long> handshaking = new HashMap<>();

  private boolean stopping;

  Upgrades(
      Vertx vertx,
      SwitchboardConfig config,
      ConnectionLimits limits,
      Authenticator authenticator,
      SwitchboardMetrics metrics,
      Opened opened) {
    this.vertx = vertx;
    this.config = config;
    this.limits = limits;
    this.authenticator = authenticator;
    this.metrics = metrics;
    this.opened = opened;
  }

  /** From now on every upgrade is refused with 503. */
  void stopAccepting() {
    stopping = true;
  }

  /** A TCP connection was accepted: count it, and give it the handshake timeout to upgrade. */
  void onConnection(HttpConnection connection) {
    String ip = ip(connection.remoteAddress());
    if (!limits.startHandshake(ip)) {
      log.debug("connection closed at once: too many handshakes under way [ip: {}]", ip);
      metrics.upgradeRefused(SwitchboardMetrics.TOO_MANY_HANDSHAKES);
      connection.close();
      return;
    }
    long timer =
        vertx.setTimer(
            config.limits().handshakeTimeoutMs(),
            t -> {
              if (handshaking.remove(connection) != null) {
                limits.endHandshake(ip);
                log.debug("handshake timed out [ip: {}]", ip);
                metrics.upgradeRefused(SwitchboardMetrics.HANDSHAKE_TIMEOUT);
                connection.close();
              }
            });
    handshaking.put(connection, timer);
    connection.closeHandler(
        closed -> {
          Long pending = handshaking.remove(connection);
          if (pending != null) {
            vertx.cancelTimer(pending);
            limits.endHandshake(ip);
          }
        });
  }

  /** Any HTTP request on the public port: an upgrade, or a plain request answered with an error. */
  void onRequest(HttpServerRequest request) {
    if (!request.path().equals(config.ws().path())) {
      refuse(
          request,
          new Refusal(
              404,
              ProtocolError.of(
                  ErrorCode.BAD_REQUEST,
                  "no such endpoint; WebSocket clients connect to " + config.ws().path())));
      return;
    }
    if (!UpgradeRequests.asksForUpgrade(request)) {
      refuse(
          request,
          new Refusal(
              426,
              ProtocolError.of(
                  ErrorCode.BAD_REQUEST,
                  "this endpoint speaks WebSocket only; send an Upgrade: websocket request"),
              "Upgrade",
              "websocket"));
      return;
    }
    HttpConnection connection = request.connection();
    String ip = ip(connection.remoteAddress());
    ConnectionLimits.Slot slot;
    String session;
    try {
      UpgradeRequests.check(request);
      if (stopping) {
        throw new Refusal(
            ProtocolError.of(
                ErrorCode.UNAVAILABLE, "the server is shutting down; reconnect in a moment"));
      }
      UpgradeRequests.checkOrigin(request, config.ws().allowedOrigins());
      session = UpgradeRequests.session(request);
      slot = limits.open(ip);
    } catch (Refusal refusal) {
      refuse(request, refusal);
      return;
    }
    authenticator
        .identify(request.headers(), request.params())
        .compose(
            identity -> {
              if (identity.userId() != null) {
                slot.user(identity.userId());
              }
              return request.toWebSocket().map(ws -> new Accepted(ws, identity));
            })
        .onComplete(
            (accepted, failure) -> {
              if (failure != null) {
                slot.release();
                refuse(request, refusalFor(failure));
                return;
              }
              Long timer = handshaking.remove(connection);
              if (timer != null) {
                vertx.cancelTimer(timer);
                limits.endHandshake(ip);
              }
              opened.open(accepted.ws, accepted.identity, slot, session);
            });
  }

  /**
   * A request Vert.x could not decode: a request line or headers over the limits, or not HTTP/1.x
   * at all. Answered like any refusal, instead of Vert.x's bare status without a body.
   */
  void onInvalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Refusal refusal;
    if (cause instanceof TooLongHttpLineException) {
      refusal =
          new Refusal(
              414,
              ProtocolError.of(
                  ErrorCode.BAD_REQUEST,
                  "the request line is longer than " + MAX_REQUEST_LINE_BYTES + " bytes"));
    } else if (cause instanceof TooLongHttpHeaderException) {
      refusal =
          new Refusal(
              431,
              ProtocolError.of(
                  ErrorCode.BAD_REQUEST,
                  "the request headers are larger than " + MAX_HEADER_BYTES + " bytes"));
    } else {
      refusal =
          new Refusal(
              400,
              ProtocolError.of(
                  ErrorCode.BAD_REQUEST,
                  "the request is not valid HTTP/1.1"
                      + (cause == null ? "" : ": " + cause.getMessage())));
    }
    refuse(request, refusal);
  }

  private record Accepted(ServerWebSocket ws, Identity identity) {}

  private static Refusal refusalFor(Throwable failure) {
    if (failure instanceof Refusal refusal) {
      return refusal;
    }
    if (failure instanceof TokenRejected rejected) {
      return new Refusal(
          401,
          ProtocolError.of(ErrorCode.UNAUTHORIZED, rejected.getMessage()),
          "WWW-Authenticate",
          "Bearer error=\"invalid_token\"");
    }
    if (failure instanceof ProtocolException e) {
      return new Refusal(e.error());
    }
    log.debug("upgrade failed", failure);
    return new Refusal(
        400,
        ProtocolError.of(
            ErrorCode.BAD_REQUEST, "the WebSocket handshake failed: " + failure.getMessage()));
  }

  /** Answers a refused request and closes its connection. */
  private void refuse(HttpServerRequest request, Refusal refusal) {
    metrics.upgradeRefused(String.valueOf(refusal.status));
    metrics.error(refusal.error.code());
    HttpServerResponse response = request.response();
    if (response.ended()) {
      request.connection().close();
      return;
    }
    response
        .setStatusCode(refusal.status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close");
    if (refusal.header != null) {
      response.putHeader(refusal.header, refusal.headerValue);
    }
    if (refusal.error.code().retryable()) {
      response.putHeader("Retry-After", "1");
    }
    JsonObject error =
        new JsonObject()
            .put("code", refusal.error.code().code())
            .put("message", refusal.error.message());
    response
        .end(new JsonObject().put("error", error).encode())
        .onComplete(done -> request.connection().close());
  }

  private static String ip(SocketAddress address) {
    if (address == null) {
      return "unknown";
    }
    String host = address.hostAddress();
    return host == null ? "unknown" : host;
  }
}
