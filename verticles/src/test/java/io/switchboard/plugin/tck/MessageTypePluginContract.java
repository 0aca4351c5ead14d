package io.switchboard.plugin.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.plugin.PluginEnvironment;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.WireErrorCode;
import io.switchboard.server.metrics.PluginMeters;
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
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every message-type plugin's tests inherit. Extend it, say which plugin, which frames
 * it accepts (and what a teammate of the sender then receives) and which it refuses (with which
 * code), and the contract runs them against a real Switchboard server with the plugin loaded:
 *
 * <ul>
 *   <li>the plugin's name and types are valid and claim nothing built in;
 *   <li>every valid frame is handled: the expected delivery reaches a teammate, and the sender gets
 *       no error;
 *   <li>every invalid frame is answered with the documented code, a message starting as documented,
 *       the frame's id echoed, and the connection carries on;
 *   <li>a handler that throws answers {@code plugin_error} and one that never answers {@code
 *       plugin_timeout}, without disturbing other connections or the plugin's later frames;
 *   <li>{@code GET /api/plugins} lists the plugin with its types;
 *   <li>identity fields in a valid frame's {@code data} ({@code userId}, {@code organizationId},
 *       {@code senderId}; see {@link #identityFields()}) are never trusted: set to another
 *       identity's values, nothing reaches that identity's connections, and no delivery carries
 *       them in those fields.
 * </ul>
 *
 * <p>Clients connect as in production: with a token the server verifies ({@link Identity}), or
 * anonymously. A teammate is a connection with the same identity as the sender that has joined the
 * same channels; frames are sent with an {@code id}.
 *
 * <p><b>A fresh plugin for every test.</b> Each test, and each case of the valid frames, the
 * invalid frames and the identity checks, runs against a server of its own with a new instance from
 * {@link #createPlugin()}. No instance gets a valid frame twice: the isolation tests send {@code
 * validFrames().get(0)} once, after a frame that the contract's wrapper throws on or holds without
 * calling the plugin, and the identity checks send one altered copy of a valid frame. So a plugin
 * with state (a vote counted once per user) passes as it would in production.
 */
public abstract class MessageTypePluginContract extends PluginContract {

  /** A frame field that makes the contract's wrapper throw instead of calling the plugin. */
  static final String THROW = "tckThrow";

  /** A frame field that makes the contract's wrapper never answer. */
  static final String HANG = "tckHang";

  /**
   * A frame the plugin accepts.
   *
   * @param description what the case shows, for the test name
   * @param sender who sends it
   * @param joins channels the sender (and the teammate) join first
   * @param frame the frame (an {@code id} is added)
   * @param expectedDelivery fields the frame a teammate receives must contain, with these values
   *     (nested objects compared field by field); null when no delivery is expected
   */
  public record ValidFrame(
      String description,
      Identity sender,
      List<String> joins,
      JsonObject frame,
      JsonObject expectedDelivery) {}

  /**
   * A frame the plugin refuses.
   *
   * @param description what the case shows, for the test name
   * @param sender who sends it
   * @param joins channels the sender joins first
   * @param frame the frame (an {@code id} is added)
   * @param code the documented error code: the protocol's ({@code ErrorCode}) or one of the
   *     plugin's own ({@code PluginErrorCode}, whose {@code retryable} flag is checked too)
   * @param messagePrefix how the error message starts
   */
  public record InvalidFrame(
      String description,
      Identity sender,
      List<String> joins,
      JsonObject frame,
      WireErrorCode code,
      String messagePrefix) {}

  /** A fresh instance of the plugin under test. */
  protected abstract MessageTypePlugin createPlugin();

  /** The plugin's configuration ({@code plugins.settings.<name>.config}); empty by default. */
  protected JsonObject pluginConfig() {
    return new JsonObject();
  }

  /** Frames the plugin handles; at least one. */
  protected abstract List<ValidFrame> validFrames();

  /** Frames the plugin refuses, with their documented codes. */
  protected abstract List<InvalidFrame> invalidFrames();

  /**
   * The fields of a frame's {@code data} that name an identity, which the plugin must take from the
   * sender's verified identity and never from the payload: {@code userId}, {@code organizationId}
   * and {@code senderId}. Override to name others, or to return none for a plugin whose data is
   * opaque content passed on as is.
   */
  protected List<String> identityFields() {
    return List.of("userId", "organizationId", "senderId");
  }

  @Override
  final TestServer startServerWithAFreshPlugin() {
    return startServer(new FaultInjecting(createPlugin()), pluginConfig(), new JsonObject());
  }

  @Test
  void nameAndTypesAreValidAndClaimNothingBuiltIn() {
    MessageTypePlugin plugin = createPlugin();

    assertThat(plugin.name()).matches("[a-z0-9][a-z0-9-]{0,62}");
    assertThat(plugin.messageTypes()).isNotEmpty();
    assertThat(plugin.messageTypes())
        .allSatisfy(type -> assertThat(MessageType.isBuiltIn(type)).isFalse());
    assertThat(validFrames()).as("the contract needs at least one valid frame").isNotEmpty();
  }

  @TestFactory
  Stream<DynamicTest> validFramesAreHandled() {
    return validFrames().stream()
        .map(
            valid ->
                freshCase(
                    valid.description(),
                    () -> {
                      WsClient sender = connect(valid.sender(), valid.joins());
                      WsClient teammate = connect(valid.sender(), valid.joins());

                      sender.send(valid.frame().copy().put("id", "tck-valid"));

                      if (valid.expectedDelivery() != null) {
                        JsonObject received = teammate.next();
                        assertContains(received, valid.expectedDelivery());
                      }
                      assertThat(sender.sync())
                          .as("frames to the sender")
                          .noneSatisfy(f -> assertThat(f.getString("type")).isEqualTo("error"));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> invalidFramesAreRejectedWithTheDocumentedCode() {
    return invalidFrames().stream()
        .map(
            invalid ->
                freshCase(
                    invalid.description(),
                    () -> {
                      WsClient sender = connect(invalid.sender(), invalid.joins());
                      WsClient teammate = connect(invalid.sender(), invalid.joins());

                      JsonObject error =
                          sender.request(invalid.frame().copy().put("id", "tck-invalid"));

                      assertThat(error.getString("type")).as("answer %s", error).isEqualTo("error");
                      assertThat(error.getString("id")).isEqualTo("tck-invalid");
                      assertThat(error.getJsonObject("error").getString("code"))
                          .isEqualTo(invalid.code().code());
                      assertThat(error.getJsonObject("error").getBoolean("retryable"))
                          .as("retryable of %s", invalid.code())
                          .isEqualTo(invalid.code().retryable());
                      assertThat(error.getJsonObject("error").getString("message"))
                          .startsWith(invalid.messagePrefix());
                      assertCarriesOn(sender);
                      teammate.assertNothingReceived();
                    }));
  }

  @TestFactory
  Stream<DynamicTest> identityFieldsInTheDataAreNeverTrusted() {
    return validFrames().stream()
        .filter(valid -> valid.frame().getValue("data") instanceof JsonObject)
        .filter(valid -> !identityFields().isEmpty())
        .map(
            valid ->
                freshCase(
                    valid.description(),
                    () -> {
                      Identity forged =
                          new Identity("tck-forged-user", "tck-forged-org", List.of());
                      JsonObject data = valid.frame().getJsonObject("data").copy();
                      for (String field : identityFields()) {
                        data.put(field, forgedValue(field));
                      }
                      WsClient sender = connect(valid.sender(), valid.joins());
                      WsClient teammate = connect(valid.sender(), valid.joins());
                      WsClient victim = connectJoiningWhatItMay(forged, valid.joins());

                      long answered = answeredFrames();
                      sender.send(valid.frame().copy().put("data", data).put("id", "tck-forged"));
                      Await.until(
                          "the plugin has answered the frame", () -> answeredFrames() > answered);

                      List<JsonObject> received = new ArrayList<>(teammate.sync());
                      received.addAll(victim.sync());
                      for (JsonObject frame : received) {
                        if (frame.getValue("data") instanceof JsonObject delivered) {
                          for (String field : identityFields()) {
                            assertThat(delivered.getValue(field))
                                .as("'data.%s' of %s, taken from the payload", field, frame)
                                .isNotEqualTo(forgedValue(field));
                          }
                        }
                      }
                    }));
  }

  /** Frames the plugin under test has answered so far: handled, rejected or failed. */
  private long answeredFrames() {
    PluginMeters meters = server().server().metrics().plugin(createPlugin().name());
    return meters.handledTotal() + meters.rejectedTotal() + meters.failedTotal();
  }

  /** A value the payload claims for an identity field: the forged identity's, where it has one. */
  private static String forgedValue(String field) {
    return switch (field) {
      case "userId" -> "tck-forged-user";
      case "organizationId" -> "tck-forged-org";
      default -> "tck-forged-" + field;
    };
  }

  @Test
  void aHandlerThatThrowsAnswersPluginErrorAndDisturbsNothing() {
    ValidFrame valid = validFrames().get(0);
    WsClient sender = connect(valid.sender(), valid.joins());
    WsClient bystander = connect(Identity.ANONYMOUS, List.of());

    JsonObject error = sender.request(valid.frame().copy().put("id", "tck-throw").put(THROW, true));

    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("plugin_error");
    assertThat(error.getJsonObject("error").getString("message")).contains("reference");
    assertThat(error.getString("id")).isEqualTo("tck-throw");
    assertCarriesOn(sender);
    assertCarriesOn(bystander);
    sender.send(valid.frame().copy().put("id", "tck-after"));
    assertThat(sender.sync()).noneSatisfy(f -> assertThat(f.getString("type")).isEqualTo("error"));
  }

  @Test
  void aHandlerThatNeverAnswersTimesOut() {
    ValidFrame valid = validFrames().get(0);
    WsClient sender = connect(valid.sender(), valid.joins());

    JsonObject error = sender.request(valid.frame().copy().put("id", "tck-hang").put(HANG, true));

    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("plugin_timeout");
    assertThat(error.getJsonObject("error").getBoolean("retryable")).isTrue();
    assertCarriesOn(sender);
  }

  @Test
  void apiPluginsListsThePluginAndItsTypes() {
    MessageTypePlugin plugin = createPlugin();
    WebClient http = WebClient.create(clientVertx);
    try {
      JsonArray plugins =
          Await.result(http.get(server().adminPort(), "127.0.0.1", "/api/plugins").send())
              .bodyAsJsonObject()
              .getJsonArray("plugins");

      JsonObject listed =
          plugins.stream()
              .map(JsonObject.class::cast)
              .filter(p -> plugin.name().equals(p.getString("name")))
              .findFirst()
              .orElseThrow(() -> new AssertionError(plugin.name() + " not in " + plugins));
      assertThat(listed.getJsonArray("types").getList())
          .containsExactlyInAnyOrderElementsOf(plugin.messageTypes());
      assertThat(listed.getBoolean("enabled")).isTrue();
    } finally {
      http.close();
    }
  }

  /** A connection that joins what its identity may of these channels, ignoring refusals. */
  private WsClient connectJoiningWhatItMay(Identity identity, List<String> joins) {
    WsClient client = connect(identity, List.of());
    for (String channel : joins) {
      client.request(new JsonObject().put("type", "join").put("channel", channel));
    }
    return client;
  }

  private static void assertContains(JsonObject actual, JsonObject expected) {
    for (Map.Entry<String, Object> field : expected) {
      Object value = actual.getValue(field.getKey());
      if (field.getValue() instanceof JsonObject nested
          && value instanceof JsonObject actualNested) {
        assertContains(actualNested, nested);
      } else {
        assertThat(value)
            .as("field '%s' of %s", field.getKey(), actual)
            .isEqualTo(field.getValue());
      }
    }
  }

  /**
   * The plugin under test, wrapped: frames carrying {@link #THROW} make it throw, frames carrying
   * {@link #HANG} never complete; every other call goes to the plugin.
   */
  private static final class FaultInjecting implements MessageTypePlugin {
    private final MessageTypePlugin plugin;

    FaultInjecting(MessageTypePlugin plugin) {
      this.plugin = plugin;
    }

    @Override
    public String name() {
      return plugin.name();
    }

    @Override
    public Set<String> messageTypes() {
      return plugin.messageTypes();
    }

    @Override
    public String version() {
      return plugin.version();
    }

    @Override
    public Future<Void> start(PluginEnvironment environment) {
      return plugin.start(environment);
    }

    @Override
    public Future<Void> handle(PluginContext context) {
      if (context.frame().json().getBoolean(THROW, false)) {
        throw new IllegalStateException("thrown on purpose by the plugin contract");
      }
      if (context.frame().json().getBoolean(HANG, false)) {
        return Promise.<Void>promise().future();
      }
      return plugin.handle(context);
    }

    @Override
    public Future<Void> stop() {
      return plugin.stop();
    }
  }
}
