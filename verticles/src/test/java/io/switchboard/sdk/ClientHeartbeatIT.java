package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import org.junit.jupiter.api.Test;

/**
 * The client's heartbeat against a real server behind a fault proxy. The server's own heartbeat is
 * slow here (the test server's default), so only the client can notice a silent peer.
 */
class ClientHeartbeatIT extends SdkTestBase {

  @Test
  void aSilentPeerIsDetectedByTheHeartbeatAndTheClientReconnects() {
    FaultProxy proxy = proxy();
    SwitchboardClient client =
        client(
            options(proxy.url())
                .setHeartbeatIntervalMs(50)
                .setPongTimeoutMs(200)
                .setConnectionTimeoutMs(300));
    ClientEvents events = ClientEvents.of(client);
    Await.result(client.connect());
    String before = client.connectionId();

    proxy.blackhole();

    Await.until(
        "the dead peer is noticed, and the error told",
        () -> client.state() == ConnectionState.RECONNECTING && !events.errorMessages().isEmpty());
    assertThat(events.errorMessages())
        .first()
        .isEqualTo("connection lost: no frame from the server within 200 ms of a heartbeat ping");
    proxy.restore();
    Await.until("reconnected", () -> client.state() == ConnectionState.CONNECTED);
    assertThat(client.connectionId()).isNotEqualTo(before);
    assertThat(client.metrics().reconnectionCount()).isEqualTo(1);
  }

  @Test
  void aHealthyConnectionStaysUpAndTheHeartbeatMeasuresTheRoundTrip() {
    SwitchboardClient client =
        connected(options().setHeartbeatIntervalMs(20).setPongTimeoutMs(500));
    ClientEvents events = ClientEvents.of(client);
    String connection = client.connectionId();

    Await.until("ten pings", () -> client.metrics().messagesSent() >= 10);

    assertThat(client.metrics().averageLatency()).isNotNull().isPositive();
    assertThat(client.connectionId()).isEqualTo(connection);
    assertThat(events.errors).isEmpty();
    assertThat(events.messagesOfType("pong")).as("the heartbeat's pongs are its own").isEmpty();
  }

  @Test
  void anIntervalOfZeroDisablesTheHeartbeat() {
    SwitchboardClient silent = connected(options().setHeartbeatIntervalMs(0));
    SwitchboardClient pinging = connected(options().setHeartbeatIntervalMs(20));

    Await.until("the other client pinged five times", () -> pinging.metrics().messagesSent() >= 5);

    assertThat(silent.metrics().messagesSent()).as("the greeting ping only").isEqualTo(1);
    assertThat(
            adminGet("/api/connections/" + silent.connectionId())
                .bodyAsJsonObject()
                .getLong("messagesIn"))
        .isEqualTo(1);
  }
}
