package io.switchboard.server.plugin;

import io.switchboard.plugin.Sender;
import io.switchboard.plugin.Sender.IdentitySource;
import io.switchboard.server.auth.Identity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The plugin API's {@link Sender}, made from a connection's verified {@link Identity}, and its JSON
 * form on the way from the connection instance through routing to a plugin's host (see {@code
 * InternalAddresses.PLUGIN_PREFIX}).
 */
public final class Senders {

  private Senders() {}

  /** The sender a plugin sees for a connection with this identity and these channels. */
  public static Sender of(String connectionId, Identity identity, Set<String> channels) {
    return new Sender(
        connectionId,
        identity.userId(),
        identity.organizationId(),
        source(identity.source()),
        identity.grants(),
        channels);
  }

  /**
   * The identity a sender stands for, for the namespace rules: the same user, organisation and
   * grants, without expiry (which only its connection tracks).
   */
  public static Identity identity(Sender sender) {
    Identity.Source source =
        switch (sender.identity()) {
          case TOKEN -> Identity.Source.TOKEN;
          case QUERY -> Identity.Source.QUERY;
          case ANONYMOUS -> Identity.Source.ANONYMOUS;
        };
    return new Identity(sender.userId(), sender.organizationId(), sender.grants(), 0, source);
  }

  /** {@code {"connectionId", "userId"?, "organizationId"?, "identity", "grants", "channels"}}. */
  public static JsonObject toJson(Sender sender) {
    return new JsonObject()
        .put("connectionId", sender.connectionId())
        .put("userId", sender.userId())
        .put("organizationId", sender.organizationId())
        .put("identity", sender.identity().name().toLowerCase(Locale.ROOT))
        .put("grants", new JsonArray(new ArrayList<>(sender.grants())))
        .put("channels", new JsonArray(new ArrayList<>(sender.channels())));
  }

  /** Reads {@link #toJson}'s form back. */
  public static Sender fromJson(JsonObject json) {
    List<String> grants = new ArrayList<>();
    json.getJsonArray("grants", new JsonArray()).forEach(grant -> grants.add((String) grant));
    Set<String> channels = new HashSet<>();
    json.getJsonArray("channels", new JsonArray()).forEach(c -> channels.add((String) c));
    return new Sender(
        json.getString("connectionId"),
        json.getString("userId"),
        json.getString("organizationId"),
        IdentitySource.valueOf(json.getString("identity", "anonymous").toUpperCase(Locale.ROOT)),
        grants,
        channels);
  }

  private static IdentitySource source(Identity.Source source) {
    return switch (source) {
      case TOKEN -> IdentitySource.TOKEN;
      case QUERY -> IdentitySource.QUERY;
      case ANONYMOUS -> IdentitySource.ANONYMOUS;
    };
  }
}
