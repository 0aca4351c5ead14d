package io.switchboard.sdk;

import java.util.List;

/**
 * Who is in a channel, from {@link SwitchboardClient#presence}.
 *
 * @param channel the channel
 * @param count every member of the channel, on every node
 * @param members at most 100 of them, the first by connection id
 * @param more whether members were left out of {@code members}
 * @param partial whether a node of the cluster did not answer in time, so its members are missing
 */
public record Presence(
    String channel, int count, List<Member> members, boolean more, boolean partial) {

  public Presence {
    members = List.copyOf(members);
  }

  /**
   * One connection in the channel.
   *
   * @param connectionId its connection id
   * @param userId the user it authenticated as, or null
   * @param organizationId its organisation, or null
   * @param joinedAt when its join was confirmed (ISO-8601 UTC), or null
   */
  public record Member(
      String connectionId, String userId, String organizationId, String joinedAt) {}
}
