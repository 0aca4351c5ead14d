package io.switchboard.protocol;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Objects;

/**
 * A failed event-bus request that carries its {@link ProtocolError}: what {@link
 * BusErrors#fail(io.vertx.core.eventbus.Message, ProtocolError)} answers with, and what the
 * requester's future fails with, on the same node or, once {@link
 * BusErrors#registerCodec(io.vertx.core.eventbus.EventBus)} has run on both, on another node of the
 * cluster.
 *
 * <p>As a {@link ReplyException} it is a {@link ReplyFailure#RECIPIENT_FAILURE} whose {@link
 * #failureCode()} is the HTTP status (by default the code's own, {@link
 * WireErrorCode#httpStatus()}) and whose {@link #getMessage()} is {@code "<code>: <sentence>"}: the
 * text that readers seeing only text get (the TCP event-bus bridge's clients, logs). Read the error
 * with {@link #error()}, or with {@link BusErrors#protocolError(Throwable)}, never by splitting
 * that text.
 */
public final class ProtocolFailure extends ReplyException {

  private static final long serialVersionUID = 1L;

  /** Not serialisable; the event bus carries it with its own codec, never Java serialisation. */
  private final transient ProtocolError error;

  private ProtocolFailure(ProtocolError error, int status) {
    super(
        ReplyFailure.RECIPIENT_FAILURE, status, error.code().code() + ": " + error.message(), true);
    this.error = error;
  }

  /** A failure with the error code's own HTTP status as its failure code. */
  public static ProtocolFailure of(ProtocolError error) {
    Objects.requireNonNull(error, "error");
    return new ProtocolFailure(error, error.code().httpStatus());
  }

  /**
   * A failure with a failure code of its own choosing, e.g. a plugin answering 409 for one of its
   * codes rather than {@value PluginErrorCode#STATUS}. The error, its {@code retryable} flag
   * included, is carried as it is whatever the status.
   */
  public static ProtocolFailure of(ProtocolError error, int status) {
    Objects.requireNonNull(error, "error");
    return new ProtocolFailure(error, status);
  }

  /** The error the consumer failed the request with: its code, sentence and retryable flag. */
  public ProtocolError error() {
    return error;
  }
}
