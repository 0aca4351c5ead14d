package io.switchboard.plugin;

import java.util.Objects;

/**
 * What a {@link ChannelAuthorizer} is asked to decide: may this connection join, or publish to,
 * this channel? The namespace's own rules ({@code channels.namespaces.<prefix>.join} / {@code
 * publish}) have already allowed it.
 *
 * @param action {@link Action#JOIN} for a {@code join}, {@link Action#PUBLISH} for a {@code
 *     publish}
 * @param channel the channel, e.g. {@code room:ops}
 * @param namespace the channel's namespace, whose {@code authorizer} names this plugin: the part of
 *     the channel's name before its first {@code :} ({@code room}), {@code ""} for channels without
 *     one, {@code $} for the server's own
 * @param sender who asks, as the server verified it ({@link Sender#channels()} holds what it has
 *     joined so far)
 * @param data for a publish, the frame's {@code data} as decoded from JSON ({@code JsonObject},
 *     {@code JsonArray}, {@code String}, {@code Number}, {@code Boolean} or null); a copy, so
 *     changing it changes nothing. Null for a join
 */
public record AccessRequest(
    Action action, String channel, String namespace, Sender sender, Object data) {

  /** What the connection wants to do. */
  public enum Action {
    /** Join the channel (the client's {@code join}). */
    JOIN,
    /** Publish {@link AccessRequest#data()} to the channel (the client's {@code publish}). */
    PUBLISH
  }

  public AccessRequest {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(sender, "sender");
  }
}
