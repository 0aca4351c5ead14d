package io.switchboard.server.routing;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.bus.ClientPublish;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.frame.Incidents;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides what a message becomes: joins and leaves, client publishes, service
 * broadcasts to channels, users and organisations. Encodes each outgoing frame once and publishes
 * it to the channel's delivery address (or sends it to the instances holding the targets). Runs as
 * a single instance, so its registry needs no locks.
 */
public final class RoutingVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(RoutingVerticle.class);

  private final SwitchboardMetrics metrics;
  private final Registry registry = new Registry();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private EventBus eventBus;

  public RoutingVerticle(SwitchboardMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    eventBus = vertx.eventBus();
    consume(Addresses.ROUTING_INSTANCE, this::onInstance);
    consume(Addresses.EVENT_CONNECTED, this::onConnected);
    consume(Addresses.EVENT_DISCONNECTED, this::onDisconnected);
    consume(Addresses.ROUTING_JOIN, this::onJoin);
    consume(Addresses.ROUTING_LEAVE, this::onLeave);
    consume(Addresses.ROUTING_PUBLISH, this::onPublish);
    consume(Addresses.BROADCAST, this::onBroadcast);
    consume(Addresses.ROUTING_CUSTOM, this::onCustom);
    consume(Addresses.ROUTING_QUERY, new RoutingQueries(registry)::answer);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  /**
   * Registers a consumer whose handler may throw {@link ProtocolException} to answer the request
   * with that error; anything else unexpected answers {@code internal} with a logged reference.
   */
  private <T> void consume(String address, Consumer<Message<T>> handler) {
    consumers.add(
        eventBus.<T>consumer(
            address,
            message -> {
              try {
                handler.accept(message);
              } catch (ProtocolException e) {
                BusErrors.fail(message, e.error());
              } catch (RuntimeException e) {
                ProtocolError error =
                    Incidents.report(log, "routing failed [address: " + address + "]", e);
                if (message.replyAddress() != null) {
                  BusErrors.fail(message, error);
                }
              }
            }));
  }

  private void onInstance(Message<JsonObject> message) {
    String instance = message.body().getString("instance");
    if (message.body().getBoolean("up", false)) {
      registry.instanceUp(instance);
    } else {
      registry.instanceDown(instance);
    }
    message.reply(new JsonObject());
  }

  private void onConnected(Message<JsonObject> event) {
    JsonObject body = event.body();
    registry.connected(
        body.getString("connectionId"),
        body.getString("instance"),
        body.getString("userId"),
        body.getString("organizationId"));
  }

  private void onDisconnected(Message<JsonObject> event) {
    Registry.Connection gone = registry.disconnected(event.body().getString("connectionId"));
    if (gone == null) {
      return;
    }
    for (String channel : gone.channels()) {
      int subscribers = registry.subscribers(channel).size();
      publishMembership(Addresses.EVENT_LEFT, gone.id(), channel, subscribers);
      if (subscribers == 0) {
        eventBus.publish(Addresses.EVENT_CHANNEL_CLOSED, new JsonObject().put("channel", channel));
      }
    }
    metrics.channelsActive(registry.channelCount());
  }

  private void onJoin(Message<JsonObject> request) {
    String id = request.body().getString("connectionId");
    String channel = request.body().getString("channel");
    Registry.Membership joined = registry.join(id, channel);
    request.reply(new JsonObject().put("subscribers", joined.subscribers()));
    if (joined.channelOpened()) {
      eventBus.publish(Addresses.EVENT_CHANNEL_OPENED, new JsonObject().put("channel", channel));
      metrics.channelsActive(registry.channelCount());
    }
    publishMembership(Addresses.EVENT_JOINED, id, channel, joined.subscribers());
  }

  private void onLeave(Message<JsonObject> request) {
    String id = request.body().getString("connectionId");
    String channel = request.body().getString("channel");
    Registry.Membership left = registry.leave(id, channel);
    request.reply(new JsonObject().put("subscribers", left.subscribers()));
    publishMembership(Addresses.EVENT_LEFT, id, channel, left.subscribers());
    if (left.channelClosed()) {
      eventBus.publish(Addresses.EVENT_CHANNEL_CLOSED, new JsonObject().put("channel", channel));
      metrics.channelsActive(registry.channelCount());
    }
  }

  private void publishMembership(String address, String id, String channel, int subscribers) {
    eventBus.publish(
        address,
        new JsonObject()
            .put("connectionId", id)
            .put("channel", channel)
            .put("subscribers", subscribers));
  }

  private void onPublish(Message<ClientPublish> request) {
    ClientPublish publish = request.body();
    if (ChannelNames.isServerChannel(publish.channel())) {
      throw new ProtocolException(
          ProtocolError.forbidden(
              "clients may not publish to '$' channels; '"
                  + publish.channel()
                  + "' belongs to the server"));
    }
    int delivered =
        toChannel(publish.channel(), ServerFrames.message(publish.channel(), null, publish.data()));
    request.reply(new JsonObject().put("delivered", delivered));
  }

  private void onBroadcast(Message<Object> request) {
    BroadcastRequest broadcast = BroadcastRequest.parse(request.body());
    Buffer frame = ServerFrames.message(broadcast.channel(), broadcast.type(), broadcast.data());
    int delivered;
    if (broadcast.userId() == null && broadcast.organizationId() == null) {
      delivered = toChannel(broadcast.channel(), frame);
    } else {
      delivered =
          toConnections(
              broadcast.channel(),
              registry.targets(broadcast.channel(), broadcast.userId(), broadcast.organizationId()),
              frame);
    }
    request.reply(new JsonObject().put("success", true).put("delivered", delivered));
  }

  /** Publishes to every subscriber of a channel; returns how many there are. */
  private int toChannel(String channel, Buffer frame) {
    int subscribers = registry.subscribers(channel).size();
    metrics.broadcastRouted();
    if (subscribers > 0) {
      eventBus.publish(Addresses.channel(channel), Delivery.toChannel(frame));
    }
    return subscribers;
  }

  /**
   * Delivers to a set of connections: through the channel's address when a channel narrows the
   * targets (its subscribers' instances already consume it), otherwise straight to the instances
   * holding them.
   */
  private int toConnections(String channel, Set<String> targets, Buffer frame) {
    metrics.broadcastRouted();
    if (targets.isEmpty()) {
      return 0;
    }
    if (channel != null) {
      eventBus.publish(Addresses.channel(channel), Delivery.toConnections(frame, targets));
      return targets.size();
    }
    Map<String, Set<String>> byInstance = new HashMap<>();
    for (String id : targets) {
      Registry.Connection connection = registry.connection(id);
      byInstance.computeIfAbsent(connection.instance(), i -> new HashSet<>()).add(id);
    }
    byInstance.forEach(
        (instance, ids) ->
            eventBus.send(
                Addresses.connectionDelivery(instance), Delivery.toConnections(frame, ids)));
    return targets.size();
  }

  /** Types that are not built in; plugins will own them. Until one does, they are unknown. */
  private void onCustom(Message<JsonObject> request) {
    JsonObject frame = request.body().getJsonObject("frame", new JsonObject());
    throw new ProtocolException(ProtocolError.unknownType(frame.getString("type", "")));
  }
}
