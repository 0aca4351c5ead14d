package io.switchboard.server.history;

/**
 * A place in a channel's stream: the offset of a message (0 before the first) in one epoch. A
 * stream's offsets start at 1 and grow by one per message; its epoch is a new random value whenever
 * the stream starts anew, so that an offset of one stream is never mistaken for one of another.
 *
 * @param offset the offset, at least 0
 * @param epoch the stream's epoch
 */
public record StreamPosition(long offset, String epoch) {}
