package io.switchboard.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.stream.Stream;

/**
 * Certificates for a cluster whose event bus speaks mutual TLS, generated at test time with the
 * JDK's {@code keytool} (nothing secret is committed): the cluster's own authority, a node
 * certificate it signed (as PEM files and as a PKCS12 keystore), a PKCS12 truststore holding the
 * authority, and a rogue node's self-signed certificate that the authority never signed. Made once
 * per JVM, in a folder deleted at exit.
 *
 * @param caPem the authority's certificate, PEM
 * @param nodeCertPem the node certificate and then the authority's, PEM
 * @param nodeKeyPem the node certificate's private key, PEM (PKCS#8)
 * @param nodeKeyStore the node's key and certificate chain, PKCS12
 * @param trustStore the authority's certificate, PKCS12
 * @param rogueCertPem a self-signed certificate the authority did not sign, PEM
 * @param rogueKeyPem its private key, PEM (PKCS#8)
 * @param rogueKeyStore both, PKCS12
 * @param rogueTrustPem what the rogue node trusts: the authority (public, so an attacker has it)
 *     and its own certificate, PEM
 * @param password the keystores' (and their keys') password
 */
public record ClusterCertificates(
    Path caPem,
    Path nodeCertPem,
    Path nodeKeyPem,
    Path nodeKeyStore,
    Path trustStore,
    Path rogueCertPem,
    Path rogueKeyPem,
    Path rogueKeyStore,
    Path rogueTrustPem,
    String password) {

  private static ClusterCertificates instance;

  /** The certificates, generated on first use. */
  public static synchronized ClusterCertificates get() {
    if (instance == null) {
      instance = generate();
    }
    return instance;
  }

  private static ClusterCertificates generate() {
    try {
      Path dir = Files.createTempDirectory("switchboard-cluster-tls-");
      dir.toFile().deleteOnExit();
      String password = "test-only-" + Long.toHexString(System.nanoTime());
      Path ca = keyPair(dir, "ca.p12", "ca", "CN=switchboard test cluster authority", password);
      Path caPem = dir.resolve("ca.pem");
      TestCertificates.keytool(
          "-exportcert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          ca.toString(),
          "-storepass",
          password,
          "-file",
          caPem.toString());

      // The node's key pair, a request for its certificate, the authority's answer, and the
      // answer installed over the key (keytool wants the authority in the keystore first).
      Path node = keyPair(dir, "node.p12", "node", "CN=switchboard test node", password);
      Path request = dir.resolve("node.csr");
      TestCertificates.keytool(
          "-certreq",
          "-alias",
          "node",
          "-keystore",
          node.toString(),
          "-storepass",
          password,
          "-file",
          request.toString());
      Path signed = dir.resolve("node-signed.pem");
      TestCertificates.keytool(
          "-gencert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          ca.toString(),
          "-storepass",
          password,
          "-infile",
          request.toString(),
          "-outfile",
          signed.toString(),
          "-validity",
          "2",
          "-ext",
          "EKU=serverAuth,clientAuth");
      importCertificate(node, "ca", caPem, password);
      importCertificate(node, "node", signed, password);

      Path trustStore = dir.resolve("truststore.p12");
      importCertificate(trustStore, "ca", caPem, password);

      Path rogue = keyPair(dir, "rogue.p12", "rogue", "CN=switchboard rogue node", password);

      Path nodeCertPem = dir.resolve("node-cert.pem");
      Path nodeKeyPem = dir.resolve("node-key.pem");
      writePem(node, "node", password, nodeCertPem, nodeKeyPem);
      Path rogueCertPem = dir.resolve("rogue-cert.pem");
      Path rogueKeyPem = dir.resolve("rogue-key.pem");
      writePem(rogue, "rogue", password, rogueCertPem, rogueKeyPem);
      Path rogueTrustPem = dir.resolve("rogue-trust.pem");
      Files.writeString(
          rogueTrustPem, Files.readString(caPem) + "\n" + Files.readString(rogueCertPem));

      try (Stream<Path> files = Files.list(dir)) {
        files.forEach(file -> file.toFile().deleteOnExit());
      }
      return new ClusterCertificates(
          caPem,
          nodeCertPem,
          nodeKeyPem,
          node,
          trustStore,
          rogueCertPem,
          rogueKeyPem,
          rogue,
          rogueTrustPem,
          password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("could not generate the cluster's test certificates", e);
    }
  }

  private static Path keyPair(Path dir, String name, String alias, String dname, String password) {
    Path store = dir.resolve(name);
    TestCertificates.keytool(
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        dname,
        "-ext",
        alias.equals("ca") ? "bc:c" : "EKU=serverAuth,clientAuth",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        password,
        "-keypass",
        password,
        "-noprompt");
    return store;
  }

  private static void importCertificate(Path store, String alias, Path pem, String password) {
    TestCertificates.keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        alias,
        "-file",
        pem.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        password);
  }

  /** The key entry's certificate chain and private key as PEM files. */
  private static void writePem(Path pkcs12, String alias, String password, Path cert, Path key)
      throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pkcs12)) {
      store.load(in, password.toCharArray());
    }
    StringBuilder chain = new StringBuilder();
    for (Certificate certificate : store.getCertificateChain(alias)) {
      chain.append(TestCertificates.pem("CERTIFICATE", certificate.getEncoded()));
    }
    Key privateKey = store.getKey(alias, password.toCharArray());
    Files.writeString(cert, chain.toString());
    Files.writeString(key, TestCertificates.pem("PRIVATE KEY", privateKey.getEncoded()));
  }
}
