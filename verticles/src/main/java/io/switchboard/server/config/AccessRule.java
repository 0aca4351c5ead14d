package io.switchboard.server.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Who may do something on a namespace's channels (join, publish), as written in {@code
 * channels.namespaces.<prefix>}. Rules read the connection's verified identity, never a payload.
 */
public enum AccessRule {
  /** Every connection, anonymous ones included. */
  ANYONE("anyone", "every connection"),
  /** Connections with a user id. */
  AUTHENTICATED("authenticated", "authenticated connections"),
  /** The user whose id is the channel name after the prefix ({@code user:alice}: alice). */
  OWNER("owner", "the user the channel is named after"),
  /** Connections of the organisation the channel is named after ({@code org:acme}: acme). */
  MEMBERS("members", "members of the organisation the channel is named after"),
  /** Connections that have joined the channel (publish only). */
  SUBSCRIBERS("subscribers", "connections subscribed to the channel"),
  /** Connections whose token grants the channel (its channels claim). */
  GRANTED("granted", "connections whose token grants the channel"),
  /** No client. */
  NOBODY("nobody", "no client");

  private final String configName;
  private final String who;

  AccessRule(String configName, String who) {
    this.configName = configName;
    this.who = who;
  }

  /** The name used in the configuration, e.g. {@code owner}. */
  public String configName() {
    return configName;
  }

  /** Who the rule lets in, for messages: "the user the channel is named after". */
  public String who() {
    return who;
  }

  /** Whether the rule needs the channel's name after the prefix (an id). */
  public boolean namesAnId() {
    return this == OWNER || this == MEMBERS;
  }

  static AccessRule fromConfig(String name) {
    for (AccessRule rule : values()) {
      if (rule.configName.equals(name)) {
        return rule;
      }
    }
    return null;
  }

  static String names() {
    return Arrays.stream(values())
        .map(AccessRule::configName)
        .collect(Collectors.joining(", "))
        .toLowerCase(Locale.ROOT);
  }
}
