package io.switchboard.server.bridge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.BiFunction;

/**
 * The one class that reaches around {@code vertx-tcp-eventbus-bridge}, so that a change in it
 * touches only this file. The bridge creates its own {@code NetServer} and reads each socket with a
 * parser that buffers whatever length a frame announces, and it does not tell its bound port. This
 * class hands the bridge a view of Vert.x whose {@code createNetServer} returns a view of the real
 * server: the bridge's connection handler is kept, and every accepted socket first goes to {@code
 * accept}, which may refuse it or hand the bridge a view of the socket whose reads pass through a
 * {@link BridgeConnection}. Only public Vert.x interfaces are wrapped, with JDK proxies.
 *
 * <p>If a version of the bridge no longer creates its server through {@code Vertx.createNetServer},
 * construction fails: the bridge never runs without the guard.
 */
final class GuardedBridge {

  /** What an interceptor answers for a call it leaves to the real object. */
  private static final Object PASS = new Object();

  /** Decides what to do with an accepted socket, given the bridge's own handler. */
  interface Acceptor {
    void accept(NetSocket socket, Handler<NetSocket> bridgeHandler);
  }

  private final TcpEventBusBridge bridge;
  private NetServer server;
  private Handler<NetSocket> bridgeHandler;

  GuardedBridge(
      Vertx vertx, BridgeOptions options, NetServerOptions serverOptions, Acceptor acceptor) {
    Vertx vertxView =
        view(
            Vertx.class,
            vertx,
            (method, args) -> {
              if (method.getName().equals("createNetServer")
                  && args.length == 1
                  && args[0] instanceof NetServerOptions netOptions) {
                server = vertx.createNetServer(netOptions);
                return serverView(acceptor);
              }
              return PASS;
            });
    bridge = TcpEventBusBridge.create(vertxView, options, serverOptions);
    if (server == null || bridgeHandler == null) {
      throw new IllegalStateException(
          "vertx-tcp-eventbus-bridge did not create its server through Vertx.createNetServer and"
              + " NetServer.connectHandler; its connections cannot be guarded, so it is not"
              + " started");
    }
  }

  /**
   * A view of a socket for the bridge: its read handler is put behind {@code connection}, and every
   * write is followed by {@link BridgeConnection#afterWrite()}.
   */
  static NetSocket socketView(NetSocket socket, BridgeConnection connection) {
    return view(
        NetSocket.class,
        socket,
        (method, args) -> {
          if (method.getName().equals("handler") && args.length == 1) {
            @SuppressWarnings("unchecked")
            Handler<Buffer> parser = (Handler<Buffer>) args[0];
            socket.handler(parser == null ? null : connection.guard(parser));
            return null; // replaced by the view itself, see view()
          }
          if (method.getName().equals("write") && args.length == 1 && args[0] instanceof Buffer b) {
            Future<Void> written = socket.write(b);
            connection.afterWrite();
            return written;
          }
          return PASS;
        });
  }

  Future<Void> listen() {
    return bridge.listen().mapEmpty();
  }

  Future<Void> close() {
    return bridge.close();
  }

  /** The port the bridge is bound to. */
  int actualPort() {
    return server.actualPort();
  }

  private NetServer serverView(Acceptor acceptor) {
    return view(
        NetServer.class,
        server,
        (method, args) -> {
          if (method.getName().equals("connectHandler") && args.length == 1) {
            @SuppressWarnings("unchecked")
            Handler<NetSocket> handler = (Handler<NetSocket>) args[0];
            bridgeHandler = handler;
            server.connectHandler(socket -> acceptor.accept(socket, bridgeHandler));
            return null;
          }
          return PASS;
        });
  }

  /**
   * A JDK proxy of {@code type} that lets {@code interceptor} answer a call, or else calls {@code
   * target}. A call answering {@code target} itself, or intercepted with null (the fluent methods),
   * answers the proxy, so that a caller chaining on it stays on the view.
   */
  private static <T> T view(
      Class<T> type, T target, BiFunction<Method, Object[], Object> interceptor) {
    Object proxy =
        Proxy.newProxyInstance(
            GuardedBridge.class.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> {
              Object[] arguments = args == null ? new Object[0] : args;
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "equals" -> p == arguments[0];
                  case "hashCode" -> System.identityHashCode(p);
                  default -> "view of " + target;
                };
              }
              Object answer = interceptor.apply(method, arguments);
              if (answer == PASS) {
                try {
                  answer = method.invoke(target, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
                return answer == target ? p : answer;
              }
              return answer == null && method.getReturnType().isInstance(p) ? p : answer;
            });
    return type.cast(proxy);
  }
}
