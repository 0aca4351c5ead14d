package io.switchboard.protocol;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Optional;

/**
 * Carries {@link ProtocolError}s over the event bus: a failed request is answered with a {@link
 * ReplyException} whose failure code is the error code's HTTP status and whose message is {@code
 * "<code>: <sentence>"} (see {@link Addresses}). Within the JVM the exception also carries the
 * error itself, so nothing is lost on the way (a plugin's code keeps its {@code retryable} flag).
 */
public final class BusErrors {

  private BusErrors() {}

  /** Fails a request with a protocol error. */
  public static void fail(Message<?> request, ProtocolError error) {
    request.reply(new Failure(error));
  }

  /**
   * Reads the protocol error out of a failed request, if the consumer answered with one; empty for
   * timeouts, missing consumers and failures that carry no error code. A failure that crossed the
   * bus as text only is read back from its {@code "<code>: <sentence>"}; a plugin's code read so is
   * retryable when its failure code is {@value PluginErrorCode#RETRYABLE_STATUS}.
   */
  public static Optional<ProtocolError> protocolError(Throwable failure) {
    if (failure instanceof Failure typed) {
      return Optional.of(typed.error);
    }
    if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.getMessage() != null) {
      String text = reply.getMessage();
      int colon = text.indexOf(": ");
      if (colon > 0) {
        String code = text.substring(0, colon);
        return ErrorCode.fromCode(code)
            .<WireErrorCode>map(c -> c)
            .or(
                () ->
                    PluginErrorCode.fromCode(
                        code, reply.failureCode() == PluginErrorCode.RETRYABLE_STATUS))
            .map(c -> ProtocolError.of(c, text.substring(colon + 2)));
      }
    }
    return Optional.empty();
  }

  /** A request's failure that carries its protocol error. */
  private static final class Failure extends ReplyException {

    private static final long serialVersionUID = 1L;

    private final transient ProtocolError error;

    Failure(ProtocolError error) {
      super(
          ReplyFailure.RECIPIENT_FAILURE,
          error.code().httpStatus(),
          error.code().code() + ": " + error.message(),
          true);
      this.error = error;
    }
  }
}
