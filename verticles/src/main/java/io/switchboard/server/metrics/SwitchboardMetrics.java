package io.switchboard.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.PluginErrorCode;
import io.switchboard.protocol.WireErrorCode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Switchboard's own meters, in one registry that {@code /metrics} scrapes. Names are constants;
 * tags are few and bounded (error codes, close codes), never a channel name or a connection id.
 * Every meter is thread-safe, so each verticle instance updates them from its own event loop.
 */
public final class SwitchboardMetrics {

  /** Gauge: open client WebSocket connections. */
  public static final String CONNECTIONS_ACTIVE = "switchboard.connections.active";

  /** Counter: connections accepted since start. */
  public static final String CONNECTIONS_OPENED = "switchboard.connections.opened";

  /** Counter, tag {@code code}: connections closed since start, by close code. */
  public static final String CONNECTIONS_CLOSED = "switchboard.connections.closed";

  /** Gauge: channels with at least one subscriber. */
  public static final String CHANNELS_ACTIVE = "switchboard.channels.active";

  /**
   * Counter, tag {@code status}: upgrade requests refused before a WebSocket existed, by HTTP
   * status (400, 401, 403, 404, 426, 429, 503), or {@value #HANDSHAKE_TIMEOUT} and {@value
   * #TOO_MANY_HANDSHAKES} for TCP connections closed without an answer.
   */
  public static final String UPGRADES_REFUSED = "switchboard.upgrades.refused";

  /** {@link #UPGRADES_REFUSED} tag: no upgrade within {@code limits.handshakeTimeoutMs}. */
  public static final String HANDSHAKE_TIMEOUT = "handshake_timeout";

  /** {@link #UPGRADES_REFUSED} tag: closed at accept, over a pending-handshake limit. */
  public static final String TOO_MANY_HANDSHAKES = "too_many_handshakes";

  /** Counter: frames received from clients. */
  public static final String MESSAGES_IN = "switchboard.messages.in";

  /** Counter: frames written to clients. */
  public static final String MESSAGES_OUT = "switchboard.messages.out";

  /** Counter: messages routed to channels, users or organisations (each counted once). */
  public static final String BROADCASTS = "switchboard.broadcasts";

  /**
   * Counter, tag {@code code}: errors, by protocol error code, plus {@code send_failed} for writes
   * that failed on a socket; a plugin's own codes count under their plugin, {@code <plugin>.*} (see
   * {@link #error(WireErrorCode)}).
   */
  public static final String ERRORS = "switchboard.errors";

  /**
   * How many plugins get a {@code <plugin>.*} series of their own in {@link #ERRORS}; the codes of
   * any further plugin count under {@value #OTHER_PLUGIN_CODES}.
   */
  public static final int MAX_PLUGIN_CODE_SERIES = 64;

  /** The {@code code} tag value for plugins' codes beyond {@link #MAX_PLUGIN_CODE_SERIES}. */
  public static final String OTHER_PLUGIN_CODES = "other_plugins.*";

  /**
   * Counter: client publishes re-sent within {@code channels.publishDedupWindowMs}, acknowledged
   * again with their first offset and not delivered again.
   */
  public static final String PUBLISH_DUPLICATES = "switchboard.publish.duplicates";

  /**
   * Counter: remembered publishes forgotten before their dedup window ended, to stay within {@code
   * channels.maxDedupEntries}; a re-send of one of them would be delivered again.
   */
  public static final String PUBLISH_DEDUP_FORGOTTEN = "switchboard.publish.dedup.forgotten";

  /** Timer: from routing a message to having written it to every local subscriber. */
  public static final String BROADCAST_LATENCY = "switchboard.broadcast.latency";

  /** Gauge: event streams the admin API holds open (the console's figures, channel tails). */
  public static final String ADMIN_STREAMS = "switchboard.admin.streams";

  /** The {@code code} tag value for a write that failed on a socket. */
  public static final String SEND_FAILED = "send_failed";

  private final PrometheusMeterRegistry registry;
  private final AtomicInteger activeConnections = new AtomicInteger();
  private final AtomicInteger activeChannels = new AtomicInteger();
  private final AtomicInteger adminStreams = new AtomicInteger();
  private final Counter connectionsOpened;
  private final Counter messagesIn;
  private final Counter messagesOut;
  private final Counter broadcasts;
  private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
  private final Map<String, Counter> pluginErrors = new ConcurrentHashMap<>();
  private final Counter sendFailures;
  private final Counter publishDuplicates;
  private final Counter dedupForgotten;
  private final Map<Integer, Counter> closed = new ConcurrentHashMap<>();
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();
  private final Timer broadcastLatency;
  private final long startedAtMillis = System.currentTimeMillis();
  private final Map<String, PluginMeters> plugins = new ConcurrentHashMap<>();

  public SwitchboardMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(CONNECTIONS_ACTIVE, activeConnections, AtomicInteger::get)
        .description("Open client WebSocket connections")
        .register(registry);
    Gauge.builder(CHANNELS_ACTIVE, activeChannels, AtomicInteger::get)
        .description("Channels with at least one subscriber")
        .register(registry);
    Gauge.builder(ADMIN_STREAMS, adminStreams, AtomicInteger::get)
        .description("Event streams the admin API holds open (console figures, channel tails)")
        .register(registry);
    connectionsOpened =
        Counter.builder(CONNECTIONS_OPENED)
            .description("Client connections accepted")
            .register(registry);
    messagesIn =
        Counter.builder(MESSAGES_IN).description("Frames received from clients").register(registry);
    messagesOut =
        Counter.builder(MESSAGES_OUT).description("Frames written to clients").register(registry);
    broadcasts =
        Counter.builder(BROADCASTS)
            .description("Messages routed to channels, users or organisations")
            .register(registry);
    for (ErrorCode code : ErrorCode.values()) {
      errors.put(code, errorCounter(code.code()));
    }
    sendFailures = errorCounter(SEND_FAILED);
    publishDuplicates =
        Counter.builder(PUBLISH_DUPLICATES)
            .description("Client publishes re-sent within the dedup window and not delivered again")
            .register(registry);
    dedupForgotten =
        Counter.builder(PUBLISH_DEDUP_FORGOTTEN)
            .description("Remembered publishes forgotten before their dedup window ended")
            .register(registry);
    broadcastLatency =
        Timer.builder(BROADCAST_LATENCY)
            .description("Time from routing a message to writing it to every local subscriber")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  /** A registry of Switchboard's meters alone, for a Vert.x instance without Micrometer. */
  public static SwitchboardMetrics standalone() {
    return new SwitchboardMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** The registry the meters live in, which {@code /metrics} scrapes. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void connectionOpened() {
    activeConnections.incrementAndGet();
    connectionsOpened.increment();
  }

  /**
   * Counts a closed connection under its close code: the standard codes (1000–1015) and
   * Switchboard's own by number, any other code a client chose under {@code other}, so that clients
   * cannot make the series unbounded.
   */
  public void connectionClosed(int closeCode) {
    activeConnections.decrementAndGet();
    boolean known = closeCode >= 1000 && closeCode <= 1015 || CloseCode.of(closeCode).isPresent();
    closed
        .computeIfAbsent(
            known ? closeCode : -1,
            code ->
                Counter.builder(CONNECTIONS_CLOSED)
                    .description("Client connections closed, by close code")
                    .tag("code", code < 0 ? "other" : String.valueOf(code))
                    .register(registry))
        .increment();
  }

  /**
   * Counts an upgrade refused before any WebSocket existed: by its HTTP status, or {@link
   * #HANDSHAKE_TIMEOUT} and {@link #TOO_MANY_HANDSHAKES} for connections closed without an answer.
   */
  public void upgradeRefused(String status) {
    refused
        .computeIfAbsent(
            status,
            tag ->
                Counter.builder(UPGRADES_REFUSED)
                    .description("WebSocket upgrades refused, by HTTP status or reason")
                    .tag("status", tag)
                    .register(registry))
        .increment();
  }

  /** A channel got its first subscriber (on any routing shard). */
  public void channelOpened() {
    activeChannels.incrementAndGet();
  }

  /** A channel lost its last subscriber. */
  public void channelClosed() {
    activeChannels.decrementAndGet();
  }

  /** A re-sent publish was recognised and answered with its first place. */
  public void publishDuplicate() {
    publishDuplicates.increment();
  }

  /** A remembered publish was forgotten before its dedup window ended. */
  public void dedupForgotten() {
    dedupForgotten.increment();
  }

  public void messageIn() {
    messagesIn.increment();
  }

  public void messageOut() {
    messagesOut.increment();
  }

  public void messagesOut(int count) {
    if (count > 0) {
      messagesOut.increment(count);
    }
  }

  public void broadcastRouted() {
    broadcasts.increment();
  }

  /**
   * Counts an error sent to a client. The protocol's codes count under their own code; a plugin's
   * codes under their plugin ({@code polls.*} for {@code polls.closed} and {@code polls.full}), so
   * that a plugin inventing codes cannot make the series unbounded; beyond {@link
   * #MAX_PLUGIN_CODE_SERIES} plugins, under {@value #OTHER_PLUGIN_CODES}.
   */
  public void error(WireErrorCode code) {
    if (code instanceof ErrorCode own) {
      errors.get(own).increment();
    } else if (code instanceof PluginErrorCode plugin) {
      Counter counter = pluginErrors.get(plugin.plugin());
      (counter == null ? pluginErrorCounter(plugin.plugin()) : counter).increment();
    }
  }

  private synchronized Counter pluginErrorCounter(String plugin) {
    Counter counter = pluginErrors.get(plugin);
    if (counter != null) {
      return counter;
    }
    if (pluginErrors.size() >= MAX_PLUGIN_CODE_SERIES) {
      return pluginErrors.computeIfAbsent(OTHER_PLUGIN_CODES, this::errorCounter);
    }
    counter = errorCounter(plugin + ".*");
    pluginErrors.put(plugin, counter);
    return counter;
  }

  public void sendFailed() {
    sendFailures.increment();
  }

  public void broadcastLatency(long nanos) {
    broadcastLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The meters of a message-type plugin, created on first use. */
  public PluginMeters plugin(String name) {
    return plugins.computeIfAbsent(name, n -> new PluginMeters(registry, n));
  }

  /** An admin event stream opened. */
  public void adminStreamOpened() {
    adminStreams.incrementAndGet();
  }

  /** An admin event stream closed. */
  public void adminStreamClosed() {
    adminStreams.decrementAndGet();
  }

  /** Event streams the admin API holds open now. */
  public int adminStreams() {
    return adminStreams.get();
  }

  public int activeConnections() {
    return activeConnections.get();
  }

  public long messagesInTotal() {
    return (long) messagesIn.count();
  }

  public long messagesOutTotal() {
    return (long) messagesOut.count();
  }

  public long broadcastsTotal() {
    return (long) broadcasts.count();
  }

  /** Every error counted since start, whatever its code. */
  public long errorsTotal() {
    long total = (long) sendFailures.count();
    for (Counter c : errors.values()) {
      total += (long) c.count();
    }
    for (Counter c : pluginErrors.values()) {
      total += (long) c.count();
    }
    return total;
  }

  /** Connections closed since start with this close code. */
  public long closedTotal(int closeCode) {
    Counter c = closed.get(closeCode);
    return c == null ? 0 : (long) c.count();
  }

  public long uptimeMillis() {
    return System.currentTimeMillis() - startedAtMillis;
  }

  private Counter errorCounter(String code) {
    return Counter.builder(ERRORS)
        .description("Errors, by code")
        .tag("code", code)
        .register(registry);
  }
}
