package io.switchboard.sdk.impl;

import io.switchboard.protocol.MessageType;
import io.switchboard.sdk.ClientOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * Keeps a connection's token fresh: when the server says it expires soon ({@code token_expiring}),
 * asks the application's token supplier for a new one and sends it in a {@code refresh} frame. When
 * there is no supplier, or it fails, the error handler hears why; the server then closes the
 * connection with 4004 and the client reconnects, asking the supplier again.
 *
 * <p>Used on the client's context only.
 */
final class TokenRefresh {

  /** Ids of refresh frames, so that the server's answers can be told apart. */
  static final String ID_PREFIX = "sb-refresh-";

  private final Context context;
  private final ClientOptions options;
  private final Events events;
  private long sequence;

  TokenRefresh(Context context, ClientOptions options, Events events) {
    this.context = context;
    this.options = options;
    this.events = events;
  }

  /** The server sent {@code token_expiring} on {@code connection}. */
  void onExpiring(Connection connection) {
    Supplier<Future<String>> supplier = options.getAuthToken();
    if (supplier == null) {
      events.error(
          new IllegalStateException(
              "the server says the connection's token expires soon, and no authToken supplier is"
                  + " set to refresh it; the server will close the connection with 4004"));
      return;
    }
    Attempts.call("authToken supplier", supplier)
        .onComplete(
            result ->
                context.runOnContext(
                    v -> {
                      if (connection.isAbandoned()) {
                        return;
                      }
                      if (result.failed() || result.result() == null) {
                        events.error(
                            new IllegalStateException(
                                "token refresh failed: "
                                    + (result.failed()
                                        ? result.cause().getMessage()
                                        : "the authToken supplier answered no token"),
                                result.cause()));
                        return;
                      }
                      connection.write(
                          new JsonObject()
                              .put("type", MessageType.REFRESH.wireName())
                              .put("id", ID_PREFIX + (++sequence))
                              .put("data", new JsonObject().put("token", result.result()))
                              .encode());
                    }));
  }
}
