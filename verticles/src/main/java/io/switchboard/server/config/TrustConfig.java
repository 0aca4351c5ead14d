package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.util.List;

/**
 * The authorities a peer's certificate must be signed by, from the trust keys of a section (the
 * {@code cluster} section's, for the other nodes): PEM certificates, or a PKCS12 or JKS truststore
 * with its password; both empty (the default) for none. {@link #from} checks the combination and
 * that each named file is readable; {@link TlsCheck} then loads the certificates before the server
 * starts.
 *
 * @param caFile PEM certificates of the authorities (one or more, concatenated)
 * @param trustStore PKCS12 or JKS truststore holding the authorities' certificates
 * @param trustStorePassword the truststore's password; a secret, masked in the log
 * @param trustStoreType {@code JKS} or {@code PKCS12}, told from the truststore file's first bytes;
 *     not a configuration key
 */
public record TrustConfig(
    String caFile, String trustStore, String trustStorePassword, String trustStoreType) {

  public static final String DEFAULT_CA_FILE = "";
  public static final String DEFAULT_TRUST_STORE = "";
  public static final String DEFAULT_TRUST_STORE_PASSWORD = "";

  /** The keys, the same in each section that checks its peers' certificates. */
  static final List<String> KEYS = List.of("tlsCaFile", "tlsTrustStore", "tlsTrustStorePassword");

  static TrustConfig from(ConfigSection s) {
    String ca = s.string("tlsCaFile", DEFAULT_CA_FILE);
    String store = s.string("tlsTrustStore", DEFAULT_TRUST_STORE);
    String password = s.string("tlsTrustStorePassword", DEFAULT_TRUST_STORE_PASSWORD);
    if (!ca.isEmpty() && !store.isEmpty()) {
      throw s.invalid(
          "tlsTrustStore",
          store,
          "empty when "
              + s.name("tlsCaFile")
              + " is set (the authorities come from a PEM file or a truststore, not both)");
    }
    if (!store.isEmpty() && password.isEmpty()) {
      throw s.invalid(
          "tlsTrustStorePassword", "\"\"", "set when " + s.name("tlsTrustStore") + " is set");
    }
    if (store.isEmpty() && !password.isEmpty()) {
      throw s.invalid(
          "tlsTrustStorePassword",
          TlsConfig.MASK,
          "empty when " + s.name("tlsTrustStore") + " is not set");
    }
    TlsConfig.readable(s, "tlsCaFile", ca);
    TlsConfig.readable(s, "tlsTrustStore", store);
    return new TrustConfig(
        ca, store, password, store.isEmpty() ? "" : TlsConfig.storeType(s, "tlsTrustStore", store));
  }

  /** Whether authorities are configured. */
  public boolean enabled() {
    return !caFile.isEmpty() || !trustStore.isEmpty();
  }

  /** Whether the authorities come from a truststore (else from a PEM file). */
  public boolean fromTrustStore() {
    return !trustStore.isEmpty();
  }

  /** The authorities as Vert.x reads them; only when {@link #enabled()}. */
  public TrustOptions trustOptions() {
    if (fromTrustStore()) {
      return TlsConfig.store(trustStoreType, trustStore, trustStorePassword);
    }
    return new PemTrustOptions().addCertPath(caFile);
  }

  void writeTo(JsonObject section) {
    section
        .put("tlsCaFile", caFile)
        .put("tlsTrustStore", trustStore)
        .put("tlsTrustStorePassword", trustStorePassword);
  }

  /** Masks the password in a section written by {@link #writeTo}. */
  void maskSecrets(JsonObject section) {
    if (!trustStorePassword.isEmpty()) {
      section.put("tlsTrustStorePassword", TlsConfig.MASK);
    }
  }
}
