package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance table shared with the TypeScript client ({@code sdk/conformance/cases.json}, run
 * there by {@code sdk/js/test/conformance.test.mjs}): each case's steps drive this SDK's client and
 * a scripted WebSocket server on port 0 that plays the server's frames and checks the client's, so
 * that both SDKs answer alike. The steps are described in {@code sdk/conformance/README.md}.
 */
class ConformanceIT {

  private static final Path CASES = Path.of("conformance", "cases.json");
  private static final long TIMEOUT_MS = 10_000;

  private Vertx vertx;
  private HttpServer server;
  private SwitchboardClient client;
  private final List<Scripted> connections = new CopyOnWriteArrayList<>();

  /** One connection the scripted server accepted: its socket, session and frames. */
  private record Scripted(ServerWebSocket socket, String session, List<JsonObject> frames) {}

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .webSocketHandler(
                socket -> {
                  Scripted connection =
                      new Scripted(socket, session(socket.query()), new CopyOnWriteArrayList<>());
                  socket.textMessageHandler(text -> connection.frames.add(new JsonObject(text)));
                  connections.add(connection);
                })
            .listen()
            .await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.disconnect().await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
    vertx.close().await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  static Stream<JsonObject> cases() throws Exception {
    JsonArray cases = table().getJsonArray("cases");
    return cases.stream().map(JsonObject.class::cast);
  }

  private static JsonObject table() throws Exception {
    return new JsonObject(Files.readString(CASES));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void theClientAnswersAsTheTableSays(JsonObject kase) throws Exception {
    JsonObject table = table();
    JsonObject options = table.getJsonObject("clientOptions").copy();
    options.mergeIn(kase.getJsonObject("options", new JsonObject()));
    ClientOptions clientOptions = clientOptions(options);
    clientOptions.setUrl("ws://127.0.0.1:" + server.actualPort() + "/ws");
    client = SwitchboardClient.create(vertx, clientOptions);
    Map<String, List<Object>> delivered = new HashMap<>();
    List<Resync> resyncs = new CopyOnWriteArrayList<>();
    Map<String, Future<SendResult>> results = new HashMap<>();
    Map<String, Future<Subscription>> joins = new HashMap<>();
    Map<String, JsonObject> saved = new HashMap<>();
    Map<String, Scripted> accepted = new HashMap<>();
    client.onResync(resyncs::add);
    Scripted connection = null;
    int read = 0;

    for (Object item : kase.getJsonArray("steps")) {
      JsonObject step = (JsonObject) item;
      String what = step.encode();
      String call = step.getString("call");
      if ("connect".equals(call)) {
        client.connect();
      } else if ("disconnect".equals(call)) {
        client.disconnect();
      } else if ("send".equals(call)) {
        results.put(step.getString("as"), client.send(step.getJsonObject("frame"), send(step)));
      } else if ("publish".equals(call)) {
        results.put(
            step.getString("as"),
            client.publish(step.getString("channel"), step.getValue("data"), send(step)));
      } else if ("join".equals(call)) {
        joins.put(
            step.getString("as"),
            client.join(
                step.getString("channel"),
                m ->
                    delivered
                        .computeIfAbsent(m.channel(), c -> new CopyOnWriteArrayList<>())
                        .add(m.data())));
      } else if (step.containsKey("accept")) {
        int index = accepted.size();
        connection =
            waitFor(() -> connections.size() > index ? connections.get(index) : null, what);
        read = 0;
        accepted.put(step.getString("accept"), connection);
        if (step.containsKey("sameSessionAs")) {
          assertThat(connection.session).as(what).isNotNull();
          assertThat(connection.session)
              .as(what)
              .isEqualTo(accepted.get(step.getString("sameSessionAs")).session);
        }
      } else if (step.containsKey("welcome")) {
        connection.socket.writeTextMessage(table.getJsonObject("welcome").encode());
      } else if (step.containsKey("receive")) {
        Scripted from = connection;
        int[] cursor = {read};
        JsonObject frame =
            waitFor(
                () -> {
                  while (cursor[0] < from.frames.size()) {
                    JsonObject next = from.frames.get(cursor[0]++);
                    boolean heartbeat =
                        "ping".equals(next.getString("type"))
                            && String.valueOf(next.getValue("id")).startsWith("sb-hb-");
                    if (!heartbeat) {
                      return next;
                    }
                  }
                  return null;
                },
                what);
        read = cursor[0];
        JsonObject expected = (JsonObject) resolve(step.getJsonObject("receive"), saved);
        for (String key : expected.fieldNames()) {
          assertJsonEquals(
              what + ": field '" + key + "' of " + frame.encode(),
              expected.getValue(key),
              frame.getValue(key));
        }
        if (step.containsKey("as")) {
          saved.put(step.getString("as"), frame);
        }
      } else if (step.containsKey("reply")) {
        connection.socket.writeTextMessage(
            ((JsonObject) resolve(step.getJsonObject("reply"), saved)).encode());
      } else if (step.containsKey("close")) {
        connection.socket.close(step.getInteger("close").shortValue());
      } else if (step.containsKey("result")) {
        SendResult result =
            results.get(step.getString("result")).await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(result)
            .as(what)
            .isEqualTo(new SendResult(step.getBoolean("success"), step.getString("reason")));
      } else if (step.containsKey("joined")) {
        joins.get(step.getString("joined")).await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } else if (step.containsKey("state")) {
        ConnectionState state = ConnectionState.valueOf(step.getString("state"));
        waitFor(() -> client.state() == state ? state : null, what);
      } else if (step.containsKey("delivered")) {
        JsonArray expected = step.getJsonArray("data");
        List<Object> messages =
            waitFor(
                () -> {
                  List<Object> got = delivered.get(step.getString("delivered"));
                  return got != null && got.size() >= expected.size() ? got : null;
                },
                what);
        assertJsonEquals(what, expected.getList(), new ArrayList<>(messages));
      } else if (step.containsKey("resyncs")) {
        JsonArray expected = step.getJsonArray("resyncs");
        waitFor(() -> resyncs.size() >= expected.size() ? resyncs : null, what);
        assertJsonEquals(
            what, expected.getList(), resyncs.stream().map(ConformanceIT::json).toList());
      } else if (step.containsKey("metrics")) {
        JsonObject metrics = metrics(client.metrics());
        JsonObject expected = step.getJsonObject("metrics");
        for (String key : expected.fieldNames()) {
          assertJsonEquals(what + ": " + key, expected.getValue(key), metrics.getValue(key));
        }
      } else {
        throw new AssertionError("unknown step " + what);
      }
    }
  }

  // ---- the table's vocabulary -----------------------------------------------------------------

  private static ClientOptions clientOptions(JsonObject json) {
    ClientOptions options = new ClientOptions();
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      switch (key) {
        case "heartbeatIntervalMs" -> options.setHeartbeatIntervalMs(((Number) value).longValue());
        case "reconnectInitialDelayMs" ->
            options.setReconnectInitialDelayMs(((Number) value).longValue());
        case "reconnectMaxDelayMs" -> options.setReconnectMaxDelayMs(((Number) value).longValue());
        case "jitter" -> options.setJitter((Boolean) value);
        case "maxBufferedMessages" -> options.setMaxBufferedMessages(((Number) value).intValue());
        case "maxReconnectAttempts" -> options.setMaxReconnectAttempts(((Number) value).intValue());
        case "enableMessageBuffering" -> options.setEnableMessageBuffering((Boolean) value);
        case "reconnectMode" -> options.setReconnectMode(ReconnectMode.valueOf((String) value));
        default -> throw new AssertionError("unknown client option " + key);
      }
    }
    return options;
  }

  private static SendOptions send(JsonObject step) {
    SendOptions options = new SendOptions();
    JsonObject json = step.getJsonObject("options", new JsonObject());
    if (json.containsKey("queue")) {
      options.setQueue(json.getBoolean("queue"));
    }
    if (json.containsKey("timeoutMs")) {
      options.setTimeoutMs(json.getLong("timeoutMs"));
    }
    return options;
  }

  private static JsonObject json(Resync resync) {
    return new JsonObject()
        .put("channel", resync.channel())
        .put("from", position(resync.from()))
        .put("to", position(resync.to()))
        .put("reason", resync.reason().name());
  }

  private static JsonObject position(StreamPosition position) {
    return position == null
        ? null
        : new JsonObject().put("offset", position.offset()).put("epoch", position.epoch());
  }

  private static JsonObject metrics(ClientMetrics metrics) {
    return new JsonObject()
        .put("duplicatesDropped", metrics.duplicatesDropped())
        .put("resyncCount", metrics.resyncCount())
        .put("queueDepth", metrics.queueDepth())
        .put("reconnectionCount", metrics.reconnectionCount());
  }

  /** Replaces {@code "$name.field"} strings by that field of the frame received as {@code name}. */
  private static Object resolve(Object value, Map<String, JsonObject> saved) {
    if (value instanceof String text && text.startsWith("$")) {
      String[] parts = text.substring(1).split("\\.", 2);
      return saved.get(parts[0]).getValue(parts[1]);
    }
    if (value instanceof JsonObject object) {
      JsonObject resolved = new JsonObject();
      object.forEach(entry -> resolved.put(entry.getKey(), resolve(entry.getValue(), saved)));
      return resolved;
    }
    if (value instanceof JsonArray array) {
      JsonArray resolved = new JsonArray();
      array.forEach(element -> resolved.add(resolve(element, saved)));
      return resolved;
    }
    return value;
  }

  private static String session(String query) {
    if (query == null) {
      return null;
    }
    for (String parameter : query.split("&")) {
      if (parameter.startsWith("session=")) {
        return parameter.substring("session=".length()); // base64url: nothing to decode
      }
    }
    return null;
  }

  /** JSON equality: numbers by value, objects by their fields, arrays element by element. */
  private static void assertJsonEquals(String what, Object expected, Object actual) {
    assertThat(normalise(actual)).as(what).isEqualTo(normalise(expected));
  }

  private static Object normalise(Object value) {
    if (value instanceof JsonObject object) {
      return normalise(object.getMap());
    }
    if (value instanceof JsonArray array) {
      return normalise(array.getList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new HashMap<>();
      map.forEach((k, v) -> copy.put(k, normalise(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ConformanceIT::normalise).toList();
    }
    if (value instanceof Number number) {
      return new BigDecimal(number.toString()).stripTrailingZeros();
    }
    return value;
  }

  private static <T> T waitFor(Supplier<T> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (true) {
      T value = condition.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + TIMEOUT_MS + " ms waiting for " + what);
      }
      Thread.sleep(10); // polling a condition, not waiting for an outcome
    }
  }
}
