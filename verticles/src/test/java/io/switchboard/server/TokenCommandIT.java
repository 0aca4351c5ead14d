package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard.jar token} mints tokens that a server with the same secret accepts. */
class TokenCommandIT extends ServerTestBase {

  @TempDir Path dir;

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put("auth", Tokens.authConfig())
        .put(
            "channels",
            new JsonObject()
                .put(
                    "namespaces",
                    new JsonObject().put("vip", new JsonObject().put("join", "nobody"))));
  }

  @Test
  void aMintedTokenConnectsAsItsUserWithItsOrganisationAndGrants() throws Exception {
    Path conf = dir.resolve("switchboard.json");
    Files.writeString(conf, new JsonObject().put("auth", Tokens.authConfig()).encode());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit =
        TokenCommand.run(
            new String[] {
              "--conf", conf.toString(), "--sub", "alice", "--org", "acme", "--channels", "vip:*"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String token = out.toString(StandardCharsets.UTF_8).trim();
    WsClient client = connect("/ws?token=" + token);

    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    assertThat(client.welcome().getJsonObject("data").getString("userId")).isEqualTo("alice");
    assertThat(client.welcome().getJsonObject("data").getString("organizationId"))
        .isEqualTo("acme");
    assertThat(join(client, "vip:lounge").getString("channel"))
        .as("the grant lets alice into a namespace nobody else may join")
        .isEqualTo("vip:lounge");
  }

  @Test
  void withoutASecretItSaysWhatToConfigure() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit =
        TokenCommand.run(
            new String[] {"--sub", "alice"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(exit).isEqualTo(Main.EXIT_CONFIG);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("auth.jwtSecret is not set: configure it (e.g. SWITCHBOARD_AUTH_JWT_SECRET)");
  }
}
