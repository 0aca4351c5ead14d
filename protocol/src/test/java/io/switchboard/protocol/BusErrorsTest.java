package io.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failing, relaying and reading protocol errors on one event bus (the crossing between cluster
 * members is ClusterBusErrorsIT's, in the server module).
 */
class BusErrorsTest {

  private static final ProtocolError BUSY =
      ProtocolError.of(PluginErrorCode.of("polls", "busy", true), "vote again in a moment");

  private Vertx vertx;
  private EventBus bus;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    bus = vertx.eventBus();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aRequestFailedWithAnErrorFailsTypedWithThatError() throws Exception {
    BusErrors.registerCodec(bus);
    bus.consumer("polls.vote", request -> BusErrors.fail(request, BUSY));

    Throwable failure = failureOf(bus.request("polls.vote", "yes"));

    assertThat(failure).isInstanceOf(ProtocolFailure.class);
    assertThat(((ProtocolFailure) failure).error()).isEqualTo(BUSY);
    assertThat(((ProtocolFailure) failure).failureCode()).isEqualTo(503);
    assertThat(failure.getMessage()).isEqualTo("polls.busy: vote again in a moment");
    assertThat(BusErrors.protocolError(failure)).contains(BUSY);
  }

  @Test
  void registeringTheCodecTwiceIsHarmless() throws Exception {
    BusErrors.registerCodec(bus);
    BusErrors.registerCodec(bus);
    bus.consumer("polls.vote", request -> BusErrors.fail(request, BUSY));

    assertThat(BusErrors.protocolError(failureOf(bus.request("polls.vote", "yes")))).contains(BUSY);
  }

  @Test
  void aRelayPassesATypedFailureOnAsItIs() throws Exception {
    BusErrors.registerCodec(bus);
    ProtocolFailure refusal = ProtocolFailure.of(BUSY, 422);
    bus.consumer("polls.vote", request -> request.reply(refusal));
    bus.consumer(
        "relay",
        request ->
            bus.request("polls.vote", request.body())
                .onFailure(failure -> BusErrors.forward(request, (ReplyException) failure)));

    Throwable failure = failureOf(bus.request("relay", "yes"));

    assertThat(failure).isSameAs(refusal);
    assertThat(BusErrors.protocolError(failure)).contains(BUSY);
  }

  @Test
  void aRelayPassesTextOnAsText() throws Exception {
    BusErrors.registerCodec(bus);
    bus.consumer("polls.vote", request -> request.fail(409, "polls.closed: the poll has closed"));
    bus.consumer(
        "relay",
        request ->
            bus.request("polls.vote", request.body())
                .onFailure(failure -> BusErrors.forward(request, (ReplyException) failure)));

    Throwable failure = failureOf(bus.request("relay", "yes"));

    assertThat(failure).isNotInstanceOf(ProtocolFailure.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(409);
    assertThat(failure.getMessage()).isEqualTo("polls.closed: the poll has closed");
  }

  @Test
  void textIsReadOnlyAsAFallbackForFailuresThatWereNeverTyped() {
    assertThat(
            BusErrors.protocolError(
                new ReplyException(
                    ReplyFailure.RECIPIENT_FAILURE, 403, "forbidden: not on this channel")))
        .contains(ProtocolError.forbidden("not on this channel"));
    assertThat(
            BusErrors.protocolError(
                new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "nope: no such thing")))
        .isEmpty();
    assertThat(
            BusErrors.protocolError(
                new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "no code at all")))
        .isEmpty();
    assertThat(
            BusErrors.protocolError(
                new ReplyException(ReplyFailure.TIMEOUT, -1, "forbidden: looks like one")))
        .isEmpty();
    assertThat(BusErrors.protocolError(new IllegalStateException("forbidden: not a reply")))
        .isEmpty();
  }

  @Test
  void aTypedFailureIsNotReadFromItsText() {
    // A retryable code with a status other than 503: the text alone would say "not retryable".
    ProtocolFailure failure = ProtocolFailure.of(BUSY, 422);

    assertThat(BusErrors.protocolError(failure)).contains(BUSY);
    assertThat(
            BusErrors.protocolError(
                new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 422, failure.getMessage())))
        .map(ProtocolError::retryable)
        .contains(false);
  }

  @Test
  void aTimedOutRequestCarriesNoProtocolError() throws Exception {
    bus.consumer("polls.vote", request -> {});

    Throwable failure =
        failureOf(bus.request("polls.vote", "yes", new DeliveryOptions().setSendTimeout(50)));

    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(BusErrors.protocolError(failure)).isEmpty();
  }

  private static Throwable failureOf(Future<?> request) throws Exception {
    return request
        .map(reply -> (Throwable) new AssertionError("the request succeeded: " + reply))
        .otherwise(failure -> failure)
        .await(10, TimeUnit.SECONDS);
  }
}
