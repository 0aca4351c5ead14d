package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A plugin's timeouts leave a trace in the log, as its failures do: the plugin, what it did not do
 * in time, the connection and a reference that the client's {@code plugin_timeout} names; and a
 * flood of them is cut to {@link PluginHostVerticle#TIMEOUT_LOG_LINES} lines a minute per plugin.
 * The log is read with a Logback appender on the plugin host's logger.
 */
class PluginTimeoutLogIT extends ServerTestBase {

  private static final Pattern REFERENCE =
      Pattern.compile("; reference ([0-9a-f]{8}) in the server log$");

  private final Logger hostLog = (Logger) LoggerFactory.getLogger(PluginHostVerticle.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "channels",
            new JsonObject()
                .put(
                    "namespaces",
                    new JsonObject()
                        .put(
                            "room",
                            new JsonObject().put("join", "anyone").put("authorizer", "rooms"))))
        .put(
            "plugins",
            new JsonObject()
                .put(
                    "settings",
                    new JsonObject()
                        .put("hang", new JsonObject().put("timeoutMs", 50))
                        .put("rooms", new JsonObject().put("timeoutMs", 100))));
  }

  @Override
  protected List<MessageTypePlugin> plugins() {
    return List.of(
        TestPlugins.of("hang", Set.of("HANG"), context -> Promise.<Void>promise().future()),
        new TestPlugins.Rooms());
  }

  @BeforeEach
  void captureTheLog() {
    appender.list.clear();
    appender.start();
    hostLog.addAppender(appender);
  }

  @AfterEach
  void stopCapturing() {
    hostLog.detachAppender(appender);
    appender.stop();
  }

  /** The lines logged so far; the appender's lock orders its writes before this read. */
  private List<String> lines() {
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  @Test
  void aFloodOfTimeoutsIsLoggedWithReferencesUpToTheBudget() {
    int frames = PluginHostVerticle.TIMEOUT_LOG_LINES + 15;
    WsClient sender = connect();
    for (int i = 0; i < frames; i++) {
      sender.send(new JsonObject().put("type", "HANG").put("id", "h" + i));
    }

    List<String> messages = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      JsonObject error = sender.next("error");
      assertThat(error.getJsonObject("error").getString("code")).isEqualTo("plugin_timeout");
      messages.add(error.getJsonObject("error").getString("message"));
    }

    List<String> answered = new ArrayList<>();
    for (String message : messages) {
      Matcher reference = REFERENCE.matcher(message);
      if (reference.find()) {
        answered.add(reference.group(1));
        assertThat(message).startsWith("plugin 'hang' did not handle HANG within 50 ms;");
      } else {
        assertThat(message).isEqualTo("plugin 'hang' did not handle HANG within 50 ms");
      }
    }
    List<String> timedOut =
        lines().stream().filter(line -> line.startsWith("plugin timed out")).toList();
    assertThat(answered).hasSize(PluginHostVerticle.TIMEOUT_LOG_LINES);
    assertThat(timedOut).hasSize(PluginHostVerticle.TIMEOUT_LOG_LINES);
    for (int i = 0; i < timedOut.size(); i++) {
      assertThat(timedOut.get(i))
          .isEqualTo(
              "plugin timed out [plugin: hang, action: handle HANG, conn: "
                  + sender.connectionId()
                  + ", timeout: 50 ms, ref: "
                  + answered.get(i)
                  + ", timeouts not logged before this one: 0]");
    }
    assertThat(lines())
        .filteredOn(line -> line.startsWith("plugin timeouts not logged"))
        .containsExactly(
            "plugin timeouts not logged for the rest of the minute [plugin: hang, logged: 10]; the"
                + " metric switchboard_plugin_failed_total{reason=\"timeout\"} counts every one");
    assertThat(server.server().metrics().plugin("hang").failedTotal()).isEqualTo(frames);
  }

  @Test
  void anAuthorizerThatDecidesTooLateIsLoggedWithTheReferenceTheClientGets() {
    WsClient sender = connect("/ws?userId=alice");

    JsonObject error =
        sender.request(
            new JsonObject().put("type", "join").put("channel", "room:hang-1").put("id", "j"));

    String message = error.getJsonObject("error").getString("message");
    Matcher reference = REFERENCE.matcher(message);
    assertThat(reference.find()).as("a reference in '%s'", message).isTrue();
    assertThat(message)
        .startsWith("plugin 'rooms' did not decide on joining 'room:hang-1' within 100 ms;");
    assertThat(lines())
        .containsExactly(
            "plugin timed out [plugin: rooms, action: decide on joining 'room:hang-1', conn: "
                + sender.connectionId()
                + ", timeout: 100 ms, ref: "
                + reference.group(1)
                + ", timeouts not logged before this one: 0]");
  }
}
