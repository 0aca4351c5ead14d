package io.switchboard.bench.client;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The generator's Vert.x: on Linux x86-64 it reads with native epoll, which costs less CPU per
 * delivery than NIO, so that the generator is not what limits a run. The servers under test keep
 * their own transport (NIO, as Switchboard ships).
 */
public final class GeneratorVertx {

  private GeneratorVertx() {}

  public static Vertx create() {
    return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  /** A Vert.x with a single event loop, for the publishers and their schedule alone. */
  public static Vertx createForPublishers() {
    return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
  }

  /** The transport a generator Vert.x reads with, for the report. */
  public static String transport(Vertx vertx) {
    return vertx.isNativeTransportEnabled() ? "epoll (native)" : "nio";
  }
}
