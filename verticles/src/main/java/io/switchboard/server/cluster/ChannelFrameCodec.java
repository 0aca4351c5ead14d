package io.switchboard.server.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of a {@link ChannelFrame} between nodes: the channel, the frame's bytes as they are
 * (no JSON is parsed or re-encoded on the way), the optional user and organisation filter, and the
 * offset the owner gave it, and a forwarded publish's key. Each string is an int length (-1 for
 * null) and its UTF-8 bytes; the frame is an int length and its bytes; the offset a long (every
 * node of a cluster runs the same version). Inside one JVM the record passes as it is.
 */
public final class ChannelFrameCodec implements MessageCodec<ChannelFrame, ChannelFrame> {

  public static final String NAME = "switchboard-channel-frame";

  /** Registers the codec as the default for {@link ChannelFrame}; does nothing if it is already. */
  public static void register(EventBus eventBus) {
    try {
      eventBus.registerDefaultCodec(ChannelFrame.class, new ChannelFrameCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another Switchboard server shares this Vert.x instance: its codec does the same.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, ChannelFrame message) {
    writeString(buffer, message.channel());
    buffer.appendInt(message.frame().length()).appendBuffer(message.frame());
    writeString(buffer, message.userId());
    writeString(buffer, message.organizationId());
    buffer.appendLong(message.offset());
    writeString(buffer, message.publishKey());
  }

  @Override
  public ChannelFrame decodeFromWire(int pos, Buffer buffer) {
    int[] at = {pos};
    String channel = readString(buffer, at);
    int length = buffer.getInt(at[0]);
    Buffer frame = buffer.getBuffer(at[0] + 4, at[0] + 4 + length);
    at[0] += 4 + length;
    String userId = readString(buffer, at);
    String organizationId = readString(buffer, at);
    long offset = buffer.getLong(at[0]);
    at[0] += 8;
    String publishKey = readString(buffer, at);
    return new ChannelFrame(channel, frame, userId, organizationId, offset, publishKey);
  }

  @Override
  public ChannelFrame transform(ChannelFrame message) {
    return message;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  private static void writeString(Buffer buffer, String value) {
    if (value == null) {
      buffer.appendInt(-1);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String readString(Buffer buffer, int[] at) {
    int length = buffer.getInt(at[0]);
    at[0] += 4;
    if (length < 0) {
      return null;
    }
    String value = buffer.getString(at[0], at[0] + length, "UTF-8");
    at[0] += length;
    return value;
  }
}
