package io.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Plugins' own error codes: their form, and how error frames and bus failures carry them. */
class PluginErrorCodeTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "polls|closed|polls.closed",
        "my-plugin2|too_many_votes|my-plugin2.too_many_votes",
        "9lives|x1|9lives.x1"
      })
  void aCodeIsThePluginsNameADotAndALowerSnakeCaseName(String plugin, String name, String code) {
    PluginErrorCode built = PluginErrorCode.of(plugin, name, false);

    assertThat(built.code()).isEqualTo(code);
    assertThat(PluginErrorCode.fromCode(code, false)).contains(built);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Polls|closed|a plugin error code starts with the plugin's name (1 to 63 lower-case"
            + " letters, digits and dashes), was 'Polls'",
        "-polls|closed|a plugin error code starts with the plugin's name (1 to 63 lower-case"
            + " letters, digits and dashes), was '-polls'",
        "polls|Closed|a plugin error code's name is 1 to 63 lower-case letters, digits and"
            + " underscores starting with a letter (e.g. 'closed' in 'polls.closed'), was 'Closed'",
        "polls|not-snake|a plugin error code's name is 1 to 63 lower-case letters, digits and"
            + " underscores starting with a letter (e.g. 'closed' in 'polls.closed'), was"
            + " 'not-snake'",
        "polls|1st|a plugin error code's name is 1 to 63 lower-case letters, digits and"
            + " underscores starting with a letter (e.g. 'closed' in 'polls.closed'), was '1st'",
        "polls|a.b|a plugin error code's name is 1 to 63 lower-case letters, digits and"
            + " underscores starting with a letter (e.g. 'closed' in 'polls.closed'), was 'a.b'"
      })
  void aMalformedCodeCannotBeMade(String plugin, String name, String message) {
    assertThatThrownBy(() -> PluginErrorCode.of(plugin, name, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({
    "polls.closed,true,polls.closed,true",
    "polls.closed,false,polls.closed,false",
    "forbidden,true,forbidden,false",
    "Polls.closed,false,internal,true",
    "polls.Closed,false,internal,true",
    "a.b.c,false,internal,true",
    "nope,false,internal,true",
    "'',false,internal,true"
  })
  void anErrorFrameKeepsAPluginsCodeAndItsRetryableFlagAndNothingElseUnknown(
      String code, boolean retryable, String read, boolean readRetryable) {
    ProtocolError error =
        ProtocolError.fromJson(
            new JsonObject().put("code", code).put("message", "m").put("retryable", retryable));

    assertThat(error.code().code()).isEqualTo(read);
    assertThat(error.retryable()).isEqualTo(readRetryable);
    assertThat(error.message()).isEqualTo(read.equals(code) ? "m" : code + ": m");
  }

  @Test
  void aPluginsCodeIsWrittenAsItIs() {
    ProtocolError error =
        ProtocolError.of(PluginErrorCode.of("polls", "busy", true), "vote again in a moment");

    assertThat(error.toJson())
        .isEqualTo(
            new JsonObject()
                .put("code", "polls.busy")
                .put("message", "vote again in a moment")
                .put("retryable", true));
    assertThat(ProtocolError.fromJson(error.toJson())).isEqualTo(error);
  }

  @ParameterizedTest
  @CsvSource({"503,true", "422,false"})
  void aBusFailureCarryingOnlyTextKeepsAPluginsCodeRetryableBy503(int status, boolean retryable) {
    ReplyException failure =
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, "polls.busy: try later");

    assertThat(BusErrors.protocolError(failure))
        .contains(ProtocolError.of(PluginErrorCode.of("polls", "busy", retryable), "try later"));
  }

  @Test
  void theHttpStatusOfAPluginsCodeSaysWhetherItIsRetryable() {
    assertThat(PluginErrorCode.of("polls", "busy", true).httpStatus()).isEqualTo(503);
    assertThat(PluginErrorCode.of("polls", "closed", false).httpStatus()).isEqualTo(422);
  }
}
