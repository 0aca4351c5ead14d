package io.switchboard.sdk;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of a {@link SwitchboardClient}'s figures, taken by {@link
 * SwitchboardClient#metrics()}. Counters run for the client's whole life, across connections and
 * sessions.
 *
 * @param messagesSent text frames written to the server: the application's sends and publishes,
 *     joins, leaves and the heartbeat's pings
 * @param messagesReceived text frames received from the server
 * @param bytesSent UTF-8 bytes of the text frames written
 * @param bytesReceived UTF-8 bytes of the text frames received
 * @param connectionUptime how long the current connection has been open; zero when not connected
 * @param lastMessageTime when the last text frame was sent or received, or null if none ever was
 * @param averageLatency the mean round trip of the heartbeat's pings (from writing a {@code ping}
 *     to reading the {@code pong} with its id), or null before the first pong
 * @param reconnectionCount connections opened after a lost one (the first connection of a session
 *     is not counted)
 * @param failoverCount connections opened on another URL than the session's previous connection (at
 *     the start of a session: than the first URL), i.e. the times the client moved to another
 *     server of {@link ClientOptions#getUrls()}; always 0 with one URL
 * @param errorCount errors reported to {@link SwitchboardClient#onError}
 * @param queueDepth messages in the client's queue: queued while connecting or reconnecting and not
 *     yet flushed, or handed to the socket by a flush whose write has not completed yet (those are
 *     in flight, and count towards {@link ClientOptions#getMaxBufferedMessages()} too)
 * @param resyncCount channel streams the client could not keep whole, each reported to {@link
 *     SwitchboardClient#onResync}
 * @param duplicatesDropped channel messages dropped because their offset was not beyond the last
 *     one received on the channel (a message received twice across a reconnect)
 */
public record ClientMetrics(
    long messagesSent,
    long messagesReceived,
    long bytesSent,
    long bytesReceived,
    Duration connectionUptime,
    Instant lastMessageTime,
    Duration averageLatency,
    long reconnectionCount,
    long failoverCount,
    long errorCount,
    int queueDepth,
    long resyncCount,
    long duplicatesDropped) {}
