package io.switchboard.plugins.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The organisation of a job posting is the sender's, as its token says, never the one its payload
 * names: the attack of a client without an organisation (or of another one) posting to acme, and
 * the legitimate posting, with clients whose identity comes from real tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsPluginSecurityIT {

  private TestServer server;
  private Vertx vertx;
  private WebSocketClient wsClient;
  private final List<WsClient> clients = new ArrayList<>();

  @BeforeAll
  void start() {
    server =
        TestServer.start(
            new JsonObject().put("auth", Tokens.authConfig().put("anonymous", true)),
            List.of(new JobsPlugin()));
    vertx = Vertx.vertx();
    wsClient = vertx.createWebSocketClient();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
    clients.clear();
  }

  @AfterAll
  void stop() {
    server.close();
    Await.result(vertx.close());
  }

  private WsClient connect(String user, String organization) {
    JsonObject claims = Tokens.claims(user);
    if (organization != null) {
      claims.put("org", organization);
    }
    WsClient client =
        WsClient.connect(wsClient, server.wsPort(), "/ws?token=" + Tokens.hs256(claims), null);
    clients.add(client);
    return client;
  }

  private WsClient connectAnonymously() {
    WsClient client = WsClient.connect(wsClient, server.wsPort());
    clients.add(client);
    return client;
  }

  private static JsonObject job(JsonObject data) {
    return new JsonObject().put("type", "JOB_DESCRIPTION").put("id", "j").put("data", data);
  }

  @Test
  void aClientWithoutAnOrganisationCannotPostToOneByNamingItInThePayload() {
    WsClient acmeMember = connect("alice", "acme");
    WsClient mallory = connect("mallory", null);
    WsClient anonymous = connectAnonymously();

    JsonObject fromMallory =
        mallory.request(job(new JsonObject().put("organizationId", "acme").put("title", "Free")));
    JsonObject fromAnonymous =
        anonymous.request(job(new JsonObject().put("organizationId", "acme").put("title", "Free")));

    for (JsonObject error : List.of(fromMallory, fromAnonymous)) {
      assertThat(error.getJsonObject("error"))
          .isEqualTo(
              new JsonObject()
                  .put("code", "forbidden")
                  .put(
                      "message",
                      "jobs are posted to the sender's own organisation, and this connection has"
                          + " none")
                  .put("retryable", false));
    }
    acmeMember.assertNothingReceived();
  }

  @Test
  void aClientOfAnotherOrganisationCannotPostToAcmeAndIsToldBothNames() {
    WsClient acmeMember = connect("alice", "acme");
    WsClient globexMember = connect("gus", "globex");
    WsClient intruder = connect("ian", "globex");

    JsonObject error =
        intruder.request(job(new JsonObject().put("organizationId", "acme").put("title", "Free")));

    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("forbidden");
    assertThat(error.getJsonObject("error").getString("message"))
        .isEqualTo(
            "a connection of organisation 'globex' may not post jobs to organisation 'acme'");
    acmeMember.assertNothingReceived();
    globexMember.assertNothingReceived();
  }

  @Test
  void aMemberPostsToItsOwnOrganisationOnlyWithTheServersFieldsNotThePayloads() {
    WsClient recruiter = connect("rita", "acme");
    WsClient acmeMember = connect("alice", "acme");
    WsClient globexMember = connect("gus", "globex");

    recruiter.send(
        job(
            new JsonObject()
                .put("title", "Engineer")
                .put("postedBy", "the-ceo")
                .put("verified", true)));

    JsonObject posting = acmeMember.next("message");
    assertThat(posting.getString("event")).isEqualTo("JOB_DESCRIPTION");
    JsonObject data = posting.getJsonObject("data");
    assertThat(data.fieldNames())
        .containsExactlyInAnyOrder("organizationId", "title", "postedBy", "postedAt");
    assertThat(data.getString("organizationId")).isEqualTo("acme");
    assertThat(data.getString("postedBy")).isEqualTo(recruiter.connectionId());
    assertThat(List.of(recruiter.next(), recruiter.next()))
        .extracting(f -> f.getString("type"))
        .containsExactlyInAnyOrder("message", "ack");
    globexMember.assertNothingReceived();
  }

  @Test
  void namingTheSendersOwnOrganisationIsStillAccepted() {
    WsClient recruiter = connect("rita", "acme");
    WsClient acmeMember = connect("alice", "acme");

    recruiter.send(job(new JsonObject().put("organizationId", "acme").put("title", "Designer")));

    assertThat(acmeMember.next("message").getJsonObject("data").getString("title"))
        .isEqualTo("Designer");
  }
}
