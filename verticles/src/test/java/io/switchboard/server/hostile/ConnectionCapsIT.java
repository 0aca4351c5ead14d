package io.switchboard.server.hostile;

import static io.switchboard.server.hostile.Expect.accepted;
import static io.switchboard.server.hostile.Expect.badRequest;
import static io.switchboard.server.hostile.Expect.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.HttpUpgrade;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connection caps, from several client addresses (127.0.0.1 to 127.0.0.4, all loopback): each
 * row opens the connections it holds, then tries one more upgrade and expects its exact answer. The
 * rows also pin the order of the checks, and that a refused upgrade gives its place back.
 */
class ConnectionCapsIT extends HostileServerBase {

  private static final int MAX_CONNECTIONS = 4;
  private static final int PER_IP = 2;
  private static final int PER_USER = 1;
  private static final int PENDING_PER_IP = 3;

  /** Long against the checks of what is closed at once, which must all happen before it. */
  private static final long HANDSHAKE_TIMEOUT_MS = 3_000;

  private final Map<String, WebSocketClient> clientsByAddress = new HashMap<>();

  @Override
  protected JsonObject overrides() {
    return new JsonObject()
        .put(
            "limits",
            new JsonObject()
                .put("maxConnections", MAX_CONNECTIONS)
                .put("maxConnectionsPerIp", PER_IP)
                .put("maxConnectionsPerUser", PER_USER)
                .put("maxPendingHandshakesPerIp", PENDING_PER_IP)
                .put("handshakeTimeoutMs", HANDSHAKE_TIMEOUT_MS));
  }

  @BeforeAll
  void clientsOnEveryAddress() {
    for (String address : List.of("127.0.0.1", "127.0.0.2", "127.0.0.3")) {
      clientsByAddress.put(
          address,
          clientVertx.createWebSocketClient(
              (WebSocketClientOptions) new WebSocketClientOptions().setLocalAddress(address)));
    }
  }

  /** A connection from {@code address} of {@code user} (null: anonymous). */
  record Client(String address, String user) {
    String target() {
      return user == null ? "/ws" : "/ws?userId=" + user;
    }

    @Override
    public String toString() {
      return (user == null ? "anonymous" : user) + "@" + address.substring(8);
    }
  }

  static Client from(String lastByte, String user) {
    return new Client("127.0.0." + lastByte, user);
  }

  static Stream<Arguments> caps() {
    Head valid = Head.valid();
    String ipFull =
        "address 127.0.0.1 already holds " + PER_IP + " connections (limits.maxConnectionsPerIp)";
    String full =
        "the server holds its maximum of "
            + MAX_CONNECTIONS
            + " connections (limits.maxConnections); try again later";
    List<Client> twoOnOne = List.of(from("1", "a"), from("1", "b"));
    List<Client> fourOnTwo =
        List.of(from("1", "a"), from("1", "b"), from("2", "c"), from("2", "d"));
    return Stream.of(
        row("per IP", twoOnOne, false, List.of(), from("1", "c"), valid, tooMany(ipFull)),
        row("another IP", twoOnOne, false, List.of(), from("2", "c"), valid, accepted()),
        row(
            "per user",
            List.of(from("1", "alice")),
            false,
            List.of(),
            from("2", "alice"),
            valid,
            tooMany(userFull("alice"))),
        row(
            "per user, same IP",
            List.of(from("1", "alice")),
            false,
            List.of(),
            from("1", "alice"),
            valid,
            tooMany(userFull("alice"))),
        row(
            "another user",
            List.of(from("1", "alice")),
            false,
            List.of(),
            from("2", "bob"),
            valid,
            accepted()),
        row(
            "anonymous connections have no user cap",
            List.of(from("1", null)),
            false,
            List.of(),
            from("2", null),
            valid,
            accepted()),
        row(
            "in total",
            fourOnTwo,
            false,
            List.of(),
            from("3", "e"),
            valid,
            refused(503, "unavailable", full)),
        row(
            "the total before the IP",
            fourOnTwo,
            false,
            List.of(),
            from("1", "e"),
            valid,
            refused(503, "unavailable", full)),
        row(
            "the form before any cap",
            twoOnOne,
            false,
            List.of(),
            from("1", "c"),
            valid.with("Sec-WebSocket-Key", "short"),
            badRequest(
                "header 'Sec-WebSocket-Key' must be 16 bytes in base64 (24 characters), was"
                    + " 'short'")),
        row(
            "the origin before the caps",
            fourOnTwo,
            false,
            List.of(),
            from("3", "e"),
            valid.with("Origin", "https://evil.example.com"),
            originRefused("https://evil.example.com")),
        row(
            "no origin is allowed by default",
            List.of(),
            false,
            List.of(),
            from("1", "a"),
            valid.with("Origin", "http://localhost:3000"),
            originRefused("http://localhost:3000")),
        row(
            "the IP cap before the identity",
            twoOnOne,
            false,
            List.of(),
            new Client("127.0.0.1", "x&userId=y"),
            valid,
            tooMany(ipFull)),
        row(
            "a closed connection gives its place back",
            twoOnOne,
            true,
            List.of(),
            from("1", "c"),
            valid,
            accepted()),
        row(
            "refused identities give the IP place back",
            List.of(from("1", "a")),
            false,
            List.of(
                new Client("127.0.0.1", "x&userId=y"),
                new Client("127.0.0.1", "x&userId=y"),
                new Client("127.0.0.1", "x&userId=y")),
            from("1", "b"),
            valid,
            accepted()),
        row(
            "refused users give the IP place back",
            List.of(from("2", "alice")),
            false,
            List.of(from("1", "alice"), from("1", "alice"), from("1", "alice")),
            from("1", "b"),
            valid,
            accepted()),
        row(
            "refused origins take no place",
            List.of(from("1", "a")),
            false,
            List.of(from("1", "x"), from("1", "y"), from("1", "z")),
            from("1", "b"),
            valid.with("Origin", "null"),
            originRefused("null")));
  }

  @ParameterizedTest(name = "[{index}] {0}: {4} -> {6}")
  @MethodSource("caps")
  void oneMoreUpgradeGetsItsExactAnswer(
      String scenario,
      List<Client> held,
      boolean closeFirst,
      List<Client> refusedBefore,
      Client attempt,
      Head head,
      Expect expected)
      throws IOException {
    int port = server.wsPort();
    List<WsClient> open = new ArrayList<>();
    for (Client client : held) {
      open.add(
          track(
              WsClient.connect(
                  clientsByAddress.get(client.address()), port, client.target(), null)));
    }
    if (closeFirst) {
      open.get(0).close();
      Await.until(
          "the closed connection is let go",
          () -> server.server().metrics().activeConnections() == held.size() - 1);
    }
    for (Client client : refusedBefore) {
      HttpUpgrade.Answer answer =
          HttpUpgrade.send(
              client.address(), port, head.target(client.target()).request(port), true);
      assertThat(answer.status()).as("refused before: %s", answer).isBetween(400, 499);
    }

    HttpUpgrade.Answer answer =
        HttpUpgrade.send(
            attempt.address(),
            port,
            head.target(attempt.target()).request(port),
            expected.status() != 101);

    expected.check(answer, false);
    rowDone();
  }

  @Test
  void aConnectionBeyondThePendingHandshakesPerIpIsClosedAtOnce() throws IOException {
    double before = refusedWithout(SwitchboardMetrics.TOO_MANY_HANDSHAKES);
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i <= PENDING_PER_IP; i++) {
        silent.add(openFrom("127.0.0.4"));
      }

      Await.until(
          "one connection over the per-IP handshake limit is refused",
          () -> refusedWithout(SwitchboardMetrics.TOO_MANY_HANDSHAKES) == before + 1);

      for (Socket socket : silent) {
        socket.setSoTimeout(1);
      }
      Await.until(
          "the refused connection is closed",
          () -> silent.stream().anyMatch(ConnectionCapsIT::isClosed));
      // The others are handshakes under way, left to their timeout.
      assertThat(silent.stream().filter(ConnectionCapsIT::isClosed).count())
          .as("connections closed at once")
          .isEqualTo(1);
      HttpUpgrade.Answer otherAddress =
          HttpUpgrade.send(
              "127.0.0.3", server.wsPort(), Head.valid().request(server.wsPort()), false);
      assertThat(otherAddress.status()).as("another address meanwhile").isEqualTo(101);
    } finally {
      for (Socket socket : silent) {
        socket.close();
      }
    }
  }

  @Test
  void aConnectionThatSendsNothingOrHalfARequestIsClosedAtTheHandshakeTimeout() throws IOException {
    double before = refusedWithout(SwitchboardMetrics.HANDSHAKE_TIMEOUT);
    // Before the connections open, so before the server starts their timers.
    long start = System.nanoTime();
    try (Socket silent = openFrom("127.0.0.5");
        Socket half = openFrom("127.0.0.5")) {
      half.getOutputStream()
          .write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));

      assertThat(silent.getInputStream().read()).isEqualTo(-1);
      assertThat(half.getInputStream().read()).isEqualTo(-1);

      assertThat((System.nanoTime() - start) / 1_000_000)
          .as("closed at the timeout, not before")
          .isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT_MS);
      Await.until(
          "both are counted",
          () -> refusedWithout(SwitchboardMetrics.HANDSHAKE_TIMEOUT) == before + 2);
    }
  }

  /** Whether the server has closed the socket, read with the socket's 1 ms timeout. */
  private static boolean isClosed(Socket socket) {
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Connections closed before their upgrade for this reason, so far. */
  private double refusedWithout(String reason) {
    Counter counter =
        server
            .server()
            .metrics()
            .registry()
            .find(SwitchboardMetrics.UPGRADES_REFUSED)
            .tag("status", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private Socket openFrom(String address) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(address, 0));
    socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
    socket.connect(new InetSocketAddress("127.0.0.1", server.wsPort()));
    return socket;
  }

  private static Arguments row(
      String scenario,
      List<Client> held,
      boolean closeFirst,
      List<Client> refusedBefore,
      Client attempt,
      Head head,
      Expect expected) {
    return Arguments.of(scenario, held, closeFirst, refusedBefore, attempt, head, expected);
  }

  private static Expect tooMany(String message) {
    return refused(429, "too_many_connections", message);
  }

  private static String userFull(String user) {
    return "user '"
        + user
        + "' already holds "
        + PER_USER
        + " connections (limits.maxConnectionsPerUser)";
  }

  private static Expect originRefused(String origin) {
    return refused(
        403,
        "forbidden",
        "origin '" + origin + "' may not open WebSockets here; ws.allowedOrigins lists none");
  }
}
