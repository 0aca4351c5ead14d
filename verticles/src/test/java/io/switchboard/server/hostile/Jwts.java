package io.switchboard.server.hostile;

import io.switchboard.server.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens with any header, signed with the JDK's crypto by any key: what {@link Tokens} makes, plus
 * the forgeries its fixed headers cannot express (an {@code alg} that does not match the key, a
 * header without {@code alg}).
 */
final class Jwts {

  static final String ISSUER = "https://issuer.example";
  static final String AUDIENCE = "switchboard";

  /** Seconds since the epoch when the current table was built (see {@link #startTable()}). */
  private static volatile long now = System.currentTimeMillis() / 1000;

  static final KeyPair RSA = Tokens.rsa();
  static final KeyPair EC = Tokens.ec("secp256r1");
  static final KeyPair OTHER_RSA = Tokens.rsa();
  static final KeyPair OTHER_EC = Tokens.ec("secp256r1");

  private static final DateTimeFormatter SERVER_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Jwts() {}

  /**
   * The {@code auth} section of a server that verifies HS256 (the test secret), HS384, RS256 and
   * ES256 (PEM public keys of {@link #RSA} and {@link #EC}, written to real files in {@code dir}),
   * allows ES384 without a key for it, and requires {@link #ISSUER} and {@link #AUDIENCE}.
   */
  static JsonObject authConfig(Path dir) {
    try {
      Path rsa = Files.writeString(dir.resolve("rsa.pem"), Tokens.pem(RSA.getPublic()));
      Path ec = Files.writeString(dir.resolve("ec.pem"), Tokens.pem(EC.getPublic()));
      return new JsonObject()
          .put("jwtSecret", Tokens.SECRET)
          .put("jwtKeyFiles", new JsonArray().add(rsa.toString()).add(ec.toString()))
          .put(
              "algorithms",
              new JsonArray().add("HS256").add("HS384").add("RS256").add("ES256").add("ES384"))
          .put("issuer", ISSUER)
          .put("audience", AUDIENCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Takes the time a table's tokens are made at, and returns it: rows on either side of the clock
   * skew must be made when their table runs, not when this class was first used.
   */
  static long startTable() {
    now = System.currentTimeMillis() / 1000;
    return now;
  }

  /** The time of the current table, in epoch seconds. */
  static long now() {
    return now;
  }

  /** Valid claims for {@code sub}: issued now, expiring in an hour, for this server. */
  static JsonObject claims(String sub) {
    return new JsonObject()
        .put("sub", sub)
        .put("iat", now)
        .put("exp", now + 3600)
        .put("iss", ISSUER)
        .put("aud", AUDIENCE);
  }

  static JsonObject claims(String sub, String org) {
    return claims(sub).put("org", org);
  }

  static JsonObject header(String alg) {
    return Tokens.header(alg);
  }

  /** HMAC-SHA256 with the test secret, under any header. */
  static String hs256(JsonObject header, JsonObject claims) {
    return hmac(header, claims, "HmacSHA256", Tokens.SECRET);
  }

  static String hs256(JsonObject claims) {
    return hs256(header("HS256"), claims);
  }

  static String hmac(JsonObject header, JsonObject claims, String macAlgorithm, String secret) {
    String input = input(header, claims);
    try {
      Mac mac = Mac.getInstance(macAlgorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), macAlgorithm));
      return input + "." + base64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String rs256(JsonObject claims) {
    return signed(header("RS256"), claims, "SHA256withRSA", RSA.getPrivate());
  }

  static String es256(JsonObject claims) {
    return signed(header("ES256"), claims, "SHA256withECDSAinP1363Format", EC.getPrivate());
  }

  /** Signed by a private key with a JDK signature algorithm, under any header. */
  static String signed(JsonObject header, JsonObject claims, String algorithm, PrivateKey key) {
    String input = input(header, claims);
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + base64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The token with its payload replaced by these claims, its header and signature kept. */
  static String tamperPayload(String token, JsonObject claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + Tokens.encode(claims) + "." + parts[2];
  }

  /** The token with one character in the middle of its signature changed. */
  static String tamperSignature(String token) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + parts[1] + "." + flip(parts[2]);
  }

  /** The header and payload of one token with the signature of another. */
  static String withSignatureOf(String token, String other) {
    return token.substring(0, token.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));
  }

  static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String base64(String text) {
    return base64(text.getBytes(StandardCharsets.UTF_8));
  }

  /** An epoch second as the server writes times ({@code 2024-01-15T10:30:00.000Z}). */
  static String serverTime(long epochSecond) {
    return SERVER_TIME.format(Instant.ofEpochSecond(epochSecond));
  }

  private static String input(JsonObject header, JsonObject claims) {
    return Tokens.encode(header) + "." + Tokens.encode(claims);
  }

  private static String flip(String segment) {
    int i = segment.length() / 2;
    char c = segment.charAt(i);
    return segment.substring(0, i) + (c == 'A' ? 'B' : 'A') + segment.substring(i + 1);
  }
}
