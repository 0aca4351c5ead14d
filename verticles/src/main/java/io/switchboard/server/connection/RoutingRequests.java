package io.switchboard.server.connection;

import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.frame.Incidents;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests from a connection instance to this node's routing shards (and its other node-local
 * consumers, such as presence), never across the cluster: each one a connection waits for is
 * counted on that connection until it is answered (its pending-request limit), and fails after
 * {@link FrameHandler#ROUTING_TIMEOUT_MS}.
 */
final class RoutingRequests {

  private static final Logger log = LoggerFactory.getLogger(RoutingRequests.class);

  private final EventBus eventBus;
  private final DeliveryOptions options =
      new DeliveryOptions().setSendTimeout(FrameHandler.ROUTING_TIMEOUT_MS).setLocalOnly(true);

  RoutingRequests(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  /** A request to routing on behalf of a connection, counted until it is answered. */
  <T> Future<Message<T>> request(ClientConnection connection, String address, Object body) {
    connection.replyPending();
    return eventBus
        .<T>request(address, body, options)
        .andThen(answered -> connection.replyArrived());
  }

  /** A message to routing that nobody waits for. */
  void send(String address, Object body) {
    eventBus.send(address, body, options);
  }

  /** The protocol error a failed routing request carries, or {@code internal} with a reference. */
  static ProtocolError errorOf(Throwable failure) {
    return errorOf("routing request failed", failure);
  }

  /**
   * The protocol error a failed request carries, or {@code internal} with a reference logged as
   * {@code what}.
   */
  static ProtocolError errorOf(String what, Throwable failure) {
    return BusErrors.protocolError(failure).orElseGet(() -> Incidents.report(log, what, failure));
  }
}
