package io.switchboard.server;

import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.TransportChoice;
import io.vertx.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code vertx.transport} into the transport Vert.x is built with. {@code auto} takes epoll,
 * which measured better than NIO here (BENCHMARKS.md, "Transports"), where it loads, and NIO where
 * it does not (another OS or CPU, or a kernel or sandbox that refuses it); a native transport named
 * explicitly must load, or start-up stops with the reason.
 */
final class Transports {

  private static final Logger log = LoggerFactory.getLogger(Transports.class);

  private Transports() {}

  static Transport resolve(TransportChoice choice) {
    switch (choice) {
      case NIO:
        return Transport.NIO;
      case EPOLL:
        return required(Transport.EPOLL, choice);
      default:
        Transport preferred = Transport.EPOLL;
        if (preferred.available()) {
          return preferred;
        }
        log.info(
            "vertx.transport auto: {} cannot load here ({}), using nio",
            preferred.name(),
            cause(preferred));
        return Transport.NIO;
    }
  }

  private static Transport required(Transport transport, TransportChoice choice) {
    if (!transport.available()) {
      throw new ConfigException(
          "vertx.transport "
              + choice.configName()
              + " cannot load here: "
              + cause(transport)
              + "; use auto or nio");
    }
    return transport;
  }

  private static String cause(Transport transport) {
    Throwable cause = transport.unavailabilityCause();
    if (cause == null) {
      return "unavailable";
    }
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
