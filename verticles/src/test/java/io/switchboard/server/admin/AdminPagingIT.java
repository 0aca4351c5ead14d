package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admin API's listings come one page at a time: {@code limit} (default 100, at most 1000), an
 * opaque {@code cursor} from the previous page's {@code next}, a stable order, the total kept. The
 * server runs two connection instances, so every connection page merges two instances' answers.
 */
class AdminPagingIT extends ServerTestBase {

  private static final String LIMIT_RULE =
      "query parameter 'limit' must be a whole number from 1 to 1000 (default 100), was ";

  @BeforeEach
  void noChannelIsLeftFromAnotherTest() {
    Await.until(
        "routing has forgotten the channels of earlier tests",
        () -> adminGet("/api/channels").bodyAsJsonObject().getInteger("total") == 0);
  }

  @Test
  void walkingEveryConnectionPageListsEachConnectionExactlyOnceInIdOrder() {
    List<String> ids = connectMany(230);

    List<JsonObject> pages = walk("/api/connections", 7);

    List<String> listed = new ArrayList<>();
    for (JsonObject page : pages) {
      assertThat(page.getInteger("total")).isEqualTo(230);
      page.getJsonArray("connections").forEach(c -> listed.add(((JsonObject) c).getString("id")));
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(ids).isSorted();
    assertPageSizes(pages, "connections", 7, 230);
  }

  @Test
  void websocketStatusPagesItsConnectionsAndSummarisesThemAll() {
    List<String> ids = connectMany(120);

    List<JsonObject> pages = walk("/api/websocket/status", 50);

    List<String> listed = new ArrayList<>();
    for (JsonObject page : pages) {
      assertThat(page.getJsonObject("summary").getInteger("trackedConnections")).isEqualTo(120);
      assertThat(page.getJsonObject("summary").getInteger("activeConnections")).isEqualTo(120);
      page.getJsonArray("connections").forEach(c -> listed.add(((JsonObject) c).getString("id")));
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(ids).isSorted();
    assertPageSizes(pages, "connections", 50, 120);
  }

  @Test
  void theDefaultPageIs100AndTheLargest1000() {
    connectMany(130);

    JsonObject first = adminGet("/api/connections").bodyAsJsonObject();
    JsonObject all = adminGet("/api/connections?limit=1000").bodyAsJsonObject();

    assertThat(first.getJsonArray("connections")).hasSize(100);
    assertThat(first.getString("next")).isNotNull();
    assertThat(all.getJsonArray("connections")).hasSize(130);
    assertThat(all.getValue("next")).isNull();
    assertThat(all.containsKey("next")).as("next is present, as null").isTrue();
  }

  @Test
  void walkingEveryChannelPageListsEachChannelOnceWithItsSubscribers() {
    connectMany(3);
    List<String> names = joinChannels(61);

    List<JsonObject> channelPages = walk("/api/channels", 9);
    List<JsonObject> statusPages = walk("/ws/status", 25);

    List<String> listed = new ArrayList<>();
    for (JsonObject page : channelPages) {
      assertThat(page.getInteger("total")).isEqualTo(61);
      page.getJsonArray("channels")
          .forEach(
              c -> {
                JsonObject channel = (JsonObject) c;
                assertThat(channel.getInteger("subscribers")).isEqualTo(1);
                listed.add(channel.getString("name"));
              });
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(names).isSorted();
    assertPageSizes(channelPages, "channels", 9, 61);
    List<String> breakdown = new ArrayList<>();
    for (JsonObject page : statusPages) {
      JsonObject stats = page.getJsonObject("stats");
      assertThat(stats.getInteger("totalChannels")).isEqualTo(61);
      assertThat(stats.getInteger("totalClients")).isEqualTo(3);
      assertThat(stats.getJsonObject("channelBreakdown").size()).isLessThanOrEqualTo(25);
      breakdown.addAll(stats.getJsonObject("channelBreakdown").fieldNames());
    }
    assertThat(breakdown).containsExactlyElementsOf(listed);
    assertThat(statusPages).hasSize(3);
  }

  @Test
  void walkingAChannelsSubscriberPagesListsEachSubscriberOnce() {
    String channel = channel("crowd");
    List<String> ids = connectMany(75);
    for (WsClient client : trackedClients) {
      join(client, channel);
    }

    List<JsonObject> pages = walk("/api/channels/" + channel, 20);

    List<String> listed = new ArrayList<>();
    for (JsonObject page : pages) {
      assertThat(page.getString("name")).isEqualTo(channel);
      assertThat(page.getInteger("subscribers")).isEqualTo(75);
      page.getJsonArray("connections").forEach(id -> listed.add((String) id));
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(ids).isSorted();
    assertPageSizes(pages, "connections", 20, 75);
  }

  @ParameterizedTest(name = "limit={0}")
  @CsvSource(
      value = {"0|0", "1001|1001", "-1|-1", "ten|ten", "2.5|2.5", "\"\"|\"\"", "9&limit=9|9,9"},
      delimiter = '|',
      quoteCharacter = '"')
  void aBadLimitIs400NamingTheParameterAndTheRule(String limit, String shown) {
    for (String route :
        List.of(
            "/api/connections",
            "/api/websocket/status",
            "/api/channels",
            "/ws/status",
            "/api/channels/anything")) {
      HttpResponse<Buffer> response = adminGet(route + "?limit=" + limit);

      assertThat(response.statusCode()).as(route).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getJsonObject("error"))
          .as(route)
          .isEqualTo(
              new JsonObject()
                  .put("code", "bad_request")
                  .put("message", LIMIT_RULE + "'" + shown + "'"));
    }
  }

  @Test
  void aCursorThatNoPageHandedOutIs400() {
    String notBase64 = "not*a*cursor";
    String channelCursor = cursor("channel|news");
    String empty = cursor("connection|");

    assertCursorRefused("/api/connections", notBase64, "connection");
    assertCursorRefused("/api/connections", channelCursor, "connection");
    assertCursorRefused("/api/websocket/status", empty, "connection");
    assertCursorRefused("/api/channels/news", channelCursor, "connection");
    assertCursorRefused("/api/channels", cursor("connection|ws_1_1"), "channel");
    assertCursorRefused("/ws/status", notBase64, "channel");
  }

  @Test
  void aCursorOfOneChannelListingServesTheOther() {
    connectMany(1);
    joinChannels(4);
    String next = adminGet("/api/channels?limit=2").bodyAsJsonObject().getString("next");

    JsonObject status =
        adminGet("/ws/status?limit=2&cursor=" + next).bodyAsJsonObject().getJsonObject("stats");
    JsonObject channels = adminGet("/api/channels?limit=2&cursor=" + next).bodyAsJsonObject();

    assertThat(new ArrayList<>(status.getJsonObject("channelBreakdown").fieldNames()))
        .containsExactlyElementsOf(
            channels.getJsonArray("channels").stream()
                .map(c -> ((JsonObject) c).getString("name"))
                .toList());
  }

  private void assertCursorRefused(String route, String cursor, String kind) {
    HttpResponse<Buffer> response =
        adminGet(route + "?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));

    assertThat(response.statusCode()).as(route + " " + cursor).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error"))
        .as(route + " " + cursor)
        .isEqualTo(
            new JsonObject()
                .put("code", "bad_request")
                .put(
                    "message",
                    "query parameter 'cursor' must be the 'next' value of a previous page of this "
                        + kind
                        + " listing, was '"
                        + cursor
                        + "'"));
  }

  private static String cursor(String content) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(content.getBytes(StandardCharsets.UTF_8));
  }

  /** Every page of a listing, following {@code next} until it is null. */
  private List<JsonObject> walk(String route, int limit) {
    List<JsonObject> pages = new ArrayList<>();
    String next = null;
    do {
      String uri = route + "?limit=" + limit + (next == null ? "" : "&cursor=" + next);
      HttpResponse<Buffer> response = adminGet(uri);
      assertThat(response.statusCode()).as(uri).isEqualTo(200);
      JsonObject page = response.bodyAsJsonObject();
      assertThat(page.containsKey("next")).as("%s has next", uri).isTrue();
      pages.add(page);
      next = page.getString("next");
      assertThat(pages.size()).as("pages of " + route).isLessThan(1_000);
    } while (next != null);
    return pages;
  }

  /** Every page but the last is full; the last holds the rest. */
  private static void assertPageSizes(List<JsonObject> pages, String field, int limit, int total) {
    Function<JsonObject, Integer> size = page -> page.getJsonArray(field, new JsonArray()).size();
    assertThat(pages).hasSize((total + limit - 1) / limit);
    for (int i = 0; i < pages.size() - 1; i++) {
      assertThat(size.apply(pages.get(i))).as("page %d", i).isEqualTo(limit);
    }
    assertThat(size.apply(pages.get(pages.size() - 1)))
        .isEqualTo(total - limit * (pages.size() - 1));
  }

  private final List<WsClient> trackedClients = new ArrayList<>();

  /** Vert.x's WebSocket client holds at most 50 connections to one server unless told more. */
  private WebSocketClient manyClient;

  @BeforeEach
  void forgetClients() {
    trackedClients.clear();
    if (manyClient == null) {
      manyClient =
          clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1_000));
    }
  }

  private List<String> connectMany(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      WsClient client = track(WsClient.connect(manyClient, server.wsPort()));
      trackedClients.add(client);
      ids.add(client.connectionId());
    }
    return ids;
  }

  /** Joins {@code count} new channels, dealt out over the clients of {@link #connectMany}. */
  private List<String> joinChannels(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = channel("page");
      join(trackedClients.get(i % trackedClients.size()), name);
      names.add(name);
    }
    return names;
  }
}
