package io.switchboard.server.history;

import io.vertx.core.buffer.Buffer;

/**
 * One message kept in a channel's history.
 *
 * @param offset its offset in the stream
 * @param epoch the epoch of the stream it belongs to
 * @param keptAtMs when it was sequenced, epoch milliseconds (its age counts from there)
 * @param frame the {@code message} frame exactly as subscribers received it, offset and epoch
 *     included
 */
public record HistoryEntry(long offset, String epoch, long keptAtMs, Buffer frame) {}
