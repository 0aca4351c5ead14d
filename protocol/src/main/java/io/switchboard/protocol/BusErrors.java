package io.switchboard.protocol;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Optional;

/**
 * Carries {@link ProtocolError}s over the event bus as typed failures: a failed request is answered
 * with a {@link ProtocolFailure}, a {@link ReplyException} that holds the error itself (code,
 * sentence, {@code retryable}) besides its failure code (the HTTP status) and its text {@code
 * "<code>: <sentence>"}.
 *
 * <p>Inside one JVM the failure passes as it is. Between the members of a cluster it travels with
 * its own codec ({@value #CODEC_NAME}), which every member that sends or receives such failures
 * registers once with {@link #registerCodec(EventBus)}: the Switchboard server does at start-up,
 * and so must any other Vert.x service of the cluster that sends requests to Switchboard's
 * addresses. A member without it cannot decode a typed failure: Vert.x drops that reply (logging
 * "No message codec registered with name switchboard-protocol-error") and the request times out
 * instead.
 */
public final class BusErrors {

  /** The name of the codec that carries a {@link ProtocolFailure} between cluster members. */
  public static final String CODEC_NAME = "switchboard-protocol-error";

  private BusErrors() {}

  /**
   * Registers the codec of {@link ProtocolFailure} on an event bus, as that class's default; does
   * nothing if it is already registered. Call it once per Vert.x instance, before its first
   * request, on every member of a cluster that sends requests to Switchboard's addresses or fails
   * requests with {@link #fail}.
   */
  public static void registerCodec(EventBus eventBus) {
    try {
      eventBus.registerDefaultCodec(ProtocolFailure.class, new ProtocolFailureCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another Switchboard server, or the application itself, shares this Vert.x instance.
    }
  }

  /** Fails a request with a protocol error, typed ({@link ProtocolFailure#of(ProtocolError)}). */
  public static void fail(Message<?> request, ProtocolError error) {
    request.reply(ProtocolFailure.of(error));
  }

  /**
   * Fails a request with the failure of a request made on its behalf (a relay to another verticle
   * or node): a {@link ProtocolFailure} goes on as it is, typed; any other {@link ReplyException}
   * goes on as text with its failure code and message.
   */
  public static void forward(Message<?> request, ReplyException refused) {
    if (refused instanceof ProtocolFailure) {
      request.reply(refused);
    } else {
      request.fail(refused.failureCode(), refused.getMessage());
    }
  }

  /**
   * Reads the protocol error out of a failed request, if the consumer answered with one; empty for
   * timeouts, missing consumers and failures that carry no error code.
   *
   * <p>A {@link ProtocolFailure} gives its error as it is. Text is read only as a fallback, for
   * failures that were never typed: a consumer that called {@code message.fail(status, "<code>:
   * <sentence>")} itself (a plugin's verticle, a client of the TCP event-bus bridge answering a
   * request), or a member of the cluster that did not register the codec. Such a failure is read
   * back from its {@code "<code>: <sentence>"}; a plugin's code read so is retryable when its
   * failure code is {@value PluginErrorCode#RETRYABLE_STATUS}, since text has no other place for
   * the flag.
   */
  public static Optional<ProtocolError> protocolError(Throwable failure) {
    if (failure instanceof ProtocolFailure typed) {
      return Optional.of(typed.error());
    }
    if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.getMessage() != null) {
      return fromText(reply.getMessage(), reply.failureCode());
    }
    return Optional.empty();
  }

  private static Optional<ProtocolError> fromText(String text, int status) {
    int colon = text.indexOf(": ");
    if (colon <= 0) {
      return Optional.empty();
    }
    String code = text.substring(0, colon);
    return ErrorCode.fromCode(code)
        .<WireErrorCode>map(c -> c)
        .or(() -> PluginErrorCode.fromCode(code, status == PluginErrorCode.RETRYABLE_STATUS))
        .map(c -> ProtocolError.of(c, text.substring(colon + 2)));
  }
}
