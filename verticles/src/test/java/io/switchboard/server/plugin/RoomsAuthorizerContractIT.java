package io.switchboard.server.plugin;

import io.switchboard.plugin.AccessRequest.Action;
import io.switchboard.plugin.ChannelAuthorizer;
import io.switchboard.plugin.tck.ChannelAuthorizerContract;
import io.switchboard.protocol.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The test authorizer "rooms" against the authorizer contract, as a team's tests would run it. */
class RoomsAuthorizerContractIT extends ChannelAuthorizerContract {

  private static final Identity ALICE = new Identity("alice", "acme", List.of("vip:*"));

  @Override
  protected ChannelAuthorizer createAuthorizer() {
    return new TestPlugins.Rooms();
  }

  @Override
  protected String namespace() {
    return "room";
  }

  @Override
  protected List<Allowed> allowed() {
    return List.of(
        new Allowed("an open room", ALICE, List.of(), Action.JOIN, "room:open-1", null),
        new Allowed(
            "a publish to an open room",
            ALICE,
            List.of("room:open-2"),
            Action.PUBLISH,
            "room:open-2",
            new JsonObject().put("text", "hi")));
  }

  @Override
  protected List<Refused> refused() {
    return List.of(
        new Refused(
            "a closed room",
            ALICE,
            List.of(),
            Action.JOIN,
            "room:closed-1",
            null,
            ErrorCode.FORBIDDEN,
            "room 'closed-1' is closed"),
        new Refused(
            "a full room, with the plugin's own retryable code",
            Identity.ANONYMOUS,
            List.of(),
            Action.JOIN,
            "room:full-1",
            null,
            TestPlugins.Rooms.FULL,
            "room 'full-1' is full"),
        new Refused(
            "a publish the plugin refuses",
            ALICE,
            List.of("room:open-3"),
            Action.PUBLISH,
            "room:open-3",
            new JsonObject().put("refuse", "no shouting"),
            ErrorCode.FORBIDDEN,
            "no shouting"));
  }
}
