package io.switchboard.sdk;

/**
 * A reconnect attempt that has just been scheduled, passed to {@link SwitchboardClient#onReconnect}
 * before the client waits {@code delayMs} and tries.
 *
 * @param attempt 1 for the first attempt after a connection was lost (or after the first connect
 *     failed), counting up until a connection opens, which resets it
 * @param delayMs how long the client waits before this attempt, in milliseconds: the backoff of
 *     {@link ClientOptions}, or the server's {@code server_shutdown.data.reconnectAfterMs} for the
 *     first attempt after a server shutdown
 */
public record ReconnectAttempt(int attempt, long delayMs) {}
