package io.switchboard.sdk.impl;

import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.sdk.ChannelMessage;
import io.switchboard.sdk.StreamPosition;
import io.switchboard.sdk.Subscription;
import io.switchboard.sdk.SwitchboardClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;

/**
 * One joined channel. Besides the public view it tracks where its join is: queued in the outbox
 * ({@link #queuedId}), written and waiting for the confirmation ({@link #joinId}), or confirmed
 * (both null). Mutated on the client's context only; the public getters are safe from any thread.
 */
final class SubscriptionImpl implements Subscription {

  final String channel;
  final Handler<ChannelMessage> handler;
  final Promise<Subscription> joined = Promise.promise();
  private final SwitchboardClient client;
  private volatile boolean active = true;
  private volatile int subscribers;

  /** The last position received on the channel; set and read on the client's context. */
  private volatile StreamPosition position;

  /** The outbox id of the join frame while it waits for a connection, else null. */
  String queuedId;

  /** The correlation id of the join waiting for its confirmation, else null. */
  String joinId;

  SubscriptionImpl(String channel, Handler<ChannelMessage> handler, SwitchboardClient client) {
    this.channel = channel;
    this.handler = handler;
    this.client = client;
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public int subscribers() {
    return subscribers;
  }

  @Override
  public StreamPosition position() {
    return position;
  }

  void position(StreamPosition position) {
    this.position = position;
  }

  @Override
  public boolean isActive() {
    return active;
  }

  @Override
  public Future<Void> leave() {
    if (!active) {
      return Future.failedFuture(new ProtocolException(ProtocolError.notSubscribed(channel)));
    }
    return client.leave(channel);
  }

  /** Whether the server has confirmed this join (on the current or an earlier connection). */
  boolean isConfirmed() {
    return queuedId == null && joinId == null;
  }

  void confirmed(int subscribers) {
    this.subscribers = subscribers;
    joinId = null;
    joined.tryComplete(this);
  }

  /** The handler gets nothing more; a join still waiting fails with {@code cause}. */
  void end(Throwable cause) {
    active = false;
    joined.tryFail(cause);
  }
}
