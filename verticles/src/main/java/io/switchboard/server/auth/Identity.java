package io.switchboard.server.auth;

import io.switchboard.protocol.ChannelNames;
import java.util.List;

/**
 * Who a connection is, fixed once at the upgrade: from a verified token, from the query string of a
 * development server on loopback, or nobody. Every permission check reads it; no payload field ever
 * changes it.
 *
 * @param userId the user id (a token's {@code sub}), or null for an anonymous connection
 * @param organizationId the organisation, or null
 * @param grants channels the token grants beyond the namespace rules: names, or prefixes ending in
 *     {@code *} ({@code chat:*})
 * @param expiresAtMs when the token expires (epoch milliseconds), or 0 for never
 * @param source where the identity came from
 */
public record Identity(
    String userId, String organizationId, List<String> grants, long expiresAtMs, Source source) {

  /** Where an identity came from. */
  public enum Source {
    /** A verified JWT. */
    TOKEN,
    /** The query string, trusted as sent (development servers on loopback only). */
    QUERY,
    /** No identity at all. */
    ANONYMOUS
  }

  /** A connection nobody vouched for. */
  public static final Identity ANONYMOUS = new Identity(null, null, List.of(), 0, Source.ANONYMOUS);

  public Identity {
    grants = List.copyOf(grants);
  }

  /** Whether the connection has a user id. */
  public boolean authenticated() {
    return userId != null;
  }

  /** Whether the token grants this channel (by name, or by a prefix ending in {@code *}). */
  public boolean grants(String channel) {
    return ChannelNames.granted(grants, channel);
  }
}
