package io.switchboard.server.bus;

import java.util.Set;

/**
 * Which of a connection instance's connections a targeted delivery reaches: those that match every
 * part given (joined the channel, are the user, belong to the organisation, are one of the listed
 * connections). Each instance matches its own connections, so routing needs no copy of them.
 *
 * @param channel when not null, only subscribers of this channel
 * @param userId when not null, only this user's connections
 * @param organizationId when not null, only this organisation's connections
 * @param connectionIds when not null, only these connections
 */
public record Audience(
    String channel, String userId, String organizationId, Set<String> connectionIds) {

  public Audience {
    if (channel == null && userId == null && organizationId == null && connectionIds == null) {
      throw new IllegalArgumentException("an audience names at least one part");
    }
    connectionIds = connectionIds == null ? null : Set.copyOf(connectionIds);
  }

  /** One connection. */
  public static Audience connection(String connectionId) {
    return new Audience(null, null, null, Set.of(connectionId));
  }

  /**
   * Whether a connection of this user and organisation matches the parts other than the channel.
   */
  public boolean matches(String connectionId, String userId, String organizationId) {
    return (this.userId == null || this.userId.equals(userId))
        && (this.organizationId == null || this.organizationId.equals(organizationId))
        && (connectionIds == null || connectionIds.contains(connectionId));
  }
}
