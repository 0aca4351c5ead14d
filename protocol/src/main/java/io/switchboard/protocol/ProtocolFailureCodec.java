package io.switchboard.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of a {@link ProtocolFailure} between the nodes of a cluster, the default codec of
 * that class once {@link BusErrors#registerCodec} has run. In order:
 *
 * <ol>
 *   <li>a byte: the form's version, {@value #VERSION};
 *   <li>a byte: {@value #PROTOCOL_CODE} for one of the protocol's {@link ErrorCode}s, {@value
 *       #PLUGIN_CODE} for a plugin's {@link PluginErrorCode};
 *   <li>a byte: 1 when the code is retryable, else 0;
 *   <li>an int: the failure code (the HTTP status);
 *   <li>the code ({@code bad_request}, {@code polls.closed}) and then the sentence, each an int
 *       length and that many bytes of UTF-8.
 * </ol>
 *
 * A later version may only append fields, so an older node reads what it knows and ignores the
 * rest. A code the reading node does not know (a newer node's) becomes {@link ErrorCode#INTERNAL}
 * with the code kept in the sentence, as {@link ProtocolError#fromJson} does. Within one JVM the
 * failure passes as it is.
 */
final class ProtocolFailureCodec implements MessageCodec<ProtocolFailure, ProtocolFailure> {

  static final byte VERSION = 1;
  static final byte PROTOCOL_CODE = 0;
  static final byte PLUGIN_CODE = 1;

  @Override
  public void encodeToWire(Buffer buffer, ProtocolFailure failure) {
    ProtocolError error = failure.error();
    buffer
        .appendByte(VERSION)
        .appendByte(error.code() instanceof PluginErrorCode ? PLUGIN_CODE : PROTOCOL_CODE)
        .appendByte(error.retryable() ? (byte) 1 : (byte) 0)
        .appendInt(failure.failureCode());
    writeString(buffer, error.code().code());
    writeString(buffer, error.message());
  }

  @Override
  public ProtocolFailure decodeFromWire(int pos, Buffer buffer) {
    // The version byte is skipped: every version starts with these fields.
    byte kind = buffer.getByte(pos + 1);
    boolean retryable = buffer.getByte(pos + 2) != 0;
    int status = buffer.getInt(pos + 3);
    int[] at = {pos + 7};
    String code = readString(buffer, at);
    String message = readString(buffer, at);
    WireErrorCode known =
        kind == PLUGIN_CODE
            ? PluginErrorCode.fromCode(code, retryable).orElse(null)
            : ErrorCode.fromCode(code).orElse(null);
    ProtocolError error =
        known != null
            ? ProtocolError.of(known, message)
            : ProtocolError.of(ErrorCode.INTERNAL, code + ": " + message);
    return ProtocolFailure.of(error, status);
  }

  @Override
  public ProtocolFailure transform(ProtocolFailure failure) {
    return failure;
  }

  @Override
  public String name() {
    return BusErrors.CODEC_NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  private static void writeString(Buffer buffer, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String readString(Buffer buffer, int[] at) {
    int length = buffer.getInt(at[0]);
    String value = buffer.getString(at[0] + 4, at[0] + 4 + length, "UTF-8");
    at[0] += 4 + length;
    return value;
  }
}
