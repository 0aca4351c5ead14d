package io.switchboard.server.plugin;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.plugin.tck.MessageTypePluginContract;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.PluginErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plugin with state against the plugin contract: it counts one vote per user and refuses a
 * second. It passes only because every test and case of the contract gets a fresh instance, and no
 * instance is sent the same valid frame twice.
 */
class VotesPluginContractIT extends MessageTypePluginContract {

  private static final Identity ALICE = new Identity("alice", "acme");

  @Override
  protected MessageTypePlugin createPlugin() {
    return new Votes();
  }

  @Override
  protected List<ValidFrame> validFrames() {
    return List.of(
        new ValidFrame(
            "alice's vote is counted",
            ALICE,
            List.of("poll"),
            vote(new JsonObject().put("option", "tea")),
            new JsonObject()
                .put("event", "VOTE")
                .put(
                    "data",
                    new JsonObject().put("option", "tea").put("votes", 1).put("userId", "alice"))));
  }

  @Override
  protected List<InvalidFrame> invalidFrames() {
    return List.of(
        new InvalidFrame(
            "a vote without an option",
            ALICE,
            List.of("poll"),
            vote(new JsonObject()),
            ErrorCode.BAD_REQUEST,
            "VOTE needs a 'channel' and a string 'data.option'"));
  }

  private static JsonObject vote(JsonObject data) {
    return new JsonObject().put("type", "VOTE").put("channel", "poll").put("data", data);
  }

  /** VOTE: one vote per user, published with the count so far; a second is refused. */
  static final class Votes implements MessageTypePlugin {

    static final PluginErrorCode ALREADY_VOTED =
        PluginErrorCode.of("votes", "already_voted", false);

    private final Set<String> voters = new HashSet<>();

    @Override
    public String name() {
      return "votes";
    }

    @Override
    public Set<String> messageTypes() {
      return Set.of("VOTE");
    }

    @Override
    public Future<Void> handle(PluginContext context) {
      String channel = context.frame().channel();
      if (channel == null
          || !(context.frame().data() instanceof JsonObject data)
          || !(data.getValue("option") instanceof String option)) {
        return context.reject(
            ErrorCode.BAD_REQUEST, "VOTE needs a 'channel' and a string 'data.option'");
      }
      String voter = String.valueOf(context.sender().userId());
      if (!voters.add(voter)) {
        return context.reject(ALREADY_VOTED, voter + " has voted already");
      }
      JsonObject counted =
          new JsonObject()
              .put("option", option)
              .put("votes", voters.size())
              .put("userId", context.sender().userId());
      return context.publish(channel, counted).compose(n -> context.ack());
    }
  }
}
