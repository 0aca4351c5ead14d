/**
 * The client's implementation: not API, and free to change. {@code SwitchboardClientImpl} hops
 * calls onto the client's context; {@code Session} runs the connection life cycle with {@code
 * Attempts} (one connect attempt), {@code Reconnects} (the backoff schedule), {@code Connection}
 * (one socket), {@code Heartbeat} and {@code Inbound} (routing frames); {@code Sender} applies the
 * send table, {@code Outbox} queues frames in groups, {@code Requests} and {@code Replies} wait for
 * the server's answers, {@code Channels} and {@code Rejoin} keep the subscriptions.
 */
package io.switchboard.sdk.impl;
