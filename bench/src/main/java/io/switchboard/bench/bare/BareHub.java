package io.switchboard.bench.bare;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bare server's instances, one per event loop, each owning its sockets. A publish is written by
 * its own instance to its local subscribers and handed straight to every other instance's event
 * loop: the least work a sharded server can do, with no event bus and no registry.
 */
final class BareHub {

  private final List<BareVerticle> instances = new CopyOnWriteArrayList<>();

  void add(BareVerticle instance) {
    instances.add(instance);
  }

  void remove(BareVerticle instance) {
    instances.remove(instance);
  }

  void deliver(String channel, Buffer frame, BareVerticle from) {
    for (BareVerticle instance : instances) {
      if (instance == from) {
        instance.deliverLocally(channel, frame);
      } else {
        instance.deliverOnItsLoop(channel, frame);
      }
    }
  }
}
