package io.switchboard.plugins.chat;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.tck.MessageTypePluginContract;
import io.switchboard.protocol.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The chat plugin against the plugin contract, with a 20-character text limit. */
class ChatPluginContractIT extends MessageTypePluginContract {

  private static final Identity ALICE = new Identity("alice", "acme");

  @Override
  protected MessageTypePlugin createPlugin() {
    return new ChatPlugin();
  }

  @Override
  protected JsonObject pluginConfig() {
    return new JsonObject().put("maxTextLength", 20);
  }

  @Override
  protected List<ValidFrame> validFrames() {
    return List.of(
        new ValidFrame(
            "a message reaches the channel with sender and user added",
            ALICE,
            List.of("chat:lobby"),
            chat("chat:lobby", new JsonObject().put("text", "hello everyone")),
            new JsonObject()
                .put("type", "message")
                .put("channel", "chat:lobby")
                .put("event", "CHAT_MESSAGE")
                .put(
                    "data", new JsonObject().put("text", "hello everyone").put("userId", "alice"))),
        new ValidFrame(
            "a text of exactly the limit is accepted",
            ALICE,
            List.of("chat:limit"),
            chat("chat:limit", new JsonObject().put("text", "x".repeat(20))),
            new JsonObject().put("data", new JsonObject().put("text", "x".repeat(20)))));
  }

  @Override
  protected List<InvalidFrame> invalidFrames() {
    return List.of(
        invalid(
            "no channel",
            List.of(),
            new JsonObject().put("type", "CHAT_MESSAGE").put("data", text("hi")),
            ErrorCode.BAD_REQUEST,
            "field 'channel' is required for type 'CHAT_MESSAGE'"),
        invalid(
            "a channel not joined",
            List.of(),
            chat("chat:elsewhere", text("hi")),
            ErrorCode.NOT_SUBSCRIBED,
            "join channel 'chat:elsewhere' before sending CHAT_MESSAGE to it"),
        invalid(
            "data not an object",
            List.of("chat:a"),
            chat("chat:a", "hi"),
            ErrorCode.BAD_REQUEST,
            "field 'data' must be an object with a 'text', was a string"),
        invalid(
            "no text",
            List.of("chat:a"),
            chat("chat:a", new JsonObject()),
            ErrorCode.BAD_REQUEST,
            "field 'data.text' is required"),
        invalid(
            "text not a string",
            List.of("chat:a"),
            chat("chat:a", new JsonObject().put("text", 7)),
            ErrorCode.BAD_REQUEST,
            "field 'data.text' must be a string, was a number"),
        invalid(
            "blank text",
            List.of("chat:a"),
            chat("chat:a", text("   ")),
            ErrorCode.BAD_REQUEST,
            "field 'data.text' must not be blank"),
        invalid(
            "text over the limit",
            List.of("chat:a"),
            chat("chat:a", text("x".repeat(21))),
            ErrorCode.BAD_REQUEST,
            "field 'data.text' must be at most 20 characters, was 21"),
        invalid(
            "a server channel",
            List.of("$telemetry"),
            chat("$telemetry", text("hi")),
            ErrorCode.FORBIDDEN,
            "clients may not publish to '$' channels; '$telemetry' belongs to the server"),
        invalid(
            "a channel whose namespace lets no client publish",
            List.of("user:alice"),
            chat("user:alice", text("hi")),
            ErrorCode.FORBIDDEN,
            "publishing to 'user:alice' is not allowed: namespace 'user' lets no client do that"
                + " (channels.namespaces.user.publish: nobody)"));
  }

  private static InvalidFrame invalid(
      String description, List<String> joins, JsonObject frame, ErrorCode code, String message) {
    return new InvalidFrame(description, ALICE, joins, frame, code, message);
  }

  private static JsonObject chat(String channel, Object data) {
    return new JsonObject().put("type", "CHAT_MESSAGE").put("channel", channel).put("data", data);
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("text", text);
  }
}
