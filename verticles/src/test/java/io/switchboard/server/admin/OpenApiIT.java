package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.server.ServerVersion;
import io.switchboard.server.admin.OpenApiSpec.Operation;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /openapi.json} against the server it describes: the document names exactly the routes
 * of the admin router, each request example gets the status (and the body) its response example of
 * the same name documents, and every answer of a real server, successes and failures, is valid by
 * the schema the document gives for its status.
 */
class OpenApiIT extends ServerTestBase {

  private static final String TOKEN = "openapi-it-token";

  /** A channel with history and subscribers: every channel route has something to show. */
  private static final String FEED = "feed:prices";

  private OpenApiSpec spec;

  OpenApiIT() {
    adminToken = TOKEN;
  }

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put("admin", new JsonObject().put("token", TOKEN))
        .put(
            "channels",
            new JsonObject()
                .put(
                    "namespaces",
                    new JsonObject()
                        .put("", new JsonObject().put("publish", "anyone"))
                        .put(
                            "feed",
                            new JsonObject()
                                .put("join", "anyone")
                                .put("publish", "subscribers")
                                .put("historySize", 10))));
  }

  @Override
  protected List<MessageTypePlugin> plugins() {
    return List.of(new AckPlugin());
  }

  private OpenApiSpec spec() {
    if (spec == null) {
      HttpResponse<Buffer> served = adminGet(OpenApiDocument.PATH);
      assertThat(served.statusCode()).isEqualTo(200);
      spec = OpenApiSpec.of(served.bodyAsString());
    }
    return spec;
  }

  @Test
  void theDocumentDescribesExactlyTheRoutesOfTheAdminRouter() {
    Set<String> routed = new TreeSet<>();
    Set<String> anyMethod = new TreeSet<>();
    for (Route route : server.server().adminVerticle().router().getRoutes()) {
      String path = route.getPath();
      // Handlers for every request (the token check, the failure handler) have no path.
      if (path == null) {
        continue;
      }
      // The web console's page and its static files are UI, not API: not described.
      if (path.equals("/") || path.startsWith("/console/") || path.equals("/console")) {
        continue;
      }
      String documented = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      Set<HttpMethod> methods = route.methods();
      if (methods == null || methods.isEmpty()) {
        anyMethod.add(documented);
        continue;
      }
      methods.forEach(method -> routed.add(method.name() + " " + documented));
    }
    Set<String> described = new TreeSet<>();
    spec().operations().forEach(operation -> described.add(operation.key()));

    assertThat(described).isEqualTo(routed);
    // The routes for any method answer 405 for the methods a described path lacks.
    Set<String> describedPaths = new HashSet<>();
    spec().operations().forEach(operation -> describedPaths.add(operation.path()));
    assertThat(describedPaths).containsAll(anyMethod);
  }

  @Test
  void theServedDocumentIsTheResourceCarryingTheServersVersion() {
    JsonNode resource = OpenApiSpec.fromResource().document.deepCopy();
    // ServerVersionTest ties it to the project's version.
    String version = ServerVersion.current();

    assertThat(version).isNotEqualTo(ServerVersion.UNKNOWN);
    assertThat(spec().document.at("/info/version").asText()).isEqualTo(version);
    ((com.fasterxml.jackson.databind.node.ObjectNode) resource.get("info")).put("version", version);
    assertThat(spec().document).isEqualTo(resource);
  }

  /**
   * Every request example is sent as it is written; the answer has the status under which the
   * response example of the same name is documented, and is that example: the examples are what the
   * server says, for the subscribers set up here (alice of acme and bob of beta in "news").
   */
  @Test
  void everyRequestExampleGetsTheStatusAndTheBodyItsResponseExampleDocuments() {
    WsClient alice = connectAs("alice", "acme");
    WsClient bob = connectAs("bob", "beta");
    join(alice, "news");
    join(bob, "news");
    int sent = 0;
    for (Operation operation : spec().operations()) {
      if (!operation.node().has("requestBody")) {
        continue;
      }
      Map<String, JsonNode> content = spec().content(operation.node().get("requestBody"));
      for (Map.Entry<String, JsonNode> mediaType : content.entrySet()) {
        for (Map.Entry<String, JsonNode> example :
            spec().examples(mediaType.getValue()).entrySet()) {
          int status = spec().statusesWithExample(operation, example.getKey()).get(0);
          HttpResponse<Buffer> answer =
              send(
                  request(operation, operation.path())
                      .putHeader("Content-Type", mediaType.getKey()),
                  example.getValue().toString());
          String what = operation + " example " + example.getKey();

          assertThat(answer.statusCode()).as(what + ": " + answer.bodyAsString()).isEqualTo(status);
          JsonNode documented =
              spec()
                  .examples(
                      spec().content(spec().response(operation, status)).get("application/json"))
                  .get(example.getKey());
          assertThat(OpenApiSpec.json(answer.bodyAsString())).as(what).isEqualTo(documented);
          assertValid(operation, answer);
          sent++;
        }
      }
    }
    assertThat(sent).isGreaterThanOrEqualTo(4);
  }

  /**
   * Every operation called with the token on a server with traffic (connections, channels,
   * presence, history, a plugin) answers its documented success, valid by its schema.
   */
  @Test
  void everyOperationAnswersWhatItsSchemaDescribes() {
    WsClient alice = connectAs("alice", "acme");
    WsClient bob = connectAs("bob", "beta");
    for (WsClient client : List.of(alice, bob)) {
      join(client, "news");
      join(client, FEED);
    }
    alice.request(new JsonObject().put("type", "ACK_ME").put("channel", "news").put("id", "a"));
    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> broadcast =
          adminPost(
              "/v1/broadcast",
              new JsonObject()
                  .put("channel", FEED)
                  .put("type", "PRICE")
                  .put("data", new JsonObject().put("price", 100 + i))
                  .encode());
      assertThat(broadcast.statusCode()).isEqualTo(200);
    }
    // One connection for DELETE to close, the last operation called.
    WsClient doomed = connectAs("carol", "acme");
    Map<String, String> pathValues =
        Map.of(
            "{id}",
            alice.connectionId(),
            "{name}",
            URLEncoder.encode(FEED, StandardCharsets.UTF_8));

    List<String> called = new ArrayList<>();
    List<Operation> operations = new ArrayList<>(spec().operations());
    operations.sort(
        (a, b) -> Boolean.compare(a.method().equals("delete"), b.method().equals("delete")));
    for (Operation operation : operations) {
      if (operation.node().has("requestBody")) {
        continue; // sent with its examples above
      }
      if (spec().content(spec().response(operation, 200)).containsKey("text/event-stream")) {
        continue; // an event stream never ends: ConsoleRoutesIT reads the figures and a tail
      }
      String path = operation.path();
      for (Map.Entry<String, String> value : pathValues.entrySet()) {
        path = path.replace(value.getKey(), value.getValue());
      }
      if (operation.method().equals("delete")) {
        path = path.replace(alice.connectionId(), doomed.connectionId());
      }
      HttpResponse<Buffer> answer = send(request(operation, path), null);

      assertThat(answer.statusCode()).as(operation + ": " + answer.bodyAsString()).isEqualTo(200);
      assertValid(operation, answer);
      called.add(operation.key());
    }
    assertThat(doomed.awaitClose()).isEqualTo((short) 4502);
    assertThat(called).contains("GET /api/channels/{name}/history", "DELETE /api/connections/{id}");
  }

  /** Without the token: 401 as documented everywhere but the health routes, which answer. */
  @Test
  void withoutTheTokenEverySecuredOperationIs401AndTheHealthRoutesStillAnswer() {
    int secured = 0;
    for (Operation operation : spec().operations()) {
      String path = operation.path().replace("{id}", "ws_x").replace("{name}", "news");
      HttpRequest<Buffer> request = request(operation, path);
      HttpResponse<Buffer> answer =
          await(
              operation.node().has("requestBody")
                  ? request.sendBuffer(Buffer.buffer("{}"))
                  : request.send());

      if (operation.secured(spec().document)) {
        assertThat(answer.statusCode()).as("%s", operation).isEqualTo(401);
        assertThat(answer.getHeader("WWW-Authenticate"))
            .isEqualTo("Bearer realm=\"switchboard-admin\"");
        secured++;
      } else {
        assertThat(answer.statusCode()).as("%s", operation).isEqualTo(200);
      }
      assertValid(operation, answer);
    }
    assertThat(secured).isGreaterThan(10);
  }

  /** Failures the document describes, each provoked for real. */
  @Test
  void documentedFailuresAnswerAsTheirSchemaSays() {
    String missing = "nobody-" + System.nanoTime();
    String feed = URLEncoder.encode(FEED, StandardCharsets.UTF_8);
    record Failure(String method, String operationPath, String path, int status) {}
    List<Failure> failures =
        List.of(
            new Failure("get", "/api/connections/{id}", "/api/connections/ws_nope", 404),
            new Failure("delete", "/api/connections/{id}", "/api/connections/ws_nope", 404),
            new Failure("get", "/api/channels/{name}", "/api/channels/" + missing, 404),
            new Failure(
                "get",
                "/api/channels/{name}/presence",
                "/api/channels/" + missing + "/presence",
                404),
            new Failure("get", "/api/connections", "/api/connections?limit=5000", 400),
            new Failure("get", "/api/channels", "/api/channels?cursor=nonsense", 400),
            new Failure("get", "/ws/status", "/ws/status?limit=0", 400),
            new Failure("get", "/api/websocket/status", "/api/websocket/status?limit=x", 400),
            new Failure(
                "get",
                "/api/channels/{name}/history",
                "/api/channels/" + feed + "/history?sinceOffset=x&sinceEpoch=e",
                400),
            new Failure(
                "get",
                "/api/channels/{name}/history",
                "/api/channels/" + feed + "/history?sinceOffset=1&sinceEpoch=0000000000000000",
                410));
    for (Failure failure : failures) {
      Operation operation = spec().operation(failure.method(), failure.operationPath());
      HttpResponse<Buffer> answer = send(request(operation, failure.path()), null);

      assertThat(answer.statusCode())
          .as(failure + ": " + answer.bodyAsString())
          .isEqualTo(failure.status());
      assertValid(operation, answer);
    }

    Operation broadcast = spec().operation("post", "/v1/broadcast");
    HttpResponse<Buffer> form =
        send(
            request(broadcast, "/v1/broadcast").putHeader("Content-Type", "multipart/form-data"),
            "x");
    assertThat(form.statusCode()).isEqualTo(415);
    assertValid(broadcast, form);
    HttpResponse<Buffer> large =
        send(request(broadcast, "/v1/broadcast"), "\"" + "x".repeat(70 * 1024) + "\"");
    assertThat(large.statusCode()).isEqualTo(413);
    assertValid(broadcast, large);
  }

  private HttpRequest<Buffer> request(Operation operation, String path) {
    return http.request(
        HttpMethod.valueOf(operation.method().toUpperCase()),
        server.adminPort(),
        "127.0.0.1",
        path);
  }

  private static <T> T await(Future<T> future) {
    return io.switchboard.server.testing.Await.result(future);
  }

  /**
   * The answer's status is documented for the operation, its media type is one the document gives
   * for that status, and its body is valid by that media type's schema.
   */
  private void assertValid(Operation operation, HttpResponse<Buffer> answer) {
    String what = operation + " " + answer.statusCode() + " " + answer.bodyAsString();
    assertThat(spec().statuses(operation)).as(what).contains(answer.statusCode());
    Map<String, JsonNode> content = spec().content(spec().response(operation, answer.statusCode()));
    String contentType = answer.getHeader("Content-Type");
    assertThat(contentType).as(what).isNotNull();
    String mediaType = contentType.split(";")[0].strip();
    assertThat(content).as(what).containsKey(mediaType);
    JsonNode body =
        mediaType.equals("application/json")
            ? OpenApiSpec.json(answer.bodyAsString())
            : TextNode.valueOf(answer.bodyAsString());
    assertThat(spec().problems(content.get(mediaType).get("schema"), body)).as(what).isEmpty();
  }

  /** Acknowledges every frame of its type, so {@code /api/plugins} lists a plugin that worked. */
  static final class AckPlugin implements MessageTypePlugin {
    @Override
    public String name() {
      return "ack-me";
    }

    @Override
    public Set<String> messageTypes() {
      return Set.of("ACK_ME");
    }

    @Override
    public Future<Void> handle(PluginContext context) {
      return context.ack();
    }
  }
}
