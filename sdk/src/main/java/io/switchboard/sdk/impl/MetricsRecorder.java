package io.switchboard.sdk.impl;

import io.switchboard.sdk.ClientMetrics;
import java.time.Duration;
import java.time.Instant;

/**
 * The client's counters. Written only on the client's context and read from any thread: each field
 * is volatile and has a single writer, so a reader sees every update without locks (a snapshot may
 * mix figures from two consecutive updates, which is fine for monitoring).
 */
final class MetricsRecorder {

  private volatile long messagesSent;
  private volatile long messagesReceived;
  private volatile long bytesSent;
  private volatile long bytesReceived;
  private volatile long connectedAtNanos;
  private volatile boolean connected;
  private volatile long lastMessageAtMillis;
  private volatile long latencySamples;
  private volatile long latencyTotalNanos;
  private volatile long reconnections;
  private volatile long failovers;
  private volatile long errors;
  private volatile long resyncs;
  private volatile long duplicates;

  void sent(String text) {
    messagesSent++;
    bytesSent += Utf8.length(text);
    lastMessageAtMillis = System.currentTimeMillis();
  }

  void received(String text) {
    messagesReceived++;
    bytesReceived += Utf8.length(text);
    lastMessageAtMillis = System.currentTimeMillis();
  }

  void roundTrip(long nanos) {
    latencyTotalNanos += nanos;
    latencySamples++;
  }

  void connected(boolean isReconnect, boolean isFailover) {
    connectedAtNanos = System.nanoTime();
    connected = true;
    if (isReconnect) {
      reconnections++;
    }
    if (isFailover) {
      failovers++;
    }
  }

  void disconnected() {
    connected = false;
  }

  void error() {
    errors++;
  }

  void resync() {
    resyncs++;
  }

  void duplicate() {
    duplicates++;
  }

  long errors() {
    return errors;
  }

  ClientMetrics snapshot(int queueDepth) {
    long samples = latencySamples;
    long lastAt = lastMessageAtMillis;
    return new ClientMetrics(
        messagesSent,
        messagesReceived,
        bytesSent,
        bytesReceived,
        connected ? Duration.ofNanos(System.nanoTime() - connectedAtNanos) : Duration.ZERO,
        lastAt == 0 ? null : Instant.ofEpochMilli(lastAt),
        samples == 0 ? null : Duration.ofNanos(latencyTotalNanos / samples),
        reconnections,
        failovers,
        errors,
        queueDepth,
        resyncs,
        duplicates);
  }
}
