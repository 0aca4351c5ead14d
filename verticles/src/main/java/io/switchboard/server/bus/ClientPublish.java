package io.switchboard.server.bus;

/**
 * A client's {@code publish}, already validated by its connection instance.
 *
 * @param connectionId the publisher
 * @param channel the target channel
 * @param data the payload, as decoded from the frame
 * @param publishKey when the publish asked for an ack: the publisher's session and the frame's
 *     {@code id}, which recognise it when it is re-sent; else null
 */
public record ClientPublish(String connectionId, String channel, Object data, String publishKey) {}
