package io.switchboard.sdk;

/**
 * A reconnect attempt that has just been scheduled, passed to {@link SwitchboardClient#onReconnect}
 * before the client waits {@code delayMs} and tries.
 *
 * @param attempt 1 for the first attempt after a connection was lost (or after the first connect
 *     failed), counting up until a connection opens, which resets it; attempts to every URL count
 *     alike
 * @param delayMs how long the client waits before this attempt, in milliseconds: the backoff of
 *     {@link ClientOptions}, or the server's {@code server_shutdown.data.reconnectAfterMs} for the
 *     first attempt after a server shutdown, or longer when this URL refused the last upgrade with
 *     a {@code Retry-After} that has not passed yet
 * @param url the URL this attempt goes to, one of {@link ClientOptions#getUrls()}: the one after
 *     the URL of the failed attempt or the lost connection, in order and wrapping around (always
 *     the same one when there is only one URL)
 */
public record ReconnectAttempt(int attempt, long delayMs, String url) {}
