package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.RawWebSocket;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's routes over real HTTP: its files, served without the token and nothing else without
 * it, and the admin API's event streams: the figures, a channel's tail, their guard and their cap
 * ({@code admin.maxStreams}), with healthy clients served beside a full cap.
 */
class ConsoleRoutesIT extends ServerTestBase {

  private static final String TOKEN = "streams-admin-token";
  private static final int MAX_STREAMS = 2;

  private HttpClient streamClient;
  private final List<Stream> open = new ArrayList<>();

  @Override
  protected JsonObject config() {
    adminToken = TOKEN;
    return new JsonObject()
        .put("admin", new JsonObject().put("token", TOKEN).put("maxStreams", MAX_STREAMS));
  }

  @BeforeAll
  void createStreamClient() {
    streamClient = clientVertx.createHttpClient();
  }

  @AfterEach
  void closeStreams() {
    open.forEach(Stream::close);
    open.clear();
    Await.until(
        "the server has released every stream",
        () -> server.server().metrics().adminStreams() == 0);
  }

  @Test
  void theConsolesFilesAreServedWithoutTheTokenAndTheDataOnlyWithIt() {
    HttpResponse<Buffer> page = Await.result(http.get(server.adminPort(), "127.0.0.1", "/").send());
    HttpResponse<Buffer> script =
        Await.result(http.get(server.adminPort(), "127.0.0.1", "/console/console.js").send());
    HttpResponse<Buffer> missing =
        Await.result(http.get(server.adminPort(), "127.0.0.1", "/console/secret.js").send());
    HttpResponse<Buffer> data =
        Await.result(http.get(server.adminPort(), "127.0.0.1", "/api/nodes").send());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(page.getHeader("Content-Security-Policy"))
        .startsWith("default-src 'none'; script-src 'self';");
    assertThat(page.bodyAsString())
        .contains("<script type=\"module\" src=\"/console/console.js\">");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.getHeader("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(script.bodyAsString()).contains("/api/figures/stream");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "not_found")
                .put("message", "no such console file: secret.js"));
    assertThat(data.statusCode()).isEqualTo(401);
  }

  @Test
  void figuresComeEverySecondWithThisNodesCounters() {
    WsClient a = connect();
    String channel = channel("figures");
    join(a, channel);
    a.send(new JsonObject().put("type", "publish").put("channel", channel).put("data", 1));
    a.next("message");

    Stream figures = track(openStream("/api/figures/stream", TOKEN));

    assertThat(figures.status).isEqualTo(200);
    assertThat(figures.response.getHeader("Content-Type"))
        .isEqualTo("text/event-stream; charset=utf-8");
    // Earlier tests' channels close as their clients go: counted once routing has seen them leave.
    JsonObject[] latest = new JsonObject[1];
    Await.until(
        "the figures count this test's one channel",
        () ->
            Integer.valueOf(1)
                .equals((latest[0] = figures.nextEvent("figures")).getInteger("channels")));
    JsonObject first = latest[0];
    assertThat(first.getInteger("activeConnections")).isEqualTo(1);
    assertThat(first.getLong("messagesIn")).isGreaterThanOrEqualTo(2); // the join and the publish
    assertThat(first.getString("node")).isNotEmpty();
    assertThat(first.fieldNames())
        .contains(
            "messagesOut",
            "messagesInPerSecond",
            "messagesOutPerSecond",
            "errors",
            "errorsPerSecond",
            "broadcasts",
            "uptimeMs",
            "serverTime");
    WsClient b = connect();
    Await.until(
        "the figures count the second connection",
        () -> figures.nextEvent("figures").getInteger("activeConnections") == 2);
    assertThat(b.isClosed()).isFalse();
  }

  @Test
  void aTailShowsEveryMessageThisNodeDeliversToTheChannel() {
    String channel = channel("tailed");
    WsClient subscriber = connect();
    join(subscriber, channel);
    Stream tail = track(openStream("/api/channels/" + channel + "/tail", TOKEN));
    JsonObject opened = tail.nextEvent("open");
    assertThat(opened.getString("channel")).isEqualTo(channel);

    HttpResponse<Buffer> broadcast =
        adminPost(
            "/v1/broadcast",
            new JsonObject()
                .put("channel", channel)
                .put("type", "NEWS")
                .put("data", new JsonObject().put("text", "line one\nline two"))
                .encode());
    subscriber.send(new JsonObject().put("type", "publish").put("channel", channel).put("data", 7));

    assertThat(broadcast.statusCode()).isEqualTo(200);
    JsonObject first = tail.nextEvent("message");
    JsonObject second = tail.nextEvent("message");
    assertThat(first).isEqualTo(subscriber.next("message"));
    assertThat(first.getString("event")).isEqualTo("NEWS");
    assertThat(first.getJsonObject("data").getString("text")).isEqualTo("line one\nline two");
    assertThat(second).isEqualTo(subscriber.next("message"));
    assertThat(second.getValue("data")).isEqualTo(7);
  }

  @Test
  void aTailThatIsNotReadLosesMessagesAndSaysHowMany() {
    String channel = channel("unread");
    WsClient subscriber = connect();
    join(subscriber, channel);
    Stream tail = track(openStream("/api/channels/" + channel + "/tail", TOKEN));
    tail.nextEvent("open");
    tail.response.pause();
    String big = "x".repeat(50_000);
    int sent = 300; // 15 MB: far more than the socket buffers hold while nothing is read

    for (int i = 0; i < sent; i++) {
      Await.result(
          server
              .vertx()
              .eventBus()
              .request(
                  io.switchboard.protocol.Addresses.BROADCAST,
                  new JsonObject().put("channel", channel).put("type", "BIG").put("data", big)));
      // In step with the subscriber, which must not become a slow consumer itself.
      subscriber.next("message");
    }
    tail.response.resume();

    // The tail shows some, and once its client has caught up, says how many it left out.
    int[] counts = new int[2];
    Await.until(
        "the tail accounts for every message",
        Duration.ofSeconds(30),
        () -> {
          String event = tail.nextEventName();
          if (event.equals("dropped")) {
            counts[1] += tail.lastData().getInteger("dropped");
          } else if (event.equals("message")) {
            counts[0]++;
          }
          return counts[0] + counts[1] == sent;
        });
    // Then it goes on as before.
    adminPost(
        "/v1/broadcast",
        new JsonObject().put("channel", channel).put("type", "LAST").put("data", 0).encode());
    assertThat(tail.nextEvent("message").getString("event")).isEqualTo("LAST");
    assertThat(counts[1]).as("messages dropped").isPositive();
    assertThat(counts[0] + counts[1]).as("messages shown and dropped").isEqualTo(sent);
  }

  /** The console ranks the slowest sockets by {@code pendingWriteBytes}: it must show them. */
  @Test
  void aClientThatStopsReadingPilesUpPendingWriteBytes() throws Exception {
    String channel = channel("stalled");
    try (RawWebSocket stalled = RawWebSocket.connect(server.wsPort(), "", 4096)) {
      String id = stalled.readJson().getJsonObject("data").getString("connectionId");
      stalled.sendText(new JsonObject().put("type", "join").put("channel", channel).encode());
      assertThat(stalled.readJson().getString("type")).isEqualTo("subscription_confirmed");
      String body =
          new JsonObject()
              .put("channel", channel)
              .put("type", "PAD")
              .put("data", "x".repeat(32 * 1024))
              .encode();
      long[] pending = new long[1];

      // Once the kernel's buffers are full, what the server writes waits in its own.
      Await.until(
          "the stalled client's unsent bytes show",
          Duration.ofSeconds(30),
          () -> {
            adminPost("/v1/broadcast", body);
            pending[0] =
                adminGet("/api/connections/" + id).bodyAsJsonObject().getLong("pendingWriteBytes");
            return pending[0] > 0;
          });

      assertThat(pending[0]).isLessThanOrEqualTo(1024 * 1024 + 64 * 1024);
      JsonObject listed =
          adminGet("/api/connections?limit=1000")
              .bodyAsJsonObject()
              .getJsonArray("connections")
              .stream()
              .map(JsonObject.class::cast)
              .filter(c -> c.getString("id").equals(id))
              .findFirst()
              .orElseThrow();
      assertThat(listed.getLong("pendingWriteBytes")).isGreaterThanOrEqualTo(pending[0]);
    }
  }

  @Test
  void streamsNeedTheTokenAndATailAValidChannelName() {
    Stream none = track(openStream("/api/figures/stream", null));
    Stream badName = track(openStream("/api/channels/bad%20name/tail", TOKEN));

    assertThat(none.status).isEqualTo(401);
    assertThat(none.error())
        .isEqualTo(
            new JsonObject()
                .put("code", "unauthorized")
                .put("message", "missing Authorization: Bearer <token> header"));
    assertThat(badName.status).isEqualTo(400);
    assertThat(badName.error())
        .isEqualTo(
            new JsonObject()
                .put("code", "bad_request")
                .put(
                    "message",
                    "path parameter 'name' may only contain A-Z a-z 0-9 _ : . @ $ -, found U+0020 at"
                        + " index 3"));
  }

  @Test
  void streamsBeyondTheCapAreRefusedWhileHealthyClientsAreServed() {
    String channel = channel("capped");
    WsClient subscriber = connect();
    join(subscriber, channel);
    Stream tail = track(openStream("/api/channels/" + channel + "/tail", TOKEN));
    tail.nextEvent("open");
    Stream figures = track(openStream("/api/figures/stream", TOKEN));
    figures.nextEvent("figures");

    Stream refused = track(openStream("/api/channels/" + channel + "/tail", TOKEN));

    assertThat(refused.status).isEqualTo(429);
    assertThat(refused.error())
        .isEqualTo(
            new JsonObject()
                .put("code", "too_many_streams")
                .put(
                    "message",
                    "at most 2 event streams (figure streams and channel tails) may be open at"
                        + " once on this node (admin.maxStreams); close one first"));
    // Beside the full cap: the open tail, a WebSocket subscriber and the REST API still serve.
    adminPost(
        "/v1/broadcast",
        new JsonObject().put("channel", channel).put("type", "T").put("data", "after").encode());
    assertThat(subscriber.next("message").getValue("data")).isEqualTo("after");
    assertThat(tail.nextEvent("message").getValue("data")).isEqualTo("after");
    assertThat(adminGet("/api/channels/" + channel).bodyAsJsonObject().getInteger("subscribers"))
        .isEqualTo(1);
    // A client going away frees its slot.
    tail.close();
    Await.until(
        "the server has released the tail whose client went away",
        () -> server.server().metrics().adminStreams() == 1);
    Stream again = track(openStream("/api/channels/" + channel + "/tail", TOKEN));
    assertThat(again.status).isEqualTo(200);
    again.nextEvent("open");
  }

  private Stream track(Stream stream) {
    open.add(stream);
    return stream;
  }

  private Stream openStream(String path, String token) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(server.adminPort())
            .setURI(path);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    return Await.result(
        streamClient
            .request(options)
            .compose(request -> request.send())
            .map(
                response -> {
                  Stream stream = new Stream(response);
                  response.handler(stream::received);
                  response.endHandler(v -> stream.ended.tryComplete());
                  return stream;
                }));
  }

  /** One open answer, its text as it arrives. */
  private static final class Stream {
    final HttpClientResponse response;
    final int status;
    private final StringBuffer text = new StringBuffer();
    private final Promise<Void> ended = Promise.promise();
    private int read;

    Stream(HttpClientResponse response) {
      this.response = response;
      this.status = response.statusCode();
    }

    void received(Buffer chunk) {
      text.append(chunk.toString());
    }

    /** The error of a refused stream, once its body is complete. */
    JsonObject error() {
      Await.result(ended.future());
      return new JsonObject(text.toString()).getJsonObject("error");
    }

    private String lastData;

    /** The name of the next event (its data in {@link #lastData}). */
    String nextEventName() {
      String[] found = new String[1];
      Await.until(
          "an event arrives",
          () -> {
            int end = text.indexOf("\n\n", read);
            if (end < 0) {
              return false;
            }
            String block = text.substring(read, end);
            read = end + 2;
            StringBuilder data = new StringBuilder();
            String event = "";
            for (String line : block.split("\n")) {
              if (line.startsWith("event: ")) {
                event = line.substring(7);
              } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
              }
            }
            found[0] = event;
            lastData = data.toString();
            return true;
          });
      return found[0];
    }

    JsonObject lastData() {
      return new JsonObject(lastData);
    }

    /** The data of the next event of that name, skipping others. */
    JsonObject nextEvent(String name) {
      String[] found = new String[1];
      Await.until(
          "an event '" + name + "' arrives",
          () -> {
            int end;
            while ((end = text.indexOf("\n\n", read)) >= 0) {
              String block = text.substring(read, end);
              read = end + 2;
              StringBuilder data = new StringBuilder();
              String event = "message";
              for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                  event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                  data.append(data.length() > 0 ? "\n" : "").append(line.substring(6));
                }
              }
              if (event.equals(name) && data.length() > 0) {
                found[0] = data.toString();
                return true;
              }
            }
            return false;
          });
      return new JsonObject(found[0]);
    }

    void close() {
      response.request().connection().close();
    }
  }
}
