package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's minimal plugin builds as an outside project builds it: its {@code pom.xml} and
 * sources, taken from the README as written, in a folder of their own, built by a real {@code mvn
 * verify} (the Maven running this build) against Switchboard's installed artifacts, so that its TCK
 * test runs, and its jar is then listed by a server with the version its pom gave it.
 *
 * <p>"Installed" without touching the developer's repository: the test installs this build's
 * artifacts (the parent pom, the SDK, the plugin API, the server jar and its test-jar) into a local
 * repository of its own, laid out as {@code mvn install} lays them out, and the outside build
 * reaches every other artifact through this build's own local repository, given to it as a {@code
 * file:} repository ahead of Maven Central: what this build already has is copied, not downloaded
 * again.
 */
class ReadmePluginBuildIT {

  private static final Pattern PROPERTY =
      Pattern.compile("<switchboard.version>([^<]+)</switchboard.version>");

  @TempDir Path dir;

  @Test
  void theReadmesPluginBuildsAndPassesTheTckFromTheInstalledArtifacts() throws Exception {
    Map<String, List<String>> blocks =
        ReadmePluginExampleIT.blocks("### A complete minimal plugin", "### Channel authorizers");
    String pom = blocks.get("xml").get(0);
    String version = System.getProperty("switchboard.version");
    assertThat(version).as("switchboard.version, set by Failsafe").isNotBlank();
    Matcher readmeVersion = PROPERTY.matcher(pom);
    assertThat(readmeVersion.find()).as("the README's pom names switchboard.version").isTrue();
    assertThat(readmeVersion.group(1))
        .as("the Switchboard version in the README's pom")
        .isEqualTo(version);

    Path project = Files.createDirectories(dir.resolve("shout-plugin"));
    write(project.resolve("pom.xml"), pom);
    write(
        project.resolve("src/main/java/com/example/shout/ShoutPlugin.java"),
        blocks.get("java").get(0));
    write(
        project.resolve(
            "src/main/resources/META-INF/services/io.switchboard.plugin.MessageTypePlugin"),
        blocks.get("text").get(0));
    write(
        project.resolve("src/test/java/com/example/shout/ShoutPluginIT.java"),
        blocks.get("java").get(1));
    Path repository = installSwitchboard(dir.resolve("repository"), version);
    Path settings = settingsReaching(Path.of(System.getProperty("switchboard.localRepository")));

    long started = System.nanoTime();
    Path log = dir.resolve("build.log");
    Process build =
        new ProcessBuilder(
                maven(),
                "-B",
                "-s",
                settings.toString(),
                "-Dmaven.repo.local=" + repository,
                "verify")
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    build.getOutputStream().close();
    boolean done = build.waitFor(10, TimeUnit.MINUTES);
    if (!done) {
      build.destroyForcibly();
    }
    List<String> output = Files.readAllLines(log);
    System.out.printf(
        "the README's plugin built in %d s, %d artifacts from Maven Central%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
        output.stream().filter(line -> line.startsWith("Downloaded from central")).count());

    assertThat(done).as("the outside build ends within 10 minutes").isTrue();
    assertThat(build.exitValue())
        .as("exit status of mvn verify; its output:%n%s", tail(output))
        .isZero();
    Path report =
        project.resolve("target/failsafe-reports/TEST-com.example.shout.ShoutPluginIT.xml");
    assertThat(report).as("the TCK's report").exists();
    String summary =
        Files.readAllLines(report).stream()
            .filter(line -> line.startsWith("<testsuite "))
            .findFirst()
            .orElseThrow();
    assertThat(summary).contains("failures=\"0\"").contains("errors=\"0\"");
    // The contract's four tests of its own, and one per valid and invalid frame of the README's.
    assertThat(testsIn(summary)).as("TCK tests run, in %s", summary).isGreaterThanOrEqualTo(6);

    Path jar = project.resolve("target/shout-plugin-1.0.0.jar");
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(
              file.getManifest()
                  .getMainAttributes()
                  .getValue(Attributes.Name.IMPLEMENTATION_VERSION))
          .isEqualTo("1.0.0");
    }
    assertThat(listedVersionOf(jar)).isEqualTo("1.0.0");
  }

  /**
   * Lays this build's Switchboard artifacts out in {@code repository} as {@code mvn install} would:
   * {@code io/switchboard/<artifact>/<version>/<artifact>-<version>[-tests].jar} and its pom.
   */
  private static Path installSwitchboard(Path repository, String version) throws IOException {
    Path root = Path.of("..");
    install(repository, "switchboard-parent", version, root.resolve("pom.xml"), null, null);
    install(
        repository,
        "switchboard-protocol",
        version,
        root.resolve("protocol/pom.xml"),
        onClassPath("switchboard-protocol-" + version + ".jar"),
        null);
    install(
        repository,
        "switchboard-plugin-api",
        version,
        root.resolve("plugins/api/pom.xml"),
        onClassPath("switchboard-plugin-api-" + version + ".jar"),
        null);
    install(
        repository,
        "switchboard-server",
        version,
        Path.of("pom.xml"),
        Path.of("target", "switchboard-server-" + version + ".jar"),
        Path.of("target", "switchboard-server-" + version + "-tests.jar"));
    return repository;
  }

  private static void install(
      Path repository, String artifact, String version, Path pom, Path jar, Path testJar)
      throws IOException {
    Path folder =
        Files.createDirectories(repository.resolve("io/switchboard/" + artifact + "/" + version));
    String base = artifact + "-" + version;
    copy(pom, folder.resolve(base + ".pom"));
    if (jar != null) {
      copy(jar, folder.resolve(base + ".jar"));
    }
    if (testJar != null) {
      copy(testJar, folder.resolve(base + "-tests.jar"));
    }
  }

  private static void copy(Path built, Path installed) throws IOException {
    assertThat(built).as("%s, built by this build", built).isRegularFile();
    Files.copy(built, installed, StandardCopyOption.REPLACE_EXISTING);
  }

  /** A jar this test runs with, as Maven resolved it (the reactor's package of that module). */
  private static Path onClassPath(String fileName) {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of)
        .filter(entry -> entry.getFileName().toString().equals(fileName))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    fileName + " is not on the test class path; run the build from the root"));
  }

  /** Settings whose repository, ahead of Maven Central, is this build's local repository. */
  private Path settingsReaching(Path buildRepository) throws IOException {
    String url = buildRepository.toUri().toString();
    String repository =
        "<id>this-build</id><url>"
            + url
            // A local repository keeps no checksums of what it downloaded: nothing to check.
            + "</url><releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy>"
            + "</releases>"
            + "<snapshots><enabled>false</enabled></snapshots>";
    String settings =
        String.join(
            "\n",
            "<settings>",
            "  <profiles><profile><id>this-build</id>",
            "    <repositories><repository>" + repository + "</repository></repositories>",
            "    <pluginRepositories><pluginRepository>"
                + repository
                + "</pluginRepository></pluginRepositories>",
            "  </profile></profiles>",
            "  <activeProfiles><activeProfile>this-build</activeProfile></activeProfiles>",
            "</settings>");
    return write(dir.resolve("settings.xml"), settings);
  }

  /** The {@code mvn} of the Maven running this build, else the one on the PATH. */
  private static String maven() {
    String home = System.getProperty("switchboard.mavenHome", "");
    Path mvn = Path.of(home, "bin", "mvn");
    return !home.isBlank() && Files.isExecutable(mvn) ? mvn.toString() : "mvn";
  }

  /** The version {@code /api/plugins} shows for the plugin of this jar, in a real server. */
  private static String listedVersionOf(Path jar) throws IOException {
    Path plugins = Files.createDirectories(jar.getParent().resolve("plugins-folder"));
    Files.copy(jar, plugins.resolve(jar.getFileName()));
    TestServer server =
        TestServer.start(
            new JsonObject().put("plugins", new JsonObject().put("directory", plugins.toString())));
    Vertx vertx = Vertx.vertx();
    try {
      JsonArray listed =
          Await.result(
                  WebClient.create(vertx)
                      .get(server.adminPort(), "127.0.0.1", "/api/plugins")
                      .send())
              .bodyAsJsonObject()
              .getJsonArray("plugins");
      assertThat(listed).hasSize(1);
      return listed.getJsonObject(0).getString("version");
    } finally {
      server.close();
      Await.result(vertx.close());
    }
  }

  private static int testsIn(String summary) {
    Matcher tests = Pattern.compile(" tests=\"(\\d+)\"").matcher(summary);
    assertThat(tests.find()).as("a test count in %s", summary).isTrue();
    return Integer.parseInt(tests.group(1));
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private static String tail(List<String> lines) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
  }
}
