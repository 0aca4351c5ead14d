package io.switchboard.bench.client;

import io.vertx.core.Future;

/**
 * A set of generator connections to one server, opened by this process ({@link LocalFleet}) or by a
 * worker process ({@link WorkerFleet}) when one process cannot hold them all.
 */
public interface Fleet {

  /**
   * Sets up and closes {@code connections} connections of this fleet's process, unmeasured, so that
   * its JIT compiler is warm when set-up is timed.
   */
  Future<Void> warmUp(int connections);

  /** Opens every connection and joins its channel; completes when each is ready or failed. */
  Future<Opened> open();

  /** Deliveries received so far, for the progress line (a worker's lags by up to a second). */
  long delivered();

  /** Connections whose set-up has ended, ready or failed, for the progress line. */
  int settled();

  /** Deliveries of messages sent before {@code nanos} do not count in the measured figures. */
  Future<Void> measureFrom(long nanos);

  /**
   * Waits until every delivery due has arrived, or until none has arrived for {@code drainMillis}
   * (a backlog that is still moving is waited for: it is slow, not lost), then accounts.
   *
   * @param published how many messages were published to each channel, by channel index
   */
  Future<Finished> finish(long[] published, long drainMillis);

  /** Closes every connection (and ends a worker process). */
  Future<Void> close();
}
