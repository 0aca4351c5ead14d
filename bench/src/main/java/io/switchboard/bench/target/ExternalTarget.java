package io.switchboard.bench.target;

import java.net.URI;

/** A server the bench did not start, reached at a URL: no CPU or heap figures, no restarts. */
final class ExternalTarget implements RunningTarget {

  private final TargetKind kind;
  private final URI url;

  ExternalTarget(TargetKind kind, URI url) {
    if (url.getHost() == null || url.getPort() < 0) {
      throw new IllegalArgumentException(
          "--url must name a host and a port, e.g. ws://127.0.0.1:8080/ws; was " + url);
    }
    this.kind = kind;
    this.url = url;
  }

  @Override
  public TargetKind kind() {
    return kind;
  }

  @Override
  public String host() {
    return url.getHost();
  }

  @Override
  public int port() {
    return url.getPort();
  }

  @Override
  public String description() {
    return "already running at " + url;
  }

  @Override
  public double cpuSeconds() {
    return Double.NaN;
  }

  @Override
  public long heapAfterGc() {
    return -1;
  }

  @Override
  public void restart() {
    throw new UnsupportedOperationException("cannot restart a server the bench did not start");
  }

  @Override
  public void stop() {}
}
