package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryXmlConfig;
import com.hazelcast.config.JoinConfig;
import io.switchboard.server.cluster.HazelcastSetup;
import io.switchboard.server.config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files of {@code conf/}, checked where no container engine, init system or
 * Kubernetes runs: each parses, says what the server needs (ports, paths, probes, stop timeout,
 * configuration names that exist), and the README documents the commands they run. The Dockerfile's
 * paths in the build output and the dashboard's metrics are checked against a real build and a real
 * server by {@code ConfFilesIT}.
 */
class DeployFilesTest {

  static final Path ROOT = Path.of("..");
  static final Path CONF = ROOT.resolve("conf");

  private static final JsonObject DEFAULTS = ConfigLoader.embeddedDefaults();

  // ---- Dockerfile ----

  @Test
  void theDockerfileBuildsWithMavenAndRunsAJre17AsANonRootUser() throws IOException {
    Dockerfile docker = Dockerfile.read(CONF.resolve("Dockerfile"));

    assertThat(docker.stages()).hasSize(2);
    assertThat(docker.stages().get(0).from())
        .startsWith("maven:")
        .contains("-17")
        .endsWith(" AS build");
    assertThat(docker.stages().get(1).from()).matches("eclipse-temurin:17-jre");
    List<String> user = docker.stages().get(1).all("USER");
    assertThat(user).hasSize(1);
    assertThat(user.get(0).split(":")[0]).isNotIn("root", "0");
  }

  @Test
  void theDockerfileBuildsWithTheReadmesCommandAndCopiesWhatThatBuildWrites() throws IOException {
    Dockerfile docker = Dockerfile.read(CONF.resolve("Dockerfile"));
    String readme = Files.readString(ROOT.resolve("README.md"));

    String mvn = docker.buildCommand();
    assertThat(mvn).startsWith("mvn -B -DskipTests ");
    assertThat(readme).contains(mvn).contains("docker build -f conf/Dockerfile -t switchboard .");
    // -pl dist -am: dist fills the plugins folder, and brings the server and the plugins along.
    assertThat(mvn).contains("-pl dist -am");
    assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<module>dist</module>");

    Map<String, String> copies = docker.copiesFromBuild();
    String workdir = docker.stages().get(0).all("WORKDIR").get(0) + "/";
    assertThat(copies.keySet()).allMatch(source -> source.startsWith(workdir));
    // The fat jar where verticles/pom.xml writes it, the plugins where dist/pom.xml writes them.
    assertThat(copies)
        .containsEntry(
            workdir + "verticles/target/switchboard.jar", "/opt/switchboard/switchboard.jar")
        .containsEntry(workdir + "verticles/target/plugins/", "/opt/switchboard/plugins/")
        .hasSize(2);
    assertThat(Files.readString(ROOT.resolve("verticles/pom.xml")))
        .contains(
            "<switchboard.fatJar>${project.build.directory}/switchboard.jar</switchboard.fatJar>");
    assertThat(Files.readString(ROOT.resolve("dist/pom.xml")))
        .contains(
            "<outputDirectory>${project.basedir}/../verticles/target/plugins</outputDirectory>");
    // A relative plugins.directory is read beside the jar.
    assertThat(DEFAULTS.getJsonObject("plugins").getString("directory")).isEqualTo("plugins");
    assertThat(docker.stages().get(1).all("ENTRYPOINT"))
        .containsExactly(
            "[\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/opt/switchboard/switchboard.jar\"]");
  }

  @Test
  void theDockerfileExposesTheDefaultPortsAndChecksReadinessWithAToolItInstalls()
      throws IOException {
    Dockerfile docker = Dockerfile.read(CONF.resolve("Dockerfile"));
    Dockerfile.Stage runtime = docker.stages().get(1);
    int wsPort = DEFAULTS.getJsonObject("ws").getInteger("port");
    int adminPort = DEFAULTS.getJsonObject("admin").getInteger("port");

    assertThat(runtime.all("EXPOSE")).containsExactly(wsPort + " " + adminPort);
    String healthcheck = runtime.all("HEALTHCHECK").get(0);
    assertThat(healthcheck)
        .contains("CMD curl ")
        .contains("\"http://127.0.0.1:${SWITCHBOARD_ADMIN_PORT:-" + adminPort + "}/health/ready\"");
    assertThat(runtime.all("RUN"))
        .anySatisfy(
            run ->
                assertThat(run).containsPattern("apt-get install -y --no-install-recommends curl"));
    assertThat(runtime.all("STOPSIGNAL")).containsExactly("SIGTERM");
  }

  // ---- systemd ----

  @Test
  void theSystemdUnitRunsTheJarAsItsOwnUserAndStopsAfterTheGracefulShutdown() throws IOException {
    Map<String, Map<String, List<String>>> unit = Ini.read(CONF.resolve("switchboard.service"));

    assertThat(unit).containsOnlyKeys("Unit", "Service", "Install");
    Map<String, List<String>> service = unit.get("Service");
    assertThat(service.get("User")).containsExactly("switchboard");
    assertThat(service.get("ExecStart"))
        .containsExactly("/usr/bin/java -jar /opt/switchboard/switchboard.jar");
    assertThat(service.get("EnvironmentFile")).containsExactly("-/etc/switchboard/switchboard.env");
    assertThat(service.get("KillSignal")).containsExactly("SIGTERM");
    long stopSeconds = Long.parseLong(service.get("TimeoutStopSec").get(0));
    assertThat(stopSeconds * 1000)
        .isGreaterThan(
            DEFAULTS.getJsonObject("shutdown").getLong("timeoutMs") + Main.SHUTDOWN_MARGIN_MS);
    assertThat(service.get("SuccessExitStatus")).containsExactly("143");
    assertThat(service.get("RestartPreventExitStatus"))
        .containsExactly(String.valueOf(Main.EXIT_CONFIG));
    for (String hardening :
        List.of(
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "PrivateDevices=yes",
            "CapabilityBoundingSet=")) {
      String[] keyValue = hardening.split("=", 2);
      assertThat(service.get(keyValue[0])).as(hardening).containsExactly(keyValue[1]);
    }
    // The JIT writes code into memory it then runs.
    assertThat(service).doesNotContainKey("MemoryDenyWriteExecute");
    assertThat(unit.get("Install").get("WantedBy")).containsExactly("multi-user.target");
  }

  // ---- Kubernetes ----

  @Test
  void theDeploymentProbesTheHealthRoutesOnTheAdminPortItOpensToTheKubelet() throws IOException {
    Kubernetes k8s = Kubernetes.read(CONF.resolve("kubernetes.yaml"));
    Map<String, Object> container = k8s.container();
    Map<String, String> env = k8s.env();

    assertThat(path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
    assertThat(path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health/live");
    assertThat(path(container, "readinessProbe", "httpGet", "port")).isEqualTo("admin");
    assertThat(path(container, "livenessProbe", "httpGet", "port")).isEqualTo("admin");
    assertThat(k8s.containerPorts())
        .containsEntry("admin", DEFAULTS.getJsonObject("admin").getInteger("port"))
        .containsEntry("ws", DEFAULTS.getJsonObject("ws").getInteger("port"))
        .containsEntry("hazelcast", DEFAULTS.getJsonObject("cluster").getInteger("port"))
        .containsEntry("eventbus", Integer.valueOf(env.get("SWITCHBOARD_CLUSTER_EVENT_BUS_PORT")));
    // Bound beyond loopback, the admin API needs its token and the WebSocket port a JWT key.
    assertThat(env)
        .containsEntry("SWITCHBOARD_ADMIN_HOST", "0.0.0.0")
        .containsKey("SWITCHBOARD_ADMIN_TOKEN")
        .containsEntry("SWITCHBOARD_WS_HOST", "0.0.0.0")
        .containsKey("SWITCHBOARD_AUTH_JWT_SECRET");
    long graceSeconds = ((Number) k8s.podSpec().get("terminationGracePeriodSeconds")).longValue();
    assertThat(graceSeconds * 1000)
        .isGreaterThan(
            DEFAULTS.getJsonObject("shutdown").getLong("timeoutMs") + Main.SHUTDOWN_MARGIN_MS);
  }

  @Test
  void clusteredPodsFindEachOtherThroughTheHeadlessServiceAndTalkTls() throws IOException {
    Kubernetes k8s = Kubernetes.read(CONF.resolve("kubernetes.yaml"));
    Map<String, String> env = k8s.env();
    Map<String, Object> headless = k8s.headlessService();

    assertThat(path(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);
    assertThat(path(headless, "spec", "selector")).isEqualTo(k8s.podLabels());
    assertThat(k8s.servicePortTargets(headless)).containsExactly("hazelcast");

    assertThat(env)
        .containsEntry("SWITCHBOARD_CLUSTER_ENABLED", "true")
        .containsEntry("SWITCHBOARD_CLUSTER_HOST", "$(POD_IP)");
    // Beyond loopback the event bus must speak TLS: the node's certificate, key and authority.
    String tlsMount = k8s.mountPathOfVolume("cluster-tls");
    for (String key : List.of("CERT_FILE", "KEY_FILE", "CA_FILE")) {
      assertThat(env.get("SWITCHBOARD_CLUSTER_TLS_" + key)).startsWith(tlsMount + "/");
    }
    assertThat(env.get("SWITCHBOARD_CLUSTER_CONFIG_FILE"))
        .isEqualTo(k8s.mountPathOfVolume("cluster-config"));

    Config hazelcast =
        new InMemoryXmlConfig(k8s.configMapEntry("switchboard-cluster", "cluster.xml"));
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo(
            path(headless, "metadata", "name")
                + "."
                + path(headless, "metadata", "namespace")
                + ".svc.cluster.local");
    Config embedded;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream(HazelcastSetup.EMBEDDED)) {
      embedded = new InMemoryXmlConfig(new String(in.readAllBytes()));
    }
    // Vert.x keeps its event-bus registrations in these.
    assertThat(hazelcast.getMultiMapConfigs().keySet())
        .isEqualTo(embedded.getMultiMapConfigs().keySet());
    assertThat(hazelcast.getMapConfigs().keySet()).isEqualTo(embedded.getMapConfigs().keySet());
    assertThat(hazelcast.getClusterName()).isEqualTo(embedded.getClusterName());
  }

  // ---- every file ----

  @Test
  void everySwitchboardVariableTheFilesSetNamesAConfigurationKey() throws IOException {
    Set<String> known = new LinkedHashSet<>(ConfigLoader.OTHER_VARIABLES);
    for (String section : DEFAULTS.fieldNames()) {
      for (String key : DEFAULTS.getJsonObject(section).fieldNames()) {
        known.add(ConfigLoader.envName(section, key));
      }
    }
    Pattern variable = Pattern.compile("SWITCHBOARD_[A-Z0-9_]*[A-Z0-9]");
    List<String> used = new ArrayList<>();
    for (String file :
        List.of("Dockerfile", "switchboard.service", "kubernetes.yaml", "grafana-dashboard.json")) {
      Matcher m = variable.matcher(Files.readString(CONF.resolve(file)));
      while (m.find()) {
        used.add(m.group());
      }
    }
    Matcher m = variable.matcher(Readme.section("Deploying"));
    while (m.find()) {
      used.add(m.group());
    }

    assertThat(used).isNotEmpty();
    assertThat(known).containsAll(used);
  }

  @Test
  void theReadmeDocumentsEveryDeploymentFile() throws IOException {
    String deploying = Readme.section("Deploying");

    for (String file :
        List.of(
            "conf/Dockerfile",
            "conf/switchboard.service",
            "conf/kubernetes.yaml",
            "conf/grafana-dashboard.json")) {
      assertThat(deploying).contains("`" + file + "`");
      assertThat(ROOT.resolve(file)).isRegularFile();
    }
  }

  @SuppressWarnings("unchecked")
  static Object path(Map<String, Object> node, String... keys) {
    Object current = node;
    for (String key : keys) {
      assertThat(current).as("the parent of %s", key).isInstanceOf(Map.class);
      current = ((Map<String, Object>) current).get(key);
    }
    return current;
  }

  /** The README's sections, by heading. */
  static final class Readme {
    static String section(String heading) throws IOException {
      String readme = Files.readString(ROOT.resolve("README.md"));
      Matcher start = Pattern.compile("(?m)^(#+) " + Pattern.quote(heading) + "$").matcher(readme);
      assertThat(start.find()).as("a README section %s", heading).isTrue();
      int level = start.group(1).length();
      Matcher end =
          Pattern.compile("(?m)^#{1," + level + "} ")
              .matcher(readme)
              .region(start.end(), readme.length());
      return readme.substring(start.end(), end.find() ? end.start() : readme.length());
    }
  }

  /**
   * A Dockerfile's instructions by stage, continuation lines joined; enough of the format for the
   * files we write (no parser directive other than {@code syntax}, no heredocs).
   */
  record Dockerfile(List<Stage> stages) {

    record Stage(String from, List<String[]> instructions) {
      List<String> all(String name) {
        return instructions.stream().filter(i -> i[0].equals(name)).map(i -> i[1]).toList();
      }
    }

    static Dockerfile read(Path file) throws IOException {
      List<Stage> stages = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      for (String raw : Files.readAllLines(file)) {
        if (raw.isBlank() || raw.stripLeading().startsWith("#")) {
          continue;
        }
        if (raw.endsWith("\\")) {
          line.append(raw, 0, raw.length() - 1).append(' ');
          continue;
        }
        line.append(raw);
        String instruction = line.toString().strip().replaceAll("\\s+", " ");
        line.setLength(0);
        String[] parts = instruction.split(" ", 2);
        assertThat(parts[0]).as(instruction).matches("[A-Z]+");
        if (parts[0].equals("FROM")) {
          stages.add(new Stage(parts[1], new ArrayList<>()));
        } else {
          assertThat(stages).as("an instruction before FROM: %s", instruction).isNotEmpty();
          stages.get(stages.size() - 1).instructions().add(parts);
        }
      }
      assertThat(line).as("a continued last line").isEmpty();
      return new Dockerfile(stages);
    }

    /** The build stage's Maven command line. */
    String buildCommand() {
      List<String> runs = stages.get(0).all("RUN");
      assertThat(runs).hasSize(1);
      String run = runs.get(0);
      return run.substring(run.indexOf("mvn "));
    }

    /** {@code COPY --from=build} sources and their destinations. */
    Map<String, String> copiesFromBuild() {
      Map<String, String> copies = new LinkedHashMap<>();
      for (Stage stage : stages.subList(1, stages.size())) {
        for (String copy : stage.all("COPY")) {
          String[] words = copy.split(" ");
          assertThat(words).as(copy).hasSize(3);
          assertThat(words[0]).isEqualTo("--from=build");
          copies.put(words[1], words[2]);
        }
      }
      return copies;
    }
  }

  /**
   * A systemd unit file: sections of {@code Key=Value} lines, a key given several times keeping
   * every value; anything else fails the test.
   */
  static final class Ini {
    static Map<String, Map<String, List<String>>> read(Path file) throws IOException {
      Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
      Map<String, List<String>> current = null;
      for (String raw : Files.readAllLines(file)) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        assertThat(line).as("a continued line").doesNotEndWith("\\");
        if (line.startsWith("[")) {
          assertThat(line).matches("\\[[A-Za-z]+\\]");
          current = new LinkedHashMap<>();
          assertThat(sections.put(line.substring(1, line.length() - 1), current)).isNull();
          continue;
        }
        assertThat(current).as("a key before the first section: %s", line).isNotNull();
        int equals = line.indexOf('=');
        assertThat(equals).as("a Key=Value line: %s", line).isPositive();
        current
            .computeIfAbsent(line.substring(0, equals).strip(), k -> new ArrayList<>())
            .add(line.substring(equals + 1).strip());
      }
      return sections;
    }
  }

  /** The documents of {@code conf/kubernetes.yaml}, and the parts of them the tests look at. */
  @SuppressWarnings("unchecked")
  record Kubernetes(List<Map<String, Object>> documents) {

    static Kubernetes read(Path file) throws IOException {
      List<Map<String, Object>> documents = new ArrayList<>();
      for (Object document : new Yaml().loadAll(Files.readString(file))) {
        assertThat(document).isInstanceOf(Map.class);
        documents.add((Map<String, Object>) document);
      }
      return new Kubernetes(documents);
    }

    List<Map<String, Object>> ofKind(String kind) {
      return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    Map<String, Object> podSpec() {
      List<Map<String, Object>> deployments = ofKind("Deployment");
      assertThat(deployments).hasSize(1);
      return (Map<String, Object>) path(deployments.get(0), "spec", "template", "spec");
    }

    Object podLabels() {
      return path(ofKind("Deployment").get(0), "spec", "template", "metadata", "labels");
    }

    Map<String, Object> container() {
      List<Map<String, Object>> containers =
          (List<Map<String, Object>>) podSpec().get("containers");
      assertThat(containers).hasSize(1);
      return containers.get(0);
    }

    /** Literal values, and {@code <secret>/<key>} for those read from a secret. */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      for (Map<String, Object> variable : (List<Map<String, Object>>) container().get("env")) {
        String name = (String) variable.get("name");
        Object value = variable.get("value");
        if (value == null) {
          Object secret = path(variable, "valueFrom", "secretKeyRef");
          value =
              secret == null
                  ? "(field)"
                  : path((Map<String, Object>) secret, "name")
                      + "/"
                      + path((Map<String, Object>) secret, "key");
        }
        assertThat(env.put(name, String.valueOf(value))).as("%s set twice", name).isNull();
      }
      return env;
    }

    Map<String, Integer> containerPorts() {
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (Map<String, Object> port : (List<Map<String, Object>>) container().get("ports")) {
        ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
      }
      return ports;
    }

    Map<String, Object> headlessService() {
      List<Map<String, Object>> headless =
          ofKind("Service").stream()
              .filter(s -> "None".equals(path(s, "spec", "clusterIP")))
              .toList();
      assertThat(headless).hasSize(1);
      return headless.get(0);
    }

    List<Object> servicePortTargets(Map<String, Object> service) {
      return ((List<Map<String, Object>>) path(service, "spec", "ports"))
          .stream().map(p -> p.get("targetPort")).toList();
    }

    /** Where the container mounts a volume (its file, with a {@code subPath}). */
    String mountPathOfVolume(String volume) {
      List<Map<String, Object>> mounts =
          ((List<Map<String, Object>>) container().get("volumeMounts"))
              .stream().filter(m -> volume.equals(m.get("name"))).toList();
      assertThat(mounts).as("mounts of %s", volume).hasSize(1);
      return (String) mounts.get(0).get("mountPath");
    }

    String configMapEntry(String name, String key) {
      List<Map<String, Object>> maps =
          ofKind("ConfigMap").stream()
              .filter(c -> name.equals(path(c, "metadata", "name")))
              .toList();
      assertThat(maps).hasSize(1);
      Object value = path(maps.get(0), "data", key);
      assertThat(value).as("%s in ConfigMap %s", key, name).isInstanceOf(String.class);
      return (String) value;
    }
  }
}
