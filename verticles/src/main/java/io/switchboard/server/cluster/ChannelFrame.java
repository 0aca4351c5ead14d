package io.switchboard.server.cluster;

import io.vertx.core.buffer.Buffer;

/**
 * One message of a channel between nodes: a publish forwarded to the channel's owner, or the
 * owner's delivery to a node with subscribers. The frame is encoded once, by the node the message
 * entered; the cluster codec ({@link ChannelFrameCodec}) carries its bytes as they are, and a
 * hand-over inside one JVM passes the record itself.
 *
 * @param channel the channel
 * @param frame the complete text frame, UTF-8 JSON, as subscribers receive it
 * @param userId when not null, only this user's connections receive it (a filtered broadcast)
 * @param organizationId when not null, only this organisation's connections receive it
 */
public record ChannelFrame(String channel, Buffer frame, String userId, String organizationId) {

  /** A frame for every subscriber of a channel. */
  public static ChannelFrame toChannel(String channel, Buffer frame) {
    return new ChannelFrame(channel, frame, null, null);
  }

  /** Whether user or organisation narrow who receives it. */
  public boolean filtered() {
    return userId != null || organizationId != null;
  }
}
