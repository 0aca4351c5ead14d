package io.switchboard.server.plugin;

import io.switchboard.plugin.AccessRequest.Action;
import io.switchboard.plugin.PluginContext;
import io.switchboard.plugin.PluginRejection;
import io.switchboard.plugin.Sender;
import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.PluginErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.auth.ChannelAccess;
import io.switchboard.server.bus.Audience;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.frame.ServerFrames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A plugin's view of one frame. Channel and identity deliveries go through routing's broadcast
 * address (routing remains the one place that encodes and counts them); replies go straight to the
 * connection instance holding the sender. Used on the plugin's event loop only.
 *
 * <p>Once the frame has timed out ({@link #expire}), its sender was told {@code plugin_timeout},
 * which is retryable: from then on the context is inert, and every publish, broadcast, reply or ack
 * the plugin takes through it is dropped (its future fails with {@code plugin_timeout}), so a retry
 * of the frame cannot be applied twice.
 */
final class PluginContextImpl implements PluginContext {

  /** What becomes of the actions a plugin takes for a frame after the frame timed out. */
  @FunctionalInterface
  interface LateActions {
    /**
     * @param action what the plugin tried, e.g. {@code publish to 'room'}
     * @param droppedBefore how many of this frame's actions were dropped before this one
     */
    void dropped(String action, int droppedBefore);
  }

  private final Vertx vertx;
  private final Envelope frame;
  private final Sender sender;
  private final String instance;
  private final JsonObject config;
  private final ChannelAccess access;
  private final ChannelAuthorizers authorizers;

  /**
   * The refusals {@link #publishAsSender} passed on: they may carry an authorizer's code, which is
   * not this plugin's own and still no misuse.
   */
  private final Set<Throwable> relayed = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Set when the frame timed out; null while the plugin's actions still count. */
  private LateActions late;

  private int droppedActions;

  PluginContextImpl(
      Vertx vertx,
      Envelope frame,
      Sender sender,
      String instance,
      JsonObject config,
      ChannelAccess access,
      ChannelAuthorizers authorizers) {
    this.vertx = vertx;
    this.frame = frame;
    this.sender = sender;
    this.instance = instance;
    this.config = config;
    this.access = access;
    this.authorizers = authorizers;
  }

  @Override
  public Envelope frame() {
    return frame;
  }

  @Override
  public Sender sender() {
    return sender;
  }

  @Override
  public JsonObject config() {
    return config;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  /**
   * The frame timed out and its sender was answered {@code plugin_timeout}: every action the plugin
   * takes through this context from now on is dropped and handed to {@code late}.
   */
  void expire(LateActions late) {
    this.late = late;
  }

  /** Whether an action must be dropped, the frame having timed out; reports it if so. */
  private boolean tooLate(String action) {
    if (late == null) {
      return false;
    }
    late.dropped(action, droppedActions++);
    return true;
  }

  private static <T> Future<T> dropped(String action) {
    return Future.failedFuture(
        new PluginRejection(
            ProtocolError.of(
                ErrorCode.PLUGIN_TIMEOUT,
                action
                    + " was dropped: the frame timed out, and its sender was answered"
                    + " plugin_timeout (a retry may follow)")));
  }

  @Override
  public Future<Integer> publish(String channel, String event, Object data) {
    return broadcast(
        new JsonObject().put("channel", channel), event, data, "publish to '" + channel + "'");
  }

  @Override
  public Future<Integer> publishAsSender(String channel, String event, Object data) {
    String action = "publishAsSender to '" + channel + "'";
    if (tooLate(action)) {
      return dropped(action);
    }
    ProtocolError refused =
        access.checkPublish(Senders.identity(sender), channel, sender.hasJoined(channel));
    if (refused != null) {
      return relay(refused);
    }
    return authorizers
        .authorize(Action.PUBLISH, channel, sender, data)
        .compose(refusal -> refusal == null ? publish(channel, event, data) : relay(refusal));
  }

  private <T> Future<T> relay(ProtocolError refusal) {
    PluginRejection rejection = new PluginRejection(refusal);
    relayed.add(rejection);
    return Future.failedFuture(rejection);
  }

  /** Whether this failure is a refusal {@link #publishAsSender} passed on. */
  boolean relayed(Throwable failure) {
    return relayed.contains(failure);
  }

  @Override
  public Future<Integer> broadcastToUser(String userId, String event, Object data) {
    return broadcast(
        new JsonObject().put("userId", userId), event, data, "broadcast to user '" + userId + "'");
  }

  @Override
  public Future<Integer> broadcastToOrganization(String organizationId, String event, Object data) {
    return broadcast(
        new JsonObject().put("organizationId", organizationId),
        event,
        data,
        "broadcast to organization '" + organizationId + "'");
  }

  private Future<Integer> broadcast(JsonObject target, String event, Object data, String action) {
    if (tooLate(action)) {
      return dropped(action);
    }
    JsonObject request = target.put("type", event).put("data", data);
    // Routing refusing the delivery (a $ channel, a bad target) is the plugin's rejection to pass
    // on to the sender, not a plugin failure.
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.BROADCAST, request)
        .map(reply -> reply.body().getInteger("delivered"))
        .recover(
            failure ->
                Future.failedFuture(
                    BusErrors.protocolError(failure)
                        .<Throwable>map(PluginRejection::new)
                        .orElse(failure)));
  }

  @Override
  public Future<Void> reply(String type, Object data) {
    String action = "reply " + type;
    if (tooLate(action)) {
      return dropped(action);
    }
    return toSender(ServerFrames.custom(type, frame.id(), data));
  }

  @Override
  public Future<Void> ack() {
    if (tooLate("ack")) {
      return dropped("ack");
    }
    return frame.id() == null ? Future.succeededFuture() : toSender(ServerFrames.ack(frame.id()));
  }

  @Override
  public <T> Future<T> reject(ErrorCode code, String message) {
    return Future.failedFuture(new PluginRejection(ProtocolError.of(code, message)));
  }

  @Override
  public <T> Future<T> reject(PluginErrorCode code, String message) {
    return Future.failedFuture(new PluginRejection(ProtocolError.of(code, message)));
  }

  private Future<Void> toSender(Buffer encoded) {
    if (instance == null) {
      return Future.failedFuture("the sender's connection is no longer registered");
    }
    vertx
        .eventBus()
        .send(
            InternalAddresses.connectionDelivery(instance),
            Delivery.to(encoded, Audience.connection(sender.connectionId())),
            new DeliveryOptions().setLocalOnly(true));
    return Future.succeededFuture();
  }
}
