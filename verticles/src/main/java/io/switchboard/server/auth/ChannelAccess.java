package io.switchboard.server.auth;

import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.config.AccessRule;
import io.switchboard.server.config.ChannelsConfig;
import io.switchboard.server.config.ChannelsConfig.NamespaceConfig;
import java.util.List;
import java.util.TreeSet;

/**
 * Decides whether a connection may join or publish to a channel, by the rules of the channel's
 * namespace ({@code channels.namespaces}) and the connection's {@link Identity}. A refusal names
 * the rule that refused. Stateless and thread-safe.
 */
public final class ChannelAccess {

  /** The server's own channels that clients may join. */
  private static final List<String> SERVER_CHANNELS = List.of(ChannelNames.TELEMETRY);

  private final ChannelsConfig channels;

  public ChannelAccess(ChannelsConfig channels) {
    this.channels = channels;
  }

  /**
   * Whether {@code identity} may join {@code channel}: the namespace's {@code join} rule, or a
   * grant of its token.
   *
   * @return null when allowed, else the error to answer ({@code channel_not_found} or {@code
   *     forbidden})
   */
  public ProtocolError checkJoin(Identity identity, String channel) {
    NamespaceConfig namespace = channels.namespace(channel);
    if (namespace == null) {
      return unknownNamespace(channel);
    }
    if (ChannelNames.isServerChannel(channel) && !SERVER_CHANNELS.contains(channel)) {
      return ProtocolError.of(
          ErrorCode.CHANNEL_NOT_FOUND,
          "channel '"
              + channel
              + "' does not exist; the server's own channels are "
              + String.join(", ", SERVER_CHANNELS));
    }
    if (identity.grants(channel) || allows(namespace.join(), identity, channel, false)) {
      return null;
    }
    return refused("joining", channel, namespace, "join", namespace.join());
  }

  /**
   * Whether {@code identity} may publish to {@code channel}, which it has joined or not.
   *
   * @return null when allowed, else the error to answer ({@code channel_not_found}, {@code
   *     forbidden} or, for the {@code subscribers} rule, {@code not_subscribed})
   */
  public ProtocolError checkPublish(Identity identity, String channel, boolean subscribed) {
    if (ChannelNames.isServerChannel(channel)) {
      return ProtocolError.forbidden(
          "clients may not publish to '$' channels; '" + channel + "' belongs to the server");
    }
    NamespaceConfig namespace = channels.namespace(channel);
    if (namespace == null) {
      return unknownNamespace(channel);
    }
    AccessRule rule = namespace.publish();
    if (allows(rule, identity, channel, subscribed)) {
      return null;
    }
    if (rule == AccessRule.SUBSCRIBERS) {
      return ProtocolError.of(
          ErrorCode.NOT_SUBSCRIBED,
          "not subscribed to channel '"
              + channel
              + "'; join it first ("
              + key(namespace, "publish")
              + ": subscribers)");
    }
    return refused("publishing to", channel, namespace, "publish", rule);
  }

  private static boolean allows(
      AccessRule rule, Identity identity, String channel, boolean subscribed) {
    return switch (rule) {
      case ANYONE -> true;
      case AUTHENTICATED -> identity.authenticated();
      case OWNER -> identity.userId() != null && identity.userId().equals(idIn(channel));
      case MEMBERS ->
          identity.organizationId() != null && identity.organizationId().equals(idIn(channel));
      case SUBSCRIBERS -> subscribed;
      case GRANTED -> identity.grants(channel);
      case NOBODY -> false;
    };
  }

  /** The part of a channel's name after its namespace prefix: {@code user:alice} names alice. */
  private static String idIn(String channel) {
    return channel.substring(channel.indexOf(':') + 1);
  }

  private ProtocolError unknownNamespace(String channel) {
    String namespace = ChannelsConfig.namespaceOf(channel);
    TreeSet<String> known = new TreeSet<>();
    channels.namespaces().keySet().forEach(p -> known.add(p.isEmpty() ? "\"\"" : p));
    return ProtocolError.of(
        ErrorCode.CHANNEL_NOT_FOUND,
        "channel '"
            + channel
            + "' is in namespace '"
            + namespace
            + "', which is not configured; channels.namespaces has "
            + String.join(", ", known));
  }

  private static ProtocolError refused(
      String action, String channel, NamespaceConfig namespace, String key, AccessRule rule) {
    return ProtocolError.forbidden(
        action
            + " '"
            + channel
            + "' is not allowed: namespace "
            + (namespace.prefix().isEmpty() ? "\"\"" : "'" + namespace.prefix() + "'")
            + (rule == AccessRule.NOBODY ? " lets no client" : " lets only " + rule.who())
            + " do that ("
            + key(namespace, key)
            + ": "
            + rule.configName()
            + ")");
  }

  private static String key(NamespaceConfig namespace, String key) {
    String prefix = namespace.prefix().isEmpty() ? "\"\"" : namespace.prefix();
    return "channels.namespaces." + prefix + "." + key;
  }
}
