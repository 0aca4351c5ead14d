package io.switchboard.server;

import io.switchboard.server.config.AuthConfig;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar switchboard.jar token --sub alice [--org acme] [--channels a,b] [--ttl 3600]}:
 * prints a token this server accepts, signed with the configured {@code auth.jwtSecret} (the same
 * configuration layers as the server: {@code --conf}, environment, system properties), or with a
 * private key ({@code --private-key key.pem --alg RS256}). For trying the server and for tests;
 * production tokens come from the application's own identity provider.
 */
final class TokenCommand {

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: java -jar switchboard.jar token --sub USER [--org ORG] [--channels A,B]",
          "           [--ttl SECONDS] [--conf FILE] [--private-key PEM --alg RS256|ES256]",
          "  prints a JWT for USER signed with auth.jwtSecret from the configuration (or the",
          "  private key), with iss/aud from auth.issuer/auth.audience when set; --ttl defaults",
          "  to 3600 seconds");

  private TokenCommand() {}

  /** Runs the command; returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.println(USAGE);
      return 0;
    }
    String sub = null;
    String org = null;
    String channels = null;
    long ttl = 3600;
    Path conf = null;
    Path privateKey = null;
    String alg = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--sub" -> sub = need(args[i], value);
          case "--org" -> org = need(args[i], value);
          case "--channels" -> channels = need(args[i], value);
          case "--ttl" -> ttl = Long.parseLong(need(args[i], value));
          case "--conf", "-c" -> conf = Path.of(need(args[i], value));
          case "--private-key" -> privateKey = Path.of(need(args[i], value));
          case "--alg" -> alg = need(args[i], value);
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
        i++;
      }
      if (sub == null || sub.isEmpty()) {
        throw new IllegalArgumentException("--sub is required: the user id");
      }
      if (ttl <= 0) {
        throw new IllegalArgumentException("--ttl must be > 0 seconds, was " + ttl);
      }
    } catch (IllegalArgumentException e) {
      err.println("switchboard token: " + e.getMessage());
      err.println(USAGE);
      return Main.EXIT_CONFIG;
    }
    Vertx vertx = Vertx.vertx();
    try {
      AuthConfig auth =
          ConfigLoader.load(vertx, conf == null ? Main.parse(new String[0]).conf() : conf)
              .await(30, TimeUnit.SECONDS)
              .auth();
      JsonObject claims = new JsonObject().put("sub", sub);
      if (org != null) {
        claims.put(auth.organizationClaim(), org);
      }
      if (channels != null) {
        claims.put(auth.channelsClaim(), new JsonArray(Arrays.asList(channels.split(","))));
      }
      JWTOptions options = new JWTOptions().setExpiresInSeconds((int) Math.min(ttl, 1L << 30));
      if (!auth.issuer().isEmpty()) {
        options.setIssuer(auth.issuer());
      }
      if (!auth.audience().isEmpty()) {
        options.setAudience(List.of(auth.audience()));
      }
      PubSecKeyOptions key;
      if (privateKey != null) {
        if (alg == null) {
          throw new ConfigException("--alg is required with --private-key (RS256 or ES256)");
        }
        key = new PubSecKeyOptions().setAlgorithm(alg).setBuffer(Files.readString(privateKey));
      } else if (!auth.jwtSecret().isEmpty()) {
        alg = "HS256";
        key = new PubSecKeyOptions().setAlgorithm(alg).setBuffer(auth.jwtSecret());
      } else {
        throw new ConfigException(
            "auth.jwtSecret is not set: configure it (e.g. SWITCHBOARD_AUTH_JWT_SECRET) or give"
                + " --private-key PEM --alg RS256");
      }
      options.setAlgorithm(alg);
      String token =
          JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key))
              .generateToken(claims, options);
      out.println(token);
      return 0;
    } catch (ConfigException e) {
      err.println("switchboard token: " + e.getMessage());
      return Main.EXIT_CONFIG;
    } catch (IOException | RuntimeException e) {
      err.println("switchboard token: " + e.getMessage());
      return Main.EXIT_START;
    } catch (Exception e) {
      err.println("switchboard token: " + e);
      return Main.EXIT_START;
    } finally {
      vertx.close();
    }
  }

  private static String need(String flag, String value) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return value;
  }
}
