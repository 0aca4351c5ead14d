package io.switchboard.examples.jvmservice;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The three uses of Switchboard's public addresses: listening to lifecycle events, answering as a
 * telemetry source, and broadcasting to a channel with request-reply. Everything runs on this
 * verticle's event loop, so its counters need no locks.
 */
final class ServiceVerticle extends VerticleBase {

  /** How long to wait before asking again when no node has registered the telemetry source yet. */
  private static final long REGISTER_RETRY_MS = 1000;

  private final String channel;
  private final String name;
  private final long startedAt = System.currentTimeMillis();
  private volatile Context loop;
  private long linesRead;
  private long published;
  private long delivered;

  ServiceVerticle(String channel, String name) {
    this.channel = channel;
    this.name = name;
  }

  @Override
  public Future<?> start() {
    loop = context;
    var bus = vertx.eventBus();
    // This service's own address, unique in the cluster, for the node's telemetry requests.
    String telemetryAddress = "example.jvm-service." + name + ".telemetry";
    return Future.all(
            bus.<JsonObject>consumer(Addresses.EVENT_CONNECTED, this::connected).completion(),
            bus.<JsonObject>consumer(Addresses.EVENT_JOINED, this::joined).completion(),
            bus.<JsonObject>consumer(telemetryAddress, request -> request.reply(figures()))
                .completion())
        .onSuccess(registered -> register(telemetryAddress));
  }

  private void connected(Message<JsonObject> event) {
    JsonObject body = event.body();
    System.out.printf(
        "connected: %s [user: %s, ip: %s]%n",
        body.getString("connectionId"), body.getString("userId", "-"), body.getString("ip"));
  }

  private void joined(Message<JsonObject> event) {
    JsonObject body = event.body();
    System.out.printf(
        "joined: %s -> %s [subscribers on its node: %d]%n",
        body.getString("connectionId"), body.getString("channel"), body.getInteger("subscribers"));
  }

  private JsonObject figures() {
    return new JsonObject()
        .put("linesRead", linesRead)
        .put("published", published)
        .put("delivered", delivered)
        .put("uptimeMs", System.currentTimeMillis() - startedAt);
  }

  /** Registers the telemetry source, again every second until a node has taken it. */
  private void register(String address) {
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.TELEMETRY_REGISTER,
            new JsonObject().put("name", name).put("address", address))
        .onSuccess(reply -> System.out.printf("telemetry source registered: %s%n", name))
        .onFailure(
            failure -> {
              System.out.printf("telemetry registration failed, retrying: %s%n", describe(failure));
              vertx.setTimer(REGISTER_RETRY_MS, timer -> register(address));
            });
  }

  /**
   * A failed request as the node answered it: the error's code, whether trying again can succeed,
   * and its sentence; anything else (a timeout) by its message.
   */
  static String describe(Throwable failure) {
    return BusErrors.protocolError(failure)
        .map(
            error ->
                error.code().code()
                    + (error.retryable() ? " (retryable): " : ": ")
                    + error.message())
        .orElse(failure.getMessage());
  }

  /** Broadcasts one line to the channel; callable from any thread. */
  void publish(String line) {
    loop.runOnContext(ignored -> broadcast(line));
  }

  private void broadcast(String line) {
    linesRead++;
    JsonObject broadcast =
        new JsonObject()
            .put("channel", channel)
            .put("type", "SERVICE_LINE")
            .put("data", new JsonObject().put("text", line).put("from", name));
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.BROADCAST, broadcast)
        .onSuccess(
            reply -> {
              int count = reply.body().getInteger("delivered");
              published++;
              delivered += count;
              System.out.printf("published to %s: delivered to %d%n", channel, count);
            })
        .onFailure(failure -> System.out.printf("publish failed: %s%n", describe(failure)));
  }
}
