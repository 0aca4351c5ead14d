package io.switchboard.server.auth;

import io.switchboard.server.config.AuthConfig;
import io.switchboard.server.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the keys of the {@code auth} section: the shared secret, PEM public keys or certificates,
 * and a JWKS file. Each key is offered for the allowed algorithms its type can verify, so an RSA
 * key never verifies an HMAC token and a P-256 key only ES256. A file that cannot be used stops
 * start-up with a message naming it.
 */
final class JwtKeys {

  private static final Pattern PEM =
      Pattern.compile(
          "-----BEGIN (PUBLIC KEY|CERTIFICATE)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  private static final Map<Integer, String> EC_ALGORITHMS =
      Map.of(256, "ES256", 384, "ES384", 521, "ES512");

  private JwtKeys() {}

  /** The secret and the PEM keys, one entry per algorithm each may verify. */
  static List<PubSecKeyOptions> load(AuthConfig config) {
    List<PubSecKeyOptions> keys = new ArrayList<>();
    if (!config.jwtSecret().isEmpty()) {
      for (String algorithm : config.algorithms()) {
        if (algorithm.startsWith("HS")) {
          keys.add(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(config.jwtSecret()));
        }
      }
      if (keys.isEmpty()) {
        throw new ConfigException(
            "auth.jwtSecret is set, but auth.algorithms allows no HMAC algorithm (HS256, HS384,"
                + " HS512): "
                + config.algorithms());
      }
    }
    for (String file : config.jwtKeyFiles()) {
      String pem = read("auth.jwtKeyFiles", file);
      PublicKey key = publicKey(file, pem);
      List<String> usable = algorithmsFor(key);
      List<String> allowed = usable.stream().filter(config.algorithms()::contains).toList();
      if (allowed.isEmpty()) {
        throw new ConfigException(
            "auth.jwtKeyFiles: the "
                + key.getAlgorithm()
                + " key in "
                + file
                + " verifies "
                + usable
                + ", none of which auth.algorithms allows ("
                + config.algorithms()
                + ")");
      }
      for (String algorithm : allowed) {
        keys.add(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pem));
      }
    }
    return keys;
  }

  /** The keys of the JWKS file that the allowed algorithms can use, each with its {@code alg}. */
  static List<JsonObject> loadJwks(AuthConfig config) {
    if (config.jwksFile().isEmpty()) {
      return List.of();
    }
    String file = config.jwksFile();
    JsonArray keys;
    try {
      keys = new JsonObject(read("auth.jwksFile", file)).getJsonArray("keys");
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(
          "auth.jwksFile " + file + " is not a JSON Web Key Set: " + e.getMessage());
    }
    if (keys == null) {
      throw new ConfigException(
          "auth.jwksFile " + file + " must be a JSON object with a 'keys' array");
    }
    List<JsonObject> usable = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!(keys.getValue(i) instanceof JsonObject key)) {
        throw new ConfigException("auth.jwksFile " + file + ": key " + i + " is not an object");
      }
      if ("enc".equals(key.getString("use"))) {
        continue; // an encryption key never verifies a signature
      }
      String algorithm = key.getString("alg", inferAlgorithm(key));
      if (algorithm != null && config.algorithms().contains(algorithm)) {
        usable.add(key.copy().put("alg", algorithm));
      }
    }
    if (usable.isEmpty()) {
      throw new ConfigException(
          "auth.jwksFile "
              + file
              + " has no signing key for auth.algorithms "
              + config.algorithms());
    }
    return usable;
  }

  private static String inferAlgorithm(JsonObject key) {
    String type = key.getString("kty", "");
    if (type.equals("RSA")) {
      return "RS256";
    }
    if (type.equals("EC")) {
      return switch (key.getString("crv", "")) {
        case "P-256" -> "ES256";
        case "P-384" -> "ES384";
        case "P-521" -> "ES512";
        default -> null;
      };
    }
    return null;
  }

  private static List<String> algorithmsFor(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return List.of("RS256", "RS384", "RS512");
    }
    if (key instanceof ECPublicKey ec) {
      String algorithm = EC_ALGORITHMS.get(ec.getParams().getCurve().getField().getFieldSize());
      return algorithm == null ? List.of() : List.of(algorithm);
    }
    return List.of();
  }

  private static PublicKey publicKey(String file, String pem) {
    Matcher matcher = PEM.matcher(pem);
    if (!matcher.find()) {
      throw new ConfigException(
          "auth.jwtKeyFiles: "
              + file
              + " holds no PEM public key or certificate (-----BEGIN PUBLIC KEY----- or"
              + " -----BEGIN CERTIFICATE-----)");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
      if (matcher.group(1).equals("CERTIFICATE")) {
        return CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der))
            .getPublicKey();
      }
      for (String type : List.of("RSA", "EC")) {
        try {
          return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException tryNext) {
          // not a key of this type
        }
      }
      throw new GeneralSecurityException("neither an RSA nor an EC public key");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException(
          "auth.jwtKeyFiles: " + file + " holds no usable RSA or EC key: " + e.getMessage());
    }
  }

  private static String read(String key, String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(key + ": cannot read " + file + ": " + e);
    }
  }
}
