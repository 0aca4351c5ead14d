package io.switchboard.server.routing;

import io.switchboard.server.bus.Audience;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.bus.InternalAddresses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Targeted deliveries (to users, organisations or some of a channel's subscribers) through the
 * connection instances of this node, which alone know who their connections are: one request per
 * instance that may hold a target, each answering how many of its sockets it wrote to.
 *
 * <p>An instance's delivery address and a channel's share the instance's event loop, which runs
 * what one shard sends it in the order sent: a targeted message keeps its place among the channel's
 * messages.
 */
final class HubDeliveries {

  private static final Logger log = LoggerFactory.getLogger(HubDeliveries.class);

  /** How long an instance may take to count; one that does not answer in time counts none. */
  static final long COUNT_TIMEOUT_MS = 5_000;

  private static final DeliveryOptions LOCAL =
      new DeliveryOptions().setLocalOnly(true).setSendTimeout(COUNT_TIMEOUT_MS);

  private final EventBus eventBus;

  HubDeliveries(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  /**
   * Delivers a frame to the connections an audience matches among those of the given instances.
   *
   * @return how many sockets it was written to
   */
  Future<Integer> deliver(Collection<String> instances, Audience audience, Buffer frame) {
    if (instances.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Delivery delivery = Delivery.to(frame, audience);
    List<Future<Integer>> counts = new ArrayList<>(instances.size());
    for (String instance : instances) {
      counts.add(
          eventBus
              .<JsonObject>request(InternalAddresses.connectionDelivery(instance), delivery, LOCAL)
              .map(reply -> reply.body().getInteger("delivered", 0))
              .otherwise(
                  failure -> {
                    log.warn(
                        "a connection instance did not count a delivery [instance: {}]: {}",
                        instance,
                        failure.getMessage());
                    return 0;
                  }));
    }
    return Future.all(counts)
        .map(
            done -> {
              int total = 0;
              for (Future<Integer> count : counts) {
                total += count.result();
              }
              return total;
            });
  }
}
