package io.switchboard.server.admin;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.frame.Incidents;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's one failure handler: every failure, whatever raised it, becomes {@code {"error":
 * {"code", "message"}}} with the right HTTP status. Unexpected failures answer 500 {@code internal}
 * with a reference id that is also in the log.
 */
final class AdminErrors {

  /** A request body of another media type than {@code application/json}: HTTP 415. */
  static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";

  private static final Logger log = LoggerFactory.getLogger(AdminErrors.class);

  private AdminErrors() {}

  static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    String code;
    String message;
    if (failure instanceof AdminException e) {
      status = e.status;
      code = e.code;
      message = e.getMessage();
    } else if (failure instanceof ProtocolException e) {
      status = e.error().code().httpStatus();
      code = e.error().code().code();
      message = e.error().message();
    } else if (failure instanceof ReplyException e
        && e.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      status = e.failureCode() >= 400 && e.failureCode() < 600 ? e.failureCode() : 500;
      ProtocolError error = BusErrors.protocolError(e).orElse(null);
      code = error != null ? error.code().code() : codeFor(status);
      message = error != null ? error.message() : String.valueOf(e.getMessage());
    } else if (failure instanceof ReplyException e) {
      status = 503;
      code = "unavailable";
      message = "the server did not answer in time (" + e.failureType() + "); try again";
    } else if (failure instanceof HttpException e) {
      status = e.getStatusCode();
      code = codeFor(status);
      message = e.getPayload() != null ? e.getPayload() : defaultMessage(ctx, status);
    } else if (failure == null && status > 0) {
      code = codeFor(status);
      message = defaultMessage(ctx, status);
    } else {
      ProtocolError internal =
          Incidents.report(
              log,
              "admin request failed [" + ctx.request().method() + " " + ctx.request().path() + "]",
              failure);
      status = 500;
      code = internal.code().code();
      message = internal.message();
    }
    send(ctx, status, code, message);
  }

  /**
   * A request Vert.x could not decode (a request line or headers over the limits, or not HTTP/1.x):
   * answered in the same form as every other failure, then the connection is closed.
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message =
          "the request line is longer than " + AdminVerticle.MAX_REQUEST_LINE_BYTES + " bytes";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "the request headers are larger than " + AdminVerticle.MAX_HEADER_BYTES + " bytes";
    } else {
      status = 400;
      message =
          "the request is not valid HTTP/1.1" + (cause == null ? "" : ": " + cause.getMessage());
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(
            new JsonObject()
                .put(
                    "error",
                    new JsonObject()
                        .put("code", ErrorCode.BAD_REQUEST.code())
                        .put("message", message))
                .encode())
        .onComplete(done -> request.connection().close());
  }

  static void send(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("error", new JsonObject().put("code", code).put("message", message))
                .encode());
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 400 -> ErrorCode.BAD_REQUEST.code();
      case 401 -> ErrorCode.UNAUTHORIZED.code();
      case 403 -> ErrorCode.FORBIDDEN.code();
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> ErrorCode.MESSAGE_TOO_LARGE.code();
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 503 -> "unavailable";
      default -> status < 500 ? ErrorCode.BAD_REQUEST.code() : ErrorCode.INTERNAL.code();
    };
  }

  private static String defaultMessage(RoutingContext ctx, int status) {
    String route = ctx.request().method() + " " + ctx.request().path();
    return switch (status) {
      case 404 -> "no such route: " + route;
      case 405 -> "method not allowed: " + route;
      case 413 -> "request body is too large";
      default -> "request failed with status " + status + ": " + route;
    };
  }
}
