package io.switchboard.plugin;

import io.switchboard.protocol.ChannelNames;
import java.util.List;
import java.util.Set;

/**
 * The connection that sent a frame (or asks to join or publish), as the server verified it. Every
 * identity field comes from the connection's {@code Identity}, fixed at the upgrade from a verified
 * token (or, on a development server on loopback, from its query string): never from a payload. A
 * plugin decides who may do what from these fields only.
 *
 * @param connectionId the server's id for the connection, e.g. {@code ws_42_1700000000000}
 * @param userId the user the connection belongs to (a token's {@code sub}), or null when anonymous
 * @param organizationId the connection's organisation (a token's {@code auth.organizationClaim}),
 *     or null when it has none
 * @param identity where the identity came from: a verified token, a development server's query
 *     string, or nowhere
 * @param grants the channels the connection's token grants beyond the namespace rules ({@code
 *     auth.channelsClaim}): names, or prefixes ending in {@code *} ({@code chat:*}); immutable,
 *     empty without a token
 * @param channels the channels the connection has joined (immutable)
 */
public record Sender(
    String connectionId,
    String userId,
    String organizationId,
    IdentitySource identity,
    List<String> grants,
    Set<String> channels) {

  /** Where a connection's identity came from. */
  public enum IdentitySource {
    /** A JWT the server verified (signature, expiry, issuer, audience). */
    TOKEN,
    /**
     * The {@code userId} and {@code organizationId} query parameters, trusted as sent: development
     * servers on loopback only ({@code auth.queryIdentity}).
     */
    QUERY,
    /** No identity: an anonymous connection ({@code auth.anonymous}). */
    ANONYMOUS
  }

  public Sender {
    grants = List.copyOf(grants);
    channels = Set.copyOf(channels);
  }

  /**
   * Whether the connection has a user id, as the namespace rule {@code authenticated} reads it. On
   * a development server the id comes from the query string; check {@link #identity()} for {@link
   * IdentitySource#TOKEN} to require a verified token.
   */
  public boolean authenticated() {
    return userId != null;
  }

  /** Whether the connection has joined this channel. */
  public boolean hasJoined(String channel) {
    return channels.contains(channel);
  }

  /**
   * Whether the connection's token grants this channel, by name or by a prefix ending in {@code *}.
   */
  public boolean grants(String channel) {
    return ChannelNames.granted(grants, channel);
  }
}
