package io.switchboard.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The namespace rules, read from the connection's verified identity: one namespace per rule, each
 * rule for joining and for publishing, tried by eight identities. The matrix below is the
 * specification: Y allowed, F {@code forbidden} naming the rule, N {@code not_subscribed}. Then
 * unknown namespaces, the server's {@code $} channels, the default namespaces and the channel cap.
 */
class NamespaceIT extends HostileServerBase {

  private static final int MAX_CHANNELS = 3;
  private static final String CONFIGURED =
      "\"\", $, anyone, authn, chat, closed, granted, org, subs, user";
  private static final List<String> ROOMS =
      List.of(
          "anyone:room",
          "authn:room",
          "user:alice",
          "org:acme",
          "subs:room",
          "granted:room",
          "closed:room");

  private TestServer development;

  /** Who connects, and how. */
  enum Who {
    ANONYMOUS(false, "/ws"),
    QUERY_ALICE_OF_ACME(true, "/ws?userId=alice&organizationId=acme"),
    ALICE(false, token(Tokens.claims("alice"))),
    ALICE_OF_ACME(false, token(Tokens.claims("alice").put("org", "acme"))),
    BOB_OF_ACME(false, token(Tokens.claims("bob").put("org", "acme"))),
    BOB_GRANTED_EACH_ROOM(false, token(Tokens.claims("bob").put("channels", new JsonArray(ROOMS)))),
    BOB_GRANTED_EACH_PREFIX(false, token(Tokens.claims("bob").put("channels", prefixes()))),
    CAROL_OF_GLOBEX(false, token(Tokens.claims("carol").put("org", "globex"))),
    BOB_GRANTED_EVERYTHING(
        false, token(Tokens.claims("bob").put("channels", new JsonArray().add("*")))),
    BOB_GRANTED_DOLLAR_OTHER(
        false, token(Tokens.claims("bob").put("channels", new JsonArray().add("$other"))));

    final boolean development;
    final String uri;

    Who(boolean development, String uri) {
      this.development = development;
      this.uri = uri;
    }

    private static String token(JsonObject claims) {
      return "/ws?token=" + Tokens.hs256(claims);
    }

    private static JsonArray prefixes() {
      JsonArray prefixes = new JsonArray();
      ROOMS.forEach(room -> prefixes.add(room.substring(0, room.indexOf(':') + 1) + "*"));
      return prefixes;
    }
  }

  /** The eight identities of the matrix, in its column order. */
  private static final List<Who> COLUMNS =
      List.of(
          Who.ANONYMOUS,
          Who.QUERY_ALICE_OF_ACME,
          Who.ALICE,
          Who.ALICE_OF_ACME,
          Who.BOB_OF_ACME,
          Who.BOB_GRANTED_EACH_ROOM,
          Who.BOB_GRANTED_EACH_PREFIX,
          Who.CAROL_OF_GLOBEX);

  enum Action {
    JOIN,
    /** Publishing to a channel not joined. */
    PUBLISH,
    /** Joining (which must succeed), then publishing. */
    JOIN_THEN_PUBLISH
  }

  /** The expected answer: allowed, or an error of this code and message. */
  record Outcome(String code, String message) {
    static final Outcome ALLOWED = new Outcome(null, null);

    @Override
    public String toString() {
      return code == null ? "allowed" : code;
    }
  }

  @Override
  protected JsonObject overrides() {
    return new JsonObject()
        .put("auth", new JsonObject().put("jwtSecret", Tokens.SECRET).put("anonymous", true))
        .put("limits", new JsonObject().put("maxChannelsPerConnection", MAX_CHANNELS))
        .put("channels", new JsonObject().put("namespaces", namespaces()));
  }

  private static JsonObject namespaces() {
    return new JsonObject()
        .put("anyone", rules("anyone", "anyone"))
        .put("authn", rules("authenticated", "authenticated"))
        .put("user", rules("owner", "owner"))
        .put("org", rules("members", "members"))
        .put("subs", rules("anyone", "subscribers"))
        .put("granted", rules("granted", "granted"))
        .put("closed", rules("nobody", "nobody"));
  }

  private static JsonObject rules(String join, String publish) {
    return new JsonObject().put("join", join).put("publish", publish);
  }

  @Override
  protected String controlUri(String user) {
    return "/ws?token=" + Tokens.forUser(user);
  }

  @BeforeAll
  void startTheDevelopmentServer() {
    development =
        TestServer.start(
            production(
                new JsonObject()
                    .put("limits", new JsonObject().put("maxChannelsPerConnection", MAX_CHANNELS))
                    .put("channels", new JsonObject().put("namespaces", namespaces()))));
  }

  @AfterAll
  void theDevelopmentServerStillServesThenStops() {
    try {
      assertControlServes(wsClient, development.wsPort(), user -> "/ws?userId=" + user);
    } finally {
      development.close();
    }
  }

  static Stream<Arguments> matrix() {
    List<Arguments> rows = new ArrayList<>();
    // Columns: anonymous, query alice@acme, alice, alice@acme, bob@acme, bob granted each room,
    //          bob granted each prefix, carol@globex.
    cells(rows, Action.JOIN, "anyone:room", "Y Y Y Y Y Y Y Y");
    cells(rows, Action.JOIN, "authn:room", "F Y Y Y Y Y Y Y");
    cells(rows, Action.JOIN, "user:alice", "F Y Y Y F Y Y F");
    cells(rows, Action.JOIN, "org:acme", "F Y F Y Y Y Y F");
    cells(rows, Action.JOIN, "subs:room", "Y Y Y Y Y Y Y Y");
    cells(rows, Action.JOIN, "granted:room", "F F F F F Y Y F");
    cells(rows, Action.JOIN, "closed:room", "F F F F F Y Y F");
    cells(rows, Action.PUBLISH, "anyone:room", "Y Y Y Y Y Y Y Y");
    cells(rows, Action.PUBLISH, "authn:room", "F Y Y Y Y Y Y Y");
    cells(rows, Action.PUBLISH, "user:alice", "F Y Y Y F F F F");
    cells(rows, Action.PUBLISH, "org:acme", "F Y F Y Y F F F");
    cells(rows, Action.PUBLISH, "subs:room", "N N N N N N N N");
    cells(rows, Action.PUBLISH, "granted:room", "F F F F F Y Y F");
    cells(rows, Action.PUBLISH, "closed:room", "F F F F F F F F");
    cells(rows, Action.JOIN_THEN_PUBLISH, "subs:room", "Y Y Y Y Y Y Y Y");
    cells(rows, Action.JOIN_THEN_PUBLISH, "anyone:room", "Y Y Y Y Y Y Y Y");
    cells(rows, Action.JOIN_THEN_PUBLISH, "closed:room", "- - - - - F F -");
    cells(rows, Action.JOIN_THEN_PUBLISH, "user:alice", "- Y Y Y - F F -");
    return rows.stream();
  }

  static Stream<Arguments> elsewhere() {
    Outcome telemetryAnonymous =
        forbidden("joining", "$telemetry", "$", "$", "authenticated", "join");
    return Stream.of(
        // Namespaces that are not configured do not exist.
        row(Who.ANONYMOUS, Action.JOIN, "nope:room", unknownNamespace("nope:room", "nope")),
        row(Who.ALICE_OF_ACME, Action.JOIN, "nope:room", unknownNamespace("nope:room", "nope")),
        row(
            Who.BOB_GRANTED_EVERYTHING,
            Action.JOIN,
            "nope:room",
            unknownNamespace("nope:room", "nope")),
        row(Who.ALICE, Action.PUBLISH, "nope:room", unknownNamespace("nope:room", "nope")),
        row(Who.ANONYMOUS, Action.JOIN, "a:b:c", unknownNamespace("a:b:c", "a")),
        row(Who.ANONYMOUS, Action.JOIN, "USER:alice", unknownNamespace("USER:alice", "USER")),
        row(Who.ANONYMOUS, Action.JOIN, ":room", Outcome.ALLOWED),
        // The server's $ channels.
        row(Who.ANONYMOUS, Action.JOIN, "$telemetry", telemetryAnonymous),
        row(Who.QUERY_ALICE_OF_ACME, Action.JOIN, "$telemetry", Outcome.ALLOWED),
        row(Who.ALICE, Action.JOIN, "$telemetry", Outcome.ALLOWED),
        row(Who.ANONYMOUS, Action.JOIN, "$other", noSuchServerChannel("$other")),
        row(Who.ALICE, Action.JOIN, "$other", noSuchServerChannel("$other")),
        row(Who.ALICE, Action.JOIN, "$", noSuchServerChannel("$")),
        row(Who.ALICE, Action.JOIN, "$telemetry:x", noSuchServerChannel("$telemetry:x")),
        row(Who.BOB_GRANTED_DOLLAR_OTHER, Action.JOIN, "$other", noSuchServerChannel("$other")),
        row(Who.BOB_GRANTED_EVERYTHING, Action.JOIN, "$telemetry", Outcome.ALLOWED),
        row(Who.ANONYMOUS, Action.PUBLISH, "$telemetry", serverChannel("$telemetry")),
        row(Who.ALICE_OF_ACME, Action.PUBLISH, "$telemetry", serverChannel("$telemetry")),
        row(Who.BOB_GRANTED_EVERYTHING, Action.PUBLISH, "$telemetry", serverChannel("$telemetry")),
        row(Who.ALICE, Action.PUBLISH, "$other", serverChannel("$other")),
        row(Who.ALICE, Action.JOIN_THEN_PUBLISH, "$telemetry", serverChannel("$telemetry")),
        // A grant of everything joins everything, and publishes only where a rule allows it.
        row(Who.BOB_GRANTED_EVERYTHING, Action.JOIN, "closed:room", Outcome.ALLOWED),
        row(Who.BOB_GRANTED_EVERYTHING, Action.JOIN, "user:alice", Outcome.ALLOWED),
        row(
            Who.BOB_GRANTED_EVERYTHING,
            Action.PUBLISH,
            "user:alice",
            forbidden("publishing to", "user:alice", "user", "user", "owner", "publish")),
        row(Who.BOB_GRANTED_EVERYTHING, Action.PUBLISH, "granted:room", Outcome.ALLOWED),
        // Owner and members compare the whole id after the prefix.
        row(
            Who.ALICE,
            Action.JOIN,
            "user:alice2",
            forbidden("joining", "user:alice2", "user", "user", "owner", "join")),
        row(
            Who.ALICE,
            Action.JOIN,
            "user:ALICE",
            forbidden("joining", "user:ALICE", "user", "user", "owner", "join")),
        row(
            Who.ALICE_OF_ACME,
            Action.JOIN,
            "org:acme:x",
            forbidden("joining", "org:acme:x", "org", "org", "members", "join")),
        row(
            Who.ALICE,
            Action.JOIN,
            "user:",
            forbidden("joining", "user:", "user", "user", "owner", "join")),
        // The default namespaces, as this server keeps them.
        row(Who.ANONYMOUS, Action.JOIN, "room", Outcome.ALLOWED),
        row(
            Who.ALICE,
            Action.PUBLISH,
            "room",
            forbidden("publishing to", "room", "\"\"", "\"\"", "nobody", "publish")),
        row(Who.ANONYMOUS, Action.JOIN, "chat:lobby", Outcome.ALLOWED),
        row(Who.ALICE, Action.PUBLISH, "chat:lobby", notSubscribed("chat:lobby", "chat")),
        row(Who.ANONYMOUS, Action.JOIN_THEN_PUBLISH, "chat:lobby", Outcome.ALLOWED));
  }

  @ParameterizedTest(name = "[{index}] {0} {1} {2} -> {3}")
  @MethodSource({"matrix", "elsewhere"})
  void theNamespaceRuleDecidesByTheVerifiedIdentity(
      Who who, Action action, String channel, Outcome expected) {
    WsClient client = track(connectAs(who));
    if (action == Action.JOIN_THEN_PUBLISH) {
      join(client, channel);
    }

    JsonObject answer =
        client.request(
            action == Action.JOIN
                ? new JsonObject().put("type", "join").put("channel", channel).put("id", "a")
                : new JsonObject()
                    .put("type", "publish")
                    .put("channel", channel)
                    .put("id", "a")
                    .put("data", "from " + who));

    if (expected.code() == null) {
      String type =
          switch (action) {
            case JOIN -> "subscription_confirmed";
            case PUBLISH -> "ack";
            case JOIN_THEN_PUBLISH -> "message";
          };
      if (action == Action.JOIN_THEN_PUBLISH && answer.getString("type").equals("ack")) {
        // The ack and the publisher's own copy travel apart: either may come first.
        answer = client.next();
      } else if (action == Action.JOIN_THEN_PUBLISH) {
        assertThat(client.next("ack").getString("id")).isEqualTo("a");
      }
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo(type);
      if (action != Action.PUBLISH) {
        assertThat(answer.getString("channel")).isEqualTo(channel);
      }
    } else {
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("error");
      assertThat(answer.getString("id")).isEqualTo("a");
      assertThat(answer.getJsonObject("error").getString("code")).isEqualTo(expected.code());
      assertThat(answer.getJsonObject("error").getString("message")).isEqualTo(expected.message());
    }
    assertThat(client.request(new JsonObject().put("type", "ping")).getString("type"))
        .isEqualTo("pong");
    rowDone();
  }

  static Stream<Arguments> atTheChannelCap() {
    String capped =
        "a connection may join at most "
            + MAX_CHANNELS
            + " channels (limits.maxChannelsPerConnection); leave one first";
    return Stream.of(
        cap(List.of(), join("anyone:d"), new Outcome("limit_exceeded", capped)),
        cap(
            List.of(),
            join("anyone:a"),
            new Outcome("already_subscribed", "already subscribed to channel 'anyone:a'")),
        cap(
            List.of(),
            join("closed:room"),
            forbidden("joining", "closed:room", "closed", "closed", "nobody", "join")),
        cap(List.of(), join("nope:x"), unknownNamespace("nope:x", "nope")),
        cap(List.of(), join("$other"), noSuchServerChannel("$other")),
        cap(
            List.of(),
            join("bad channel"),
            new Outcome(
                "bad_request",
                "field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found U+0020 at index 3")),
        cap(List.of(leave("anyone:b")), join("anyone:d"), Outcome.ALLOWED),
        cap(
            List.of(join("subs:d")),
            new JsonObject().put("type", "publish").put("channel", "subs:d").put("data", 1),
            notSubscribed("subs:d", "subs")),
        cap(
            List.of(join("subs:d")),
            leave("subs:d"),
            new Outcome("not_subscribed", "not subscribed to channel 'subs:d'; join it first")));
  }

  @ParameterizedTest(name = "[{index}] {0} then {1} -> {2}")
  @MethodSource("atTheChannelCap")
  void aConnectionHoldingItsMaximumOfChannels(
      List<JsonObject> before, JsonObject frame, Outcome expected) {
    WsClient client = track(connectAs(Who.ANONYMOUS));
    for (String channel : List.of("anyone:a", "anyone:b", "anyone:c")) {
      join(client, channel);
    }
    before.forEach(client::request);

    JsonObject answer = client.request(frame.copy().put("id", "x"));

    if (expected.code() == null) {
      assertThat(answer.getString("type"))
          .as("answer %s", answer)
          .isEqualTo("subscription_confirmed");
    } else {
      assertThat(answer.getJsonObject("error").getString("code"))
          .as("answer %s", answer)
          .isEqualTo(expected.code());
      assertThat(answer.getJsonObject("error").getString("message")).isEqualTo(expected.message());
    }
    assertThat(client.request(new JsonObject().put("type", "ping")).getString("type"))
        .isEqualTo("pong");
    rowDone();
  }

  private WsClient connectAs(Who who) {
    int port = who.development ? development.wsPort() : server.wsPort();
    return WsClient.connect(wsClient, port, who.uri, null);
  }

  private static void cells(List<Arguments> rows, Action action, String channel, String symbols) {
    String[] cells = symbols.split(" ");
    assertThat(cells).hasSize(COLUMNS.size());
    String namespace = channel.substring(0, channel.indexOf(':'));
    for (int i = 0; i < cells.length; i++) {
      Outcome outcome =
          switch (cells[i]) {
            case "Y" -> Outcome.ALLOWED;
            case "N" -> notSubscribed(channel, namespace);
            case "F" -> refusedByRule(action, channel, namespace);
            default -> null; // not a case: the identity may not join first
          };
      if (outcome != null) {
        rows.add(row(COLUMNS.get(i), action, channel, outcome));
      }
    }
  }

  /** The forbidden answer of the namespace's rule for the action. */
  private static Outcome refusedByRule(Action action, String channel, String namespace) {
    boolean joining = action == Action.JOIN;
    JsonObject rules = namespaces().getJsonObject(namespace);
    String rule = rules.getString(joining ? "join" : "publish");
    return forbidden(
        joining ? "joining" : "publishing to",
        channel,
        "'" + namespace + "'",
        namespace,
        rule,
        joining ? "join" : "publish");
  }

  /**
   * {@code forbidden}, worded as the README's example: {@code joining 'user:bob' is not allowed:
   * namespace 'user' lets only the user the channel is named after do that
   * (channels.namespaces.user.join: owner)}.
   */
  private static Outcome forbidden(
      String doing, String channel, String shownNamespace, String key, String rule, String action) {
    if (!shownNamespace.startsWith("'") && !shownNamespace.startsWith("\"")) {
      shownNamespace = "'" + shownNamespace + "'";
    }
    String who =
        switch (rule) {
          case "anyone" -> "lets only every connection";
          case "authenticated" -> "lets only authenticated connections";
          case "owner" -> "lets only the user the channel is named after";
          case "members" -> "lets only members of the organisation the channel is named after";
          case "granted" -> "lets only connections whose token grants the channel";
          case "nobody" -> "lets no client";
          default -> throw new IllegalArgumentException(rule);
        };
    return new Outcome(
        "forbidden",
        doing
            + " '"
            + channel
            + "' is not allowed: namespace "
            + shownNamespace
            + " "
            + who
            + " do that (channels.namespaces."
            + key
            + "."
            + action
            + ": "
            + rule
            + ")");
  }

  private static Outcome notSubscribed(String channel, String namespace) {
    return new Outcome(
        "not_subscribed",
        "not subscribed to channel '"
            + channel
            + "'; join it first (channels.namespaces."
            + namespace
            + ".publish: subscribers)");
  }

  private static Outcome unknownNamespace(String channel, String namespace) {
    return new Outcome(
        "channel_not_found",
        "channel '"
            + channel
            + "' is in namespace '"
            + namespace
            + "', which is not configured; channels.namespaces has "
            + CONFIGURED);
  }

  private static Outcome noSuchServerChannel(String channel) {
    return new Outcome(
        "channel_not_found",
        "channel '" + channel + "' does not exist; the server's own channels are $telemetry");
  }

  private static Outcome serverChannel(String channel) {
    return new Outcome(
        "forbidden",
        "clients may not publish to '$' channels; '" + channel + "' belongs to the server");
  }

  private static Arguments row(Who who, Action action, String channel, Outcome outcome) {
    return Arguments.of(who, action, channel, outcome);
  }

  private static Arguments cap(List<JsonObject> before, JsonObject frame, Outcome outcome) {
    return Arguments.of(before, frame, outcome);
  }

  private static JsonObject join(String channel) {
    return new JsonObject().put("type", "join").put("channel", channel);
  }

  private static JsonObject leave(String channel) {
    return new JsonObject().put("type", "leave").put("channel", channel);
  }
}
