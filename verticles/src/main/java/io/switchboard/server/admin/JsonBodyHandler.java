package io.switchboard.server.admin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;

/**
 * Reads a JSON request body into memory, at most {@code maxBytes} of it, and nothing else: a body
 * declared as anything but {@code application/json} (a form, a multipart upload) is refused with
 * 415 before a byte of it is read. Vert.x's body handler would otherwise decode forms and stream
 * multipart file parts into a {@code file-uploads} folder of the working directory; here it runs
 * with uploads off, behind this check, so no request body ever reaches the disk.
 *
 * <p>A request without a {@code Content-Type} is read as JSON, for clients that send none.
 */
final class JsonBodyHandler implements Handler<RoutingContext> {

  static final String JSON = "application/json";

  private final BodyHandler body;

  JsonBodyHandler(long maxBytes) {
    this.body = BodyHandler.create(false).setBodyLimit(maxBytes);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType != null && !isJson(contentType)) {
      throw new AdminException(
          415,
          AdminErrors.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type '"
              + mediaType(contentType)
              + "' is not accepted; the body must be "
              + JSON);
    }
    body.handle(ctx);
  }

  private static boolean isJson(String contentType) {
    return mediaType(contentType).toLowerCase(Locale.ROOT).equals(JSON);
  }

  /** The media type without its parameters ({@code ; charset=...}, {@code ; boundary=...}). */
  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }
}
