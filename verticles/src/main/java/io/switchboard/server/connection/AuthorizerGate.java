package io.switchboard.server.connection;

import io.switchboard.plugin.AccessRequest.Action;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.plugin.ChannelAuthorizers;
import io.switchboard.server.plugin.Senders;
import java.util.function.Consumer;

/**
 * Where a namespace names an authorizer, asks it about a connection's join or publish, holding the
 * connection's socket meanwhile: the client's next frames wait for the decision, so they keep their
 * order. Used on the connection's event loop.
 */
final class AuthorizerGate {

  private final ChannelAuthorizers authorizers;

  AuthorizerGate(ChannelAuthorizers authorizers) {
    this.authorizers = authorizers;
  }

  /** Whether the channel's namespace names an authorizer; if not, the rules alone decided. */
  boolean asks(String channel) {
    return authorizers.asks(channel);
  }

  /**
   * Asks the channel's authorizer, then runs {@code allowed} or {@code refused} before the socket
   * is read again.
   *
   * @param data for a publish, its data; null for a join
   */
  void decide(
      ClientConnection connection,
      Action action,
      String channel,
      Object data,
      Runnable allowed,
      Consumer<ProtocolError> refused) {
    connection.authorizing = true;
    connection.replyPending();
    authorizers
        .authorize(
            action,
            channel,
            Senders.of(connection.id, connection.identity, connection.channels),
            data)
        .onComplete(
            (refusal, never) -> {
              try {
                if (refusal == null) {
                  allowed.run();
                } else {
                  refused.accept(refusal);
                }
              } finally {
                // Only now, once the action was handed on (a join then holds the socket by itself
                // until routing answers): nothing the client sent next can overtake it.
                connection.authorizing = false;
                connection.replyArrived();
              }
            });
  }
}
