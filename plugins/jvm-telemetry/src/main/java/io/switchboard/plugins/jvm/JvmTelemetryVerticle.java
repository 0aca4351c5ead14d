package io.switchboard.plugins.jvm;

import io.switchboard.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;

/**
 * A telemetry source for {@code metrics_update}: registers itself under a name (config {@code
 * name}, default {@value #DEFAULT_NAME}) and, whenever the server collects figures, answers with
 * the JVM's heap, garbage collection and thread figures. Deploy it through {@code
 * plugins.verticles}:
 *
 * <pre>{@code
 * "plugins": {"verticles": [{"class": "io.switchboard.plugins.jvm.JvmTelemetryVerticle"}]}
 * }</pre>
 *
 * <p>Figures ({@code data.jvm} of {@code metrics_update}): {@code heapUsedBytes}, {@code
 * heapCommittedBytes}, {@code heapMaxBytes} (-1 when unbounded), {@code nonHeapUsedBytes}, {@code
 * threads}, {@code daemonThreads}, {@code peakThreads}, {@code gc} (per collector: {@code name},
 * {@code collections}, {@code timeMs}), {@code availableProcessors}, {@code systemLoadAverage} (-1
 * when unknown) and {@code uptimeMs}. Nothing is measured while nobody watches {@code $telemetry}:
 * the server only asks then.
 */
public final class JvmTelemetryVerticle extends VerticleBase {

  public static final String DEFAULT_NAME = "jvm";

  /** These are this JVM's figures: clustered, they belong to this node's metrics_update only. */
  private static final DeliveryOptions THIS_NODE = new DeliveryOptions().setLocalOnly(true);

  private MessageConsumer<JsonObject> consumer;
  private String name;

  @Override
  public Future<?> start() {
    name = config().getString("name", DEFAULT_NAME);
    String address = "switchboard.plugins.jvm-telemetry." + deploymentID();
    consumer = vertx.eventBus().consumer(address, request -> request.reply(figures()));
    return consumer
        .completion()
        .compose(
            registered ->
                vertx
                    .eventBus()
                    .request(
                        Addresses.TELEMETRY_REGISTER,
                        new JsonObject().put("name", name).put("address", address),
                        THIS_NODE));
  }

  @Override
  public Future<?> stop() {
    return vertx
        .eventBus()
        .request(Addresses.TELEMETRY_UNREGISTER, new JsonObject().put("name", name), THIS_NODE)
        .otherwiseEmpty()
        .compose(unregistered -> consumer.unregister());
  }

  /** The figures, measured now. */
  static JsonObject figures() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    JsonArray gc = new JsonArray();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      gc.add(
          new JsonObject()
              .put("name", collector.getName())
              .put("collections", collector.getCollectionCount())
              .put("timeMs", collector.getCollectionTime()));
    }
    return new JsonObject()
        .put("heapUsedBytes", heap.getUsed())
        .put("heapCommittedBytes", heap.getCommitted())
        .put("heapMaxBytes", heap.getMax())
        .put("nonHeapUsedBytes", nonHeap.getUsed())
        .put("threads", threads.getThreadCount())
        .put("daemonThreads", threads.getDaemonThreadCount())
        .put("peakThreads", threads.getPeakThreadCount())
        .put("gc", gc)
        .put("availableProcessors", os.getAvailableProcessors())
        .put("systemLoadAverage", os.getSystemLoadAverage())
        .put("uptimeMs", ManagementFactory.getRuntimeMXBean().getUptime());
  }
}
