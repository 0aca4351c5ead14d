package io.switchboard.server.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** The bridge's framing: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. */
final class BridgeFrames {

  /** Bytes of the length prefix. */
  static final int PREFIX = 4;

  private BridgeFrames() {}

  static Buffer encode(JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(PREFIX + json.length).appendInt(json.length).appendBytes(json);
  }
}
