package io.switchboard.server.bus;

/**
 * A client's {@code publish}, already validated by its connection instance.
 *
 * @param connectionId the publisher
 * @param channel the target channel
 * @param data the payload, as decoded from the frame
 */
public record ClientPublish(String connectionId, String channel, Object data) {}
