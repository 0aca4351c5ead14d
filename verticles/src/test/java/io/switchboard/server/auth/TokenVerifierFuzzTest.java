package io.switchboard.server.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.server.config.AuthConfig;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.testing.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzzes token and claim handling: whatever a client sends as its token, {@link
 * TokenVerifier#verify} answers with an identity or a {@link TokenRejected} that says why, and
 * never throws. An identity only ever comes from a token signed with the configured secret, with a
 * {@code sub} and claims of the shapes Switchboard relies on.
 *
 * <p>When the input's last byte is odd, the rest is the token as text (the seeds beside this class
 * in the test resources are such files); otherwise a header and claims are built from the input,
 * from the claims that matter and values of every JSON kind, and signed with the secret or given a
 * signature of the input's choosing.
 */
class TokenVerifierFuzzTest {

  private static final Vertx VERTX = Vertx.vertx();
  private static final AuthConfig AUTH =
      SwitchboardConfig.fromJson(
              new JsonObject()
                  .put("auth", Tokens.authConfig().put("issuer", "iss-1").put("audience", "aud-1")))
          .auth();
  private static final TokenVerifier VERIFIER = TokenVerifier.create(VERTX, AUTH);
  private static final List<String> ALGORITHMS =
      List.of("HS256", "HS384", "HS512", "RS256", "ES256", "none", "None", "hs256", "");
  private static final List<String> CLAIMS =
      List.of("sub", "org", "channels", "exp", "nbf", "iat", "iss", "aud");

  @FuzzTest
  void verifiesOrSaysWhyNot(FuzzedDataProvider data) throws Exception {
    String token;
    if (data.consumeBoolean()) {
      token = data.consumeRemainingAsAsciiString();
    } else {
      String alg = data.pickValue(ALGORITHMS);
      JsonObject claims = new JsonObject();
      for (String claim : CLAIMS) {
        if (data.consumeBoolean()) {
          claims.put(claim, value(data, claim));
        }
      }
      if (alg.equals("HS256") && data.consumeBoolean()) {
        token = Tokens.hmac("HS256", "HmacSHA256", Tokens.SECRET, claims);
      } else {
        token = Tokens.raw(Tokens.header(alg), claims, data.consumeRemainingAsAsciiString());
      }
    }

    Future<Identity> verified = VERIFIER.verify(token);
    Identity identity;
    try {
      identity = verified.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TokenRejected.class);
      assertThat(e.getCause().getMessage()).isNotBlank().hasSizeLessThan(1_000);
      return;
    }

    String[] parts = token.split("\\.");
    assertThat(parts[2])
        .as("only a token signed with the secret verifies")
        .isEqualTo(hs256(parts[0] + "." + parts[1]));
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), UTF_8));
    assertThat(identity.source()).isEqualTo(Identity.Source.TOKEN);
    assertThat(identity.userId()).isEqualTo(claims.getValue("sub")).isNotEmpty();
    assertThat(identity.userId().length()).isLessThanOrEqualTo(TokenVerifier.MAX_ID_LENGTH);
    assertThat(identity.organizationId()).isEqualTo(claims.getValue("org"));
    assertThat(identity.grants().size()).isLessThanOrEqualTo(TokenVerifier.MAX_GRANTS);
    assertThat(claims.getValue("iss")).isEqualTo("iss-1");
    if (claims.getValue("exp") instanceof Number exp) {
      assertThat(exp.longValue())
          .isGreaterThan(System.currentTimeMillis() / 1000 - AUTH.clockSkewSeconds() - 5);
    }
  }

  /** The HS256 signature of a signing input with the test secret, computed here, in base64url. */
  private static String hs256(String signingInput) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Tokens.SECRET.getBytes(UTF_8), "HmacSHA256"));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(mac.doFinal(signingInput.getBytes(UTF_8)));
  }

  private static Object value(FuzzedDataProvider data, String claim) {
    long now = System.currentTimeMillis() / 1000;
    return switch (data.consumeInt(0, 7)) {
      case 0 -> data.consumeString(220);
      case 1 -> now + data.consumeLong(-100_000, 100_000);
      case 2 -> data.consumeLong();
      case 3 -> {
        JsonArray array = new JsonArray();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
          array.add(data.consumeBoolean() ? data.consumeString(40) : data.consumeInt());
        }
        yield array;
      }
      case 4 -> new JsonObject().put(claim, data.consumeString(10));
      case 5 -> data.consumeBoolean();
      case 6 -> claim.equals("iss") ? "iss-1" : claim.equals("aud") ? "aud-1" : "x";
      default -> data.consumeDouble();
    };
  }
}
