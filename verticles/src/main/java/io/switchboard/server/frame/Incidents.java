package io.switchboard.server.frame;

import io.switchboard.protocol.ProtocolError;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * Unexpected failures: logged once with a short reference id and the stack trace, and answered with
 * {@code internal} carrying the same id, so a user's report leads straight to the log line.
 */
public final class Incidents {

  private Incidents() {}

  /**
   * Logs {@code what} with a new reference id and returns the {@code internal} error to answer.
   *
   * @param what a lower-case description with bracketed context, without the reference
   */
  public static ProtocolError report(Logger log, String what, Throwable failure) {
    String reference = UUID.randomUUID().toString().substring(0, 8);
    log.error("{} [ref: {}]", what, reference, failure);
    return ProtocolError.internal(reference);
  }
}
