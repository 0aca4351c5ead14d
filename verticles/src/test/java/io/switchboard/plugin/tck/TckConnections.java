package io.switchboard.plugin.tck;

import io.switchboard.server.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How the contracts' clients say who they are: as in production, with a token the server verifies
 * ({@link Tokens}, HS256), or with none at all (anonymous).
 */
final class TckConnections {

  private TckConnections() {}

  /** The {@code auth} section of a contract's server: tokens verified, anonymous clients let in. */
  static JsonObject authConfig() {
    return Tokens.authConfig().put("anonymous", true);
  }

  /**
   * The upgrade URI of a client: {@code /ws} for an anonymous one, else {@code /ws?token=<jwt>}
   * with {@code sub}, {@code org} and {@code channels} as given.
   *
   * @throws IllegalArgumentException for an organisation or grants without a user: a token always
   *     names its user
   */
  static String uri(String userId, String organizationId, List<String> grants) {
    if (userId == null) {
      if (organizationId != null || !grants.isEmpty()) {
        throw new IllegalArgumentException(
            "an identity with an organisation or grants needs a user id: a token always names its"
                + " user ('sub')");
      }
      return "/ws";
    }
    JsonObject claims = Tokens.claims(userId);
    if (organizationId != null) {
      claims.put("org", organizationId);
    }
    if (!grants.isEmpty()) {
      claims.put("channels", new JsonArray(grants));
    }
    return "/ws?token=" + Tokens.hs256(claims);
  }
}
