package io.switchboard.bench.scenario;

import static io.switchboard.bench.report.Figures.Better.HIGHER;
import static io.switchboard.bench.report.Figures.Better.LOWER;
import static io.switchboard.bench.report.Figures.Unit.COUNT;
import static io.switchboard.bench.report.Figures.Unit.MICROS;
import static io.switchboard.bench.report.Figures.Unit.MILLIS;
import static io.switchboard.bench.report.Figures.Unit.PERCENT;
import static io.switchboard.bench.report.Figures.Unit.PER_SECOND;
import static io.switchboard.bench.report.Figures.Unit.SECONDS;

import io.switchboard.bench.client.Finished;
import io.switchboard.bench.client.LocalFleet;
import io.switchboard.bench.client.Opened;
import io.switchboard.bench.client.Payload;
import io.switchboard.bench.report.Figures;
import io.switchboard.bench.report.Histograms;
import io.switchboard.bench.target.CompilerCpu;
import io.switchboard.bench.target.ProcStat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The publish-and-deliver workload of {@code fanout} and {@code channels}: {@code channels ×
 * perChannel} subscribers, publishers at a fixed rate, then a drain and the accounting: every
 * subscriber must receive every message of its channel exactly once, in order.
 */
final class DeliveryRun {

  /** Channel names: {@code bench-0}, {@code bench-1}, ... */
  static final String CHANNEL_PREFIX = "bench-";

  /** Time between the publishers' start and the first publish, to let the tick settle. */
  private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Above this share of its cores, the generator may be the bottleneck: the report says so. */
  private static final double GENERATOR_BUSY = 0.85;

  /** Above this share of the server's CPU, JIT compiling is noted as an incomplete warm-up. */
  private static final double JIT_BUSY = 0.05;

  private DeliveryRun() {}

  static Figures run(
      ScenarioContext context,
      int channels,
      int perChannel,
      int publisherCount,
      DeliveryOptions options)
      throws Exception {
    Figures figures = new Figures();
    Fleets subscribers =
        context.fleets(channels * perChannel, channels, CHANNEL_PREFIX, options.sample, 0);
    context.progress().show(() -> subscribers.connecting("connecting subscribers"));
    LocalFleet publishers = null;
    try {
      Opened opened = subscribers.open();
      if (opened.failed() > 0) {
        figures.problem(
            opened.failed() + " subscribers could not connect or join: " + opened.firstFailure());
      }
      publishers = context.publishers(publisherCount);
      // Read before publishing: where the connections are, as each node counts them.
      List<Long> connectionsByNode = context.target().connectionsByNode();
      String[] names = new String[channels];
      for (int c = 0; c < channels; c++) {
        names[c] = CHANNEL_PREFIX + c;
      }
      double totalSeconds = (options.warmup.toNanos() + options.duration.toNanos()) / 1e9;
      long total = Math.round(options.rate * totalSeconds);
      Publisher publisher =
          new Publisher(
              context.publishingVertx(),
              publishers,
              context.target().wire(),
              names,
              new Payload(options.size),
              options.rate,
              total);

      long start = System.nanoTime() + START_DELAY_NANOS;
      long measureFrom = start + options.warmup.toNanos();
      subscribers.measureFrom(measureFrom);
      // CPU counts from the end of the warm-up, as the measured deliveries do.
      CompletableFuture<double[]> cpuAtMeasure = new CompletableFuture<>();
      CompletableFuture<CompilerCpu> compilerAtMeasure = new CompletableFuture<>();
      context
          .vertx()
          .setTimer(
              Math.max(1, TimeUnit.NANOSECONDS.toMillis(measureFrom - System.nanoTime())),
              t -> {
                cpuAtMeasure.complete(
                    new double[] {context.target().cpuSeconds(), ProcStat.selfCpuSeconds()});
                compilerAtMeasure.complete(context.target().compilerCpu());
              });
      long expectedTotal = total * perChannel;
      context
          .progress()
          .show(
              () ->
                  String.format(
                      Locale.ROOT,
                      "%s  published %,d/%,d  delivered %,d/%,d  subscribers %,d",
                      System.nanoTime() < measureFrom ? "warm-up  " : "measuring",
                      publisher.sent(),
                      total,
                      subscribers.delivered(),
                      expectedTotal,
                      opened.ready()));
      long[] published =
          publisher
              .run(start)
              .await(
                  (long) (totalSeconds * 1000) + TimeUnit.MINUTES.toMillis(10),
                  TimeUnit.MILLISECONDS);
      long publishedAt = System.nanoTime();
      context
          .progress()
          .show(
              () ->
                  String.format(
                      Locale.ROOT,
                      "draining   delivered %,d/%,d",
                      subscribers.delivered(),
                      expectedTotal));
      Finished finished = subscribers.finish(published, options.drain.toMillis());
      long endedAt = System.nanoTime();
      double[] before = cpuAtMeasure.get(1, TimeUnit.MINUTES);
      double serverCpu = context.target().cpuSeconds() - before[0];
      double serverJitCpu =
          context.target().compilerCpu().secondsSince(compilerAtMeasure.get(1, TimeUnit.MINUTES));
      double generatorCpu = ProcStat.selfCpuSeconds() - before[1] + finished.cpuSeconds();
      double wallSeconds = (endedAt - measureFrom) / 1e9;

      long sentTotal = 0;
      for (long count : published) {
        sentTotal += count;
      }
      double measuredSeconds = (finished.lastMeasuredNanos() - measureFrom) / 1e9;
      Histogram latency = finished.latencyMicros();
      figures
          .add("subscribers", "subscribers", opened.ready(), COUNT)
          .add("channels", "channels", channels, COUNT)
          .add("serverNodes", "server nodes", context.target().nodes(), COUNT);
      for (int node = 0; node < connectionsByNode.size(); node++) {
        long count = connectionsByNode.get(node);
        figures.add(
            "node" + node + "Connections",
            "connections on node " + node + (node == 0 ? " (publishers)" : " (subscribers)"),
            count < 0 ? Double.NaN : count,
            COUNT);
      }
      figures
          .add("published", "messages published", sentTotal, COUNT)
          .add("expectedDeliveries", "deliveries due", finished.expected(), COUNT)
          .add("deliveries", "deliveries received", finished.unique(), COUNT)
          .add("lost", "lost", finished.lost(), COUNT, LOWER)
          .add("duplicates", "duplicates or out of order", finished.duplicates(), COUNT, LOWER)
          .add(
              "deliveriesPerSecond",
              "deliveries/s",
              finished.lastMeasuredNanos() > measureFrom
                  ? finished.measured() / measuredSeconds
                  : Double.NaN,
              PER_SECOND,
              HIGHER)
          .add("latencyP50Ms", "latency p50", Histograms.millisAt(latency, 50), MILLIS, LOWER)
          .add("latencyP90Ms", "latency p90", Histograms.millisAt(latency, 90), MILLIS, LOWER)
          .add("latencyP99Ms", "latency p99", Histograms.millisAt(latency, 99), MILLIS, LOWER)
          .add("latencyP999Ms", "latency p99.9", Histograms.millisAt(latency, 99.9), MILLIS, LOWER)
          .add("latencyMaxMs", "latency max", Histograms.maxMillis(latency), MILLIS, LOWER)
          .add("latencySamples", "latency samples", latency.getTotalCount(), COUNT)
          .add("publisherLagMs", "publisher lag max", publisher.maxLagNanos() / 1e6, MILLIS)
          .add(
              "backlogMs",
              "last delivery after last publish",
              Math.max(0, finished.lastMeasuredNanos() - publishedAt) / 1e6,
              MILLIS)
          .add("serverCpuSeconds", "server CPU", serverCpu, SECONDS, LOWER)
          .add("serverCpuPercent", "server CPU of one core", 100 * serverCpu / wallSeconds, PERCENT)
          .add(
              "serverCpuMicrosPerDelivery",
              "server CPU per delivery",
              finished.measured() == 0 ? Double.NaN : serverCpu * 1e6 / finished.measured(),
              MICROS,
              LOWER)
          .add("serverJitCpuSeconds", "server JIT compiler CPU", serverJitCpu, SECONDS, LOWER)
          .add("generatorCpuSeconds", "generator CPU", generatorCpu, SECONDS);
      if (serverJitCpu > JIT_BUSY * serverCpu) {
        figures.note(
            String.format(
                Locale.ROOT,
                "the server's JIT compiler used %.1f s of the %.1f s of server CPU while measuring:"
                    + " it was still warming up; a longer --warmup measures the compiled code",
                serverJitCpu,
                serverCpu));
      }
      double generatorShare = generatorCpu / wallSeconds / context.generatorCores();
      if (generatorShare > GENERATOR_BUSY) {
        figures.note(
            String.format(
                Locale.ROOT,
                "the generator used %.0f%% of its %d core(s): it may be what limited this run",
                100 * generatorShare,
                context.generatorCores()));
      }
      if (finished.lost() > 0) {
        figures.problem(
            "lost "
                + finished.lost()
                + " of "
                + finished.expected()
                + " deliveries (received "
                + finished.unique()
                + ")");
      }
      if (finished.duplicates() > 0) {
        figures.problem(finished.duplicates() + " deliveries were duplicates or out of order");
      }
      if (finished.unexpectedCloseCount() > 0) {
        figures.problem(
            "the server closed "
                + finished.unexpectedCloseCount()
                + " connections, by close code: "
                + finished.unexpectedCloses());
      }
      return figures;
    } finally {
      if (publishers != null) {
        publishers.close();
      }
      subscribers.close();
    }
  }
}
