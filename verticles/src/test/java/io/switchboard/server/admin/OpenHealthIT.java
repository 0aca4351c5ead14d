package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.ServerTestBase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Without {@code admin.token} (loopback only), {@code /health} shows its details to everyone. */
class OpenHealthIT extends ServerTestBase {

  @Test
  void healthWithoutAConfiguredTokenHasTheDetails() {
    connect();

    JsonObject health = adminGet("/health").bodyAsJsonObject();

    assertThat(health.getString("status")).isEqualTo("UP");
    assertThat(health.getJsonObject("services").getJsonObject("websocket"))
        .isEqualTo(
            new JsonObject()
                .put("healthy", true)
                .put("activeConnections", 1)
                .put("totalConnectionsTracked", 1));
    assertThat(health.getLong("uptimeMs")).isPositive();
  }
}
