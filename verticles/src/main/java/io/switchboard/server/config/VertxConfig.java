package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The Vert.x instance ({@code vertx} section); read only when Switchboard creates its own.
 *
 * @param eventLoopPoolSize event-loop threads; 0 keeps Vert.x's default (twice the cores)
 * @param transport the network transport: {@code auto} (the default), {@code nio} or {@code epoll}
 */
public record VertxConfig(int eventLoopPoolSize, TransportChoice transport) {

  public static final String SECTION = "vertx";
  public static final int DEFAULT_EVENT_LOOP_POOL_SIZE = 0;
  public static final TransportChoice DEFAULT_TRANSPORT = TransportChoice.AUTO;

  private static final Set<String> KEYS = Set.of("eventLoopPoolSize", "transport");

  static VertxConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    return new VertxConfig(
        s.integer("eventLoopPoolSize", DEFAULT_EVENT_LOOP_POOL_SIZE, 0, 1024), transport(s));
  }

  private static TransportChoice transport(ConfigSection s) {
    String name = s.string("transport", DEFAULT_TRANSPORT.configName());
    TransportChoice choice = TransportChoice.fromConfig(name);
    if (choice == null) {
      throw s.invalid("transport", name, "auto, nio or epoll");
    }
    return choice;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("eventLoopPoolSize", eventLoopPoolSize)
        .put("transport", transport.configName());
  }
}
