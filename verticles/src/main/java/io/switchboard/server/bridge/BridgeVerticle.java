package io.switchboard.server.bridge;

import io.switchboard.server.config.BridgeConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.bridge.BridgeOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event-bus bridge ({@code bridge} section): {@code vertx-tcp-eventbus-bridge} on {@code
 * bridge.port}, letting services in any language send and publish to the {@code bridge.inbound}
 * addresses and register on the {@code bridge.outbound} ones, nothing else. Each connection passes
 * Switchboard's guard first ({@link BridgeConnection}): the token, the frame, connection,
 * registration and write-queue caps. One instance, so the connection count needs no lock.
 */
public final class BridgeVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(BridgeVerticle.class);

  private final BridgeConfig config;
  private GuardedBridge bridge;
  private int open;

  public BridgeVerticle(BridgeConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    BridgeOptions permitted = new BridgeOptions();
    config.inbound().forEach(p -> permitted.addInboundPermitted(p.toOptions()));
    config.outbound().forEach(p -> permitted.addOutboundPermitted(p.toOptions()));
    NetServerOptions server =
        config
            .tls()
            .applyTo(
                new NetServerOptions()
                    .setHost(config.host())
                    .setPort(config.port())
                    .setIdleTimeout(config.idleTimeoutMs())
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
    if (config.clientCertificatesRequired()) {
      server
          .setClientAuth(ClientAuth.REQUIRED)
          .setTrustOptions(new PemTrustOptions().addCertPath(config.tlsClientCaFile()));
    }
    bridge = new GuardedBridge(vertx, permitted, server, this::accept);
    return bridge
        .listen()
        .onSuccess(
            done ->
                log.info(
                    "tcp event-bus bridge listening [host: {}, port: {}, tls: {}, client"
                        + " certificates: {}, token: {}, inbound: {}, outbound: {}]",
                    config.host(),
                    bridge.actualPort(),
                    config.tls().enabled(),
                    config.clientCertificatesRequired(),
                    config.tokenRequired(),
                    config.inbound().size(),
                    config.outbound().size()));
  }

  @Override
  public Future<?> stop() {
    return bridge.close();
  }

  /** The port the bridge is bound to. */
  public int actualPort() {
    return bridge.actualPort();
  }

  private void accept(NetSocket socket, Handler<NetSocket> bridgeHandler) {
    if (open >= config.maxConnections()) {
      log.info(
          "bridge connection refused [remote: {}, open: {}, max: {}]",
          socket.remoteAddress(),
          open,
          config.maxConnections());
      socket.write(
          BridgeError.TOO_MANY_CONNECTIONS.frame(
              "the bridge holds at most "
                  + config.maxConnections()
                  + " connections (bridge.maxConnections)"));
      socket.close();
      return;
    }
    open++;
    socket.closeHandler(closed -> open--);
    log.debug("bridge connection opened [remote: {}, open: {}]", socket.remoteAddress(), open);
    bridgeHandler.handle(GuardedBridge.socketView(socket, new BridgeConnection(socket, config)));
  }
}
