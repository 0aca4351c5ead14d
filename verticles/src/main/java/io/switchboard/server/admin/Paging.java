package io.switchboard.server.admin;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.server.bus.PageRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The {@code limit} and {@code cursor} query parameters of the admin API's listings, and the {@code
 * next} cursor of their answers. A cursor is opaque to callers: it carries the key of the last item
 * of a page (a connection id or a channel name) and which of the two it is, so a cursor of one kind
 * of listing is refused by the other.
 */
enum Paging {
  /** Listings of connections, in id order. */
  CONNECTIONS("connection"),
  /** Listings of channels, in name order. */
  CHANNELS("channel");

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final char SEPARATOR = '|';

  private final String kind;

  Paging(String kind) {
    this.kind = kind;
  }

  /**
   * The page a request asks for.
   *
   * @throws AdminException 400 {@code bad_request} naming the parameter and its rule
   */
  PageRequest request(RoutingContext ctx) {
    return new PageRequest(after(ctx.queryParam("cursor")), limit(ctx.queryParam("limit")));
  }

  /** The cursor of the page after the one ending with {@code lastKey}. */
  String next(String lastKey) {
    return ENCODER.encodeToString((kind + SEPARATOR + lastKey).getBytes(StandardCharsets.UTF_8));
  }

  private static int limit(List<String> values) {
    if (values.isEmpty()) {
      return PageRequest.DEFAULT_LIMIT;
    }
    String raw = values.get(0);
    int limit;
    try {
      limit = values.size() == 1 ? Integer.parseInt(raw) : 0;
    } catch (NumberFormatException e) {
      limit = 0;
    }
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw new AdminException(
          400,
          ErrorCode.BAD_REQUEST.code(),
          "query parameter 'limit' must be a whole number from 1 to "
              + PageRequest.MAX_LIMIT
              + " (default "
              + PageRequest.DEFAULT_LIMIT
              + "), was '"
              + String.join(",", values)
              + "'");
    }
    return limit;
  }

  private String after(List<String> values) {
    if (values.isEmpty()) {
      return null;
    }
    String raw = String.join(",", values);
    String decoded = null;
    if (values.size() == 1) {
      try {
        decoded = new String(DECODER.decode(raw), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // not base64: refused below
      }
    }
    String prefix = kind + SEPARATOR;
    if (decoded == null || !decoded.startsWith(prefix) || decoded.length() == prefix.length()) {
      throw new AdminException(
          400,
          ErrorCode.BAD_REQUEST.code(),
          "query parameter 'cursor' must be the 'next' value of a previous page of this "
              + kind
              + " listing, was '"
              + raw
              + "'");
    }
    return decoded.substring(prefix.length());
  }
}
