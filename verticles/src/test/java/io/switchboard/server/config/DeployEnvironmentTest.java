package io.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.testing.ClusterCertificates;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The environment {@code conf/kubernetes.yaml} gives its container, read by the configuration's own
 * rules as the server reads it at start-up: every value parses and the rules for an address beyond
 * loopback (the admin token, a JWT key instead of query identities, event-bus TLS) are met. The
 * files it mounts under /etc/switchboard are here in a folder of the test's own: the cluster TLS
 * secret's three files (test certificates) and the ConfigMap's cluster.xml.
 */
class DeployEnvironmentTest {

  @TempDir Path mounts;

  private static final String POD_IP = "10.1.2.3";

  /** Plausible values for what the Deployment reads from its secrets. */
  private static final Map<String, String> SECRETS =
      Map.of(
          "switchboard-secrets/admin-token", "0123456789abcdef0123456789abcdef",
          "switchboard-secrets/jwt-secret",
              "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC1zZWNyZXQ=");

  @Test
  void theDeploymentsEnvironmentIsAValidConfigurationForAClusteredNodeBeyondLoopback()
      throws Exception {
    JsonObject environment = deploymentEnvironment();

    SwitchboardConfig config =
        SwitchboardConfig.fromJson(ConfigLoader.applyOverrides(new JsonObject(), environment));

    assertThat(config.ws().host()).isEqualTo("0.0.0.0");
    assertThat(config.admin().host()).isEqualTo("0.0.0.0");
    assertThat(config.admin().tokenRequired()).isTrue();
    assertThat(config.auth().identityFromQuery()).isFalse();
    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().host()).isEqualTo(POD_IP);
    assertThat(config.cluster().eventBusTls()).isTrue();
    assertThat(config.cluster().plaintextBeyondLoopback()).isFalse();
    assertThat(config.cluster().eventBusPort()).isEqualTo(5801);
    assertThat(config.cluster().configFile()).isEqualTo(mounts.resolve("cluster.xml").toString());
  }

  /** A positive control: the same environment without the admin token is refused. */
  @Test
  void withoutItsAdminTokenTheSameEnvironmentIsRefused() throws Exception {
    JsonObject environment = deploymentEnvironment();
    environment.remove("SWITCHBOARD_ADMIN_TOKEN");

    assertThatThrownBy(
            () ->
                SwitchboardConfig.fromJson(
                    ConfigLoader.applyOverrides(new JsonObject(), environment)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "admin.token must be set when admin.host is not a loopback address");
  }

  /** The container's variables, as the kubelet sets them. */
  @SuppressWarnings("unchecked")
  private JsonObject deploymentEnvironment() throws Exception {
    Map<String, Object> documents = new java.util.HashMap<>();
    for (Object document :
        new Yaml().loadAll(Files.readString(Path.of("..", "conf", "kubernetes.yaml")))) {
      documents.putIfAbsent((String) ((Map<String, Object>) document).get("kind"), document);
    }
    Map<String, Object> deployment = (Map<String, Object>) documents.get("Deployment");
    assertThat(deployment).isNotNull();
    Map<String, Object> pod =
        (Map<String, Object>)
            ((Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template"))
                .get("spec");
    Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
    JsonObject environment = new JsonObject();
    for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
      String name = (String) variable.get("name");
      Object value = variable.get("value");
      if (value == null) {
        Map<String, Object> from = (Map<String, Object>) variable.get("valueFrom");
        Map<String, Object> secret = (Map<String, Object>) from.get("secretKeyRef");
        if (secret != null) {
          value = SECRETS.get(secret.get("name") + "/" + secret.get("key"));
        } else {
          assertThat(name).isEqualTo("POD_IP");
          value = POD_IP;
        }
        assertThat(value).as("a value for %s", name).isNotNull();
      }
      environment.put(
          name,
          String.valueOf(value)
              .replace("$(POD_IP)", POD_IP)
              .replace("/etc/switchboard/", mounts.toString() + "/"));
    }
    ClusterCertificates tls = ClusterCertificates.get();
    Files.createDirectories(mounts.resolve("tls"));
    Files.copy(tls.nodeCertPem(), mounts.resolve("tls/node.pem"));
    Files.copy(tls.nodeKeyPem(), mounts.resolve("tls/node-key.pem"));
    Files.copy(tls.caPem(), mounts.resolve("tls/ca.pem"));
    Map<String, Object> configMap =
        (Map<String, Object>) ((Map<String, Object>) documents.get("ConfigMap")).get("data");
    Files.writeString(mounts.resolve("cluster.xml"), (String) configMap.get("cluster.xml"));
    return environment;
  }
}
