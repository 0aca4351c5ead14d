package io.switchboard.sdk.impl;

import io.switchboard.sdk.ReconnectAttempt;
import io.switchboard.sdk.Resync;
import io.switchboard.sdk.StateChange;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * The application's handlers, one per event, set from any thread and called on the client's
 * context. A handler that throws must not break the client's own bookkeeping, so its exception is
 * caught and reported as an error (an error handler that throws goes to the context's exception
 * handler instead, which avoids a loop).
 */
final class Events {

  private static final System.Logger LOG = System.getLogger(Events.class.getName());

  private final Context context;
  private final MetricsRecorder metrics;
  private volatile Handler<StateChange> stateChange;
  private volatile Handler<JsonObject> message;
  private volatile Handler<Throwable> error;
  private volatile Handler<Void> connected;
  private volatile Handler<ReconnectAttempt> reconnect;
  private volatile Handler<Resync> resync;

  Events(Context context, MetricsRecorder metrics) {
    this.context = context;
    this.metrics = metrics;
  }

  void onStateChange(Handler<StateChange> handler) {
    this.stateChange = handler;
  }

  void onMessage(Handler<JsonObject> handler) {
    this.message = handler;
  }

  void onError(Handler<Throwable> handler) {
    this.error = handler;
  }

  void onConnected(Handler<Void> handler) {
    this.connected = handler;
  }

  void onReconnect(Handler<ReconnectAttempt> handler) {
    this.reconnect = handler;
  }

  void onResync(Handler<Resync> handler) {
    this.resync = handler;
  }

  /**
   * A channel's stream broke: to the resync handler, or, without one, to the error handler, so that
   * it is never passed over in silence.
   */
  void resync(Resync event) {
    metrics.resync();
    Handler<Resync> handler = resync;
    if (handler != null) {
      emit(handler, event);
    } else {
      error(
          new IllegalStateException(
              "channel '"
                  + event.channel()
                  + "' needs a resync ("
                  + event.reason()
                  + " from "
                  + event.from()
                  + " to "
                  + event.to()
                  + ") and no onResync handler is set"));
    }
  }

  void stateChanged(StateChange change) {
    emit(stateChange, change);
  }

  void message(JsonObject frame) {
    emit(message, frame);
  }

  void connected() {
    emit(connected, null);
  }

  void reconnecting(ReconnectAttempt attempt) {
    emit(reconnect, attempt);
  }

  /** Counts the error and hands it to the error handler. */
  void error(Throwable failure) {
    metrics.error();
    Handler<Throwable> handler = error;
    if (handler == null) {
      return;
    }
    try {
      handler.handle(failure);
    } catch (RuntimeException e) {
      Handler<Throwable> fallback = context.exceptionHandler();
      if (fallback != null) {
        fallback.handle(e);
      } else {
        LOG.log(System.Logger.Level.WARNING, "the client's error handler threw", e);
      }
    }
  }

  /** Calls an application handler, reporting what it throws as an error. */
  <T> void emit(Handler<T> handler, T event) {
    if (handler == null) {
      return;
    }
    try {
      handler.handle(event);
    } catch (RuntimeException e) {
      error(new IllegalStateException("a client handler threw: " + e, e));
    }
  }
}
