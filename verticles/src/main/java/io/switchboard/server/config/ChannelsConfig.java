package io.switchboard.server.config;

import io.switchboard.protocol.ChannelNames;
import io.switchboard.server.history.HistoryPolicy;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Channel options ({@code channels} section), per namespace: a channel's namespace is the part of
 * its name before the first {@code :} ({@code chat:lobby} is in {@code chat}); channels without a
 * {@code :} are in the namespace {@code ""}, and the server's {@code $} channels in {@code $}. A
 * channel whose namespace is not configured does not exist for clients.
 *
 * <p>Every channel's messages get offsets in a stream; the streams and the history the namespaces
 * keep are bounded by {@code maxStreams} and {@code maxHistoryBytes} (each routing shard holds an
 * equal share), beyond which the channels used least recently lose theirs.
 *
 * @param namespaces the options of every namespace, by prefix
 * @param maxStreams at most this many channels have a stream (an offset counter, an epoch and any
 *     history) on a node
 * @param maxHistoryBytes the messages kept in history on a node weigh at most this many bytes
 * @param maxHistoryLimit the most messages one history request returns, and one recovery replays
 * @param publishDedupWindowMs a client publish re-sent with the same {@code id} in the same client
 *     session within this many milliseconds is acknowledged again and not delivered again; 0 turns
 *     this off
 * @param maxDedupEntries at most this many publishes are remembered for that on a node (each
 *     routing shard holds an equal share); beyond, the oldest are forgotten before their window
 *     ends
 * @param maxDedupEntriesPerSession at most this many of one client session's publishes are
 *     remembered on each routing shard; beyond, that session's oldest are forgotten first
 */
public record ChannelsConfig(
    Map<String, NamespaceConfig> namespaces,
    int maxStreams,
    int maxHistoryBytes,
    int maxHistoryLimit,
    long publishDedupWindowMs,
    int maxDedupEntries,
    int maxDedupEntriesPerSession) {

  public static final String SECTION = "channels";

  /** The namespace of the server's own {@code $} channels. */
  public static final String SERVER_NAMESPACE = ChannelNames.SERVER_PREFIX;

  /**
   * Every namespace's options: plain channels anyone may join and nobody publish to; {@code chat}
   * for conversations among their subscribers; {@code user:<id>} for one user; {@code org:<id>} for
   * one organisation; {@code $} read by authenticated connections.
   */
  public static final Map<String, NamespaceConfig> DEFAULT_NAMESPACES = defaultNamespaces();

  public static final int DEFAULT_MAX_STREAMS = 100_000;

  /** 64 MiB. */
  public static final int DEFAULT_MAX_HISTORY_BYTES = 64 * 1024 * 1024;

  public static final int DEFAULT_MAX_HISTORY_LIMIT = 100;

  /** Two minutes: longer than the SDK's default reconnect schedule takes to give up. */
  public static final long DEFAULT_PUBLISH_DEDUP_WINDOW_MS = 120_000;

  public static final int DEFAULT_MAX_DEDUP_ENTRIES = 100_000;

  /** Far more than a client keeps unacknowledged, the only publishes it re-sends. */
  public static final int DEFAULT_MAX_DEDUP_ENTRIES_PER_SESSION = 1_000;

  private static final Set<String> KEYS =
      Set.of(
          "namespaces",
          "maxStreams",
          "maxHistoryBytes",
          "maxHistoryLimit",
          "publishDedupWindowMs",
          "maxDedupEntries",
          "maxDedupEntriesPerSession");

  /** A channel with history keeps at most this many messages ({@code historySize}). */
  public static final int MAX_HISTORY_SIZE = 100_000;

  /** A plugin's name, as the plugin loader requires it. */
  private static final Pattern PLUGIN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /**
   * One namespace's options ({@code channels.namespaces.<prefix>}).
   *
   * @param prefix the namespace: {@code ""}, {@code $} or a prefix such as {@code chat}
   * @param join who may join its channels (a token's channel grants always may)
   * @param publish who may publish to its channels
   * @param authorizer the name of the plugin (a {@code ChannelAuthorizer}) asked about every join
   *     and publish the rules allowed, or {@code ""} for none
   * @param historySize how many of a channel's most recent messages are kept for recovery and
   *     history requests; 0 keeps none
   * @param historyTtlMs how long a kept message stays, in milliseconds
   * @param presenceNotices whether a channel's subscribers get {@code presence_joined} and {@code
   *     presence_left} frames when someone joins or leaves it
   */
  public record NamespaceConfig(
      String prefix,
      AccessRule join,
      AccessRule publish,
      String authorizer,
      int historySize,
      long historyTtlMs,
      boolean presenceNotices) {

    public static final AccessRule DEFAULT_JOIN = AccessRule.AUTHENTICATED;
    public static final AccessRule DEFAULT_PUBLISH = AccessRule.NOBODY;

    /** No authorizer: the rules alone decide. */
    public static final String DEFAULT_AUTHORIZER = "";

    /** No history: channels get offsets, and keep no message. */
    public static final int DEFAULT_HISTORY_SIZE = 0;

    /** Five minutes. */
    public static final long DEFAULT_HISTORY_TTL_MS = 300_000;

    /** No join or leave notices: they fan out like messages, so a namespace asks for them. */
    public static final boolean DEFAULT_PRESENCE_NOTICES = false;

    static final Set<String> KEYS =
        Set.of("join", "publish", "authorizer", "historySize", "historyTtlMs", "presenceNotices");

    /** A namespace decided by its rules alone. */
    public NamespaceConfig(String prefix, AccessRule join, AccessRule publish) {
      this(prefix, join, publish, DEFAULT_AUTHORIZER);
    }

    /** A namespace that keeps no history and sends no presence notices. */
    public NamespaceConfig(String prefix, AccessRule join, AccessRule publish, String authorizer) {
      this(
          prefix,
          join,
          publish,
          authorizer,
          DEFAULT_HISTORY_SIZE,
          DEFAULT_HISTORY_TTL_MS,
          DEFAULT_PRESENCE_NOTICES);
    }

    /** What its channels keep. */
    public HistoryPolicy history() {
      return historySize == 0 ? HistoryPolicy.NONE : new HistoryPolicy(historySize, historyTtlMs);
    }

    /** Whether a plugin is asked about the joins and publishes the rules allowed. */
    public boolean hasAuthorizer() {
      return !authorizer.isEmpty();
    }

    /** This option's key, e.g. {@code channels.namespaces.room.authorizer}. */
    public String key(String option) {
      return SECTION + ".namespaces." + (prefix.isEmpty() ? "\"\"" : prefix) + "." + option;
    }

    /**
     * The authorizer, history options and notices are left out when they keep their defaults, so
     * that the defaults read as they did before they existed.
     */
    JsonObject toJson() {
      JsonObject json =
          new JsonObject().put("join", join.configName()).put("publish", publish.configName());
      if (hasAuthorizer()) {
        json.put("authorizer", authorizer);
      }
      if (historySize != DEFAULT_HISTORY_SIZE) {
        json.put("historySize", historySize);
      }
      if (historyTtlMs != DEFAULT_HISTORY_TTL_MS) {
        json.put("historyTtlMs", historyTtlMs);
      }
      return presenceNotices ? json.put("presenceNotices", true) : json;
    }
  }

  /**
   * Reads the section. The namespaces given are laid over {@link #DEFAULT_NAMESPACES}: a key they
   * leave out keeps the default namespace's value (or the generic default for a new namespace), and
   * a namespace set to null is removed.
   */
  static ChannelsConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    JsonObject raw = s.object("namespaces");
    Map<String, NamespaceConfig> namespaces = new LinkedHashMap<>(DEFAULT_NAMESPACES);
    for (String prefix : new TreeSet<>(raw.fieldNames())) {
      if (raw.getValue(prefix) == null) {
        namespaces.remove(prefix);
        continue;
      }
      checkPrefix(s, prefix);
      String name = s.name("namespaces." + (prefix.isEmpty() ? "\"\"" : prefix));
      ConfigSection one = ConfigSection.at(name, raw.getValue(prefix), NamespaceConfig.KEYS);
      NamespaceConfig base = namespaces.get(prefix);
      AccessRule join =
          rule(one, "join", base == null ? NamespaceConfig.DEFAULT_JOIN : base.join());
      AccessRule publish =
          rule(one, "publish", base == null ? NamespaceConfig.DEFAULT_PUBLISH : base.publish());
      String authorizer =
          one.string(
              "authorizer", base == null ? NamespaceConfig.DEFAULT_AUTHORIZER : base.authorizer());
      boolean presenceNotices =
          one.bool(
              "presenceNotices",
              base == null ? NamespaceConfig.DEFAULT_PRESENCE_NOTICES : base.presenceNotices());
      check(one, prefix, join, publish);
      if (!authorizer.isEmpty() && !PLUGIN_NAME.matcher(authorizer).matches()) {
        throw one.invalid(
            "authorizer",
            "\"" + authorizer + "\"",
            "the name of a plugin (1 to 63 lower-case letters, digits and dashes) or \"\" for"
                + " none");
      }
      int historySize =
          one.integer(
              "historySize",
              base == null ? NamespaceConfig.DEFAULT_HISTORY_SIZE : base.historySize(),
              0,
              MAX_HISTORY_SIZE);
      if (prefix.equals(SERVER_NAMESPACE) && historySize != 0) {
        throw one.invalid(
            "historySize",
            historySize,
            "0: the server's $ channels have no stream of messages to keep");
      }
      long historyTtlMs =
          one.millis(
              "historyTtlMs",
              base == null ? NamespaceConfig.DEFAULT_HISTORY_TTL_MS : base.historyTtlMs(),
              1);
      namespaces.put(
          prefix,
          new NamespaceConfig(
              prefix, join, publish, authorizer, historySize, historyTtlMs, presenceNotices));
    }
    return new ChannelsConfig(
        Map.copyOf(namespaces),
        s.integer("maxStreams", DEFAULT_MAX_STREAMS, 1, 100_000_000),
        s.integer("maxHistoryBytes", DEFAULT_MAX_HISTORY_BYTES, 1024, Integer.MAX_VALUE),
        s.integer("maxHistoryLimit", DEFAULT_MAX_HISTORY_LIMIT, 1, 10_000),
        s.millis("publishDedupWindowMs", DEFAULT_PUBLISH_DEDUP_WINDOW_MS, 0),
        s.integer("maxDedupEntries", DEFAULT_MAX_DEDUP_ENTRIES, 1, 100_000_000),
        s.integer(
            "maxDedupEntriesPerSession", DEFAULT_MAX_DEDUP_ENTRIES_PER_SESSION, 1, 100_000_000));
  }

  /** The history options of a channel's namespace; none when the namespace is not configured. */
  public HistoryPolicy history(String channel) {
    NamespaceConfig namespace = namespace(channel);
    return namespace == null ? HistoryPolicy.NONE : namespace.history();
  }

  private static void check(ConfigSection one, String prefix, AccessRule join, AccessRule publish) {
    if (join == AccessRule.SUBSCRIBERS) {
      throw one.invalid(
          "join",
          join.configName(),
          "one of anyone, authenticated, owner, members, granted, nobody (subscribers applies to"
              + " publish only)");
    }
    for (AccessRule rule : new AccessRule[] {join, publish}) {
      if (rule.namesAnId() && (prefix.isEmpty() || prefix.equals(SERVER_NAMESPACE))) {
        throw one.invalid(
            rule == join ? "join" : "publish",
            rule.configName(),
            "a rule that needs no id: the channels of namespace '"
                + prefix
                + "' are not named after a user or an organisation");
      }
    }
    if (prefix.equals(SERVER_NAMESPACE) && publish != AccessRule.NOBODY) {
      throw one.invalid(
          "publish", publish.configName(), "nobody: the server's $ channels are read-only");
    }
  }

  /** The namespace a channel belongs to: its prefix, {@code ""} or {@code $}. */
  public static String namespaceOf(String channel) {
    if (ChannelNames.isServerChannel(channel)) {
      return SERVER_NAMESPACE;
    }
    int colon = channel.indexOf(':');
    return colon < 0 ? "" : channel.substring(0, colon);
  }

  /** The options of a channel's namespace, or null when that namespace is not configured. */
  public NamespaceConfig namespace(String channel) {
    return namespaces.get(namespaceOf(channel));
  }

  private static void checkPrefix(ConfigSection s, String prefix) {
    if (prefix.isEmpty() || prefix.equals(SERVER_NAMESPACE)) {
      return;
    }
    boolean valid = prefix.length() <= 64;
    for (int i = 0; valid && i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      valid = Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-' || c == '.';
    }
    if (!valid || prefix.startsWith(SERVER_NAMESPACE)) {
      throw s.invalid(
          "namespaces",
          "a namespace '" + prefix + "'",
          "keyed by \"\", \"$\" or a prefix of at most 64 characters of A-Z a-z 0-9 _ - .");
    }
  }

  private static AccessRule rule(ConfigSection one, String key, AccessRule defaultRule) {
    String name = one.string(key, defaultRule.configName());
    AccessRule rule = AccessRule.fromConfig(name);
    if (rule == null) {
      throw one.invalid(key, "\"" + name + "\"", "one of " + AccessRule.names());
    }
    return rule;
  }

  private static Map<String, NamespaceConfig> defaultNamespaces() {
    Map<String, NamespaceConfig> defaults = new LinkedHashMap<>();
    defaults.put("", new NamespaceConfig("", AccessRule.ANYONE, AccessRule.NOBODY));
    defaults.put(
        SERVER_NAMESPACE,
        new NamespaceConfig(SERVER_NAMESPACE, AccessRule.AUTHENTICATED, AccessRule.NOBODY));
    defaults.put("chat", new NamespaceConfig("chat", AccessRule.ANYONE, AccessRule.SUBSCRIBERS));
    defaults.put("user", new NamespaceConfig("user", AccessRule.OWNER, AccessRule.NOBODY));
    defaults.put("org", new NamespaceConfig("org", AccessRule.MEMBERS, AccessRule.MEMBERS));
    return Map.copyOf(defaults);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    new TreeSet<>(namespaces.keySet()).forEach(p -> json.put(p, namespaces.get(p).toJson()));
    return new JsonObject()
        .put("namespaces", json)
        .put("maxStreams", maxStreams)
        .put("maxHistoryBytes", maxHistoryBytes)
        .put("maxHistoryLimit", maxHistoryLimit)
        .put("publishDedupWindowMs", publishDedupWindowMs)
        .put("maxDedupEntries", maxDedupEntries)
        .put("maxDedupEntriesPerSession", maxDedupEntriesPerSession);
  }
}
