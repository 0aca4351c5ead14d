package io.switchboard.server.config;

import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.KeyStoreOptionsBase;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Collections;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Loads the TLS key material of every TLS port before the server starts, the way Vert.x will load
 * it, so that a wrong password, a file that is not what its key says, or a private key that does
 * not belong to its certificate stops start-up with a {@link ConfigException} naming the key,
 * instead of failing later in a stack trace or in every client's handshake. Blocking: run it off
 * the event loop.
 */
public final class TlsCheck {

  private static final byte[] PROBE = "switchboard tls key check".getBytes(StandardCharsets.UTF_8);

  private TlsCheck() {}

  /**
   * Checks the {@code ws} TLS settings, the {@code admin} ones when the admin API is enabled, and
   * the {@code bridge} ones (with its client authorities) when the bridge is enabled. The {@code
   * cluster} ones are {@link #verifyCluster}'s, before the node joins.
   *
   * @throws ConfigException naming the first key whose material cannot be used
   */
  public static void verify(Vertx vertx, SwitchboardConfig config) {
    verify(vertx, WebSocketConfig.SECTION, config.ws().tls());
    if (config.admin().enabled()) {
      verify(vertx, AdminConfig.SECTION, config.admin().tls());
    }
    if (config.bridge().enabled()) {
      verify(vertx, BridgeConfig.SECTION, config.bridge().tls());
      if (config.bridge().clientCertificatesRequired()) {
        readCertificates(
            BridgeConfig.SECTION, "tlsClientCaFile", config.bridge().tlsClientCaFile());
      }
    }
  }

  /**
   * Checks the {@code cluster} TLS settings when the event bus speaks TLS: the node's key material
   * and the authorities (a PEM file holding certificates, or a truststore that opens with its
   * password and holds at least one). Run it before the node joins the cluster.
   *
   * @throws ConfigException naming the first key whose material cannot be used
   */
  public static void verifyCluster(Vertx vertx, ClusterConfig cluster) {
    if (!cluster.eventBusTls()) {
      return;
    }
    verify(vertx, ClusterConfig.SECTION, cluster.tls());
    verifyTrust(vertx, ClusterConfig.SECTION, cluster.trust());
  }

  static void verifyTrust(Vertx vertx, String section, TrustConfig trust) {
    if (!trust.fromTrustStore()) {
      readCertificates(section, "tlsCaFile", trust.caFile());
      return;
    }
    KeyStore store;
    try {
      store = ((KeyStoreOptionsBase) trust.trustOptions()).loadKeyStore(vertx);
    } catch (Exception e) {
      if (causedBy(e, UnrecoverableKeyException.class)) {
        throw invalid(
            section,
            "tlsTrustStorePassword",
            TlsConfig.MASK,
            "the password of " + section + ".tlsTrustStore " + trust.trustStore(),
            reason(e));
      }
      throw invalid(
          section, "tlsTrustStore", trust.trustStore(), "a PKCS12 or JKS truststore", reason(e));
    }
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.getCertificate(alias) != null) {
          return;
        }
      }
    } catch (GeneralSecurityException e) {
      throw invalid(
          section, "tlsTrustStore", trust.trustStore(), "a PKCS12 or JKS truststore", reason(e));
    }
    throw invalid(
        section,
        "tlsTrustStore",
        trust.trustStore(),
        "a truststore holding the certificates of the authorities",
        "no certificate in it");
  }

  static void verify(Vertx vertx, String section, TlsConfig tls) {
    if (!tls.enabled()) {
      return;
    }
    if (!tls.fromKeyStore()) {
      readCertificates(section, "tlsCertFile", tls.certFile());
    }
    KeyCertOptions options = tls.keyCertOptions();
    KeyStore store;
    X509KeyManager keys;
    try {
      store =
          options instanceof KeyStoreOptionsBase keyStore
              ? keyStore.loadKeyStore(vertx)
              : ((PemKeyCertOptions) options).loadKeyStore(vertx);
      keys = x509(options.getKeyManagerFactory(vertx).getKeyManagers());
    } catch (Exception e) {
      throw unusable(section, tls, e);
    }
    try {
      for (String alias : Collections.list(store.aliases())) {
        PrivateKey key = keys.getPrivateKey(alias);
        Certificate[] chain = keys.getCertificateChain(alias);
        if (key != null && chain != null && chain.length > 0) {
          if (!belongTogether(key, chain[0])) {
            throw mismatch(section, tls);
          }
          return;
        }
      }
    } catch (GeneralSecurityException e) {
      throw unusable(section, tls, e);
    }
    throw tls.fromKeyStore()
        ? invalid(
            section,
            "tlsKeyStore",
            tls.keyStore(),
            "a keystore holding a private key and its certificate chain",
            null)
        : invalid(section, "tlsKeyFile", tls.keyFile(), "a PEM private key", null);
  }

  private static void readCertificates(String section, String key, String file) {
    Collection<? extends Certificate> chain;
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (Exception e) {
      throw invalid(section, key, file, "a PEM certificate chain", reason(e));
    }
    if (chain.isEmpty()) {
      throw invalid(section, key, file, "a PEM certificate chain", "no certificate in it");
    }
  }

  private static X509KeyManager x509(KeyManager[] managers) {
    for (KeyManager manager : managers) {
      if (manager instanceof X509KeyManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("no X.509 key manager");
  }

  /** Whether the certificate's public key verifies what the private key signs. */
  private static boolean belongTogether(PrivateKey key, Certificate certificate)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "EdDSA" -> "EdDSA";
          default -> null;
        };
    if (algorithm == null) {
      return true; // no way to tell here; the handshake will
    }
    if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
      return false;
    }
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(PROBE);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(PROBE);
    return verifier.verify(signature);
  }

  private static ConfigException unusable(String section, TlsConfig tls, Exception e) {
    if (tls.fromKeyStore()) {
      if (causedBy(e, UnrecoverableKeyException.class)) {
        return invalid(
            section,
            "tlsKeyStorePassword",
            TlsConfig.MASK,
            "the password of " + section + ".tlsKeyStore " + tls.keyStore(),
            reason(e));
      }
      return invalid(section, "tlsKeyStore", tls.keyStore(), "a PKCS12 or JKS keystore", reason(e));
    }
    return invalid(
        section,
        "tlsKeyFile",
        tls.keyFile(),
        "a PEM private key (PKCS#8, or PKCS#1 RSA / SEC1 EC)",
        reason(e));
  }

  private static ConfigException mismatch(String section, TlsConfig tls) {
    return tls.fromKeyStore()
        ? invalid(
            section,
            "tlsKeyStore",
            tls.keyStore(),
            "a keystore whose private key belongs to its certificate",
            "the key does not match the certificate's public key")
        : invalid(
            section,
            "tlsKeyFile",
            tls.keyFile(),
            "the private key of the certificate in " + section + ".tlsCertFile",
            "the key does not match the certificate's public key");
  }

  private static ConfigException invalid(
      String section, String key, String value, String rule, String reason) {
    return new ConfigException(
        section
            + "."
            + key
            + " must be "
            + rule
            + ", was "
            + value
            + (reason == null ? "" : " (" + reason + ")"));
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What the JDK or Vert.x said about the failure: the first message in the cause chain, without a
   * class name that a wrapping exception put before it.
   */
  private static String reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank()) {
        return message.replaceFirst("^([a-z][\\w$]*\\.)+[A-Z][\\w$]*: ", "");
      }
    }
    return failure.getClass().getSimpleName();
  }
}
