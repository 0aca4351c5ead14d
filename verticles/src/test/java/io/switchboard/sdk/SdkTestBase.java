package io.switchboard.sdk;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * One real server per test class (from {@link ServerTestBase}), and SDK clients on the test's own
 * Vert.x instance, each disconnected after its test; the base class then checks that the server has
 * no connection left. Options default to short delays so that tests stay fast.
 */
abstract class SdkTestBase extends ServerTestBase {

  private final List<SwitchboardClient> clients = new ArrayList<>();
  private final List<FaultProxy> proxies = new ArrayList<>();

  /**
   * A server that verifies tokens, as in production, and also lets clients in without one
   * (anonymous), so tests choose per client.
   */
  @Override
  protected JsonObject config() {
    return new JsonObject().put("auth", Tokens.authConfig().put("anonymous", true));
  }

  /** Options for the test server, with fast reconnects and no heartbeat unless a test sets one. */
  protected ClientOptions options() {
    return options(url());
  }

  protected ClientOptions options(String url) {
    return new ClientOptions()
        .setUrl(url)
        .setReconnectInitialDelayMs(20)
        .setReconnectMaxDelayMs(100)
        .setHeartbeatIntervalMs(0)
        .setConnectionTimeoutMs(2_000)
        .setCloseTimeoutMs(1_000);
  }

  protected String url() {
    return "ws://127.0.0.1:" + server.wsPort() + "/ws";
  }

  /** A client on the test's Vert.x instance, disconnected after the test. */
  protected SwitchboardClient client(ClientOptions options) {
    SwitchboardClient client = SwitchboardClient.create(clientVertx, options);
    clients.add(client);
    return client;
  }

  /** A client that is connected already. */
  protected SwitchboardClient connected(ClientOptions options) {
    SwitchboardClient client = client(options);
    Await.result(client.connect());
    return client;
  }

  /** A proxy in front of the test server, closed after the test. */
  protected FaultProxy proxy() {
    return proxy(server.wsPort(), new CopyOnWriteArrayList<>());
  }

  /**
   * A proxy in front of any local port, noting each connection it accepts in {@code acceptLog};
   * closed after the test.
   */
  protected FaultProxy proxy(int targetPort, List<String> acceptLog) {
    FaultProxy proxy = FaultProxy.start(clientVertx, targetPort, acceptLog);
    proxies.add(proxy);
    return proxy;
  }

  /** A raw WebSocket client joined to a channel, to see what the server delivers there. */
  protected WsClient observer(String channel) {
    WsClient observer = connect();
    join(observer, channel);
    return observer;
  }

  /** The {@code data} of the next {@code message} frames an observer receives. */
  protected static List<Object> nextData(WsClient observer, int count) {
    List<Object> data = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      data.add(observer.next("message").getValue("data"));
    }
    return data;
  }

  /** A publish frame for {@link SwitchboardClient#send}. */
  protected static JsonObject publishFrame(String channel, Object data) {
    return new JsonObject().put("type", "publish").put("channel", channel).put("data", data);
  }

  /** The failure of a future that must fail, as a value. */
  protected static Throwable failure(Future<?> future) {
    return Await.failure(future);
  }

  @AfterEach
  void disconnectClients() {
    for (SwitchboardClient client : clients) {
      Await.result(client.disconnect());
    }
    clients.clear();
    proxies.forEach(FaultProxy::close);
    proxies.clear();
  }
}
