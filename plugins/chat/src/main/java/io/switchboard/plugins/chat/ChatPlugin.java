package io.switchboard.plugins.chat;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.plugin.PluginEnvironment;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * {@code CHAT_MESSAGE}: a text message to a channel the sender has joined.
 *
 * <pre>
 * {@code {"type": "CHAT_MESSAGE", "id"?: "c1", "channel": "chat:lobby", "data": {"text": "hi"}}}
 * </pre>
 *
 * Every subscriber of the channel (the sender included) receives {@code {"type": "message",
 * "channel", "event": "CHAT_MESSAGE", "data": {"text", "senderId", "userId", "timestamp"}}}: the
 * server adds the sender's connection id, its verified user id (null for an anonymous connection;
 * any {@code userId} or {@code senderId} in the payload is ignored) and the time. The sender gets
 * an {@code ack} when the frame had an {@code id}.
 *
 * <p>A chat message is a publish on the sender's behalf: the channel's namespace must let the
 * sender publish there ({@code channels.namespaces.<prefix>.publish}, then its authorizer, if any),
 * as for a client's {@code publish}.
 *
 * <p>Configuration ({@code plugins.settings.chat.config}): {@code maxTextLength}, the longest
 * accepted text in characters (default {@value #DEFAULT_MAX_TEXT_LENGTH}).
 *
 * <p>Errors: {@code bad_request} for a missing channel or a {@code data.text} that is missing, not
 * a string, blank or too long (the message names the field and the rule); {@code not_subscribed}
 * when the sender has not joined the channel; {@code forbidden} for a {@code $} channel or one
 * whose namespace does not let the sender publish (the message names the rule); the namespace
 * authorizer's refusal as it gave it.
 */
public final class ChatPlugin implements MessageTypePlugin {

  public static final String TYPE = "CHAT_MESSAGE";
  public static final int DEFAULT_MAX_TEXT_LENGTH = 2_000;

  private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;

  @Override
  public String name() {
    return "chat";
  }

  @Override
  public Set<String> messageTypes() {
    return Set.of(TYPE);
  }

  @Override
  public Future<Void> start(PluginEnvironment environment) {
    Object configured = environment.config().getValue("maxTextLength", DEFAULT_MAX_TEXT_LENGTH);
    if (!(configured instanceof Integer max) || max < 1) {
      return Future.failedFuture(
          "plugins.settings.chat.config.maxTextLength must be a whole number > 0, was "
              + configured);
    }
    maxTextLength = max;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> handle(PluginContext context) {
    String channel = context.frame().channel();
    if (channel == null) {
      return context.reject(
          ErrorCode.BAD_REQUEST, "field 'channel' is required for type '" + TYPE + "'");
    }
    if (!context.sender().hasJoined(channel)) {
      return context.reject(
          ErrorCode.NOT_SUBSCRIBED,
          "join channel '" + channel + "' before sending " + TYPE + " to it");
    }
    if (!(context.frame().data() instanceof JsonObject data)) {
      return context.reject(
          ErrorCode.BAD_REQUEST,
          "field 'data' must be an object with a 'text', was "
              + ProtocolError.jsonKind(context.frame().data()));
    }
    Object text = data.getValue("text");
    if (text == null) {
      return context.reject(ErrorCode.BAD_REQUEST, "field 'data.text' is required");
    }
    if (!(text instanceof String string)) {
      return context.reject(
          ErrorCode.BAD_REQUEST,
          "field 'data.text' must be a string, was " + ProtocolError.jsonKind(text));
    }
    if (string.isBlank()) {
      return context.reject(ErrorCode.BAD_REQUEST, "field 'data.text' must not be blank");
    }
    if (string.length() > maxTextLength) {
      return context.reject(
          ErrorCode.BAD_REQUEST,
          "field 'data.text' must be at most "
              + maxTextLength
              + " characters, was "
              + string.length());
    }
    JsonObject message =
        new JsonObject()
            .put("text", string)
            .put("senderId", context.sender().connectionId())
            .put("userId", context.sender().userId())
            .put("timestamp", Instant.now().toString());
    return context.publishAsSender(channel, message).compose(delivered -> context.ack());
  }
}
