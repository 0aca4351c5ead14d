package io.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.protocol.ProtocolException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of a broadcast's body with its exact refusal: the table is the specification. Rules
 * apply in order (the body, then type, data, channel, userId, organizationId, and at least one
 * target), so each row breaks one rule and passes those before it.
 */
class BroadcastRequestTest {

  private static final String LONG_101 = "t".repeat(101);
  private static final String LONG_201 = "u".repeat(201);

  static Stream<Arguments> refusals() {
    return Stream.of(
        row(
            "an array",
            new JsonArray().add(1),
            "bad_request",
            "the broadcast must be a JSON object, was an array"),
        row(
            "a string",
            "hello",
            "bad_request",
            "the broadcast must be a JSON object, was a string"),
        row("null", null, "bad_request", "the broadcast must be a JSON object, was null"),
        row(
            "no type",
            body().put("channel", "c").put("data", 1),
            "bad_request",
            "field 'type' is required"),
        row(
            "a null type",
            body().putNull("type").put("channel", "c").put("data", 1),
            "bad_request",
            "field 'type' is required"),
        row(
            "a number as type",
            body().put("type", 7).put("channel", "c").put("data", 1),
            "bad_request",
            "field 'type' must be a string, was a number"),
        row(
            "an empty type",
            body().put("type", "").put("channel", "c").put("data", 1),
            "bad_request",
            "field 'type' must be 1 to 100 characters, was ''"),
        row(
            "a type of 101 characters",
            body().put("type", LONG_101).put("channel", "c").put("data", 1),
            "bad_request",
            "field 'type' must be 1 to 100 characters, was '"
                + "t".repeat(40)
                + "…' (101 characters)"),
        row(
            "no data",
            body().put("type", "T").put("channel", "c"),
            "bad_request",
            "field 'data' is required"),
        row(
            "a number as channel",
            body().put("type", "T").put("data", 1).put("channel", 3),
            "bad_request",
            "field 'channel' must be a string, was a number"),
        row(
            "an empty channel",
            body().put("type", "T").put("data", 1).put("channel", ""),
            "bad_request",
            "field 'channel' must not be empty"),
        row(
            "a channel of 201 characters",
            body().put("type", "T").put("data", 1).put("channel", LONG_201),
            "bad_request",
            "field 'channel' must be at most 200 characters, was '"
                + "u".repeat(40)
                + "…' (201 characters)"),
        row(
            "a space in the channel",
            body().put("type", "T").put("data", 1).put("channel", "a b"),
            "bad_request",
            "field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found U+0020 at index 1"),
        row(
            "a slash in the channel",
            body().put("type", "T").put("data", 1).put("channel", "a/b"),
            "bad_request",
            "field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found '/' at index 1"),
        row(
            "a server channel",
            body().put("type", "T").put("data", 1).put("channel", "$telemetry"),
            "forbidden",
            "broadcasts may not target '$' channels; '$telemetry' belongs to the server"),
        row(
            "a number as userId",
            body().put("type", "T").put("data", 1).put("userId", 5),
            "bad_request",
            "field 'userId' must be a string, was a number"),
        row(
            "an empty userId",
            body().put("type", "T").put("data", 1).put("userId", ""),
            "bad_request",
            "field 'userId' must be 1 to 200 characters, was ''"),
        row(
            "a userId of 201 characters",
            body().put("type", "T").put("data", 1).put("userId", LONG_201),
            "bad_request",
            "field 'userId' must be 1 to 200 characters, was '"
                + "u".repeat(40)
                + "…' (201 characters)"),
        row(
            "an object as organizationId",
            body().put("type", "T").put("data", 1).put("organizationId", new JsonObject()),
            "bad_request",
            "field 'organizationId' must be a string, was an object"),
        row(
            "an empty organizationId",
            body().put("type", "T").put("data", 1).put("organizationId", ""),
            "bad_request",
            "field 'organizationId' must be 1 to 200 characters, was ''"),
        row(
            "no target",
            body().put("type", "T").put("data", 1),
            "bad_request",
            "a broadcast needs at least one target: channel, userId or organizationId"),
        row(
            "only null targets",
            body().put("type", "T").put("data", 1).putNull("channel").putNull("userId"),
            "bad_request",
            "a broadcast needs at least one target: channel, userId or organizationId"));
  }

  private static Arguments row(String name, Object body, String code, String message) {
    return Arguments.of(name, body, code, message);
  }

  private static JsonObject body() {
    return new JsonObject();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void aBroadcastBreakingARuleIsRefusedWithItsCodeAndSentence(
      String name, Object body, String code, String message) {
    assertThatThrownBy(() -> BroadcastRequest.parse(body))
        .isInstanceOf(ProtocolException.class)
        .satisfies(
            e -> {
              assertThat(((ProtocolException) e).error().code().code()).isEqualTo(code);
              assertThat(((ProtocolException) e).error().message()).isEqualTo(message);
            });
  }

  @Test
  void aValidBroadcastKeepsEveryTargetTheTypeAndTheData() {
    JsonObject data = new JsonObject().put("message", "maintenance");

    BroadcastRequest request =
        BroadcastRequest.parse(
            body()
                .put("channel", "jobs:eu")
                .put("userId", "alice")
                .put("organizationId", "acme")
                .put("type", "SYSTEM_ALERT")
                .put("data", data));

    assertThat(request)
        .isEqualTo(new BroadcastRequest("jobs:eu", "alice", "acme", "SYSTEM_ALERT", data));
  }

  @Test
  void eachTargetAloneIsEnoughAndTheOthersStayNull() {
    assertThat(BroadcastRequest.parse(body().put("type", "T").put("data", 1).put("channel", "c")))
        .isEqualTo(new BroadcastRequest("c", null, null, "T", 1));
    assertThat(BroadcastRequest.parse(body().put("type", "T").put("data", 1).put("userId", "u")))
        .isEqualTo(new BroadcastRequest(null, "u", null, "T", 1));
    assertThat(
            BroadcastRequest.parse(
                body().put("type", "T").put("data", 1).put("organizationId", "o")))
        .isEqualTo(new BroadcastRequest(null, null, "o", "T", 1));
  }

  @Test
  void theLimitsThemselvesAreAllowed() {
    String type = "t".repeat(BroadcastRequest.MAX_TYPE_LENGTH);
    String id = "u".repeat(BroadcastRequest.MAX_IDENTITY_LENGTH);

    BroadcastRequest request =
        BroadcastRequest.parse(
            body()
                .put("type", type)
                .put("data", 1)
                .put("channel", "c".repeat(200))
                .put("userId", id)
                .put("organizationId", id));

    assertThat(request.type()).hasSize(100);
    assertThat(request.channel()).hasSize(200);
    assertThat(request.userId()).hasSize(200);
    assertThat(request.organizationId()).hasSize(200);
  }

  @Test
  void dataMayBeAnyJsonValueNullIncluded() {
    for (Object data : new Object[] {null, "text", 4.5, false, new JsonArray().add("x")}) {
      JsonObject body = body().put("type", "T").put("channel", "c").put("data", data);

      assertThat(BroadcastRequest.parse(body).data()).isEqualTo(data);
    }
  }
}
