package io.switchboard.server.routing;

import io.switchboard.server.frame.ServerFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.BiConsumer;

/**
 * The {@code presence_joined} and {@code presence_left} notices of the namespaces with {@code
 * presenceNotices}: the connection instance marks such a join or leave with the identity to name
 * ({@code "notice"}), and the channel's shard, once it has counted the member in or out, sends the
 * notice to the channel's subscribers as it sends a message, so it takes its place in the channel's
 * one order (clustered, through the channel's owner node). A notice costs what a message to the
 * channel costs. Used on the shard's event loop.
 */
final class PresenceNotices {

  private final BiConsumer<String, Buffer> toChannel;

  /**
   * @param toChannel sends a frame to every subscriber of a channel, sequenced with its messages
   */
  PresenceNotices(BiConsumer<String, Buffer> toChannel) {
    this.toChannel = toChannel;
  }

  /** After a join was counted in and answered: every subscriber hears of it, the joiner too. */
  void joined(JsonObject membership) {
    notice(true, membership);
  }

  /** After a leave or a closed connection was counted out: the remaining subscribers hear of it. */
  void left(JsonObject membership) {
    notice(false, membership);
  }

  private void notice(boolean joined, JsonObject membership) {
    JsonObject who = membership.getJsonObject("notice");
    if (who == null) {
      return;
    }
    String channel = membership.getString("channel");
    toChannel.accept(channel, ServerFrames.presenceNotice(joined, channel, who));
  }
}
