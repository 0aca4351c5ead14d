package io.switchboard.server.frame;

import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.Protocol;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.auth.Identity;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Builds every frame the server sends, encoded once as a UTF-8 buffer ready to be written to any
 * number of sockets. Fields appear in envelope order: type, id, channel, data, ts, error.
 */
public final class ServerFrames {

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ServerFrames() {}

  /**
   * The first frame of a connection: its id, the protocol, the heartbeat interval, and who the
   * server takes the client to be ({@code userId}, {@code organizationId} when known; {@code
   * expiresAt} when its token expires).
   */
  public static Buffer welcome(String connectionId, long heartbeatIntervalMs, Identity identity) {
    JsonObject data =
        new JsonObject()
            .put("connectionId", connectionId)
            .put("protocol", Protocol.VERSION)
            .put("heartbeatIntervalMs", heartbeatIntervalMs)
            .put("serverTime", now());
    if (identity.userId() != null) {
      data.put("userId", identity.userId());
    }
    if (identity.organizationId() != null) {
      data.put("organizationId", identity.organizationId());
    }
    if (identity.expiresAtMs() > 0) {
      data.put("expiresAt", timestamp(identity.expiresAtMs()));
    }
    return frame(MessageType.WELCOME, null, null, data);
  }

  /**
   * The connection's token expires at {@code expiresAtMs}; unless refreshed, the connection is
   * closed with 4004 at {@code closeAtMs} (the expiry plus the allowed clock skew).
   */
  public static Buffer tokenExpiring(long expiresAtMs, long closeAtMs) {
    return frame(
        MessageType.TOKEN_EXPIRING,
        null,
        null,
        new JsonObject()
            .put("expiresAt", timestamp(expiresAtMs))
            .put("closeAt", timestamp(closeAtMs)));
  }

  /** A {@code refresh} was accepted; {@code expiresAtMs} is 0 when the new token never expires. */
  public static Buffer refreshed(String id, long expiresAtMs) {
    return frame(
        MessageType.REFRESHED,
        id,
        null,
        new JsonObject().put("expiresAt", expiresAtMs > 0 ? timestamp(expiresAtMs) : null));
  }

  public static Buffer pong(String id) {
    return frame(MessageType.PONG, id, null, null);
  }

  /**
   * A join succeeded.
   *
   * @param data {@code subscribers}, the stream's {@code offset} and {@code epoch} at the join, and
   *     {@code recovered} when the join asked to recover ({@code since})
   */
  public static Buffer subscriptionConfirmed(String id, String channel, JsonObject data) {
    return frame(MessageType.SUBSCRIPTION_CONFIRMED, id, channel, data);
  }

  /**
   * The answer to a {@code history} request.
   *
   * @param data {@code offset}, {@code epoch} and {@code messages}
   */
  public static Buffer history(String id, String channel, JsonObject data) {
    return frame(MessageType.HISTORY, id, channel, data);
  }

  public static Buffer left(String id, String channel) {
    return frame(MessageType.LEFT, id, channel, null);
  }

  /**
   * The answer to a client's {@code presence}: {@code data} is {@code {"count", "members", "more",
   * "partial"}}.
   */
  public static Buffer presence(String id, String channel, JsonObject data) {
    return frame(MessageType.PRESENCE, id, channel, data);
  }

  /**
   * A {@code presence_joined} or {@code presence_left} notice to a channel's subscribers; {@code
   * who} is {@code {"connectionId", "userId", "organizationId"}}.
   */
  public static Buffer presenceNotice(boolean joined, String channel, JsonObject who) {
    return frame(
        joined ? MessageType.PRESENCE_JOINED : MessageType.PRESENCE_LEFT, null, channel, who);
  }

  public static Buffer ack(String id) {
    return frame(MessageType.ACK, id, null, null);
  }

  /** The ack of a publish: the message's place in its channel's stream, as on the message. */
  public static Buffer ack(String id, long offset, String epoch) {
    return ack(id, offset, epoch, false);
  }

  /**
   * The ack of a publish; a re-sent one ({@code duplicate}) is acked with the place it took the
   * first time and {@code "data": {"duplicate": true}}.
   */
  public static Buffer ack(String id, long offset, String epoch, boolean duplicate) {
    JsonObject json = new JsonObject().put(Envelope.TYPE, MessageType.ACK.wireName());
    if (id != null) {
      json.put(Envelope.ID, id);
    }
    json.put(Envelope.TS, now()).put(Envelope.OFFSET, offset).put(Envelope.EPOCH, epoch);
    if (duplicate) {
      json.put(Envelope.DATA, new JsonObject().put("duplicate", true));
    }
    return json.toBuffer();
  }

  /**
   * A channel's {@code message} frame with its place in the stream added as its last fields, {@code
   * "offset"} and {@code "epoch"}: the frame's bytes are copied as they are, never parsed again, so
   * the owner of a channel stamps frames that other nodes encoded.
   *
   * @param frame a frame of {@link #message}, a compact JSON object
   * @param epoch an epoch of the history store (hexadecimal digits: nothing to escape)
   */
  public static Buffer stamped(Buffer frame, long offset, String epoch) {
    int end = frame.length() - 1;
    if (end < 1 || frame.getByte(end) != '}') {
      throw new IllegalArgumentException("not a JSON object frame: " + frame);
    }
    return Buffer.buffer(end + 40 + epoch.length())
        .appendBuffer(frame, 0, end)
        .appendString(",\"offset\":")
        .appendString(Long.toString(offset))
        .appendString(",\"epoch\":\"")
        .appendString(epoch)
        .appendString("\"}");
  }

  /**
   * A {@code message} frame.
   *
   * @param channel the channel it was published to, or null for a broadcast to users or
   *     organisations without a channel
   * @param event the broadcast's {@code type} for REST and event-bus broadcasts, null for client
   *     publishes
   */
  public static Buffer message(String channel, String event, Object data) {
    JsonObject json = new JsonObject().put(Envelope.TYPE, MessageType.MESSAGE.wireName());
    if (channel != null) {
      json.put(Envelope.CHANNEL, channel);
    }
    if (event != null) {
      json.put("event", event);
    }
    return json.put(Envelope.DATA, data).put(Envelope.TS, now()).toBuffer();
  }

  /** A frame of any type (a plugin's reply), echoing the correlation id when there is one. */
  public static Buffer custom(String type, String id, Object data) {
    JsonObject json = new JsonObject().put(Envelope.TYPE, type);
    if (id != null) {
      json.put(Envelope.ID, id);
    }
    if (data != null) {
      json.put(Envelope.DATA, data);
    }
    return json.put(Envelope.TS, now()).toBuffer();
  }

  public static Buffer metricsUpdate(String channel, JsonObject figures) {
    return frame(MessageType.METRICS_UPDATE, null, channel, figures);
  }

  public static Buffer serverShutdown(String reason, long reconnectAfterMs) {
    return frame(
        MessageType.SERVER_SHUTDOWN,
        null,
        null,
        new JsonObject().put("reason", reason).put("reconnectAfterMs", reconnectAfterMs));
  }

  /**
   * An {@code error} frame.
   *
   * @param id the offending frame's correlation id, if it had a valid one
   * @param original the offending frame: its decoded object, or its text when it was not a JSON
   *     object or is longer than {@value Protocol#MAX_ORIGINAL_MESSAGE_CHARS} characters (then cut
   *     to that length); null to leave {@code data.originalMessage} out
   */
  public static Buffer error(String id, ProtocolError error, Object original) {
    JsonObject json = new JsonObject().put(Envelope.TYPE, MessageType.ERROR.wireName());
    if (id != null) {
      json.put(Envelope.ID, id);
    }
    if (original != null) {
      json.put(Envelope.DATA, new JsonObject().put("originalMessage", original));
    }
    return json.put(Envelope.TS, now()).put(Envelope.ERROR, error.toJson()).toBuffer();
  }

  /**
   * What to put in {@code data.originalMessage} for a frame: the decoded object when the text is
   * short enough, otherwise the text cut to {@value Protocol#MAX_ORIGINAL_MESSAGE_CHARS}
   * characters.
   */
  public static Object original(String text, Object decoded) {
    if (text.length() > Protocol.MAX_ORIGINAL_MESSAGE_CHARS) {
      return text.substring(0, Protocol.MAX_ORIGINAL_MESSAGE_CHARS);
    }
    return decoded instanceof JsonObject ? decoded : text;
  }

  /** The current time as ISO-8601 UTC with milliseconds, the format of every {@code ts}. */
  public static String now() {
    return timestamp(System.currentTimeMillis());
  }

  /** An epoch-milliseconds time in the format of every {@code ts}. */
  public static String timestamp(long epochMillis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
  }

  private static Buffer frame(MessageType type, String id, String channel, Object data) {
    JsonObject json = new JsonObject().put(Envelope.TYPE, type.wireName());
    if (id != null) {
      json.put(Envelope.ID, id);
    }
    if (channel != null) {
      json.put(Envelope.CHANNEL, channel);
    }
    if (data != null) {
      json.put(Envelope.DATA, data);
    }
    return json.put(Envelope.TS, now()).toBuffer();
  }
}
