package io.switchboard.plugin;

import java.util.Set;

/**
 * The connection that sent a frame, as the server knows it when the frame is dispatched.
 *
 * @param connectionId the server's id for the connection, e.g. {@code ws_42_1700000000000}
 * @param userId the user identity of the connection, or null when unknown
 * @param organizationId the organisation of the connection, or null when unknown
 * @param channels the channels the connection has joined (immutable)
 */
public record Sender(
    String connectionId, String userId, String organizationId, Set<String> channels) {

  public Sender {
    channels = Set.copyOf(channels);
  }

  /** Whether the connection has joined this channel. */
  public boolean hasJoined(String channel) {
    return channels.contains(channel);
  }
}
