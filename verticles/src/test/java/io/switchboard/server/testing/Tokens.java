package io.switchboard.server.testing;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWTs for tests, signed here with the JDK's own crypto (not with the library the server verifies
 * them with), including the malformed, unsigned and wrongly signed ones an attacker would send.
 */
public final class Tokens {

  /** The HS256 secret of test servers that verify tokens (at least 32 bytes). */
  public static final String SECRET = "switchboard-test-secret-0123456789abcdef";

  private Tokens() {}

  /** The {@code auth} section of a server that verifies {@link #SECRET} tokens. */
  public static JsonObject authConfig() {
    return new JsonObject().put("jwtSecret", SECRET);
  }

  /** A valid HS256 token for {@code sub}, expiring in an hour. */
  public static String forUser(String sub) {
    return hs256(claims(sub));
  }

  /** A valid HS256 token for {@code sub} of an organisation, expiring in an hour. */
  public static String forUser(String sub, String organization) {
    return hs256(claims(sub).put("org", organization));
  }

  /** {@code sub}, {@code iat} now and {@code exp} in an hour. */
  public static JsonObject claims(String sub) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", sub).put("iat", now).put("exp", now + 3600);
  }

  /** The claims signed with HS256 and {@link #SECRET}. */
  public static String hs256(JsonObject claims) {
    return hmac("HS256", "HmacSHA256", SECRET, claims);
  }

  /** The claims signed with an HMAC algorithm and any secret. */
  public static String hmac(String alg, String macAlgorithm, String secret, JsonObject claims) {
    String input = encode(header(alg)) + "." + encode(claims);
    try {
      Mac mac = Mac.getInstance(macAlgorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macAlgorithm));
      return input + "." + base64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The claims signed with a private key: {@code RS256} (SHA256withRSA) or {@code ES256} (ECDSA in
   * the JWS R||S form).
   */
  public static String signed(String alg, PrivateKey key, JsonObject claims) {
    String input = encode(header(alg)) + "." + encode(claims);
    String javaAlgorithm =
        switch (alg) {
          case "RS256" -> "SHA256withRSA";
          case "ES256" -> "SHA256withECDSAinP1363Format";
          case "ES384" -> "SHA384withECDSAinP1363Format";
          default -> throw new IllegalArgumentException(alg);
        };
    try {
      Signature signature = Signature.getInstance(javaAlgorithm);
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + base64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}, empty signature). */
  public static String unsigned(JsonObject claims) {
    return encode(header("none")) + "." + encode(claims) + ".";
  }

  /** Any header and claims with a given signature segment. */
  public static String raw(JsonObject header, JsonObject claims, String signature) {
    return encode(header) + "." + encode(claims) + "." + signature;
  }

  public static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A public key in PEM ({@code -----BEGIN PUBLIC KEY-----}). */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  public static JsonObject header(String alg) {
    return new JsonObject().put("alg", alg).put("typ", "JWT");
  }

  public static String encode(JsonObject json) {
    return base64(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
