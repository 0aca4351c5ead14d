package io.switchboard.sdk;

import io.switchboard.server.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of a server, for the faults a real network has: {@link
 * #blackhole()} stops forwarding in both directions and keeps every socket open (a peer that went
 * silent, a dead NAT entry), {@link #silenceServer()} drops only what the server sends (a client
 * whose frames arrive but whose answers are lost), {@link #cut()} closes every connection (a
 * dropped link), {@link #refuse()} closes every new connection at once (a node that is down behind
 * an address that still takes TCP connections), {@link #restore()} forwards again. It also keeps
 * the head of every HTTP request that came through, so tests can see the upgrade request a client
 * sent, and can note each connection it accepts in a log shared by several proxies, which gives the
 * order of a client's attempts across them.
 */
public final class FaultProxy implements AutoCloseable {

  private final int targetPort;
  private final NetClient client;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final List<String> requestHeads = new CopyOnWriteArrayList<>();
  private final List<String> acceptLog;
  private volatile boolean blackholed;
  private volatile boolean serverSilenced;
  private volatile boolean refusing;
  private NetServer server;
  private boolean closed;

  /**
   * One proxied connection: the client's socket and ours to the server. Once a direction has
   * dropped a byte it never forwards another, as a TCP stream cannot go on with bytes missing:
   * after {@link #restore()} it stays silent until it is cut or its peers give up on it.
   */
  private static final class Link {
    final NetSocket inbound;
    final NetSocket outbound;
    volatile boolean brokenToServer;
    volatile boolean brokenToClient;

    Link(NetSocket inbound, NetSocket outbound) {
      this.inbound = inbound;
      this.outbound = outbound;
    }

    void close() {
      inbound.close();
      outbound.close();
    }
  }

  private FaultProxy(Vertx vertx, int targetPort, List<String> acceptLog) {
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
    this.acceptLog = acceptLog;
  }

  /** Starts a proxy on a free port of 127.0.0.1 forwarding to {@code 127.0.0.1:targetPort}. */
  public static FaultProxy start(Vertx vertx, int targetPort) {
    return start(vertx, targetPort, new CopyOnWriteArrayList<>());
  }

  /**
   * A proxy that appends its {@link #url()} to {@code acceptLog} for every connection it accepts,
   * refused ones included, before it does anything else with it.
   */
  public static FaultProxy start(Vertx vertx, int targetPort, List<String> acceptLog) {
    FaultProxy proxy = new FaultProxy(vertx, targetPort, acceptLog);
    proxy.server =
        vertx
            .createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
            .connectHandler(proxy::accept);
    Await.result(proxy.server.listen());
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code ws://127.0.0.1:<proxy port>/ws}. */
  public String url() {
    return "ws://127.0.0.1:" + port() + "/ws";
  }

  /** Drops every byte in both directions from now on, on open and new connections alike. */
  public void blackhole() {
    blackholed = true;
  }

  /** Drops every byte the server sends from now on; what the client sends still goes through. */
  public void silenceServer() {
    serverSilenced = true;
  }

  /** Closes every new connection as soon as it is accepted; open ones carry on. */
  public void refuse() {
    refusing = true;
  }

  /** Forwards again, after {@link #blackhole()}, {@link #silenceServer()} or {@link #refuse()}. */
  public void restore() {
    blackholed = false;
    serverSilenced = false;
    refusing = false;
  }

  /** Closes every proxied connection, as a broken link would; new ones are accepted. */
  public void cut() {
    links.forEach(Link::close);
  }

  /** Proxied connections currently open. */
  public int openConnections() {
    return links.size();
  }

  /** The head (request line and headers) of every HTTP request forwarded so far, in order. */
  public List<String> requestHeads() {
    return List.copyOf(requestHeads);
  }

  private void accept(NetSocket inbound) {
    acceptLog.add(url());
    if (refusing) {
      inbound.close();
      return;
    }
    inbound.pause();
    client
        .connect(targetPort, "127.0.0.1")
        .onComplete(
            (outbound, failure) -> {
              if (failure != null) {
                inbound.close();
                return;
              }
              Link link = new Link(inbound, outbound);
              links.add(link);
              StringBuilder head = new StringBuilder();
              inbound.handler(
                  data -> {
                    recordHead(head, data);
                    if (blackholed) {
                      link.brokenToServer = true;
                    } else if (!link.brokenToServer) {
                      outbound.write(data);
                    }
                  });
              outbound.handler(
                  data -> {
                    if (blackholed || serverSilenced) {
                      link.brokenToClient = true;
                    } else if (!link.brokenToClient) {
                      inbound.write(data);
                    }
                  });
              inbound.closeHandler(v -> drop(link));
              outbound.closeHandler(v -> drop(link));
              inbound.resume();
            });
  }

  private void recordHead(StringBuilder head, Buffer data) {
    if (head.indexOf("\r\n\r\n") >= 0) {
      return;
    }
    head.append(data.toString(StandardCharsets.ISO_8859_1));
    int end = head.indexOf("\r\n\r\n");
    if (end >= 0) {
      requestHeads.add(head.substring(0, end));
    }
  }

  private void drop(Link link) {
    if (links.remove(link)) {
      link.close();
    }
  }

  /** Stops listening and closes every connection: as if the server's host went away. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    cut();
    Await.result(server.close());
    Await.result(client.close());
  }
}
