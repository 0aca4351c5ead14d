package io.switchboard.bench.client;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * One generator connection: set-up to welcome, the join of its channel, and the accounting of what
 * it receives. Its counters are written only by its event loop; the fleet reads them once the
 * deliveries have drained.
 */
final class BenchSocket {

  private final FleetCounters counters;
  private final Wire wire;
  private final String channel;
  private final int channelIndex;
  private final boolean sampled;
  private final Promise<Void> ready = Promise.promise();
  private ClientWebSocket ws;
  private long startedNanos;
  private boolean welcomed;
  private boolean closing;

  long nextSeq;
  long unique;
  long duplicates;
  long measured;
  long lastMeasuredNanos;

  BenchSocket(
      FleetCounters counters, Wire wire, String channel, int channelIndex, boolean sampled) {
    this.counters = counters;
    this.wire = wire;
    this.channel = channel;
    this.channelIndex = channelIndex;
    this.sampled = sampled;
  }

  int channelIndex() {
    return channelIndex;
  }

  /** Completes when welcomed (and joined, with a channel); fails on any error before that. */
  Promise<Void> ready() {
    return ready;
  }

  boolean isReady() {
    return ready.future().succeeded();
  }

  void connect(WebSocketClient client, String host, int port) {
    ws = client.webSocket();
    ws.handler(this::onFrame);
    ws.closeHandler(v -> onClosed());
    ws.exceptionHandler(failure -> ready.tryFail(failure));
    startedNanos = System.nanoTime();
    ws.connect(
            new WebSocketConnectOptions()
                .setHost(host)
                .setPort(port)
                .setURI(wire.path())
                .setAllowOriginHeader(false))
        .onFailure(ready::tryFail);
  }

  void send(String text) {
    ws.writeTextMessage(text);
  }

  void close() {
    closing = true;
    if (ws != null && !ws.isClosed()) {
      ws.close();
    }
  }

  private void onFrame(Buffer frame) {
    byte[] head = Bytes.head(frame);
    Wire.Kind kind = wire.kind(head);
    switch (kind) {
      case MESSAGE -> onMessage(head);
      case WELCOME -> onWelcome();
      case JOINED -> ready.tryComplete();
      case OPENING, PING -> ws.writeTextMessage(wire.replyTo(kind));
      case ERROR -> ready.tryFail("the server refused: " + cut(frame.toString()));
      case OTHER -> {}
    }
  }

  private void onWelcome() {
    if (welcomed) {
      return;
    }
    welcomed = true;
    counters.setupMicros.recordValue((System.nanoTime() - startedNanos) / 1000);
    if (channel == null) {
      ready.tryComplete();
    } else {
      ws.writeTextMessage(wire.join(channel));
    }
  }

  private void onMessage(byte[] head) {
    int at = Payload.locate(head);
    long seq = at < 0 ? -1 : Payload.seqAt(head, at);
    if (seq < 0) {
      return; // not one of ours
    }
    counters.delivered.increment();
    if (seq < nextSeq) {
      duplicates++; // or late: either way not a delivery that counts
      return;
    }
    nextSeq = seq + 1;
    unique++;
    counters.unique.increment();
    long sent = Payload.sentAt(head, at);
    long measureFrom = counters.measureFromNanos;
    if (sent >= measureFrom) {
      long now = System.nanoTime();
      measured++;
      lastMeasuredNanos = now;
      if (sampled) {
        counters.latencyMicros.recordValue(Math.max(0, now - sent) / 1000);
      }
    }
  }

  private void onClosed() {
    ready.tryFail("the server closed the connection (" + ws.closeStatusCode() + ")");
    if (!closing) {
      Short code = ws.closeStatusCode();
      counters.unexpectedClose(code == null ? 1006 : code);
    }
  }

  private static String cut(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
