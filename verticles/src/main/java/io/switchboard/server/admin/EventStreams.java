package io.switchboard.server.admin;

import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The admin API's open {@code text/event-stream} answers (the console's figures and channel tails),
 * at most {@code admin.maxStreams} at once: each holds an HTTP connection and a timer or a channel
 * consumer, so one more is refused with 429 {@code too_many_streams} before anything is set up.
 * Used only on the admin verticle's event loop.
 */
final class EventStreams {

  /** More event streams than {@code admin.maxStreams} at once: HTTP 429. */
  static final String TOO_MANY_STREAMS = "too_many_streams";

  private final int max;
  private final SwitchboardMetrics metrics;
  private final Set<EventStream> open = new LinkedHashSet<>();

  /**
   * @param max {@code admin.maxStreams}
   * @param metrics counts the open streams ({@code switchboard_admin_streams})
   */
  EventStreams(int max, SwitchboardMetrics metrics) {
    this.max = max;
    this.metrics = metrics;
  }

  /**
   * Starts an event stream as the answer to a request, or throws 429 {@code too_many_streams} when
   * {@code admin.maxStreams} are open. The stream leaves the count when its client goes away or it
   * is ended.
   */
  EventStream open(RoutingContext ctx) {
    if (open.size() >= max) {
      throw new AdminException(
          429,
          TOO_MANY_STREAMS,
          "at most "
              + max
              + " event streams (figure streams and channel tails) may be open at once on this"
              + " node (admin.maxStreams); close one first");
    }
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        // Reverse proxies that buffer answers (nginx) pass this one on as it comes.
        .putHeader("X-Accel-Buffering", "no");
    EventStream stream =
        new EventStream(
            response,
            closed -> {
              open.remove(closed);
              metrics.adminStreamClosed();
            });
    open.add(stream);
    metrics.adminStreamOpened();
    return stream;
  }

  /** How many are open now. */
  int count() {
    return open.size();
  }

  /** Ends every open stream: the admin API is stopping. */
  void endAll() {
    List<EventStream> all = new ArrayList<>(open);
    all.forEach(EventStream::end);
  }
}
