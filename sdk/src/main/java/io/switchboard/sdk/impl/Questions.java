package io.switchboard.sdk.impl;

import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.sdk.ChannelMessage;
import io.switchboard.sdk.ConnectionState;
import io.switchboard.sdk.History;
import io.switchboard.sdk.Presence;
import io.switchboard.sdk.SendOptions;
import io.switchboard.sdk.StreamPosition;
import io.switchboard.sdk.SwitchboardClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Questions about a channel that the server answers with a frame of the same type: {@code history}
 * and {@code presence}. Asked only while connected (an answer about the past is of no use later),
 * each ends exactly once: answered, refused, timed out, or cut off by a lost connection.
 *
 * <p>Used on the client's context only.
 */
final class Questions {

  private static final SendOptions DEFAULTS = new SendOptions();

  private final Session session;
  private final Sender sender;
  private final Replies replies;

  Questions(Session session, Sender sender, Replies replies) {
    this.session = session;
    this.sender = sender;
    this.replies = replies;
  }

  /** Asks for a channel's kept messages; see {@link SwitchboardClient#history}. */
  Future<History> history(String channel, StreamPosition since, int limit) {
    if (limit < 1) {
      return Future.failedFuture(
          new IllegalArgumentException("limit must be at least 1, was " + limit));
    }
    JsonObject data = new JsonObject().put("limit", limit);
    if (since != null) {
      data.put("since", since.toJson());
    }
    Promise<History> result = Promise.promise();
    return ask(MessageType.HISTORY, channel, data, new HistoryWaiter(channel, result), result);
  }

  /** Asks who is in a joined channel; see {@link SwitchboardClient#presence}. */
  Future<Presence> presence(String channel) {
    Promise<Presence> result = Promise.promise();
    return ask(MessageType.PRESENCE, channel, null, new PresenceWaiter(channel, result), result);
  }

  /**
   * A question about a channel that the server answers with a frame of the same type: written now
   * if connected (not queued: an answer about the past is of no use later), answered to {@code
   * waiter}.
   */
  private <T> Future<T> ask(
      MessageType type, String channel, JsonObject data, Replies.Waiter waiter, Promise<T> result) {
    try {
      ChannelNames.validate(Envelope.CHANNEL, channel);
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
    if (session.state() != ConnectionState.CONNECTED) {
      return Future.failedFuture(
          new IllegalStateException(
              type.wireName() + " needs a connection; the client is " + session.state()));
    }
    String id = replies.newId(type.wireName());
    replies.register(id, waiter);
    JsonObject frame =
        new JsonObject()
            .put(Envelope.TYPE, type.wireName())
            .put(Envelope.ID, id)
            .put(Envelope.CHANNEL, channel);
    if (data != null) {
      frame.put(Envelope.DATA, data);
    }
    sender.submit(
        frame,
        DEFAULTS,
        replies.onWrite(
            id,
            DEFAULTS.getTimeoutMs(),
            null,
            reason -> result.tryFail(new IllegalStateException(reason))));
    return result.future();
  }

  /** What a question's waiter does besides reading its answer: the same for each. */
  private abstract static class Question<T> implements Replies.Waiter {
    final String channel;
    final Promise<T> result;

    Question(String channel, Promise<T> result) {
      this.channel = channel;
      this.result = result;
    }

    abstract T read(JsonObject data);

    @Override
    public void answered(Envelope frame) {
      if (frame.builtInType().orElse(null) == MessageType.ERROR && frame.error() != null) {
        result.tryFail(new ProtocolException(frame.error()));
      } else {
        result.tryComplete(read(frame.data() instanceof JsonObject data ? data : new JsonObject()));
      }
    }

    @Override
    public void timedOut() {
      result.tryFail(
          new IllegalStateException(
              "Timeout waiting for the server's answer about '"
                  + channel
                  + "' ("
                  + DEFAULTS.getTimeoutMs()
                  + "ms)"));
    }

    @Override
    public boolean connectionLost() {
      result.tryFail(
          new IllegalStateException(
              "Connection lost before the server answered about '" + channel + "'"));
      return false;
    }

    @Override
    public void closed(String reason) {
      result.tryFail(new IllegalStateException(reason));
    }
  }

  /** Waits for the server's {@code presence}. */
  private static final class PresenceWaiter extends Question<Presence> {
    PresenceWaiter(String channel, Promise<Presence> result) {
      super(channel, result);
    }

    @Override
    Presence read(JsonObject data) {
      List<Presence.Member> members = new ArrayList<>();
      for (Object item : data.getJsonArray("members", new JsonArray())) {
        if (item instanceof JsonObject member) {
          members.add(
              new Presence.Member(
                  member.getString("connectionId"),
                  member.getString("userId"),
                  member.getString("organizationId"),
                  member.getString("joinedAt")));
        }
      }
      return new Presence(
          channel,
          data.getInteger("count", members.size()),
          members,
          data.getBoolean("more", false),
          data.getBoolean("partial", false));
    }
  }

  /** Waits for the server's {@code history}. */
  private static final class HistoryWaiter extends Question<History> {
    HistoryWaiter(String channel, Promise<History> result) {
      super(channel, result);
    }

    @Override
    History read(JsonObject data) {
      List<ChannelMessage> messages = new ArrayList<>();
      Object epoch = data.getValue("epoch");
      for (Object item : data.getJsonArray("messages", new JsonArray())) {
        if (item instanceof JsonObject kept) {
          // Each item names its offset; the epoch, the stream's, is named once for them all.
          JsonObject message = kept.containsKey("epoch") ? kept : kept.copy().put("epoch", epoch);
          Object event = message.getValue("event");
          messages.add(
              new ChannelMessage(
                  channel,
                  message.getValue("data"),
                  event instanceof String s ? s : null,
                  message.getString("ts"),
                  message));
        }
      }
      return new History(channel, StreamPosition.of(data), messages);
    }
  }
}
