package io.switchboard.bench.bare;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The bare reference server: the ceiling for a WebSocket fan-out server on this stack. It speaks
 * just enough of Switchboard's protocol for the bench (welcome, join, publish, message) and does
 * the least work a server can: no registry, no validation, no JSON tree, one encoded frame per
 * publish written to every subscriber. Run as {@code java -cp switchboard-bench.jar
 * io.switchboard.bench.bare.BareServer --port 8090}.
 */
@Command(
    name = "bare-server",
    mixinStandardHelpOptions = true,
    description = "The bare Vert.x WebSocket fan-out server: the ceiling for our stack.")
public final class BareServer implements Callable<Integer> {

  @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = 8090;

  @Option(
      names = "--flush",
      description = "Flush policy: per-message or coalesce (default: ${DEFAULT-VALUE}).")
  String flush = FlushPolicy.PER_MESSAGE.id();

  @Option(
      names = "--instances",
      description = "Verticle instances; 0 for one per event loop (default: ${DEFAULT-VALUE}).")
  int instances = 0;

  public static void main(String[] args) {
    int exit = new CommandLine(new BareServer()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public Integer call() throws Exception {
    FlushPolicy policy = FlushPolicy.of(flush);
    int eventLoops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    int count = instances > 0 ? instances : eventLoops;
    Vertx vertx = Vertx.vertx();
    BareHub hub = new BareHub();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            // A negative port is Vert.x's "random port shared by every instance with this value".
            .setPort(port == 0 ? -1 : port)
            .setTcpNoDelay(true)
            .setPerFrameWebSocketCompressionSupported(false)
            .setPerMessageWebSocketCompressionSupported(false)
            .setMaxWebSocketFrameSize(1 << 16)
            .setMaxWebSocketMessageSize(1 << 16);
    BareVerticle[] deployed = new BareVerticle[count];
    int[] next = {0};
    vertx
        .deployVerticle(
            () -> {
              BareVerticle verticle = new BareVerticle(hub, options, policy);
              synchronized (deployed) {
                deployed[next[0]++] = verticle;
              }
              return verticle;
            },
            new DeploymentOptions().setInstances(count))
        .await(60, TimeUnit.SECONDS);
    System.out.println(
        "bare server listening [ws: ws://"
            + host
            + ":"
            + deployed[0].actualPort()
            + "/ws, instances: "
            + count
            + ", flush: "
            + policy
            + "]");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    vertx.close().await(10, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    // exiting anyway
                  }
                },
                "bare-shutdown"));
    return 0;
  }
}
