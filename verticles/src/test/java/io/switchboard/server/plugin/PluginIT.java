package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Message-type plugins inside a real server: dispatch, isolation, settings, admin, metrics. */
class PluginIT extends ServerTestBase {

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "plugins",
            new JsonObject()
                .put("timeoutMs", 2_000)
                .put(
                    "settings",
                    new JsonObject()
                        .put("stall", new JsonObject().put("timeoutMs", 200))
                        .put(
                            "configured",
                            new JsonObject().put("config", new JsonObject().put("greeting", "hi")))
                        .put("disabled", new JsonObject().put("enabled", false))));
  }

  @Override
  protected List<MessageTypePlugin> plugins() {
    return List.of(
        TestPlugins.echo(),
        TestPlugins.throwing(),
        TestPlugins.stalling(),
        TestPlugins.configured(),
        TestPlugins.broadcaster(),
        TestPlugins.polls(),
        TestPlugins.of("disabled", Set.of("NEVER"), context -> context.ack()));
  }

  @Test
  void aPluginsOwnCodeReachesTheClientUnchangedWithItsRetryableFlag() {
    WsClient sender = connect();

    JsonObject closed =
        sender.request(
            new JsonObject().put("type", "POLL_VOTE").put("id", "v1").put("data", "closed"));
    JsonObject busy =
        sender.request(
            new JsonObject().put("type", "POLL_VOTE").put("id", "v2").put("data", "busy"));

    assertThat(closed.getString("id")).isEqualTo("v1");
    assertThat(closed.getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "polls.closed")
                .put("message", "poll 'lunch' closed at 12:00")
                .put("retryable", false));
    assertThat(busy.getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "polls.busy")
                .put("message", "too many votes at once; vote again in a moment")
                .put("retryable", true));
    assertThat(closed.getJsonObject("data").getJsonObject("originalMessage").getString("data"))
        .isEqualTo("closed");
  }

  @Test
  void anotherPluginsCodeOrAMalformedOneIsAPluginErrorWithAReference() {
    WsClient sender = connect();

    JsonObject foreign =
        sender.request(
            new JsonObject().put("type", "POLL_VOTE").put("id", "f").put("data", "foreign"));
    JsonObject malformed =
        sender.request(
            new JsonObject().put("type", "POLL_VOTE").put("id", "m").put("data", "malformed"));

    for (JsonObject error : List.of(foreign, malformed)) {
      assertThat(error.getJsonObject("error").getString("code")).isEqualTo("plugin_error");
      assertThat(error.getJsonObject("error").getString("message"))
          .matches(
              "plugin 'polls' failed to handle POLL_VOTE; reference [0-9a-f]{8} in the server log");
    }
    assertThat(sender.request(new JsonObject().put("type", "ping")).getString("type"))
        .isEqualTo("pong");
  }

  @Test
  void aPluginsCodesAreCountedUnderThePluginNotOneSeriesEach() {
    WsClient sender = connect();
    sender.request(new JsonObject().put("type", "POLL_VOTE").put("data", "closed"));
    sender.request(new JsonObject().put("type", "POLL_VOTE").put("data", "busy"));

    String metrics = adminGet("/metrics").bodyAsString();

    assertThat(metrics)
        .containsPattern("switchboard_errors_total\\{code=\"polls\\.\\*\"\\} [2-9]")
        .doesNotContain("code=\"polls.closed\"")
        .doesNotContain("code=\"polls.busy\"");
  }

  @Test
  void aPluginTypeIsDispatchedWithTheSenderAndItsDeliveriesReachTheChannel() {
    String channel = channel("echo");
    WsClient sender = connectAs("alice", "acme");
    WsClient listener = connect();
    join(sender, channel);
    join(listener, channel);

    sender.send(
        new JsonObject()
            .put("type", "ECHO")
            .put("channel", channel)
            .put("id", "e1")
            .put("data", 5));

    JsonObject message = listener.next("message");
    assertThat(message.getString("channel")).isEqualTo(channel);
    assertThat(message.getString("event")).isEqualTo("ECHO");
    assertThat(message.getJsonObject("data"))
        .isEqualTo(
            new JsonObject()
                .put("echo", 5)
                .put("from", sender.connectionId())
                .put("user", "alice")
                .put("joined", true));
    List<JsonObject> toSender = List.of(sender.next(), sender.next());
    assertThat(toSender)
        .extracting(f -> f.getString("type"))
        .containsExactlyInAnyOrder("message", "ack");
  }

  @Test
  void aRejectionReachesTheSenderWithThePluginsCodeAndTheIdAndTheConnectionCarriesOn() {
    WsClient sender = connect();

    JsonObject error =
        sender.request(new JsonObject().put("type", "ECHO").put("id", "r1").put("data", 1));

    assertThat(error.getString("type")).isEqualTo("error");
    assertThat(error.getString("id")).isEqualTo("r1");
    assertThat(error.getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "bad_request")
                .put("message", "field 'channel' is required for ECHO")
                .put("retryable", false));
    assertThat(error.getJsonObject("data").getJsonObject("originalMessage").getString("type"))
        .isEqualTo("ECHO");
    assertThat(sender.request(new JsonObject().put("type", "ping")).getString("type"))
        .isEqualTo("pong");
  }

  @Test
  void aThrowingPluginAnswersPluginErrorWithAReferenceAndDisturbsNobody() {
    String channel = channel("calm");
    WsClient bystander = connect();
    join(bystander, channel);
    WsClient sender = connect();

    JsonObject error = sender.request(new JsonObject().put("type", "BOOM").put("id", "b1"));
    sender.send(new JsonObject().put("type", "ECHO").put("channel", channel).put("data", "still"));

    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("plugin_error");
    assertThat(error.getJsonObject("error").getBoolean("retryable")).isFalse();
    assertThat(error.getJsonObject("error").getString("message"))
        .matches("plugin 'boom' failed to handle BOOM; reference [0-9a-f]{8} in the server log");
    assertThat(bystander.next("message").getJsonObject("data").getString("echo"))
        .isEqualTo("still");
  }

  @Test
  void aPluginThatNeverAnswersTimesOutWithPluginTimeout() {
    WsClient sender = connect();

    JsonObject error = sender.request(new JsonObject().put("type", "STALL").put("id", "s1"));

    assertThat(error.getString("id")).isEqualTo("s1");
    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("plugin_timeout");
    assertThat(error.getJsonObject("error").getBoolean("retryable")).isTrue();
    assertThat(error.getJsonObject("error").getString("message"))
        .matches(
            "plugin 'stall' did not handle STALL within 200 ms; reference [0-9a-f]{8} in the"
                + " server log");
    assertThat(sender.request(new JsonObject().put("type", "ping")).getString("type"))
        .isEqualTo("pong");
  }

  @Test
  void aDisabledPluginsTypesAreUnknown() {
    WsClient sender = connect();

    JsonObject error = sender.request(new JsonObject().put("type", "NEVER"));

    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("unknown_type");
  }

  @Test
  void aPluginGetsItsOwnConfigurationAtStartAndWithEveryFrame() {
    WsClient sender = connect();

    JsonObject reply = sender.request(new JsonObject().put("type", "WHAT_CONFIG").put("id", "c1"));

    assertThat(reply.getString("type")).isEqualTo("config");
    assertThat(reply.getString("id")).isEqualTo("c1");
    JsonObject expected = new JsonObject().put("greeting", "hi");
    assertThat(reply.getJsonObject("data"))
        .isEqualTo(new JsonObject().put("context", expected).put("start", expected));
  }

  @Test
  void aPluginBroadcastsToAnOrganisationAndToAUser() {
    WsClient sender = connectAs("s", "acme");
    WsClient colleague = connectAs("c", "acme");
    WsClient watcher = connectAs("watcher", "other");

    sender.send(new JsonObject().put("type", "ORG_NOTE").put("data", "memo"));

    assertThat(colleague.next("message").getString("data")).isEqualTo("memo");
    assertThat(sender.next("message").getString("event")).isEqualTo("ORG_NOTE");
    JsonObject copy = watcher.next("message");
    assertThat(copy.getString("event")).isEqualTo("COPY");
    assertThat(copy.getInteger("data")).isEqualTo(2);
  }

  @Test
  void apiPluginsListsEveryPluginWithItsTypesSettingsAndCounters() {
    WsClient sender = connect();
    sender.request(new JsonObject().put("type", "WHAT_CONFIG"));
    sender.request(new JsonObject().put("type", "BOOM"));

    JsonArray plugins = adminGet("/api/plugins").bodyAsJsonObject().getJsonArray("plugins");

    JsonObject configured = find(plugins, "configured");
    assertThat(configured.getString("version")).isEqualTo("2.1.0");
    assertThat(configured.getString("jar")).isEqualTo("embedded");
    assertThat(configured.getJsonArray("types")).isEqualTo(new JsonArray().add("WHAT_CONFIG"));
    assertThat(configured.getBoolean("enabled")).isTrue();
    assertThat(configured.getLong("timeoutMs")).isEqualTo(2_000L);
    assertThat(configured.getLong("handled")).isGreaterThanOrEqualTo(1);
    assertThat(find(plugins, "boom").getLong("failed")).isGreaterThanOrEqualTo(1);
    assertThat(find(plugins, "stall").getLong("timeoutMs")).isEqualTo(200L);
    assertThat(find(plugins, "disabled").getBoolean("enabled")).isFalse();
  }

  @Test
  void perPluginCountersAreInMetrics() {
    WsClient sender = connect();
    sender.request(new JsonObject().put("type", "WHAT_CONFIG"));

    String metrics = adminGet("/metrics").bodyAsString();

    assertThat(metrics)
        .contains("switchboard_plugin_handled_total{plugin=\"configured\"}")
        .contains("switchboard_plugin_rejected_total{plugin=\"echo\"}")
        .contains("switchboard_plugin_failed_total{plugin=\"boom\",reason=\"error\"}")
        .contains("switchboard_plugin_failed_total{plugin=\"stall\",reason=\"timeout\"}")
        .contains("switchboard_plugin_latency_seconds_bucket");
  }

  private static JsonObject find(JsonArray plugins, String name) {
    return plugins.stream()
        .map(JsonObject.class::cast)
        .filter(p -> name.equals(p.getString("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no plugin " + name + " in " + plugins));
  }
}
