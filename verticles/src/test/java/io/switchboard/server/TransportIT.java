package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code vertx.transport}: each transport that loads here serves real clients; {@code auto} takes
 * epoll where it loads and NIO otherwise; a native transport named explicitly that cannot load
 * stops start-up with the reason.
 */
class TransportIT {

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void eachTransportThatLoadsServesAClientEndToEnd(String name) {
    Transport transport = name.equals("epoll") ? Transport.EPOLL : Transport.NIO;
    JsonObject config = new JsonObject().put("vertx", new JsonObject().put("transport", name));
    if (!transport.available()) {
      assertThatThrownBy(() -> TestServer.start(config))
          .hasRootCauseInstanceOf(ConfigException.class)
          .rootCause()
          .hasMessageStartingWith("vertx.transport " + name + " cannot load here: ")
          .hasMessageEndingWith("; use auto or nio");
      return;
    }
    try (TestServer server = TestServer.start(config)) {
      assertThat(server.server().transport()).isEqualTo(name);
      servesAClient(server);
    }
  }

  @Test
  void autoTakesEpollWhereItLoadsAndNioElsewhere() {
    Transport preferred = Transport.EPOLL;
    try (TestServer server = TestServer.start(new JsonObject())) {
      assertThat(server.server().transport())
          .isEqualTo(preferred.available() ? preferred.name() : "nio");
      servesAClient(server);
    }
  }

  @Test
  void anUnknownTransportIsRefusedWithTheChoices() {
    assertThatThrownBy(
            () ->
                SwitchboardConfig.fromJson(
                    new JsonObject().put("vertx", new JsonObject().put("transport", "io_uring"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("vertx.transport must be auto, nio or epoll, was io_uring");
  }

  private static void servesAClient(TestServer server) {
    Vertx client = Vertx.vertx();
    try {
      WsClient ws = WsClient.connect(client.createWebSocketClient(), server.wsPort(), "/ws", null);
      JsonObject pong = ws.request(new JsonObject().put("type", "ping").put("id", "p"));
      assertThat(pong.getString("type")).isEqualTo("pong");
      ws.close();
    } finally {
      Await.result(client.close());
    }
  }
}
