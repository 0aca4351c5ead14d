package io.switchboard.protocol;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Optional;

/**
 * Carries {@link ProtocolError}s over the event bus: a failed request is answered with the error
 * code's HTTP status as the failure code and {@code "<code>: <sentence>"} as the message (see
 * {@link Addresses}).
 */
public final class BusErrors {

  private BusErrors() {}

  /** Fails a request with a protocol error. */
  public static void fail(Message<?> request, ProtocolError error) {
    request.fail(error.code().httpStatus(), error.code().code() + ": " + error.message());
  }

  /**
   * Reads the protocol error out of a failed request, if the consumer answered with one; empty for
   * timeouts, missing consumers and failures that carry no error code.
   */
  public static Optional<ProtocolError> protocolError(Throwable failure) {
    if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.getMessage() != null) {
      String text = reply.getMessage();
      int colon = text.indexOf(": ");
      if (colon > 0) {
        return ErrorCode.fromCode(text.substring(0, colon))
            .map(code -> ProtocolError.of(code, text.substring(colon + 2)));
      }
    }
    return Optional.empty();
  }
}
