package io.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed test certificates, generated at test time with the JDK's {@code keytool} (nothing
 * secret is committed): a key pair for {@code localhost} / {@code 127.0.0.1} as a PKCS12 keystore,
 * the same as a JKS keystore and as PEM files (certificate, PKCS#8 private key), and the PEM key of
 * another key pair that belongs to no certificate here. Made once per JVM, in a folder deleted at
 * exit.
 *
 * @param certPem the server certificate, PEM
 * @param keyPem its private key, PEM (PKCS#8)
 * @param pkcs12 keystore holding both, PKCS12
 * @param jks keystore holding both, JKS
 * @param otherKeyPem a private key that does not match {@code certPem}
 * @param password the keystores' (and their keys') password
 */
public record TestCertificates(
    Path certPem, Path keyPem, Path pkcs12, Path jks, Path otherKeyPem, String password) {

  private static final String ALIAS = "switchboard";
  private static TestCertificates instance;

  /** The certificates, generated on first use. */
  public static synchronized TestCertificates get() {
    if (instance == null) {
      instance = generate();
    }
    return instance;
  }

  private static TestCertificates generate() {
    try {
      Path dir = Files.createTempDirectory("switchboard-tls-");
      dir.toFile().deleteOnExit();
      String password = "test-only-" + Long.toHexString(System.nanoTime());
      Path pkcs12 = keyPair(dir, "server.p12", password);
      Path jks = dir.resolve("server.jks");
      keytool(
          "-importkeystore",
          "-srckeystore",
          pkcs12.toString(),
          "-srcstoretype",
          "PKCS12",
          "-srcstorepass",
          password,
          "-destkeystore",
          jks.toString(),
          "-deststoretype",
          "JKS",
          "-deststorepass",
          password,
          "-destkeypass",
          password,
          "-noprompt");
      Path certPem = dir.resolve("server-cert.pem");
      Path keyPem = dir.resolve("server-key.pem");
      writePem(pkcs12, password, certPem, keyPem);
      Path other = keyPair(dir, "other.p12", password);
      Path otherKeyPem = dir.resolve("other-key.pem");
      writePem(other, password, dir.resolve("other-cert.pem"), otherKeyPem);
      for (Path file : List.of(pkcs12, jks, certPem, keyPem, other, otherKeyPem)) {
        file.toFile().deleteOnExit();
      }
      dir.resolve("other-cert.pem").toFile().deleteOnExit();
      return new TestCertificates(certPem, keyPem, pkcs12, jks, otherKeyPem, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("could not generate the test certificates", e);
    }
  }

  private static Path keyPair(Path dir, String name, String password) {
    Path store = dir.resolve(name);
    keytool(
        "-genkeypair",
        "-alias",
        ALIAS,
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
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

  /** The keystore's certificate and private key as PEM files. */
  private static void writePem(Path pkcs12, String password, Path cert, Path key) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pkcs12)) {
      store.load(in, password.toCharArray());
    }
    Certificate certificate = store.getCertificate(ALIAS);
    Key privateKey = store.getKey(ALIAS, password.toCharArray());
    Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
  }

  /** DER bytes as a PEM block of the given type ({@code CERTIFICATE}, {@code PRIVATE KEY}). */
  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** Runs the JDK's {@code keytool} and fails the test if it does not succeed. */
  static void keytool(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finishes").isTrue();
      assertThat(process.exitValue()).as("keytool %s: %s", arguments[0], output).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
