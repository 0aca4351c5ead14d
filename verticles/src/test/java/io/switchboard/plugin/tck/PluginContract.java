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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * What the plugin contracts share: a real server with the plugin under test loaded, and clients
 * that connect as in production, with a token the server verifies ({@link Identity}, HS256) or
 * anonymously. Every test, and every case of a test that runs several (the valid frames, the
 * invalid ones, the allowed and refused decisions), gets a server of its own with a fresh instance
 * of the plugin from {@code createPlugin()} / {@code createAuthorizer()}: a plugin with state
 * (votes counted, a user let in once) starts each case clean, and no case sees another's frames.
 * Extend {@link MessageTypePluginContract} or {@link ChannelAuthorizerContract}, not this class.
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

  private TestServer server;
  Vertx clientVertx;
  private WebSocketClient wsClient;
  private final List<WsClient> clients = new ArrayList<>();

  /** Only the contracts of this package extend it. */
  PluginContract() {}

  /** Starts a server with a fresh instance of the plugin under test; see {@link #startServer}. */
  abstract TestServer startServerWithAFreshPlugin();

  /**
   * Starts the server with the plugin loaded under {@link #TIMEOUT_MS} and its configuration,
   * verifying tokens and letting anonymous clients in, plus the given configuration sections.
   */
  static TestServer startServer(
      MessageTypePlugin plugin, JsonObject pluginConfig, JsonObject sections) {
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
    return TestServer.start(config, List.of(plugin));
  }

  /** The server of the current test or case, started with a fresh plugin on first use. */
  TestServer server() {
    if (server == null) {
      server = startServerWithAFreshPlugin();
    }
    return server;
  }

  /**
   * One case of a {@code @TestFactory}: it runs against a server and a plugin instance of its own,
   * as each {@code @Test} does.
   */
  DynamicTest freshCase(String description, Executable body) {
    return DynamicTest.dynamicTest(
        description,
        () -> {
          stopServer();
          try {
            body.execute();
          } finally {
            stopServer();
          }
        });
  }

  @BeforeAll
  void createClients() {
    clientVertx = Vertx.vertx();
    wsClient = clientVertx.createWebSocketClient();
  }

  /** Closes the test's clients and stops its server, so that the next test starts afresh. */
  @AfterEach
  void stopServer() {
    clients.forEach(WsClient::close);
    clients.clear();
    if (server != null) {
      TestServer stopping = server;
      server = null;
      stopping.close();
    }
  }

  @AfterAll
  void closeClients() {
    stopServer();
    if (clientVertx != null) {
      Await.result(clientVertx.close());
    }
  }

  /** A client with this identity, closed after the test, that first joins these channels. */
  WsClient connect(Identity identity, List<String> joins) {
    WsClient client = WsClient.connect(wsClient, server().wsPort(), identity.uri(), null);
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
