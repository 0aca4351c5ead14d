package io.switchboard.server.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * A TCP proxy on 127.0.0.1 that connects each new connection to the first of its target ports that
 * accepts it: what a client with a list of server URLs does on reconnect. Given to an SDK client as
 * its one URL, it sends the client to a surviving node once its own node is gone.
 */
public final class FailoverProxy implements AutoCloseable {

  private final NetClient client;
  private final List<IntSupplier> targets;
  private NetServer server;

  private FailoverProxy(Vertx vertx, List<IntSupplier> targets) {
    this.client = vertx.createNetClient();
    this.targets = List.copyOf(targets);
  }

  /** A proxy trying {@code targets} (ports of 127.0.0.1) in order for every new connection. */
  public static FailoverProxy start(Vertx vertx, List<IntSupplier> targets) {
    FailoverProxy proxy = new FailoverProxy(vertx, targets);
    proxy.server =
        vertx
            .createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
            .connectHandler(proxy::accept);
    Await.result(proxy.server.listen());
    return proxy;
  }

  /** {@code ws://127.0.0.1:<proxy port>/ws}. */
  public String url() {
    return "ws://127.0.0.1:" + server.actualPort() + "/ws";
  }

  private void accept(NetSocket inbound) {
    inbound.pause();
    connect(0)
        .onComplete(
            (outbound, failure) -> {
              if (failure != null) {
                inbound.close();
                return;
              }
              inbound.handler(outbound::write);
              outbound.handler(inbound::write);
              inbound.closeHandler(v -> outbound.close());
              outbound.closeHandler(v -> inbound.close());
              inbound.resume();
            });
  }

  private Future<NetSocket> connect(int index) {
    if (index >= targets.size()) {
      return Future.failedFuture("no target accepts connections");
    }
    return client
        .connect(targets.get(index).getAsInt(), "127.0.0.1")
        .recover(refused -> connect(index + 1));
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    client.close();
  }
}
