package io.switchboard.server.connection;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Final text frames over an already-encoded UTF-8 buffer. Vert.x's public API only builds text
 * frames from a {@code String}, which would re-encode the same message once per socket; this wraps
 * the buffer instead. Each call takes a fresh unreleasable slice, so one buffer can be written to
 * any number of sockets, each with its own read index.
 */
final class TextFrames {

  private TextFrames() {}

  static WebSocketFrame of(Buffer utf8Json) {
    return new WebSocketFrameImpl(
        WebSocketFrameType.TEXT, ((BufferInternal) utf8Json).getByteBuf(), true);
  }
}
