package io.switchboard.examples.jvmservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.PluginErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolFailure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

/** How the service prints a failed request: from the typed error the node answered with. */
class ServiceVerticleTest {

  @Test
  void aRefusalIsPrintedByItsCodeAndSentence() {
    ProtocolFailure refused =
        ProtocolFailure.of(ProtocolError.forbidden("broadcasts may not target '$' channels"));

    assertThat(ServiceVerticle.describe(refused))
        .isEqualTo("forbidden: broadcasts may not target '$' channels");
  }

  @Test
  void aRetryableErrorSaysSoEvenWhenItsStatusDoesNot() {
    ProtocolFailure busy =
        ProtocolFailure.of(
            ProtocolError.of(PluginErrorCode.of("polls", "busy", true), "vote again"), 422);

    assertThat(ServiceVerticle.describe(busy)).isEqualTo("polls.busy (retryable): vote again");
  }

  @Test
  void aTimeoutIsPrintedByItsMessage() {
    ReplyException timeout = new ReplyException(ReplyFailure.TIMEOUT, "Timed out after 30000ms");

    assertThat(ServiceVerticle.describe(timeout)).isEqualTo("Timed out after 30000ms");
  }
}
