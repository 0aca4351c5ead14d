package io.switchboard.server.cluster;

import io.vertx.core.buffer.Buffer;

/**
 * One message of a channel between nodes: a publish forwarded to the channel's owner, or the
 * owner's delivery to a node with subscribers. The frame is encoded once, by the node the message
 * entered; the owner adds its offset and epoch to the bytes (it alone sequences the channel), and
 * the cluster codec ({@link ChannelFrameCodec}) carries the bytes as they are; a hand-over inside
 * one JVM passes the record itself.
 *
 * @param channel the channel
 * @param frame the complete text frame, UTF-8 JSON, as subscribers receive it (a forwarded publish:
 *     before the owner stamps it)
 * @param userId when not null, only this user's connections receive it (a filtered broadcast)
 * @param organizationId when not null, only this organisation's connections receive it
 * @param offset the message's offset in the channel's stream as the owner stamped it, or 0 (a
 *     forwarded publish, a filtered broadcast, a server frame without a place in the stream), or
 *     {@link #UNSEQUENCED} (a server frame forwarded to the owner, to go out in the channel's order
 *     without an offset)
 * @param publishKey a forwarded client publish that asked for an ack: its publisher's session and
 *     id, by which the owner recognises it when it is re-sent; else null
 */
public record ChannelFrame(
    String channel,
    Buffer frame,
    String userId,
    String organizationId,
    long offset,
    String publishKey) {

  /**
   * The offset of a server frame (a presence notice) on its way to the channel's owner: delivered
   * in the channel's order, neither given an offset nor kept.
   */
  public static final long UNSEQUENCED = -1;

  /** A frame, optionally filtered, with an offset or 0. */
  public ChannelFrame(
      String channel, Buffer frame, String userId, String organizationId, long offset) {
    this(channel, frame, userId, organizationId, offset, null);
  }

  /** A frame without an offset, optionally filtered. */
  public ChannelFrame(String channel, Buffer frame, String userId, String organizationId) {
    this(channel, frame, userId, organizationId, 0);
  }

  /** A frame for every subscriber of a channel, not sequenced yet. */
  public static ChannelFrame toChannel(String channel, Buffer frame) {
    return new ChannelFrame(channel, frame, null, null, 0);
  }

  /** A client publish on its way to the channel's owner, with its key when it asked for an ack. */
  public static ChannelFrame publish(String channel, Buffer frame, String publishKey) {
    return new ChannelFrame(channel, frame, null, null, 0, publishKey);
  }

  /** A sequenced message for every subscriber of a channel. */
  public static ChannelFrame sequenced(String channel, Buffer frame, long offset) {
    return new ChannelFrame(channel, frame, null, null, offset);
  }

  /** A server frame for every subscriber, in the channel's order, outside its stream. */
  public static ChannelFrame unsequenced(String channel, Buffer frame) {
    return new ChannelFrame(channel, frame, null, null, UNSEQUENCED);
  }

  /** Whether user or organisation narrow who receives it. */
  public boolean filtered() {
    return userId != null || organizationId != null;
  }
}
