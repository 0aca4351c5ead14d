package io.switchboard.server.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Clustering ({@code cluster} section): several servers sharing channels through a Hazelcast
 * cluster and Vert.x's clustered event bus.
 *
 * @param enabled start clustered (also {@code --cluster} on the command line); false runs one node
 *     alone, which needs nothing but the jar
 * @param configFile a Hazelcast XML file; empty uses the embedded {@code conf/cluster.xml} (TCP-IP
 *     members on loopback)
 * @param host the interface Hazelcast and the event bus bind to, and that the other members reach
 * @param port Hazelcast's first port; when taken, the next ones are tried as the file allows. 0
 *     keeps the file's
 * @param members TCP-IP members ({@code host} or {@code host:port}) replacing the file's; empty
 *     keeps the file's
 * @param eventBusPort the clustered event bus's port; 0 picks a free one
 * @param answerTimeoutMs how long a node waits for the others when it asks all of them (the admin
 *     API's cluster-wide answers, a join's announcement)
 */
public record ClusterConfig(
    boolean enabled,
    String configFile,
    String host,
    int port,
    List<String> members,
    int eventBusPort,
    long answerTimeoutMs) {

  public static final String SECTION = "cluster";
  public static final boolean DEFAULT_ENABLED = false;
  public static final String DEFAULT_CONFIG_FILE = "";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final List<String> DEFAULT_MEMBERS = List.of();
  public static final int DEFAULT_EVENT_BUS_PORT = 0;
  public static final long DEFAULT_ANSWER_TIMEOUT_MS = 2_000;

  private static final Set<String> KEYS =
      Set.of("enabled", "configFile", "host", "port", "members", "eventBusPort", "answerTimeoutMs");

  static ClusterConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    String host = s.string("host", DEFAULT_HOST);
    if (host.isBlank()) {
      throw s.invalid("host", "\"" + host + "\"", "a host name or address");
    }
    return new ClusterConfig(
        s.bool("enabled", DEFAULT_ENABLED),
        s.string("configFile", DEFAULT_CONFIG_FILE),
        host,
        s.integer("port", DEFAULT_PORT, 0, 65535),
        s.strings("members", DEFAULT_MEMBERS),
        s.integer("eventBusPort", DEFAULT_EVENT_BUS_PORT, 0, 65535),
        s.millis("answerTimeoutMs", DEFAULT_ANSWER_TIMEOUT_MS, 1));
  }

  /** The same settings, clustered. */
  public ClusterConfig enable() {
    return new ClusterConfig(true, configFile, host, port, members, eventBusPort, answerTimeoutMs);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("enabled", enabled)
        .put("configFile", configFile)
        .put("host", host)
        .put("port", port)
        .put("members", new JsonArray(members))
        .put("eventBusPort", eventBusPort)
        .put("answerTimeoutMs", answerTimeoutMs);
  }
}
