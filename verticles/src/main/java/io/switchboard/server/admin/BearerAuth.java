package io.switchboard.server.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Guards the admin routes with a static bearer token ({@code admin.token}). The comparison takes
 * the same time whatever the token sent, so it leaks nothing about the configured one.
 */
final class BearerAuth implements Handler<RoutingContext> {

  private static final String PREFIX = "Bearer ";

  private final byte[] token;

  BearerAuth(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    List<String> headers = ctx.request().headers().getAll("Authorization");
    if (headers.size() > 1) {
      // Which one counts would depend on who reads them (a proxy may read the last).
      reject(ctx, "send one Authorization header, not " + headers.size());
      return;
    }
    String header = headers.isEmpty() ? null : headers.get(0);
    if (!hasBearer(header)) {
      reject(ctx, "missing Authorization: Bearer <token> header");
      return;
    }
    if (!matches(header)) {
      reject(ctx, "invalid bearer token");
      return;
    }
    ctx.next();
  }

  /** Whether the request carries the right token; for routes that answer less without it. */
  boolean authorized(HttpServerRequest request) {
    List<String> headers = request.headers().getAll("Authorization");
    return headers.size() == 1 && hasBearer(headers.get(0)) && matches(headers.get(0));
  }

  private static boolean hasBearer(String header) {
    return header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  private boolean matches(String header) {
    byte[] sent = header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(sent, token);
  }

  private static void reject(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"switchboard-admin\"");
    AdminErrors.send(ctx, 401, "unauthorized", message);
  }
}
