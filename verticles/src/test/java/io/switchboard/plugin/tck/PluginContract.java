package io.switchboard.plugin.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What the plugin contracts share: one real server per test class with the plugin under test
 * loaded, and clients that connect as in production, with a token the server verifies ({@link
 * Identity}, HS256) or anonymously. Extend {@link MessageTypePluginContract} or {@link
 * ChannelAuthorizerContract}, not this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PluginContract {

  /** The handling or decision timeout of the plugin under test, short so timeouts show quickly. */
  static final long TIMEOUT_MS = 500;

  /**
   * Who a client is: the claims of the token it connects with ({@code sub}, {@code org}, {@code
   * channels}), or no token at all for {@link #ANONYMOUS}. The plugin sees them as a {@code Sender}
   * whose identity source is {@code TOKEN}.
   *
   * @param userId the token's {@code sub}; null only for an anonymous client
   * @param organizationId the token's organisation, or null
   * @param grants the channels the token grants ({@code auth.channelsClaim}); empty for none
   */
  public record Identity(String userId, String organizationId, List<String> grants) {
    public static final Identity ANONYMOUS = new Identity(null, null);

    /**
     * @throws IllegalArgumentException for an organisation or grants without a user: a token always
     *     names its user
     */
    public Identity {
      grants = List.copyOf(grants);
      if (userId == null && (organizationId != null || !grants.isEmpty())) {
        throw new IllegalArgumentException(
            "an identity with an organisation or grants needs a user id: a token always names its"
                + " user ('sub')");
      }
    }

    /** A token for this user and organisation, granting no channel. */
    public Identity(String userId, String organizationId) {
      this(userId, organizationId, List.of());
    }

    /** The upgrade URI: {@code /ws} when anonymous, else {@code /ws?token=<jwt>}. */
    String uri() {
      if (userId == null) {
        return "/ws";
      }
      JsonObject claims = Tokens.claims(userId);
      if (organizationId != null) {
        claims.put("org", organizationId);
      }
      if (!grants.isEmpty()) {
        claims.put("channels", new JsonArray(grants));
      }
      return "/ws?token=" + Tokens.hs256(claims);
    }
  }

  TestServer server;
  Vertx clientVertx;
  private WebSocketClient wsClient;
  private final List<WsClient> clients = new ArrayList<>();

  /** Only the contracts of this package extend it. */
  PluginContract() {}

  /**
   * Starts the server with the plugin loaded under {@link #TIMEOUT_MS} and its configuration,
   * verifying tokens and letting anonymous clients in, plus the given configuration sections.
   */
  void startServer(MessageTypePlugin plugin, JsonObject pluginConfig, JsonObject sections) {
    JsonObject settings =
        new JsonObject()
            .put(
                plugin.name(),
                new JsonObject().put("timeoutMs", TIMEOUT_MS).put("config", pluginConfig));
    JsonObject config =
        sections
            .copy()
            .put("auth", Tokens.authConfig().put("anonymous", true))
            .put("plugins", new JsonObject().put("settings", settings));
    server = TestServer.start(config, List.of(plugin));
    clientVertx = Vertx.vertx();
    wsClient = clientVertx.createWebSocketClient();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
    clients.clear();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
    if (clientVertx != null) {
      Await.result(clientVertx.close());
    }
  }

  /** A client with this identity, closed after the test, that first joins these channels. */
  WsClient connect(Identity identity, List<String> joins) {
    WsClient client = WsClient.connect(wsClient, server.wsPort(), identity.uri(), null);
    clients.add(client);
    for (String channel : joins) {
      JsonObject confirmed =
          client.request(new JsonObject().put("type", "join").put("channel", channel));
      assertThat(confirmed.getString("type"))
          .as("answer to joining %s first: %s", channel, confirmed)
          .isEqualTo("subscription_confirmed");
    }
    return client;
  }

  /** The connection still answers: a {@code ping} gets its {@code pong}. */
  static void assertCarriesOn(WsClient client) {
    JsonObject pong = client.request(new JsonObject().put("type", "ping").put("id", "tck-ping"));
    assertThat(pong.getString("type")).isEqualTo("pong");
  }
}
