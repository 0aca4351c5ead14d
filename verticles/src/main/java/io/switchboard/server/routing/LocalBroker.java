package io.switchboard.server.routing;

import io.switchboard.server.cluster.ChannelFrame;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/** The {@link Broker} of a node alone: every channel is its own, and nothing leaves the JVM. */
final class LocalBroker implements Broker {

  static final LocalBroker INSTANCE = new LocalBroker();

  private LocalBroker() {}

  @Override
  public boolean ownsHere(String channel) {
    return true;
  }

  @Override
  public Future<Message<JsonObject>> forward(ChannelFrame publish) {
    throw new IllegalStateException("a node alone owns every channel");
  }

  @Override
  public Future<Message<Object>> forwardBroadcast(String channel, Object body) {
    throw new IllegalStateException("a node alone owns every channel");
  }

  @Override
  public Future<Message<JsonObject>> forwardHistory(String channel, JsonObject body) {
    throw new IllegalStateException("a node alone owns every channel");
  }

  @Override
  public Future<Void> opened(String channel) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> ready(String channel) {
    return Future.succeededFuture();
  }

  @Override
  public void closed(String channel) {}

  @Override
  public void fanOut(ChannelFrame message) {}

  @Override
  public Future<Integer> fanOutCounted(ChannelFrame message) {
    return Future.succeededFuture(0);
  }

  @Override
  public Future<Integer> broadcastToOthers(Object body) {
    return Future.succeededFuture(0);
  }

  @Override
  public int ownedChannels(Collection<String> localChannels) {
    return localChannels.size();
  }
}
