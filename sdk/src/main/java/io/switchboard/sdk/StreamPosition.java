package io.switchboard.sdk;

import io.vertx.core.json.JsonObject;

/**
 * A place in a channel's stream: the {@code offset} of a message (or of a join's confirmation) and
 * the stream's {@code epoch}. Offsets of different epochs are never comparable.
 *
 * @param offset the offset, 0 before the stream's first message
 * @param epoch the stream's epoch
 */
public record StreamPosition(long offset, String epoch) {

  /** The {@code since} object of a join or history request. */
  public JsonObject toJson() {
    return new JsonObject().put("offset", offset).put("epoch", epoch);
  }

  /**
   * The position named by {@code offset} and {@code epoch} fields of a JSON object (a frame, its
   * {@code data}, a history item), or null when either is missing or of another type.
   */
  public static StreamPosition of(JsonObject json) {
    if (json == null
        || !(json.getValue("offset") instanceof Number offset)
        || !(json.getValue("epoch") instanceof String epoch)) {
      return null;
    }
    return new StreamPosition(offset.longValue(), epoch);
  }
}
