package io.switchboard.plugin;

import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.PluginErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * One inbound frame and what a plugin can do about it. Valid for the duration of one {@link
 * MessageTypePlugin#handle} call; use it on the plugin's event loop only.
 *
 * <p>Deliveries are {@code message} frames, like every channel delivery: {@code {"type": "message",
 * "channel"?, "event", "data", "ts"}}, where {@code event} names what happened (by default the
 * inbound frame's type). The futures of the delivery actions complete with the number of
 * connections the frame was written to.
 *
 * <p>Once the frame has timed out (its sender was answered {@code plugin_timeout}, which is
 * retryable), the context is inert: every publish, broadcast, reply and ack made through it
 * afterwards reaches nobody, and its future fails with a {@link PluginRejection} of {@code
 * plugin_timeout}, so that a retry of the frame is not applied twice. What the plugin does directly
 * on {@link #vertx()}'s event bus is not dropped.
 */
public interface PluginContext {

  /** The inbound frame, already checked against the envelope rules (type, id, channel). */
  Envelope frame();

  /** Who sent it. */
  Sender sender();

  /** The plugin's own configuration ({@code plugins.settings.<name>.config}); never null. */
  JsonObject config();

  /** The Vert.x instance, for timers, the event bus and blocking work off the event loop. */
  Vertx vertx();

  /**
   * Delivers {@code data} to every subscriber of a channel, with the inbound frame's type as the
   * {@code event}. {@code $} channels are refused ({@code forbidden}).
   */
  default Future<Integer> publish(String channel, Object data) {
    return publish(channel, frame().type(), data);
  }

  /** Delivers {@code data} to every subscriber of a channel under the given event name. */
  Future<Integer> publish(String channel, String event, Object data);

  /**
   * Delivers {@code data} to every subscriber of a channel, with the inbound frame's type as the
   * {@code event}, only if the sender itself may publish there: see {@link #publishAsSender(String,
   * String, Object)}.
   */
  default Future<Integer> publishAsSender(String channel, Object data) {
    return publishAsSender(channel, frame().type(), data);
  }

  /**
   * Delivers {@code data} to every subscriber of a channel under the given event name, only if the
   * sender itself may publish there: the channel's namespace decides for the sender as for a
   * client's {@code publish} (its {@code publish} rule, then its authorizer, if it names one). Use
   * it for message types that publish on the sender's behalf, so that they cannot reach a channel
   * the sender may not publish to. A refusal fails the future with a {@link PluginRejection}
   * carrying the error the sender would have got ({@code forbidden}, {@code not_subscribed}, {@code
   * channel_not_found}, or the authorizer's own); returned from {@code handle}, it reaches the
   * sender as is.
   */
  Future<Integer> publishAsSender(String channel, String event, Object data);

  /** Delivers {@code data} to every connection of a user. */
  Future<Integer> broadcastToUser(String userId, String event, Object data);

  /** Delivers {@code data} to every connection of an organisation. */
  Future<Integer> broadcastToOrganization(String organizationId, String event, Object data);

  /** Sends a frame of the given type to the sender only, echoing the inbound frame's {@code id}. */
  Future<Void> reply(String type, Object data);

  /**
   * Sends {@code ack} to the sender when the inbound frame had an {@code id}; otherwise nothing.
   */
  Future<Void> ack();

  /**
   * Refuses the frame: the sender gets an {@code error} frame with this code and message (echoing
   * the frame's {@code id} and the frame itself). Return the future from {@code handle}:
   *
   * <pre>{@code
   * if (text == null) {
   *   return context.reject(ErrorCode.BAD_REQUEST, "field 'data.text' is required");
   * }
   * }</pre>
   *
   * @return a future failed with a {@link PluginRejection}
   */
  <T> Future<T> reject(ErrorCode code, String message);

  /**
   * Refuses the frame with one of the plugin's own error codes: the sender's {@code error} frame
   * carries {@code code.code()} unchanged (e.g. {@code polls.closed}) with the code's {@code
   * retryable} flag. The code must start with this plugin's name; a code of another plugin is a
   * programming error, answered {@code plugin_error} with a logged reference.
   *
   * <pre>{@code
   * static final PluginErrorCode CLOSED = PluginErrorCode.of("polls", "closed", false);
   * ...
   * return context.reject(CLOSED, "poll 'lunch' closed at 12:00");
   * }</pre>
   *
   * @return a future failed with a {@link PluginRejection}
   */
  <T> Future<T> reject(PluginErrorCode code, String message);
}
