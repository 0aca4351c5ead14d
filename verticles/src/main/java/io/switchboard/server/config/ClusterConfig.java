package io.switchboard.server.config;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Clustering ({@code cluster} section): several servers sharing channels through a Hazelcast
 * cluster and Vert.x's clustered event bus.
 *
 * <p>The event bus between the nodes speaks mutual TLS when the node has a certificate ({@code
 * tls}) and the cluster's authorities ({@code trust}): every node presents its certificate and
 * requires the other's, signed by one of those authorities. Vert.x does not verify host names on
 * the clustered event bus (its client turns it off): a node's identity is its certificate's
 * authority, so the authority must sign cluster nodes and nothing else. A cluster bound beyond
 * loopback without it is refused unless {@code allowPlaintext} says the network is trusted.
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
 * @param tls this node's certificate and key for the event bus ({@code cluster.tls*} keys, as
 *     {@code ws.tls*}); none for plain TCP
 * @param trust the authorities the other nodes' certificates must be signed by ({@code
 *     cluster.tlsCaFile} or {@code cluster.tlsTrustStore}); set exactly when {@code tls} is
 * @param allowPlaintext let a clustered node bound beyond loopback run its event bus as plain TCP
 *     (a private network the operator trusts); false refuses to start so
 * @param historyQuorum the fewest members the cluster must have for channels' histories to be read
 *     or written (Hazelcast's split-brain protection of the history ringbuffers); 0 for none
 */
public record ClusterConfig(
    boolean enabled,
    String configFile,
    String host,
    int port,
    List<String> members,
    int eventBusPort,
    long answerTimeoutMs,
    TlsConfig tls,
    TrustConfig trust,
    boolean allowPlaintext,
    int historyQuorum) {

  public static final String SECTION = "cluster";
  public static final boolean DEFAULT_ENABLED = false;
  public static final String DEFAULT_CONFIG_FILE = "";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final List<String> DEFAULT_MEMBERS = List.of();
  public static final int DEFAULT_EVENT_BUS_PORT = 0;
  public static final long DEFAULT_ANSWER_TIMEOUT_MS = 2_000;
  public static final boolean DEFAULT_ALLOW_PLAINTEXT = false;
  public static final int DEFAULT_HISTORY_QUORUM = 0;

  private static final TlsConfig NO_TLS = new TlsConfig("", "", "", "", "");
  private static final TrustConfig NO_TRUST = new TrustConfig("", "", "", "");

  private static final Set<String> KEYS =
      ConfigSection.keys(
          concat(TlsConfig.KEYS, TrustConfig.KEYS),
          "enabled",
          "configFile",
          "host",
          "port",
          "members",
          "eventBusPort",
          "answerTimeoutMs",
          "allowPlaintext",
          "historyQuorum");

  /**
   * @throws ConfigException when the node is clustered on an address beyond loopback with a plain
   *     TCP event bus that {@code allowPlaintext} does not allow
   */
  public ClusterConfig {
    if (enabled && !tls.enabled() && !allowPlaintext && !AdminConfig.isLoopback(host)) {
      throw new ConfigException(
          "cluster.tlsCertFile or cluster.tlsKeyStore must be set when cluster.host is not a"
              + " loopback address, was empty with cluster.host "
              + host
              + ": the clustered event bus would be plain TCP, readable and writable by anyone"
              + " who reaches its port. Give every node a certificate and the cluster's authority"
              + " (cluster.tlsCertFile, cluster.tlsKeyFile and cluster.tlsCaFile, or"
              + " cluster.tlsKeyStore, cluster.tlsKeyStorePassword, cluster.tlsTrustStore and"
              + " cluster.tlsTrustStorePassword), set cluster.allowPlaintext to true on a private"
              + " network you trust, or bind cluster.host to 127.0.0.1");
    }
  }

  /** A cluster whose event bus is plain TCP: for loopback (or {@code allowPlaintext}). */
  public ClusterConfig(
      boolean enabled,
      String configFile,
      String host,
      int port,
      List<String> members,
      int eventBusPort,
      long answerTimeoutMs) {
    this(
        enabled,
        configFile,
        host,
        port,
        members,
        eventBusPort,
        answerTimeoutMs,
        NO_TLS,
        NO_TRUST,
        DEFAULT_ALLOW_PLAINTEXT,
        DEFAULT_HISTORY_QUORUM);
  }

  static ClusterConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    String host = s.string("host", DEFAULT_HOST);
    if (host.isBlank()) {
      throw s.invalid("host", "\"" + host + "\"", "a host name or address");
    }
    TlsConfig tls = TlsConfig.from(s);
    TrustConfig trust = TrustConfig.from(s);
    boolean allowPlaintext = s.bool("allowPlaintext", DEFAULT_ALLOW_PLAINTEXT);
    if (tls.enabled() && !trust.enabled()) {
      throw s.invalid(
          "tlsCaFile",
          "\"\"",
          "set, or cluster.tlsTrustStore, when cluster.tlsCertFile or cluster.tlsKeyStore is set"
              + " (every node checks the other nodes' certificates against it)");
    }
    if (!tls.enabled() && trust.enabled()) {
      String key = trust.fromTrustStore() ? "tlsTrustStore" : "tlsCaFile";
      throw s.invalid(
          key,
          trust.fromTrustStore() ? trust.trustStore() : trust.caFile(),
          "empty while the node has no certificate (mutual TLS needs cluster.tlsCertFile and"
              + " cluster.tlsKeyFile, or cluster.tlsKeyStore)");
    }
    if (allowPlaintext && tls.enabled()) {
      throw s.invalid(
          "allowPlaintext",
          true,
          "false when the event bus speaks TLS (cluster.tlsCertFile or cluster.tlsKeyStore is"
              + " set)");
    }
    int historyQuorum = s.integer("historyQuorum", DEFAULT_HISTORY_QUORUM, 0, 1_000);
    if (historyQuorum == 1) {
      throw s.invalid(
          "historyQuorum", 1, "0 (none) or 2 to 1000: one member is always its own majority");
    }
    return new ClusterConfig(
        s.bool("enabled", DEFAULT_ENABLED),
        s.string("configFile", DEFAULT_CONFIG_FILE),
        host,
        s.integer("port", DEFAULT_PORT, 0, 65535),
        s.strings("members", DEFAULT_MEMBERS),
        s.integer("eventBusPort", DEFAULT_EVENT_BUS_PORT, 0, 65535),
        s.millis("answerTimeoutMs", DEFAULT_ANSWER_TIMEOUT_MS, 1),
        tls,
        trust,
        allowPlaintext,
        historyQuorum);
  }

  /**
   * The same settings, clustered.
   *
   * @throws ConfigException as the constructor
   */
  public ClusterConfig enable() {
    return new ClusterConfig(
        true,
        configFile,
        host,
        port,
        members,
        eventBusPort,
        answerTimeoutMs,
        tls,
        trust,
        allowPlaintext,
        historyQuorum);
  }

  /** Whether the clustered event bus speaks mutual TLS. */
  public boolean eventBusTls() {
    return tls.enabled();
  }

  /**
   * Whether the event bus is plain TCP on an address beyond loopback: only when {@code
   * allowPlaintext} let it, and worth a warning.
   */
  public boolean plaintextBeyondLoopback() {
    return !tls.enabled() && !AdminConfig.isLoopback(host);
  }

  /**
   * The event bus's address and port, and mutual TLS when configured: this node's key material, the
   * cluster's authorities, a certificate required from every node that connects, and the
   * certificate of every node connected to checked against the authorities.
   */
  public EventBusOptions applyTo(EventBusOptions options) {
    options.setHost(host).setPort(eventBusPort);
    if (tls.enabled()) {
      options
          .setSsl(true)
          .setKeyCertOptions(tls.keyCertOptions())
          .setTrustOptions(trust.trustOptions())
          .setClientAuth(ClientAuth.REQUIRED)
          // The event bus's own default trusts every server certificate: a node would connect to
          // (and send its messages to) any member that Hazelcast names, certificate or not.
          .setTrustAll(false);
    }
    return options;
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("enabled", enabled)
            .put("configFile", configFile)
            .put("host", host)
            .put("port", port)
            .put("members", new JsonArray(members))
            .put("eventBusPort", eventBusPort)
            .put("answerTimeoutMs", answerTimeoutMs);
    tls.writeTo(json);
    trust.writeTo(json);
    return json.put("allowPlaintext", allowPlaintext).put("historyQuorum", historyQuorum);
  }

  /** Masks the keystore and truststore passwords in a section written by {@link #toJson}. */
  void maskSecrets(JsonObject section) {
    tls.maskSecrets(section);
    trust.maskSecrets(section);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> both = new ArrayList<>(a);
    both.addAll(b);
    return both;
  }
}
