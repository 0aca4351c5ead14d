package io.switchboard.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.config.LimitsConfig;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;

/**
 * A server with the production limits and channel namespaces (the test server relaxes both for the
 * routing tests), plus the class's own {@link #overrides()}; and the healthy control that follows
 * every group of hostile rows: two fresh clients connect, join a {@code chat:} channel, one
 * publishes and both receive it, as if nothing had happened.
 */
public abstract class HostileServerBase extends ServerTestBase {

  /** Rows of a table between two control checks. */
  protected static final int CONTROL_EVERY = 20;

  private static final AtomicInteger CONTROLS = new AtomicInteger();

  private int rows;

  /** Every limit at its documented default, and the default namespaces. */
  static JsonObject production() {
    return new JsonObject()
        .put(
            "limits",
            new JsonObject()
                .put("maxConnections", LimitsConfig.DEFAULT_MAX_CONNECTIONS)
                .put("maxConnectionsPerIp", LimitsConfig.DEFAULT_MAX_CONNECTIONS_PER_IP)
                .put("maxConnectionsPerUser", LimitsConfig.DEFAULT_MAX_CONNECTIONS_PER_USER)
                .put("maxPendingHandshakes", LimitsConfig.DEFAULT_MAX_PENDING_HANDSHAKES)
                .put(
                    "maxPendingHandshakesPerIp", LimitsConfig.DEFAULT_MAX_PENDING_HANDSHAKES_PER_IP)
                .put("handshakeTimeoutMs", LimitsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MS)
                .put("firstFrameTimeoutMs", LimitsConfig.DEFAULT_FIRST_FRAME_TIMEOUT_MS)
                .put("maxChannelsPerConnection", LimitsConfig.DEFAULT_MAX_CHANNELS_PER_CONNECTION)
                .put("messageRate", LimitsConfig.DEFAULT_MESSAGE_RATE)
                .put("messageBurst", LimitsConfig.DEFAULT_MESSAGE_BURST)
                .put("maxPendingRequests", LimitsConfig.DEFAULT_MAX_PENDING_REQUESTS))
        // An empty map keeps every default namespace (what is given is laid over them).
        .put("channels", new JsonObject().put("namespaces", new JsonObject()));
  }

  /** {@link #production()} with {@code overrides} laid over it, section by section. */
  static JsonObject production(JsonObject overrides) {
    JsonObject config = production();
    for (String section : overrides.fieldNames()) {
      JsonObject base = config.getJsonObject(section, new JsonObject());
      config.put(section, base.mergeIn(overrides.getJsonObject(section)));
    }
    return config;
  }

  @Override
  protected final JsonObject config() {
    return production(overrides());
  }

  /** This class's settings beyond the production defaults. */
  protected JsonObject overrides() {
    return new JsonObject();
  }

  /**
   * The URI a control client of this user connects with: its identity in the query on a development
   * server; a class whose server verifies tokens answers with {@code ?token=}.
   */
  protected String controlUri(String user) {
    return "/ws?userId=" + user;
  }

  /** Counts a finished row; every {@link #CONTROL_EVERY} rows, checks the control. */
  protected void rowDone() {
    if (++rows % CONTROL_EVERY == 0) {
      assertControlServes();
    }
  }

  @AfterAll
  void theControlStillServesAfterTheGroup() {
    assertControlServes();
  }

  /**
   * Two fresh clients connect, join a new {@code chat:} channel, one publishes, and both receive
   * the message (the publisher its ack too).
   */
  protected void assertControlServes() {
    assertControlServes(wsClient, server.wsPort(), this::controlUri);
  }

  /** {@link #assertControlServes()} on any server, its clients connecting with {@code uri}. */
  static void assertControlServes(WebSocketClient client, int port, Function<String, String> uri) {
    int n = CONTROLS.incrementAndGet();
    String channel = "chat:control-" + n;
    List<WsClient> opened = new ArrayList<>();
    try {
      WsClient subscriber = WsClient.connect(client, port, uri.apply("sub" + n), null);
      opened.add(subscriber);
      WsClient publisher = WsClient.connect(client, port, uri.apply("pub" + n), null);
      opened.add(publisher);
      join(subscriber, channel);
      join(publisher, channel);
      JsonObject data = new JsonObject().put("control", n);

      publisher.send(
          new JsonObject()
              .put("type", "publish")
              .put("channel", channel)
              .put("id", "control")
              .put("data", data));

      JsonObject received = subscriber.next("message");
      assertThat(received.getString("channel")).isEqualTo(channel);
      assertThat(received.getJsonObject("data")).isEqualTo(data);
      List<String> toPublisher =
          List.of(publisher.next().getString("type"), publisher.next().getString("type"));
      assertThat(toPublisher)
          .as("the publisher's frames")
          .containsExactlyInAnyOrder("message", "ack");
    } finally {
      opened.forEach(WsClient::close);
    }
  }
}
