package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.KeyStoreOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * TLS for one listening port, from the {@code tls*} keys of its section ({@code ws}, {@code admin},
 * {@code bridge}, or {@code cluster} for the event bus, whose nodes also present it as clients): a
 * PEM certificate chain with its PEM private key, or a PKCS12 or JKS keystore with its password;
 * all empty (the default) for plain TCP. {@link #from} checks the combination and that each named
 * file is readable; {@link TlsCheck} then loads the key material itself before the server starts.
 *
 * @param certFile PEM certificate chain, the server's certificate first
 * @param keyFile PEM private key of that certificate (PKCS#8, or PKCS#1 RSA / SEC1 EC)
 * @param keyStore PKCS12 or JKS keystore holding the private key and its certificate chain
 * @param keyStorePassword the keystore's password (also the key's); a secret, masked in the log
 * @param keyStoreType {@code JKS} or {@code PKCS12}, told from the keystore file's first bytes; not
 *     a configuration key
 */
public record TlsConfig(
    String certFile,
    String keyFile,
    String keyStore,
    String keyStorePassword,
    String keyStoreType) {

  public static final String DEFAULT_CERT_FILE = "";
  public static final String DEFAULT_KEY_FILE = "";
  public static final String DEFAULT_KEY_STORE = "";
  public static final String DEFAULT_KEY_STORE_PASSWORD = "";

  /** The keys, the same in each section that can listen with TLS. */
  static final List<String> KEYS =
      List.of("tlsCertFile", "tlsKeyFile", "tlsKeyStore", "tlsKeyStorePassword");

  static final String MASK = "****";

  private static final int JKS_MAGIC = 0xFEEDFEED;

  static TlsConfig from(ConfigSection s) {
    String cert = s.string("tlsCertFile", DEFAULT_CERT_FILE);
    String key = s.string("tlsKeyFile", DEFAULT_KEY_FILE);
    String store = s.string("tlsKeyStore", DEFAULT_KEY_STORE);
    String password = s.string("tlsKeyStorePassword", DEFAULT_KEY_STORE_PASSWORD);
    if (!cert.isEmpty() && key.isEmpty()) {
      throw s.invalid("tlsKeyFile", "\"\"", "set when " + s.name("tlsCertFile") + " is set");
    }
    if (!key.isEmpty() && cert.isEmpty()) {
      throw s.invalid("tlsCertFile", "\"\"", "set when " + s.name("tlsKeyFile") + " is set");
    }
    if (!cert.isEmpty() && !store.isEmpty()) {
      throw s.invalid(
          "tlsKeyStore",
          store,
          "empty when "
              + s.name("tlsCertFile")
              + " and "
              + s.name("tlsKeyFile")
              + " are set (TLS takes PEM files or a keystore, not both)");
    }
    if (!store.isEmpty() && password.isEmpty()) {
      throw s.invalid(
          "tlsKeyStorePassword", "\"\"", "set when " + s.name("tlsKeyStore") + " is set");
    }
    if (store.isEmpty() && !password.isEmpty()) {
      throw s.invalid(
          "tlsKeyStorePassword", MASK, "empty when " + s.name("tlsKeyStore") + " is not set");
    }
    readable(s, "tlsCertFile", cert);
    readable(s, "tlsKeyFile", key);
    readable(s, "tlsKeyStore", store);
    return new TlsConfig(
        cert, key, store, password, store.isEmpty() ? "" : storeType(s, "tlsKeyStore", store));
  }

  /** Whether the port speaks TLS. */
  public boolean enabled() {
    return !certFile.isEmpty() || !keyStore.isEmpty();
  }

  /** Whether the key material comes from a keystore (else from PEM files). */
  public boolean fromKeyStore() {
    return !keyStore.isEmpty();
  }

  /**
   * The key material as Vert.x reads it; only when {@link #enabled()}. A keystore is given as
   * {@link JksOptions} or {@link PfxOptions}, not as the generic {@code KeyStoreOptions}: the
   * clustered event bus copies its options through JSON, which carries only those two (and PEM).
   */
  public KeyCertOptions keyCertOptions() {
    if (fromKeyStore()) {
      return store(keyStoreType, keyStore, keyStorePassword);
    }
    return new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile);
  }

  /** A keystore or truststore of the given type ({@code JKS} or {@code PKCS12}). */
  static KeyStoreOptionsBase store(String type, String path, String password) {
    return "JKS".equals(type)
        ? new JksOptions().setPath(path).setPassword(password)
        : new PfxOptions().setPath(path).setPassword(password);
  }

  /** Turns TLS on in a server's options when configured; answers the options. */
  public <T extends NetServerOptions> T applyTo(T options) {
    if (enabled()) {
      options.setSsl(true);
      options.setKeyCertOptions(keyCertOptions());
    }
    return options;
  }

  void writeTo(JsonObject section) {
    section
        .put("tlsCertFile", certFile)
        .put("tlsKeyFile", keyFile)
        .put("tlsKeyStore", keyStore)
        .put("tlsKeyStorePassword", keyStorePassword);
  }

  /** Masks the password in a section written by {@link #writeTo}. */
  void maskSecrets(JsonObject section) {
    if (!keyStorePassword.isEmpty()) {
      section.put("tlsKeyStorePassword", MASK);
    }
  }

  /** Stops start-up unless {@code file} (when set) is a readable file. */
  static void readable(ConfigSection s, String key, String file) {
    if (file.isEmpty()) {
      return;
    }
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      throw s.invalid(
          key, "\"" + file + "\"", "a readable file (not a valid path: " + e.getReason() + ")");
    }
    String problem =
        !Files.exists(path)
            ? "no such file"
            : Files.isDirectory(path)
                ? "a directory"
                : !Files.isReadable(path) ? "not readable" : null;
    if (problem != null) {
      throw s.invalid(key, file + " (" + problem + ")", "a readable file");
    }
  }

  /** JKS files open with the magic number 0xFEEDFEED; anything else is taken for PKCS12. */
  static String storeType(ConfigSection s, String key, String file) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      byte[] head = in.readNBytes(4);
      int magic =
          head.length < 4
              ? 0
              : (head[0] & 0xFF) << 24
                  | (head[1] & 0xFF) << 16
                  | (head[2] & 0xFF) << 8
                  | head[3] & 0xFF;
      return magic == JKS_MAGIC ? "JKS" : "PKCS12";
    } catch (IOException e) {
      throw s.invalid(key, file + " (" + e.getMessage() + ")", "a readable file");
    }
  }
}
