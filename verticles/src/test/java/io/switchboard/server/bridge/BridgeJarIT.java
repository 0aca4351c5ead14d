package io.switchboard.server.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.BridgeClient;
import io.switchboard.server.testing.ServerProcess;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge in the fat jar, as users run it: configured by environment variables. */
class BridgeJarIT {

  private static final Pattern LISTENING =
      Pattern.compile("tcp event-bus bridge listening \\[host: 127\\.0\\.0\\.1, port: (\\d+),");

  @TempDir Path workDir;
  private ServerProcess server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theJarServesTheBridgeAndMasksItsToken() {
    String token = "jar-bridge-token-0123456789";
    server =
        ServerProcess.start(
                workDir,
                new ServerProcess.Options()
                    .onFreeLoopbackPorts()
                    .env("SWITCHBOARD_BRIDGE_ENABLED", "true")
                    .env("SWITCHBOARD_BRIDGE_PORT", "0")
                    .env("SWITCHBOARD_BRIDGE_TOKEN", token))
            .awaitStarted();
    Matcher listening = server.awaitLine(LISTENING);

    try (BridgeClient client = BridgeClient.connect(Integer.parseInt(listening.group(1)))) {
      client.assertAlive();
    }
    assertThat(server.output()).noneSatisfy(line -> assertThat(line).contains(token));
  }

  @Test
  void aBridgeBeyondLoopbackWithoutTokenOrClientCertificatesStopsStartUp() {
    server =
        ServerProcess.start(
            workDir,
            new ServerProcess.Options()
                .onFreeLoopbackPorts()
                .env("SWITCHBOARD_BRIDGE_ENABLED", "true")
                .env("SWITCHBOARD_BRIDGE_HOST", "0.0.0.0"));

    assertThat(server.awaitExit()).isEqualTo(2);
    assertThat(server.output())
        .contains(
            "switchboard: configuration error: bridge.token must be set when bridge.host is not a"
                + " loopback address and bridge.tlsClientCaFile is empty, was empty with"
                + " bridge.host 0.0.0.0; set a token, require client certificates"
                + " (bridge.tlsClientCaFile) or bind the bridge to 127.0.0.1");
  }
}
