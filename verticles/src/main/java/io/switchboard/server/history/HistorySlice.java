package io.switchboard.server.history;

import java.util.List;

/**
 * What a read of a channel's history found.
 *
 * @param covered whether every message in the range asked for is still kept (trivially true for an
 *     empty range)
 * @param entries the messages of the range still kept (at most the limit asked for), oldest first
 */
public record HistorySlice(boolean covered, List<HistoryEntry> entries) {}
