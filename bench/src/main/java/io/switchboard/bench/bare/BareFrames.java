package io.switchboard.bench.bare;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.bench.client.Bytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The bare server's frames, read and written at the byte level with no JSON tree: it relies on the
 * bench's own client, which writes {@code type} first and {@code data} last. A {@code message}
 * frame is the published {@code data} spliced into a fixed envelope, in the same shape and size as
 * Switchboard's: {@code
 * {"type":"message","channel":"c","data":...,"ts":"2026-01-01T00:00:00.000Z"}}.
 */
final class BareFrames {

  /** What a client frame asks for. */
  enum Kind {
    JOIN,
    PUBLISH,
    OTHER
  }

  private static final byte[] JOIN_PREFIX = ascii("{\"type\":\"join\"");
  private static final byte[] JOIN = ascii("\"type\":\"join\"");
  private static final byte[] PUBLISH_PREFIX = ascii("{\"type\":\"publish\"");
  private static final byte[] PUBLISH = ascii("\"type\":\"publish\"");
  private static final byte[] CHANNEL = ascii("\"channel\":\"");
  private static final byte[] ID = ascii("\"id\":\"");
  private static final byte[] DATA = ascii("\"data\":");
  private static final byte[] MESSAGE_HEAD = ascii("{\"type\":\"message\",\"channel\":\"");
  private static final byte[] DATA_HEAD = ascii("\",\"data\":");
  private static final byte[] TS_HEAD = ascii(",\"ts\":\"");
  private static final byte[] TAIL = ascii("\"}");
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private BareFrames() {}

  static Kind kind(Buffer frame) {
    if (Bytes.startsWithOrHolds(frame, PUBLISH_PREFIX, PUBLISH)) {
      return Kind.PUBLISH;
    }
    if (Bytes.startsWithOrHolds(frame, JOIN_PREFIX, JOIN)) {
      return Kind.JOIN;
    }
    return Kind.OTHER;
  }

  /** The value of the frame's {@code channel} string, or null. */
  static String channel(Buffer frame) {
    return stringField(frame, CHANNEL);
  }

  /** The value of the frame's {@code id} string, or null. */
  static String id(Buffer frame) {
    return stringField(frame, ID);
  }

  private static String stringField(Buffer frame, byte[] field) {
    int at = Bytes.indexOf(frame, field, 0);
    if (at < 0) {
      return null;
    }
    int from = at + field.length;
    int to = from;
    while (to < frame.length() && frame.getByte(to) != '"') {
      to++;
    }
    return to < frame.length() ? frame.getString(from, to, "UTF-8") : null;
  }

  /**
   * The {@code message} frame for a {@code publish} frame: its {@code data}, everything from {@code
   * "data":} to the closing brace, spliced into the envelope. Null when the frame has no data.
   */
  static Buffer message(String channel, Buffer publish) {
    int at = Bytes.indexOf(publish, DATA, 0);
    int end = publish.length() - 1;
    while (end > 0 && publish.getByte(end) != '}') {
      end--;
    }
    if (at < 0 || end <= at + DATA.length) {
      return null;
    }
    byte[] channelBytes = channel.getBytes(StandardCharsets.UTF_8);
    byte[] ts = TIMESTAMP.format(Instant.now()).getBytes(StandardCharsets.US_ASCII);
    int dataFrom = at + DATA.length;
    int length =
        MESSAGE_HEAD.length
            + channelBytes.length
            + DATA_HEAD.length
            + (end - dataFrom)
            + TS_HEAD.length
            + ts.length
            + TAIL.length;
    byte[] frame = new byte[length];
    int i = put(frame, 0, MESSAGE_HEAD);
    i = put(frame, i, channelBytes);
    i = put(frame, i, DATA_HEAD);
    publish.getBytes(dataFrom, end, frame, i);
    i += end - dataFrom;
    i = put(frame, i, TS_HEAD);
    i = put(frame, i, ts);
    put(frame, i, TAIL);
    return Buffer.buffer(frame);
  }

  static Buffer welcome(String connectionId) {
    return Buffer.buffer(
        "{\"type\":\"welcome\",\"data\":{\"connectionId\":\""
            + connectionId
            + "\",\"protocol\":1},\"ts\":\""
            + TIMESTAMP.format(Instant.now())
            + "\"}");
  }

  /** The answer to a join, echoing its {@code id} (clients match answers by it) when it had one. */
  static Buffer subscriptionConfirmed(String id, String channel, int subscribers) {
    return Buffer.buffer(
        "{\"type\":\"subscription_confirmed\","
            + (id == null ? "" : "\"id\":\"" + id + "\",")
            + "\"channel\":\""
            + channel
            + "\",\"data\":{\"subscribers\":"
            + subscribers
            + "}}");
  }

  private static int put(byte[] into, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, into, at, bytes.length);
    return at + bytes.length;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A final, unmasked text frame holding {@code json}, in direct memory; the caller releases it.
   */
  static ByteBuf wire(Buffer json) {
    ByteBuf payload = ((BufferInternal) json).getByteBuf();
    int length = payload.readableBytes();
    int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(header + length);
    frame.writeByte(0x81);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length < 65_536) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    return frame.writeBytes(payload);
  }
}
