package io.switchboard.plugin.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.AccessDecision;
import io.switchboard.plugin.AccessRequest;
import io.switchboard.plugin.AccessRequest.Action;
import io.switchboard.plugin.ChannelAuthorizer;
import io.switchboard.plugin.PluginContext;
import io.switchboard.plugin.PluginEnvironment;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.WireErrorCode;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every channel authorizer's tests inherit. Extend it, say which authorizer, which
 * namespace it decides (and that namespace's rules), which joins and publishes it allows and which
 * it refuses (with which code), and the contract runs them against a real Switchboard server whose
 * namespace names the plugin as its {@code authorizer}, with clients that connect with real tokens:
 *
 * <ul>
 *   <li>the plugin is a {@link ChannelAuthorizer} with a valid name, claiming no built-in type;
 *   <li>every allowed join is confirmed, every allowed publish acknowledged (and delivered to a
 *       teammate that joined the channel);
 *   <li>every refused join or publish is answered with the documented code and retryable flag, a
 *       message starting as documented and the frame's id; a refused join leaves the client out of
 *       the channel, a refused publish reaches nobody; the connection carries on;
 *   <li>an authorizer that throws refuses with {@code plugin_error}, one that never answers with
 *       {@code plugin_timeout}: neither ever lets the client in, and the client's next frame is
 *       answered after the refusal;
 *   <li>{@code GET /api/plugins} lists the plugin as an authorizer.
 * </ul>
 *
 * <p>A teammate is a connection with the same identity as the sender that has joined the same
 * channels; frames are sent with an {@code id}. Each test, and each allowed and refused case, runs
 * against a server of its own with a new instance from {@link #createAuthorizer()}, so an
 * authorizer with state (a room that admits one user) decides each case from a clean start.
 */
public abstract class ChannelAuthorizerContract extends PluginContract {

  /** The last part of a channel name that makes the contract's wrapper throw. */
  static final String THROW = "tck-throw";

  /** The last part of a channel name that makes the contract's wrapper never answer. */
  static final String HANG = "tck-hang";

  /**
   * A join or publish the authorizer allows.
   *
   * @param description what the case shows, for the test name
   * @param sender who asks
   * @param joins channels the sender (and its teammate) join first
   * @param action {@link Action#JOIN} or {@link Action#PUBLISH}
   * @param channel the channel, in {@link #namespace()}
   * @param data what is published; ignored for a join
   */
  public record Allowed(
      String description,
      Identity sender,
      List<String> joins,
      Action action,
      String channel,
      Object data) {}

  /**
   * A join or publish the authorizer refuses.
   *
   * @param description what the case shows, for the test name
   * @param sender who asks
   * @param joins channels the sender (and its teammate) join first
   * @param action {@link Action#JOIN} or {@link Action#PUBLISH}
   * @param channel the channel, in {@link #namespace()}
   * @param data what is published; ignored for a join
   * @param code the documented code: {@code ErrorCode.FORBIDDEN} or one of the plugin's own
   * @param messagePrefix how the error message starts
   */
  public record Refused(
      String description,
      Identity sender,
      List<String> joins,
      Action action,
      String channel,
      Object data,
      WireErrorCode code,
      String messagePrefix) {}

  /** A fresh instance of the authorizer under test. */
  protected abstract ChannelAuthorizer createAuthorizer();

  /** The plugin's configuration ({@code plugins.settings.<name>.config}); empty by default. */
  protected JsonObject pluginConfig() {
    return new JsonObject();
  }

  /** The namespace whose {@code authorizer} names the plugin, e.g. {@code room}. */
  protected abstract String namespace();

  /**
   * That namespace's own rules, {@code {"join", "publish"}}, asked before the authorizer: by
   * default {@code anyone} for both, so that the authorizer alone decides.
   */
  protected JsonObject namespaceRules() {
    return new JsonObject().put("join", "anyone").put("publish", "anyone");
  }

  /** Joins and publishes the authorizer allows; at least one. */
  protected abstract List<Allowed> allowed();

  /** Joins and publishes the authorizer refuses, with their documented codes; at least one. */
  protected abstract List<Refused> refused();

  @Override
  final TestServer startServerWithAFreshPlugin() {
    ChannelAuthorizer authorizer = createAuthorizer();
    JsonObject namespace = namespaceRules().copy().put("authorizer", authorizer.name());
    return startServer(
        new FaultInjecting(authorizer),
        pluginConfig(),
        new JsonObject()
            .put(
                "channels",
                new JsonObject().put("namespaces", new JsonObject().put(namespace(), namespace))));
  }

  @Test
  void isAnAuthorizerWithAValidNameAndClaimsNothingBuiltIn() {
    ChannelAuthorizer authorizer = createAuthorizer();

    assertThat(authorizer.name()).matches("[a-z0-9][a-z0-9-]{0,62}");
    assertThat(authorizer.messageTypes())
        .allSatisfy(type -> assertThat(MessageType.isBuiltIn(type)).isFalse());
    assertThat(allowed()).as("the contract needs at least one allowed case").isNotEmpty();
    assertThat(refused()).as("the contract needs at least one refused case").isNotEmpty();
  }

  @TestFactory
  Stream<DynamicTest> allowedJoinsAndPublishesGoAhead() {
    return allowed().stream()
        .map(
            allowed ->
                freshCase(
                    allowed.description(),
                    () -> {
                      WsClient sender = connect(allowed.sender(), allowed.joins());
                      WsClient teammate = connect(allowed.sender(), allowed.joins());

                      JsonObject answer =
                          sender.request(
                              frame(allowed.action(), allowed.channel(), allowed.data()));

                      if (allowed.action() == Action.JOIN) {
                        assertThat(answer.getString("type"))
                            .as("answer %s", answer)
                            .isEqualTo("subscription_confirmed");
                        assertThat(answer.getString("channel")).isEqualTo(allowed.channel());
                      } else {
                        List<JsonObject> answers = new ArrayList<>(List.of(answer));
                        if (allowed.joins().contains(allowed.channel())) {
                          answers.add(sender.next());
                          JsonObject delivered = teammate.next("message");
                          assertThat(delivered.getString("channel")).isEqualTo(allowed.channel());
                          assertThat(delivered.getValue("data")).isEqualTo(allowed.data());
                        }
                        assertThat(answers)
                            .as("answers to the publish")
                            .anySatisfy(f -> assertThat(f.getString("type")).isEqualTo("ack"))
                            .noneSatisfy(f -> assertThat(f.getString("type")).isEqualTo("error"));
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> refusedJoinsAndPublishesAreAnsweredWithTheDocumentedCode() {
    return refused().stream()
        .map(
            refused ->
                freshCase(
                    refused.description(),
                    () -> {
                      WsClient sender = connect(refused.sender(), refused.joins());
                      WsClient teammate = connect(refused.sender(), refused.joins());

                      JsonObject error =
                          sender.request(
                              frame(refused.action(), refused.channel(), refused.data()));

                      assertThat(error.getString("type")).as("answer %s", error).isEqualTo("error");
                      assertThat(error.getString("id")).isEqualTo("tck");
                      JsonObject body = error.getJsonObject("error");
                      assertThat(body.getString("code")).isEqualTo(refused.code().code());
                      assertThat(body.getBoolean("retryable"))
                          .as("retryable of %s", refused.code())
                          .isEqualTo(refused.code().retryable());
                      assertThat(body.getString("message")).startsWith(refused.messagePrefix());
                      if (refused.action() == Action.JOIN) {
                        assertNotSubscribed(sender, refused.channel());
                      } else {
                        teammate.assertNothingReceived();
                      }
                      assertCarriesOn(sender);
                    }));
  }

  @Test
  void anAuthorizerThatThrowsRefusesWithPluginErrorAndNeverLetsIn() {
    WsClient sender = connect(allowed().get(0).sender(), List.of());
    String channel = channelNamed(THROW);

    JsonObject error = sender.request(frame(Action.JOIN, channel, null));

    assertThat(error.getString("id")).isEqualTo("tck");
    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("plugin_error");
    assertThat(error.getJsonObject("error").getString("message")).contains("reference");
    assertNotSubscribed(sender, channel);
    assertCarriesOn(sender);
  }

  @Test
  void anAuthorizerThatNeverAnswersRefusesWithPluginTimeoutBeforeTheNextFrame() {
    WsClient sender = connect(allowed().get(0).sender(), List.of());
    String channel = channelNamed(HANG);

    sender.send(frame(Action.JOIN, channel, null));
    sender.send(new JsonObject().put("type", "ping").put("id", "tck-after"));

    JsonObject error = sender.next("error");
    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("plugin_timeout");
    assertThat(error.getJsonObject("error").getBoolean("retryable")).isTrue();
    assertThat(sender.next("pong").getString("id")).isEqualTo("tck-after");
    assertNotSubscribed(sender, channel);
  }

  @Test
  void apiPluginsListsThePluginAsAnAuthorizer() {
    ChannelAuthorizer authorizer = createAuthorizer();
    WebClient http = WebClient.create(clientVertx);
    try {
      JsonArray plugins =
          Await.result(http.get(server().adminPort(), "127.0.0.1", "/api/plugins").send())
              .bodyAsJsonObject()
              .getJsonArray("plugins");

      JsonObject listed =
          plugins.stream()
              .map(JsonObject.class::cast)
              .filter(p -> authorizer.name().equals(p.getString("name")))
              .findFirst()
              .orElseThrow(() -> new AssertionError(authorizer.name() + " not in " + plugins));
      assertThat(listed.getBoolean("authorizer")).isTrue();
      assertThat(listed.getBoolean("enabled")).isTrue();
    } finally {
      http.close();
    }
  }

  private String channelNamed(String name) {
    return namespace().isEmpty() ? name : namespace() + ":" + name;
  }

  private static JsonObject frame(Action action, String channel, Object data) {
    JsonObject frame =
        new JsonObject()
            .put("type", action == Action.JOIN ? "join" : "publish")
            .put("channel", channel)
            .put("id", "tck");
    return action == Action.JOIN ? frame : frame.put("data", data);
  }

  /** Leaving a channel the client never got into is {@code not_subscribed}. */
  private static void assertNotSubscribed(WsClient client, String channel) {
    JsonObject answer =
        client.request(
            new JsonObject().put("type", "leave").put("channel", channel).put("id", "tck-leave"));
    assertThat(answer.getJsonObject("error"))
        .as("answer to leaving %s: %s", channel, answer)
        .isNotNull();
    assertThat(answer.getJsonObject("error").getString("code")).isEqualTo("not_subscribed");
  }

  /**
   * The authorizer under test, wrapped: a channel named {@link #THROW} makes it throw, one named
   * {@link #HANG} never decides; every other call goes to the plugin.
   */
  private static final class FaultInjecting implements ChannelAuthorizer {
    private final ChannelAuthorizer authorizer;

    FaultInjecting(ChannelAuthorizer authorizer) {
      this.authorizer = authorizer;
    }

    @Override
    public String name() {
      return authorizer.name();
    }

    @Override
    public Set<String> messageTypes() {
      return authorizer.messageTypes();
    }

    @Override
    public String version() {
      return authorizer.version();
    }

    @Override
    public Future<Void> start(PluginEnvironment environment) {
      return authorizer.start(environment);
    }

    @Override
    public Future<AccessDecision> authorize(AccessRequest request) {
      if (request.channel().endsWith(THROW)) {
        throw new IllegalStateException("thrown on purpose by the authorizer contract");
      }
      if (request.channel().endsWith(HANG)) {
        return Promise.<AccessDecision>promise().future();
      }
      return authorizer.authorize(request);
    }

    @Override
    public Future<Void> handle(PluginContext context) {
      return authorizer.handle(context);
    }

    @Override
    public Future<Void> stop() {
      return authorizer.stop();
    }
  }
}
