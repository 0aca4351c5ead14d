package io.switchboard.server.config;

import io.switchboard.protocol.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The TCP event-bus bridge ({@code bridge} section): services in any language reach the event bus
 * over a TCP socket with the framing of {@code vertx-tcp-eventbus-bridge} (a 4-byte big-endian
 * length, then that many bytes of UTF-8 JSON).
 *
 * @param enabled whether the bridge listens at all; off by default
 * @param host the address to bind; loopback by default. Any other needs {@code token} or {@code
 *     tlsClientCaFile}, else start-up is refused
 * @param port the bridge port; 0 picks a free port
 * @param inbound the addresses a bridge client may {@code send} or {@code publish} to; nothing else
 * @param outbound the addresses a bridge client may {@code register} on; nothing else
 * @param token when not empty, every frame but {@code ping} must carry it as {@code headers.token};
 *     compared in constant time and removed before the message goes on the bus
 * @param maxFrameBytes the largest frame (its JSON, without the length prefix) a client may send; a
 *     frame announcing more closes the connection
 * @param maxConnections open bridge connections; one more gets an error frame and is closed
 * @param maxRegistrations addresses one connection may be registered on at once
 * @param maxWriteQueueBytes bytes waiting to be written to one connection beyond which it is closed
 *     as a slow consumer
 * @param idleTimeoutMs a connection with no byte read or written for this long is closed; clients
 *     keep a quiet connection with {@code ping}
 * @param tls TLS for the bridge port ({@code bridge.tls*} keys, as {@code ws.tls*})
 * @param tlsClientCaFile when not empty, PEM certificates of the authorities a client's certificate
 *     must be signed by; every client must then present one (mutual TLS). Needs TLS
 */
public record BridgeConfig(
    boolean enabled,
    String host,
    int port,
    List<Permitted> inbound,
    List<Permitted> outbound,
    String token,
    int maxFrameBytes,
    int maxConnections,
    int maxRegistrations,
    int maxWriteQueueBytes,
    int idleTimeoutMs,
    TlsConfig tls,
    String tlsClientCaFile) {

  public static final String SECTION = "bridge";
  public static final boolean DEFAULT_ENABLED = false;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7000;

  /** Services may broadcast, as they can over the admin API. */
  public static final List<Permitted> DEFAULT_INBOUND =
      List.of(Permitted.address(Addresses.BROADCAST));

  /** Services may follow the lifecycle events: every {@code Addresses.EVENT_*} address. */
  public static final List<Permitted> DEFAULT_OUTBOUND =
      List.of(Permitted.addressRegex("switchboard[.]events[.].+"));

  public static final String DEFAULT_TOKEN = "";
  public static final int MIN_TOKEN_LENGTH = 16;
  public static final int DEFAULT_MAX_FRAME_BYTES = 65536;
  public static final int DEFAULT_MAX_CONNECTIONS = 100;
  public static final int DEFAULT_MAX_REGISTRATIONS = 32;
  public static final int DEFAULT_MAX_WRITE_QUEUE_BYTES = 1024 * 1024;
  public static final int DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  public static final String DEFAULT_TLS_CLIENT_CA_FILE = "";

  private static final Set<String> KEYS =
      ConfigSection.keys(
          TlsConfig.KEYS,
          "enabled",
          "host",
          "port",
          "inbound",
          "outbound",
          "token",
          "maxFrameBytes",
          "maxConnections",
          "maxRegistrations",
          "maxWriteQueueBytes",
          "idleTimeoutMs",
          "tlsClientCaFile");

  private static final Set<String> PERMITTED_KEYS = Set.of("address", "addressRegex");

  /**
   * One permitted address: exactly {@code address}, or every address that {@code addressRegex}
   * matches as a whole.
   *
   * @param address the exact address, or null
   * @param addressRegex a Java regular expression matched against the whole address, or null
   */
  public record Permitted(String address, Pattern addressRegex) {

    static Permitted address(String address) {
      return new Permitted(address, null);
    }

    static Permitted addressRegex(String regex) {
      return new Permitted(null, Pattern.compile(regex));
    }

    /** Whether a frame's address is this one. */
    public boolean matches(String candidate) {
      return address != null
          ? address.equals(candidate)
          : addressRegex.matcher(candidate).matches();
    }

    /** The entry as the bridge takes it. */
    public PermittedOptions toOptions() {
      return address != null
          ? new PermittedOptions().setAddress(address)
          : new PermittedOptions().setAddressRegex(addressRegex.pattern());
    }

    /** Equal when the same address or the same regular expression (Pattern has no equals). */
    @Override
    public boolean equals(Object other) {
      return other instanceof Permitted p
          && Objects.equals(address, p.address)
          && Objects.equals(regex(), p.regex());
    }

    @Override
    public int hashCode() {
      return Objects.hash(address, regex());
    }

    private String regex() {
      return addressRegex == null ? null : addressRegex.pattern();
    }

    JsonObject toJson() {
      return address != null
          ? new JsonObject().put("address", address)
          : new JsonObject().put("addressRegex", addressRegex.pattern());
    }
  }

  static BridgeConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    BridgeConfig config =
        new BridgeConfig(
            s.bool("enabled", DEFAULT_ENABLED),
            s.string("host", DEFAULT_HOST),
            s.integer("port", DEFAULT_PORT, 0, 65535),
            permitted(s, "inbound", DEFAULT_INBOUND),
            permitted(s, "outbound", DEFAULT_OUTBOUND),
            s.string("token", DEFAULT_TOKEN),
            s.integer("maxFrameBytes", DEFAULT_MAX_FRAME_BYTES, 256, 16 * 1024 * 1024),
            s.integer("maxConnections", DEFAULT_MAX_CONNECTIONS, 1, 100_000),
            s.integer("maxRegistrations", DEFAULT_MAX_REGISTRATIONS, 1, 10_000),
            s.integer("maxWriteQueueBytes", DEFAULT_MAX_WRITE_QUEUE_BYTES, 1024, 64 * 1024 * 1024),
            s.integer("idleTimeoutMs", DEFAULT_IDLE_TIMEOUT_MS, 1, 86_400_000),
            TlsConfig.from(s),
            s.string("tlsClientCaFile", DEFAULT_TLS_CLIENT_CA_FILE));
    if (!config.token.isEmpty() && config.token.length() < MIN_TOKEN_LENGTH) {
      throw s.invalid(
          "token",
          "a token of " + config.token.length() + " characters",
          "at least " + MIN_TOKEN_LENGTH + " characters");
    }
    if (!config.tlsClientCaFile.isEmpty()) {
      if (!config.tls.enabled()) {
        throw s.invalid(
            "tlsClientCaFile",
            config.tlsClientCaFile,
            "empty while the bridge does not speak TLS (client certificates need bridge.tlsCertFile"
                + " and bridge.tlsKeyFile, or bridge.tlsKeyStore)");
      }
      Path ca = Path.of(config.tlsClientCaFile);
      if (!Files.isRegularFile(ca) || !Files.isReadable(ca)) {
        throw s.invalid("tlsClientCaFile", config.tlsClientCaFile, "a readable file");
      }
    }
    if (config.enabled
        && !AdminConfig.isLoopback(config.host)
        && config.token.isEmpty()
        && !config.clientCertificatesRequired()) {
      throw new ConfigException(
          "bridge.token must be set when bridge.host is not a loopback address and"
              + " bridge.tlsClientCaFile is empty, was empty with bridge.host "
              + config.host
              + "; set a token, require client certificates (bridge.tlsClientCaFile) or bind the"
              + " bridge to 127.0.0.1");
    }
    return config;
  }

  /** Whether every client must present a certificate (mutual TLS). */
  public boolean clientCertificatesRequired() {
    return !tlsClientCaFile.isEmpty();
  }

  /** Whether every frame must carry the token. */
  public boolean tokenRequired() {
    return !token.isEmpty();
  }

  /** Whether a client may register on {@code address}. */
  public boolean outboundPermits(String address) {
    return outbound.stream().anyMatch(p -> p.matches(address));
  }

  private static List<Permitted> permitted(
      ConfigSection s, String key, List<Permitted> defaultValue) {
    JsonArray entries = s.array(key, null);
    if (entries == null) {
      return defaultValue;
    }
    List<Permitted> result = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String name = key + "[" + i + "]";
      Object entry = entries.getValue(i);
      String rule = "{\"address\": <address>} or {\"addressRegex\": <regular expression>}";
      if (!(entry instanceof JsonObject json)) {
        throw s.invalid(name, entry, rule);
      }
      for (String field : json.fieldNames()) {
        if (!PERMITTED_KEYS.contains(field)) {
          throw new ConfigException(
              "unknown configuration key "
                  + s.name(name)
                  + "."
                  + field
                  + "; "
                  + s.name(name)
                  + " accepts "
                  + String.join(", ", new TreeSet<>(PERMITTED_KEYS)));
        }
      }
      Object address = json.getValue("address");
      Object regex = json.getValue("addressRegex");
      if ((address == null) == (regex == null)) {
        throw s.invalid(name, json.encode(), rule + " (exactly one of the two)");
      }
      if (address != null) {
        if (!(address instanceof String exact) || exact.isEmpty()) {
          throw s.invalid(name + ".address", json.encode(), "a non-empty string");
        }
        result.add(Permitted.address(exact));
      } else {
        if (!(regex instanceof String pattern) || pattern.isEmpty()) {
          throw s.invalid(name + ".addressRegex", json.encode(), "a non-empty string");
        }
        try {
          Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
          throw s.invalid(
              name + ".addressRegex",
              pattern + " (" + e.getDescription() + ")",
              "a Java regular expression");
        }
        result.add(Permitted.addressRegex(pattern));
      }
    }
    return List.copyOf(result);
  }

  JsonObject toJson() {
    JsonArray in = new JsonArray();
    inbound.forEach(p -> in.add(p.toJson()));
    JsonArray out = new JsonArray();
    outbound.forEach(p -> out.add(p.toJson()));
    JsonObject json =
        new JsonObject()
            .put("enabled", enabled)
            .put("host", host)
            .put("port", port)
            .put("inbound", in)
            .put("outbound", out)
            .put("token", token)
            .put("maxFrameBytes", maxFrameBytes)
            .put("maxConnections", maxConnections)
            .put("maxRegistrations", maxRegistrations)
            .put("maxWriteQueueBytes", maxWriteQueueBytes)
            .put("idleTimeoutMs", idleTimeoutMs);
    tls.writeTo(json);
    return json.put("tlsClientCaFile", tlsClientCaFile);
  }

  /** Masks the token and the keystore password in a section written by {@link #toJson}. */
  void maskSecrets(JsonObject section) {
    if (tokenRequired()) {
      section.put("token", TlsConfig.MASK);
    }
    tls.maskSecrets(section);
  }
}
