package io.switchboard.bench.scenario;

import static io.switchboard.bench.report.Figures.Better.LOWER;
import static io.switchboard.bench.report.Figures.Unit.COUNT;
import static io.switchboard.bench.report.Figures.Unit.MILLIS;

import io.switchboard.bench.ScenarioCommand;
import io.switchboard.bench.report.Figures;
import io.switchboard.bench.report.Histograms;
import io.switchboard.bench.target.TargetKind;
import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.SwitchboardClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reconnect}: N SDK clients (STATEFUL: they re-join their channel by themselves) connected
 * and joined, then the server restarted on the same port ({@link
 * io.switchboard.bench.target.RunningTarget#restart()}), and the time from the restart's start
 * until each client is back and joined again, that is until its {@code subscription_confirmed} for
 * the channel arrives. Switchboard tells its clients when to come back ({@code
 * server_shutdown.data.reconnectAfterMs}, 2000 ms by default); a bare server does not, so its
 * clients start from the SDK's first backoff delay.
 */
@Command(
    name = "reconnect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "N SDK clients, the server restarted: time until all are back and joined.")
public final class ReconnectScenario extends ScenarioCommand {

  static final String CHANNEL = "reconnect";

  @Option(
      names = {"-n", "--clients"},
      paramLabel = "N",
      description = "SDK clients (default: ${DEFAULT-VALUE}).")
  int clients = 1000;

  @Option(
      names = "--initial-delay-ms",
      paramLabel = "MS",
      description = "The clients' first reconnect delay (default: ${DEFAULT-VALUE}).")
  long initialDelayMs = 500;

  @Option(
      names = "--max-delay-ms",
      paramLabel = "MS",
      description = "The clients' longest reconnect delay (default: ${DEFAULT-VALUE}).")
  long maxDelayMs = 5_000;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Clients connecting at once before the restart (default: ${DEFAULT-VALUE}).")
  int concurrency = 100;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = io.switchboard.bench.DurationConverter.class,
      description = "How long to wait for every client to be back (default: 120s).")
  Duration timeout = Duration.ofSeconds(120);

  @Override
  public String name() {
    return "reconnect";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("clients", clients);
    parameters.put("initialDelayMs", initialDelayMs);
    parameters.put("maxDelayMs", maxDelayMs);
    parameters.put("concurrency", concurrency);
    parameters.put("timeout", timeout.toSeconds() + "s");
    return parameters;
  }

  @Override
  public int connections() {
    return clients;
  }

  @Override
  public void validate() {
    if (clients < 1 || concurrency < 1 || initialDelayMs < 1 || maxDelayMs < initialDelayMs) {
      throw new IllegalArgumentException(
          "--clients and --concurrency must be >= 1, --initial-delay-ms >= 1 and --max-delay-ms"
              + " >= --initial-delay-ms, were "
              + clients
              + ", "
              + concurrency
              + ", "
              + initialDelayMs
              + " and "
              + maxDelayMs);
    }
  }

  @Override
  public Figures run(ScenarioContext context) throws Exception {
    if (context.target().kind() == TargetKind.SOCKETIO) {
      throw new IllegalStateException(
          "reconnect drives Switchboard's SDK client, which does not speak Socket.IO");
    }
    if (context.target().nodes() > 1) {
      throw new IllegalStateException(
          "reconnect restarts one server; " + context.target().kind() + " runs several");
    }
    Vertx vertx = context.vertx();
    String url = "ws://" + context.target().host() + ":" + context.target().port() + "/ws";
    AtomicLongArray backAt = new AtomicLongArray(clients);
    AtomicInteger back = new AtomicInteger();
    LongAdder attempts = new LongAdder();
    long[] restartedAt = {0};
    List<SwitchboardClient> fleet = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      int index = i;
      SwitchboardClient client =
          SwitchboardClient.create(
              vertx,
              new ClientOptions()
                  .setUrl(url)
                  .setReconnectInitialDelayMs(initialDelayMs)
                  .setReconnectMaxDelayMs(maxDelayMs));
      client.onReconnect(attempt -> attempts.increment());
      client.onMessage(
          frame -> {
            if (restartedAt[0] != 0
                && "subscription_confirmed".equals(frame.getString("type"))
                && backAt.compareAndSet(index, 0, System.nanoTime())) {
              back.incrementAndGet();
            }
          });
      fleet.add(client);
    }
    try {
      AtomicInteger joined = new AtomicInteger();
      context.progress().show(() -> "connecting  joined " + joined.get() + "/" + clients);
      for (int from = 0; from < clients; from += concurrency) {
        List<Future<?>> batch = new ArrayList<>();
        for (int i = from; i < Math.min(clients, from + concurrency); i++) {
          SwitchboardClient client = fleet.get(i);
          batch.add(
              client
                  .connect()
                  .compose(connected -> client.join(CHANNEL, message -> {}))
                  .onSuccess(subscription -> joined.incrementAndGet()));
        }
        Future.all(batch).await(60, TimeUnit.SECONDS);
      }
      context.progress().show(() -> "restarting the server");
      restartedAt[0] = System.nanoTime();
      context.target().restart();
      long serverBackNanos = System.nanoTime() - restartedAt[0];
      context.progress().show(() -> "reconnecting  back " + back.get() + "/" + clients);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (back.get() < clients && System.nanoTime() < deadline) {
        // A poll interval for the progress line; the deadline decides when to stop waiting.
        TimeUnit.MILLISECONDS.sleep(20);
      }
      Histogram rejoin = new Histogram(3);
      long lastBack = 0;
      for (int i = 0; i < clients; i++) {
        long at = backAt.get(i);
        if (at != 0) {
          long micros = Math.max(1, (at - restartedAt[0]) / 1_000);
          rejoin.recordValue(micros);
          lastBack = Math.max(lastBack, at - restartedAt[0]);
        }
      }
      int missing = clients - back.get();
      Figures figures =
          new Figures()
              .add("clients", "clients", clients, COUNT)
              .add("back", "clients back and joined", back.get(), COUNT)
              .add("missing", "clients not back", missing, COUNT, LOWER)
              .add(
                  "serverRestartMs", "server restart (stop + start)", serverBackNanos / 1e6, MILLIS)
              .add("allBackMs", "until all back and joined", lastBack / 1e6, MILLIS, LOWER)
              .add("backP50Ms", "back p50", Histograms.millisAt(rejoin, 50), MILLIS, LOWER)
              .add("backP90Ms", "back p90", Histograms.millisAt(rejoin, 90), MILLIS, LOWER)
              .add("backP99Ms", "back p99", Histograms.millisAt(rejoin, 99), MILLIS, LOWER)
              .add("reconnectAttempts", "reconnect attempts", attempts.sum(), COUNT, LOWER);
      if (missing > 0) {
        figures.problem(missing + " clients were not back and joined within " + timeout);
      }
      return figures;
    } finally {
      List<Future<Void>> closing = new ArrayList<>();
      fleet.forEach(client -> closing.add(client.disconnect()));
      Future.join(closing).otherwiseEmpty().await(60, TimeUnit.SECONDS);
    }
  }
}
