package io.switchboard.server.connection;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.config.LimitsConfig;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection counts every connection instance of this server shares: TCP connections still in
 * their handshake, and open WebSockets, in total, per IP address and per user. Each check counts
 * the connection in only when it is under every limit, atomically, so concurrent upgrades on
 * several event loops can never pass a limit together. Thread-safe.
 */
public final class ConnectionLimits {

  private final LimitsConfig config;
  private final AtomicInteger pending = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> pendingByIp = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> openByIp = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> openByUser = new ConcurrentHashMap<>();

  public ConnectionLimits(LimitsConfig config) {
    this.config = config;
  }

  /**
   * Counts in a TCP connection that has just been accepted and not upgraded yet.
   *
   * @return false when that would pass {@code limits.maxPendingHandshakes} or its per-IP limit: the
   *     connection should be closed at once
   */
  boolean startHandshake(String ip) {
    if (!incrementBelow(pending, config.maxPendingHandshakes())) {
      return false;
    }
    if (!incrementBelow(pendingByIp, ip, config.maxPendingHandshakesPerIp())) {
      pending.decrementAndGet();
      return false;
    }
    return true;
  }

  /** The handshake of a connection counted by {@link #startHandshake} is over, whatever its end. */
  void endHandshake(String ip) {
    pending.decrementAndGet();
    decrement(pendingByIp, ip);
  }

  /**
   * Counts in a WebSocket about to open from {@code ip}.
   *
   * @return the slot to release when it closes, or a {@link Refusal}: {@code unavailable} (503)
   *     when the server is full, {@code too_many_connections} (429) for the IP
   */
  Slot open(String ip) {
    if (!incrementBelow(open, config.maxConnections())) {
      throw new Refusal(
          ProtocolError.of(
              ErrorCode.UNAVAILABLE,
              "the server holds its maximum of "
                  + config.maxConnections()
                  + " connections (limits.maxConnections); try again later"));
    }
    if (!incrementBelow(openByIp, ip, config.maxConnectionsPerIp())) {
      open.decrementAndGet();
      throw new Refusal(
          ProtocolError.of(
              ErrorCode.TOO_MANY_CONNECTIONS,
              "address "
                  + ip
                  + " already holds "
                  + config.maxConnectionsPerIp()
                  + " connections (limits.maxConnectionsPerIp)"));
    }
    return new Slot(ip);
  }

  /** Open WebSockets now, in total. */
  public int openConnections() {
    return open.get();
  }

  /** TCP connections still in their handshake, in total. */
  public int pendingHandshakes() {
    return pending.get();
  }

  /** One open WebSocket's place in the counts; released once, when it closes. */
  final class Slot {

    private final String ip;
    private String userId;
    private boolean released;

    private Slot(String ip) {
      this.ip = ip;
    }

    /**
     * Counts the connection in for its user as well.
     *
     * @throws Refusal {@code too_many_connections} when the user holds its maximum
     */
    void user(String id) {
      if (!incrementBelow(openByUser, id, config.maxConnectionsPerUser())) {
        throw new Refusal(
            ProtocolError.of(
                ErrorCode.TOO_MANY_CONNECTIONS,
                "user '"
                    + id
                    + "' already holds "
                    + config.maxConnectionsPerUser()
                    + " connections (limits.maxConnectionsPerUser)"));
      }
      userId = id;
    }

    void release() {
      if (released) {
        return;
      }
      released = true;
      open.decrementAndGet();
      decrement(openByIp, ip);
      if (userId != null) {
        decrement(openByUser, userId);
      }
    }
  }

  private static boolean incrementBelow(AtomicInteger counter, int max) {
    int current;
    do {
      current = counter.get();
      if (current >= max) {
        return false;
      }
    } while (!counter.compareAndSet(current, current + 1));
    return true;
  }

  private static boolean incrementBelow(
      ConcurrentHashMap<String, Integer> counts, String key, int max) {
    boolean[] counted = {false};
    counts.compute(
        key,
        (k, n) -> {
          int current = n == null ? 0 : n;
          if (current >= max) {
            return n;
          }
          counted[0] = true;
          return current + 1;
        });
    return counted[0];
  }

  private static void decrement(ConcurrentHashMap<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }
}
