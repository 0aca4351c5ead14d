package io.switchboard.server.testing;

import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.SwitchboardConfig;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * A real Switchboard on free ports of 127.0.0.1, two connection instances (so cross-instance
 * fan-out is always exercised), heartbeat slow enough to stay out of the way unless a test sets it.
 * Overrides are merged section by section over those defaults.
 */
public final class TestServer implements AutoCloseable {

  private final SwitchboardServer server;

  private TestServer(SwitchboardServer server) {
    this.server = server;
  }

  public static TestServer start() {
    return start(new JsonObject());
  }

  public static TestServer start(JsonObject overrides) {
    return start(overrides, java.util.List.of());
  }

  /** A server with these plugin instances loaded besides any found on the class path. */
  public static TestServer start(
      JsonObject overrides, java.util.List<io.switchboard.plugin.MessageTypePlugin> plugins) {
    JsonObject config =
        new JsonObject()
            .put("ws", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 2))
            .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put(
                "heartbeat",
                new JsonObject().put("intervalMs", 60_000).put("statsLogIntervalMs", 0))
            .put("shutdown", new JsonObject().put("timeoutMs", 5_000))
            // Tests of routing and delivery open many connections from 127.0.0.1 and publish in
            // bursts to plain channels: the limits and access rules have tests of their own.
            .put(
                "limits",
                new JsonObject()
                    .put("maxConnectionsPerIp", 100_000)
                    .put("maxConnectionsPerUser", 100_000)
                    .put("maxPendingHandshakesPerIp", 1_000)
                    .put("messageRate", 0))
            .put(
                "channels",
                new JsonObject()
                    .put(
                        "namespaces",
                        new JsonObject()
                            .put("", new JsonObject().put("publish", "anyone"))
                            .put("$", new JsonObject().put("join", "anyone"))))
            .put("vertx", new JsonObject().put("eventLoopPoolSize", 4))
            // Hermetic: never pick up plugin jars lying around a build folder.
            .put(
                "plugins",
                new JsonObject()
                    .put("directory", "target/no-plugins-here")
                    .put("scanClasspath", false));
    for (String section : overrides.fieldNames()) {
      JsonObject base = config.getJsonObject(section, new JsonObject());
      config.put(section, base.mergeIn(overrides.getJsonObject(section)));
    }
    return new TestServer(
        Await.result(SwitchboardServer.start(SwitchboardConfig.fromJson(config), plugins)));
  }

  public SwitchboardServer server() {
    return server;
  }

  public int wsPort() {
    return server.wsPort();
  }

  public int adminPort() {
    return server.adminPort();
  }

  /** The TCP event-bus bridge's port, or -1 when {@code bridge.enabled} is off. */
  public int bridgePort() {
    return server.bridgePort();
  }

  public io.vertx.core.Vertx vertx() {
    return server.vertx();
  }

  /** What one of the server's counters has counted, by its meter name (e.g. {@code a.b.c}). */
  public double counted(String counter) {
    return server.metrics().registry().get(counter).counter().count();
  }

  @Override
  public void close() {
    try {
      server.stop().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("server did not stop", e);
    }
  }
}
