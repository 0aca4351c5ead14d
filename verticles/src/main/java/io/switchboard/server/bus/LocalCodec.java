package io.switchboard.server.bus;

import io.switchboard.plugin.AccessRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes a record between verticles of the same JVM as it is: no copy, no encoding. Such messages
 * never leave the JVM; sending one to a remote node fails loudly rather than silently
 * re-serialising the hot path.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;

  private LocalCodec(Class<T> type) {
    this.type = type;
  }

  /**
   * Registers {@link Delivery}, {@link ClientPublish} and the plugin API's {@link AccessRequest};
   * does nothing if already registered.
   */
  public static void registerAll(EventBus eventBus) {
    register(eventBus, Delivery.class);
    register(eventBus, ClientPublish.class);
    register(eventBus, AccessRequest.class);
  }

  private static <T> void register(EventBus eventBus, Class<T> type) {
    try {
      eventBus.registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // Another Switchboard server shares this Vert.x instance: its codec does the same.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new UnsupportedOperationException(type.getSimpleName() + " never leaves the JVM");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(type.getSimpleName() + " never leaves the JVM");
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "switchboard-local-" + type.getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
