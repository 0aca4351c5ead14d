package io.switchboard.sdk;

import io.vertx.core.Future;
import io.vertx.core.net.ClientSSLOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Configuration of a {@link SwitchboardClient}: a mutable options object with fluent setters, in
 * the manner of Vert.x's own options. {@link SwitchboardClient#create} copies it, so changing it
 * afterwards does not affect a client. Setters reject a bad value at once with an {@link
 * IllegalArgumentException} that names the option, the value and the rule. Times are in
 * milliseconds.
 *
 * <p><b>Reconnect backoff.</b> Attempt {@code n} (1, 2, ...) after a lost connection waits {@code
 * base(n) = min(reconnectMaxDelayMs, reconnectInitialDelayMs * 2^(n-1))}. With jitter on (the
 * default) it waits {@code base(n) - floor(base(n) * 0.25 * r)} instead, {@code r} being {@link
 * Random#nextDouble()} of {@link #getRandom()}: a delay in {@code (0.75 * base(n), base(n)]}, so it
 * never exceeds {@code reconnectMaxDelayMs}, and clients that lost the same server spread out. The
 * count restarts at 1 after a connection opens. The first attempt after a {@code server_shutdown}
 * waits the server's {@code reconnectAfterMs} instead.
 *
 * <p><b>Several servers.</b> With more than one URL ({@link #setUrls}, {@link #addUrl}) a session
 * starts on the first URL, and every failed attempt or lost connection sends the next attempt to
 * the next URL in order, wrapping around. The backoff then grows once per pass over the list rather
 * than once per attempt: attempt {@code n} waits the delay above for {@code ceil(n / urls)} instead
 * of {@code n}, so the client reaches every other server within the initial delays of the first
 * pass, while no server is tried more often than a client with that URL alone would try it. A
 * server that refused the upgrade with {@code Retry-After} is not tried again before that time has
 * passed (at most {@code reconnectMaxDelayMs} from the refusal).
 */
public class ClientOptions {

  /** The server to connect to: {@value}. */
  public static final String DEFAULT_URL = "ws://localhost:8080/ws";

  /** Reconnect attempts before giving up, 0 for unlimited: {@value}. */
  public static final int DEFAULT_MAX_RECONNECT_ATTEMPTS = 0;

  /** Delay before the first reconnect attempt: {@value} ms. */
  public static final long DEFAULT_RECONNECT_INITIAL_DELAY_MS = 1000;

  /** Upper bound of the delay between reconnect attempts: {@value} ms. */
  public static final long DEFAULT_RECONNECT_MAX_DELAY_MS = 30000;

  /** Whether reconnect delays are jittered: {@value}. */
  public static final boolean DEFAULT_JITTER = true;

  /** What happens when a connection is lost: {@link ReconnectMode#STATEFUL}. */
  public static final ReconnectMode DEFAULT_RECONNECT_MODE = ReconnectMode.STATEFUL;

  /** Interval of the heartbeat's {@code ping}s, 0 to disable: {@value} ms. */
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 30000;

  /** How long after a heartbeat ping some frame must arrive: {@value} ms. */
  public static final long DEFAULT_PONG_TIMEOUT_MS = 10000;

  /** How long one connect attempt may take, up to the server's {@code welcome}: {@value} ms. */
  public static final long DEFAULT_CONNECTION_TIMEOUT_MS = 10000;

  /** How long {@code disconnect()} waits for the server to complete the close: {@value} ms. */
  public static final long DEFAULT_CLOSE_TIMEOUT_MS = 5000;

  /** Messages that may wait for a connection: {@value}. */
  public static final int DEFAULT_MAX_BUFFERED_MESSAGES = 1000;

  /** Whether messages may wait for a connection at all: {@value}. */
  public static final boolean DEFAULT_ENABLE_MESSAGE_BUFFERING = true;

  private List<String> urls = List.of(DEFAULT_URL);
  private boolean urlsSet;
  private int maxReconnectAttempts = DEFAULT_MAX_RECONNECT_ATTEMPTS;
  private long reconnectInitialDelayMs = DEFAULT_RECONNECT_INITIAL_DELAY_MS;
  private long reconnectMaxDelayMs = DEFAULT_RECONNECT_MAX_DELAY_MS;
  private boolean jitter = DEFAULT_JITTER;
  private ReconnectMode reconnectMode = DEFAULT_RECONNECT_MODE;
  private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
  private long pongTimeoutMs = DEFAULT_PONG_TIMEOUT_MS;
  private long connectionTimeoutMs = DEFAULT_CONNECTION_TIMEOUT_MS;
  private long closeTimeoutMs = DEFAULT_CLOSE_TIMEOUT_MS;
  private int maxBufferedMessages = DEFAULT_MAX_BUFFERED_MESSAGES;
  private boolean enableMessageBuffering = DEFAULT_ENABLE_MESSAGE_BUFFERING;
  private Map<String, String> headers = new LinkedHashMap<>();
  private List<String> subprotocols = new ArrayList<>();
  private Supplier<Future<String>> authToken;
  private Function<String, Future<NegotiateResult>> negotiate;
  private Random random;
  private ClientSSLOptions sslOptions;

  public ClientOptions() {}

  /** A copy: the collections are copied, the suppliers and the {@link Random} are shared. */
  public ClientOptions(ClientOptions other) {
    this.urls = other.urls;
    this.urlsSet = other.urlsSet;
    this.maxReconnectAttempts = other.maxReconnectAttempts;
    this.reconnectInitialDelayMs = other.reconnectInitialDelayMs;
    this.reconnectMaxDelayMs = other.reconnectMaxDelayMs;
    this.jitter = other.jitter;
    this.reconnectMode = other.reconnectMode;
    this.heartbeatIntervalMs = other.heartbeatIntervalMs;
    this.pongTimeoutMs = other.pongTimeoutMs;
    this.connectionTimeoutMs = other.connectionTimeoutMs;
    this.closeTimeoutMs = other.closeTimeoutMs;
    this.maxBufferedMessages = other.maxBufferedMessages;
    this.enableMessageBuffering = other.enableMessageBuffering;
    this.headers = new LinkedHashMap<>(other.headers);
    this.subprotocols = new ArrayList<>(other.subprotocols);
    this.authToken = other.authToken;
    this.negotiate = other.negotiate;
    this.random = other.random;
    this.sslOptions = other.sslOptions == null ? null : other.sslOptions.copy();
  }

  /** The first of the {@link #getUrls() URLs}: the one every session starts on. */
  public String getUrl() {
    return urls.get(0);
  }

  /**
   * The WebSocket URL, {@code ws://} or {@code wss://} (default {@value #DEFAULT_URL}): the client
   * connects to this server only. It replaces every URL set before. A {@link #setNegotiate
   * negotiate} step, when set, replaces it for each attempt.
   *
   * @throws IllegalArgumentException if it is not an absolute ws or wss URL with a host
   */
  public ClientOptions setUrl(String url) {
    this.urls = List.of(ServerUrls.check("url", url));
    this.urlsSet = true;
    return this;
  }

  /**
   * The servers' URLs in the order the client tries them, an unmodifiable list of at least one
   * (default: {@value #DEFAULT_URL} alone).
   */
  public List<String> getUrls() {
    return urls;
  }

  /**
   * The WebSocket URLs of servers that can each serve this client, e.g. the nodes of one cluster,
   * in the order the client tries them (see the class comment); a single URL is the same as {@link
   * #setUrl}. It replaces every URL set before.
   *
   * @throws IllegalArgumentException if the list is empty, if one of them is not an absolute ws or
   *     wss URL with a host, or if one is there twice (compared by scheme, host, port, path and
   *     query; the scheme's default port counts as given)
   */
  public ClientOptions setUrls(List<String> urls) {
    Objects.requireNonNull(urls, "urls");
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("urls must hold at least one URL, was []");
    }
    List<String> checked = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      if (urls.get(i) == null) {
        throw new IllegalArgumentException(
            "urls[" + i + "] must be an absolute ws:// or wss:// URL with a host, was null");
      }
      String url = ServerUrls.check("urls[" + i + "]", urls.get(i));
      ServerUrls.checkNotListed("urls[" + i + "]", url, checked);
      checked.add(url);
    }
    this.urls = List.copyOf(checked);
    this.urlsSet = true;
    return this;
  }

  /**
   * Appends a URL to the {@link #getUrls() URLs}. The first URL added replaces the default one;
   * after {@link #setUrl} or {@link #setUrls} it comes after those.
   *
   * @throws IllegalArgumentException if it is not an absolute ws or wss URL with a host, or if it
   *     is listed already (compared as {@link #setUrls} does)
   */
  public ClientOptions addUrl(String url) {
    String checked = ServerUrls.check("url", url);
    List<String> next = new ArrayList<>(urlsSet ? urls : List.of());
    ServerUrls.checkNotListed("url", checked, next);
    next.add(checked);
    this.urls = List.copyOf(next);
    this.urlsSet = true;
    return this;
  }

  public int getMaxReconnectAttempts() {
    return maxReconnectAttempts;
  }

  /**
   * Reconnect attempts after a lost connection (or a failed first attempt) before the client goes
   * {@link ConnectionState#FAILED}; 0, the default, for unlimited.
   */
  public ClientOptions setMaxReconnectAttempts(int maxReconnectAttempts) {
    this.maxReconnectAttempts = (int) atLeast("maxReconnectAttempts", maxReconnectAttempts, 0);
    return this;
  }

  public long getReconnectInitialDelayMs() {
    return reconnectInitialDelayMs;
  }

  /**
   * Delay before the first reconnect attempt (default {@value
   * #DEFAULT_RECONNECT_INITIAL_DELAY_MS}).
   */
  public ClientOptions setReconnectInitialDelayMs(long reconnectInitialDelayMs) {
    this.reconnectInitialDelayMs = atLeast("reconnectInitialDelayMs", reconnectInitialDelayMs, 1);
    return this;
  }

  public long getReconnectMaxDelayMs() {
    return reconnectMaxDelayMs;
  }

  /**
   * Upper bound of any backoff delay (default {@value #DEFAULT_RECONNECT_MAX_DELAY_MS}); it must
   * not be below the initial delay when the client is created.
   */
  public ClientOptions setReconnectMaxDelayMs(long reconnectMaxDelayMs) {
    this.reconnectMaxDelayMs = atLeast("reconnectMaxDelayMs", reconnectMaxDelayMs, 1);
    return this;
  }

  public boolean isJitter() {
    return jitter;
  }

  /** Whether backoff delays are jittered as the class comment describes (default on). */
  public ClientOptions setJitter(boolean jitter) {
    this.jitter = jitter;
    return this;
  }

  public ReconnectMode getReconnectMode() {
    return reconnectMode;
  }

  /** What to do when a connection is lost (default {@link ReconnectMode#STATEFUL}). */
  public ClientOptions setReconnectMode(ReconnectMode reconnectMode) {
    this.reconnectMode = Objects.requireNonNull(reconnectMode, "reconnectMode");
    return this;
  }

  public long getHeartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  /**
   * Interval of the application-level {@code ping}s on an open connection (default {@value
   * #DEFAULT_HEARTBEAT_INTERVAL_MS}); 0 disables the heartbeat and with it the detection of a
   * silent peer. The pings also keep the server from closing the connection as stale.
   */
  public ClientOptions setHeartbeatIntervalMs(long heartbeatIntervalMs) {
    this.heartbeatIntervalMs = atLeast("heartbeatIntervalMs", heartbeatIntervalMs, 0);
    return this;
  }

  public long getPongTimeoutMs() {
    return pongTimeoutMs;
  }

  /**
   * How long after each heartbeat ping the server must have sent something, its {@code pong} or any
   * other frame (default {@value #DEFAULT_PONG_TIMEOUT_MS}). When nothing came the connection is
   * taken for dead: it is dropped and the client reconnects.
   */
  public ClientOptions setPongTimeoutMs(long pongTimeoutMs) {
    this.pongTimeoutMs = atLeast("pongTimeoutMs", pongTimeoutMs, 1);
    return this;
  }

  public long getConnectionTimeoutMs() {
    return connectionTimeoutMs;
  }

  /**
   * How long one connect attempt may take (default {@value #DEFAULT_CONNECTION_TIMEOUT_MS}): the
   * token supplier, the negotiate step, the TCP connect, the WebSocket upgrade and the server's
   * {@code welcome} together.
   */
  public ClientOptions setConnectionTimeoutMs(long connectionTimeoutMs) {
    this.connectionTimeoutMs = atLeast("connectionTimeoutMs", connectionTimeoutMs, 1);
    return this;
  }

  public long getCloseTimeoutMs() {
    return closeTimeoutMs;
  }

  /**
   * How long {@code disconnect()} waits for the server to answer the close frame before it gives up
   * and drops the connection (default {@value #DEFAULT_CLOSE_TIMEOUT_MS}).
   */
  public ClientOptions setCloseTimeoutMs(long closeTimeoutMs) {
    this.closeTimeoutMs = atLeast("closeTimeoutMs", closeTimeoutMs, 1);
    return this;
  }

  public int getMaxBufferedMessages() {
    return maxBufferedMessages;
  }

  /**
   * How many messages may wait for a connection at once (default {@value
   * #DEFAULT_MAX_BUFFERED_MESSAGES}); one more is refused with {@code Message queue full (N
   * messages)}. Messages that a flush has handed to the socket count until the socket has taken
   * them.
   */
  public ClientOptions setMaxBufferedMessages(int maxBufferedMessages) {
    this.maxBufferedMessages = (int) atLeast("maxBufferedMessages", maxBufferedMessages, 1);
    return this;
  }

  public boolean isEnableMessageBuffering() {
    return enableMessageBuffering;
  }

  /**
   * Whether messages may wait for a connection at all (default on). Off, every send while
   * connecting or reconnecting is refused as if {@link SendOptions#setQueue} were false.
   */
  public ClientOptions setEnableMessageBuffering(boolean enableMessageBuffering) {
    this.enableMessageBuffering = enableMessageBuffering;
    return this;
  }

  /** The extra HTTP headers of the upgrade request, in insertion order (a copy). */
  public Map<String, String> getHeaders() {
    return new LinkedHashMap<>(headers);
  }

  /** Replaces the extra HTTP headers sent with every upgrade request (default none). */
  public ClientOptions setHeaders(Map<String, String> headers) {
    this.headers = new LinkedHashMap<>(Objects.requireNonNull(headers, "headers"));
    return this;
  }

  /** Adds one HTTP header to every upgrade request, e.g. {@code User-Agent}. */
  public ClientOptions addHeader(String name, String value) {
    headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** The WebSocket subprotocols offered (a copy). */
  public List<String> getSubprotocols() {
    return new ArrayList<>(subprotocols);
  }

  /**
   * The subprotocols offered in {@code Sec-WebSocket-Protocol} (default none). If any are offered,
   * the server must select one or the upgrade fails; Switchboard servers select {@code
   * switchboard.v1} ({@link io.switchboard.protocol.Protocol#SUBPROTOCOL}).
   */
  public ClientOptions setSubprotocols(List<String> subprotocols) {
    this.subprotocols = new ArrayList<>(Objects.requireNonNull(subprotocols, "subprotocols"));
    return this;
  }

  public Supplier<Future<String>> getAuthToken() {
    return authToken;
  }

  /**
   * Supplies the bearer token, called before every connect attempt (so a refreshed token is used
   * after a reconnect) and sent as {@code Authorization: Bearer <token>}. A null token sends no
   * header; a failed future fails that attempt. Default: none.
   */
  public ClientOptions setAuthToken(Supplier<Future<String>> authToken) {
    this.authToken = authToken;
    return this;
  }

  public Function<String, Future<NegotiateResult>> getNegotiate() {
    return negotiate;
  }

  /**
   * An optional step before every connect attempt, after the {@link #setAuthToken token supplier}:
   * it receives that token (or null) and answers the URL and token to connect with, e.g. from a
   * load balancer's negotiate endpoint. A failed future fails that attempt. Default: none, the
   * client connects to its {@link #getUrls() URLs}. With a negotiate step only one URL may be set
   * ({@link #validate()} refuses more): the step decides where each attempt goes.
   */
  public ClientOptions setNegotiate(Function<String, Future<NegotiateResult>> negotiate) {
    this.negotiate = negotiate;
    return this;
  }

  /** The source of jitter, or null for a new {@link Random} per client. */
  public Random getRandom() {
    return random;
  }

  /**
   * The source of backoff jitter (default null: each client gets a new {@link Random}). Set a
   * seeded one to make delays reproducible in tests.
   */
  public ClientOptions setRandom(Random random) {
    this.random = random;
    return this;
  }

  /** The TLS settings of {@code wss://} connections (a copy), or null for the JVM's defaults. */
  public ClientSSLOptions getSslOptions() {
    return sslOptions == null ? null : sslOptions.copy();
  }

  /**
   * TLS settings for {@code wss://} URLs, as Vert.x takes them (default null: the JVM's default
   * trust store, and the server's certificate must name the URL's host). To connect to a server
   * with a self-signed certificate, trust that certificate rather than every one:
   *
   * <pre>{@code
   * options.setSslOptions(new ClientSSLOptions()
   *     .setTrustOptions(new PemTrustOptions().addCertPath("server-cert.pem")));
   * }</pre>
   *
   * The options are copied. Ignored for {@code ws://} URLs.
   */
  public ClientOptions setSslOptions(ClientSSLOptions sslOptions) {
    this.sslOptions = sslOptions == null ? null : sslOptions.copy();
    return this;
  }

  /**
   * Checks the rules that tie options together: a negotiate step goes with one URL only, and the
   * maximum delay is not below the initial one. {@link SwitchboardClient#create} calls it.
   *
   * @throws IllegalArgumentException naming the options and the rule
   */
  public ClientOptions validate() {
    if (negotiate != null && urls.size() > 1) {
      throw new IllegalArgumentException(
          "urls must hold one URL when a negotiate step is set (the step picks each attempt's"
              + " URL), was "
              + urls);
    }
    if (reconnectMaxDelayMs < reconnectInitialDelayMs) {
      throw new IllegalArgumentException(
          "reconnectMaxDelayMs must be >= reconnectInitialDelayMs ("
              + reconnectInitialDelayMs
              + "), was "
              + reconnectMaxDelayMs);
    }
    return this;
  }

  private static long atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
    return value;
  }
}
