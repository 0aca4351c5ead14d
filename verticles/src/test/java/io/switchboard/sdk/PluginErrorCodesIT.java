package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.AccessDecision;
import io.switchboard.plugin.AccessRequest;
import io.switchboard.plugin.ChannelAuthorizer;
import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.PluginErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The SDK keeps plugins' own error codes as the server sent them, where it turns any other code it
 * does not know into {@code internal}: for a refused join, a refused publish and a stray error.
 */
class PluginErrorCodesIT extends SdkTestBase {

  private static final PluginErrorCode FULL = PluginErrorCode.of("gate", "full", true);
  private static final PluginErrorCode CLOSED = PluginErrorCode.of("polls", "closed", false);

  @Override
  protected JsonObject config() {
    return super.config()
        .put(
            "channels",
            new JsonObject()
                .put(
                    "namespaces",
                    new JsonObject()
                        .put(
                            "room",
                            new JsonObject()
                                .put("join", "anyone")
                                .put("publish", "anyone")
                                .put("authorizer", "gate"))));
  }

  @Override
  protected List<MessageTypePlugin> plugins() {
    return List.of(new Gate(), new Polls());
  }

  /** Refuses {@code room:full} and anything published with {@code "full"}, with gate.full. */
  private static final class Gate implements ChannelAuthorizer {
    @Override
    public String name() {
      return "gate";
    }

    @Override
    public Future<AccessDecision> authorize(AccessRequest request) {
      boolean full = request.channel().equals("room:full") || "full".equals(request.data());
      return Future.succeededFuture(
          full ? AccessDecision.refuse(FULL, "the room is full") : AccessDecision.allow());
    }
  }

  /** POLL_VOTE: always refused with polls.closed. */
  private static final class Polls implements MessageTypePlugin {
    @Override
    public String name() {
      return "polls";
    }

    @Override
    public Set<String> messageTypes() {
      return Set.of("POLL_VOTE");
    }

    @Override
    public Future<Void> handle(PluginContext context) {
      return context.reject(CLOSED, "the poll is closed");
    }
  }

  @Test
  void aJoinRefusedWithAPluginsCodeFailsWithThatCode() {
    SwitchboardClient client = connected(options());

    Throwable failure = failure(client.join("room:full", m -> {}));

    assertThat(failure).isInstanceOf(ProtocolException.class);
    ProtocolError error = ((ProtocolException) failure).error();
    assertThat(error.code()).isEqualTo(FULL);
    assertThat(error.retryable()).isTrue();
    assertThat(failure).hasMessage("gate.full: the room is full");
  }

  @Test
  void aPublishRefusedWithAPluginsCodeReportsThatCode() {
    SwitchboardClient client = connected(options());

    SendResult result = Await.result(client.publish("room:open", "full"));

    assertThat(result).isEqualTo(new SendResult(false, "gate.full: the room is full"));
  }

  @Test
  void aStrayErrorWithAPluginsCodeReachesOnErrorWithThatCode() {
    SwitchboardClient client = client(options());
    ClientEvents events = ClientEvents.of(client);
    Await.result(client.connect());

    Await.result(client.send(new JsonObject().put("type", "POLL_VOTE").put("data", "yes")));

    Await.until("the error reached onError", () -> !events.errors.isEmpty());
    assertThat(events.errors.get(0)).isInstanceOf(ProtocolException.class);
    ProtocolError error = ((ProtocolException) events.errors.get(0)).error();
    assertThat(error.code()).isEqualTo(CLOSED).isNotEqualTo(ErrorCode.INTERNAL);
    assertThat(error.message()).isEqualTo("the poll is closed");
  }
}
