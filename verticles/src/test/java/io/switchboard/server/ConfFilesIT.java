package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerProcess;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deployment files of {@code conf/} against what they deploy: the Dockerfile copies what the
 * build writes, and every query of the Grafana dashboard names meters (and labels) that a real
 * server's {@code /metrics} shows after some traffic.
 */
class ConfFilesIT {

  private Vertx vertx;
  private TestServer server;
  private final List<WsClient> clients = new ArrayList<>();

  @BeforeEach
  void createVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void cleanUp() {
    clients.forEach(WsClient::close);
    if (server != null) {
      server.close();
    }
    Await.result(vertx.close());
  }

  @Test
  void theDockerfileCopiesTheFatJarTheBuildWrote() throws Exception {
    DeployFilesTest.Dockerfile docker =
        DeployFilesTest.Dockerfile.read(DeployFilesTest.CONF.resolve("Dockerfile"));
    String workdir = docker.stages().get(0).all("WORKDIR").get(0) + "/";
    String jarSource =
        docker.copiesFromBuild().keySet().stream()
            .filter(source -> source.endsWith(".jar"))
            .findFirst()
            .orElseThrow();

    Path jar = DeployFilesTest.ROOT.resolve(jarSource.substring(workdir.length()));
    assertThat(jar).isRegularFile();
    assertThat(jar.toRealPath()).isEqualTo(ServerProcess.fatJar().toRealPath());
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(Main.class.getName());
    }
  }

  @Test
  void everyMetricTheDashboardQueriesIsExportedByARealServer() throws Exception {
    server = TestServer.start(new JsonObject(), List.of(new ProbePlugin()));
    WsClient alice = track(WsClient.connect(vertx.createWebSocketClient(), server.wsPort()));
    WsClient bob = track(WsClient.connect(vertx.createWebSocketClient(), server.wsPort()));
    for (WsClient client : List.of(alice, bob)) {
      client.request(new JsonObject().put("type", "join").put("channel", "dash").put("id", "j"));
    }
    alice.request(
        new JsonObject()
            .put("type", "publish")
            .put("channel", "dash")
            .put("data", 1)
            .put("id", "p"));
    bob.next("message");
    JsonObject ack =
        alice.request(
            new JsonObject()
                .put("type", "PROBE")
                .put("channel", "dash")
                .put("data", "x")
                .put("id", "probe"));
    assertThat(ack.getString("type")).as("the plugin's answer: %s", ack).isEqualTo("ack");
    bob.close();
    WebClient http = WebClient.create(vertx);
    // A plain GET on the upgrade path: refused with 426 before any WebSocket exists.
    assertThat(Await.result(http.get(server.wsPort(), "127.0.0.1", "/ws").send()).statusCode())
        .isEqualTo(426);
    Await.until("bob's close is counted", () -> server.server().metrics().activeConnections() == 1);

    HttpResponse<Buffer> scrape =
        Await.result(http.get(server.adminPort(), "127.0.0.1", "/metrics").send());
    Map<String, Set<String>> exported = exportedLabelsByName(scrape.bodyAsString());
    // The traffic above is in it: a positive control for the scrape and the parsing.
    assertThat(scrape.bodyAsString())
        .contains("switchboard_plugin_handled_total{plugin=\"probe\"} 1.0");

    JsonObject dashboard =
        new JsonObject(Files.readString(DeployFilesTest.CONF.resolve("grafana-dashboard.json")));
    List<String> queries = queries(dashboard);
    assertThat(queries).hasSizeGreaterThan(10);
    Set<String> queried = new HashSet<>();
    for (String query : queries) {
      Map<String, Set<String>> selectors = selectors(query);
      assertThat(selectors).as("the metrics of %s", query).isNotEmpty();
      selectors.forEach(
          (name, labels) -> {
            assertThat(exported).as("%s (in %s) in /metrics", name, query).containsKey(name);
            // instance is Prometheus' own label, added when it scrapes.
            labels.remove("instance");
            assertThat(exported.get(name))
                .as("the labels of %s in %s", name, query)
                .containsAll(labels);
          });
      queried.addAll(selectors.keySet());
    }
    // Every panel the brief asks for has its meter.
    assertThat(queried)
        .contains(
            "switchboard_connections_active",
            "switchboard_messages_in_total",
            "switchboard_messages_out_total",
            "switchboard_errors_total",
            "switchboard_broadcast_latency_seconds_bucket",
            "switchboard_connections_closed_total",
            "switchboard_plugin_handled_total");
  }

  private WsClient track(WsClient client) {
    clients.add(client);
    return client;
  }

  /** Every PromQL expression of the panels and the template variables. */
  private static List<String> queries(JsonObject dashboard) {
    List<String> queries = new ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) panel).getJsonArray("targets", new JsonArray());
      targets.forEach(target -> queries.add(((JsonObject) target).getString("expr")));
    }
    for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      Object query = ((JsonObject) variable).getValue("query");
      if (query instanceof JsonObject q && q.getString("query").startsWith("label_values(")) {
        // label_values(metric, label): the metric as a selector.
        String inside = q.getString("query").replaceAll("^label_values\\((.*)\\)$", "$1");
        queries.add(inside.split(",")[0].strip());
      }
    }
    return queries;
  }

  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "and",
          "or",
          "unless",
          "inf",
          "nan");

  /**
   * The metric names a PromQL expression selects, each with the label names its matchers use: an
   * identifier that is not a function (followed by a parenthesis), a keyword, a label list of
   * {@code by} or {@code without}, a string, a range or a number.
   */
  static Map<String, Set<String>> selectors(String query) {
    String rest =
        query
            .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("\\[[^\\]]*\\]", " ")
            .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", " ");
    Map<String, Set<String>> selectors = new HashMap<>();
    Matcher m = IDENTIFIER.matcher(rest);
    while (m.find()) {
      String name = m.group();
      int after = m.end();
      while (after < rest.length() && rest.charAt(after) == ' ') {
        after++;
      }
      boolean function = after < rest.length() && rest.charAt(after) == '(';
      if (function || KEYWORDS.contains(name.toLowerCase())) {
        continue;
      }
      Set<String> labels = selectors.computeIfAbsent(name, n -> new HashSet<>());
      if (after < rest.length() && rest.charAt(after) == '{') {
        int close = rest.indexOf('}', after);
        Matcher label = MATCHER.matcher(rest.substring(after + 1, close));
        while (label.find()) {
          labels.add(label.group(1));
        }
        m.region(close + 1, rest.length());
      }
    }
    return selectors;
  }

  /** The series names of a Prometheus text scrape, each with the label names it carries. */
  private static Map<String, Set<String>> exportedLabelsByName(String scrape) {
    Map<String, Set<String>> names = new HashMap<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      int end = brace >= 0 && brace < space ? brace : space;
      Set<String> labels = names.computeIfAbsent(line.substring(0, end), n -> new HashSet<>());
      if (end == brace) {
        Matcher label = MATCHER.matcher(line.substring(brace + 1, line.lastIndexOf('}')));
        while (label.find()) {
          labels.add(label.group(1));
        }
      }
    }
    return names;
  }

  /** A plugin that acknowledges every frame of its type, so its meters count something. */
  static final class ProbePlugin implements MessageTypePlugin {
    @Override
    public String name() {
      return "probe";
    }

    @Override
    public Set<String> messageTypes() {
      return Set.of("PROBE");
    }

    @Override
    public Future<Void> handle(PluginContext context) {
      return context.ack();
    }
  }
}
