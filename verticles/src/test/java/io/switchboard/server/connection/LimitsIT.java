package io.switchboard.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.HttpUpgrade;
import io.switchboard.server.testing.RawWebSocket;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connection limits that act before or right after the upgrade, each beside a healthy client that
 * must carry on: the first-frame timeout, the per-IP cap on handshakes under way, and the total
 * connection cap.
 */
class LimitsIT extends ServerTestBase {

  /** Long enough that the healthy clients' first frames are never late on a loaded machine. */
  private static final long FIRST_FRAME_TIMEOUT_MS = 2_000;

  private static final int MAX_PENDING_PER_IP = 8;
  private static final int MAX_CONNECTIONS = 12;

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "limits",
            new JsonObject()
                .put("firstFrameTimeoutMs", FIRST_FRAME_TIMEOUT_MS)
                .put("maxPendingHandshakesPerIp", MAX_PENDING_PER_IP)
                .put("maxConnections", MAX_CONNECTIONS)
                .put("handshakeTimeoutMs", 10_000));
  }

  @Test
  void aConnectionThatSendsNothingAfterWelcomeIsClosedWith4003AndOneThatPingsIsNot()
      throws Exception {
    WsClient healthy = connect();
    healthy.send(new JsonObject().put("type", "ping"));
    try (RawWebSocket silent = RawWebSocket.connect(server.wsPort())) {
      assertThat(silent.readJson().getString("type")).isEqualTo("welcome");

      assertThat(silent.awaitClose()).isEqualTo(4003);
    }
    // The healthy client connected first, so it has outlived the timeout too.
    assertThat(healthy.sync()).extracting(frame -> frame.getString("type")).containsExactly("pong");
    assertThat(healthy.isClosed()).isFalse();
  }

  @Test
  void handshakesUnderWayFromOneAddressBeyondTheCapAreClosedAtOnce() throws Exception {
    WsClient healthy = connect();
    healthy.send(new JsonObject().put("type", "ping"));
    double refusedBefore = refused(SwitchboardMetrics.TOO_MANY_HANDSHAKES);
    List<Socket> halfOpen = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_PENDING_PER_IP + 4; i++) {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.wsPort()));
        socket.setSoTimeout(1);
        socket.getOutputStream().write("GET /ws HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        halfOpen.add(socket);
      }
      // Well before the handshake timeout of 10 s: those over the cap are closed, the others wait.
      Await.until(
          "four connections closed",
          () -> halfOpen.stream().filter(LimitsIT::isClosed).count() >= 4);

      assertThat(halfOpen.stream().filter(LimitsIT::isClosed).count())
          .as("connections over the per-IP handshake cap")
          .isEqualTo(4);
      assertThat(refused(SwitchboardMetrics.TOO_MANY_HANDSHAKES) - refusedBefore).isEqualTo(4);
      assertThat(healthy.sync())
          .extracting(frame -> frame.getString("type"))
          .containsExactly("pong");
    } finally {
      for (Socket socket : halfOpen) {
        socket.close();
      }
    }
  }

  @Test
  void anUpgradeBeyondTheTotalCapIsAnswered503AndTheOthersCarryOn() throws Exception {
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      WsClient client = connect();
      client.send(new JsonObject().put("type", "ping"));
      clients.add(client);
    }

    HttpUpgrade.Answer answer = HttpUpgrade.upgrade(server.wsPort(), "/ws", "");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.error().getString("code")).isEqualTo("unavailable");
    assertThat(answer.error().getString("message"))
        .isEqualTo(
            "the server holds its maximum of 12 connections (limits.maxConnections); try again"
                + " later");
    assertThat(answer.header("Retry-After")).isEqualTo("1");
    assertThat(clients.get(0).sync())
        .extracting(frame -> frame.getString("type"))
        .containsExactly("pong");
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

  private double refused(String reason) {
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
}
