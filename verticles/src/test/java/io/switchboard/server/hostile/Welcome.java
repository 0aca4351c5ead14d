package io.switchboard.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.HttpUpgrade;
import io.switchboard.server.testing.RawWebSocket;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * What the welcome of an accepted upgrade says about the connection: its user, its organisation and
 * when its token expires (each null when it has none).
 *
 * @param expiresAt the token's {@code exp}, in epoch seconds
 */
record Welcome(String userId, String organizationId, Long expiresAt) {

  static Welcome anonymous() {
    return new Welcome(null, null, null);
  }

  static Welcome of(String userId, String organizationId) {
    return new Welcome(userId, organizationId, null);
  }

  /**
   * Sends the upgrade and checks its answer: the welcome when {@code expected} is a {@link
   * Welcome}, else the refusal it is (an {@link Expect}).
   */
  static void upgrade(int port, Head head, Object expected) throws IOException {
    if (expected instanceof Welcome welcome) {
      try (RawWebSocket ws = RawWebSocket.connectWith(port, head.request(port))) {
        welcome.check(ws.readJson());
      }
    } else {
      ((Expect) expected).check(HttpUpgrade.send(null, port, head.request(port), true), false);
    }
  }

  void check(JsonObject frame) {
    assertThat(frame.getString("type")).isEqualTo("welcome");
    JsonObject data = frame.getJsonObject("data");
    assertThat(data.getString("userId")).as("userId").isEqualTo(userId);
    assertThat(data.getString("organizationId")).as("organizationId").isEqualTo(organizationId);
    assertThat(data.getString("expiresAt"))
        .as("expiresAt")
        .isEqualTo(expiresAt == null ? null : Jwts.serverTime(expiresAt));
  }

  @Override
  public String toString() {
    return "101 "
        + (userId == null ? "anonymous" : userId)
        + (organizationId == null ? "" : "@" + organizationId);
  }
}
