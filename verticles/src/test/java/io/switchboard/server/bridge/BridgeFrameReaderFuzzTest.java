package io.switchboard.server.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes {@link BridgeFrameReader} with a byte stream cut into chunks as the input says: byte 0 is
 * the limit (0 to 255 bytes), byte 1 the chunk size (1 to 256 bytes), the rest the stream. The
 * reader never throws, holds no more than one incomplete frame within the limit, and reports
 * exactly what an independent reading of the whole stream finds: the same frames in order, and a
 * frame too large exactly when a length beyond the limit comes, after which it reads nothing more.
 * Seeds: {@code BridgeFrameReaderFuzzTestInputs/} beside this class in the test resources.
 */
class BridgeFrameReaderFuzzTest {

  @FuzzTest
  void readsWholeFramesWithinTheLimit(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int limit = input[0] & 0xFF;
    int chunk = (input[1] & 0xFF) + 1;
    byte[] stream = Arrays.copyOfRange(input, 2, input.length);
    List<String> found = new ArrayList<>();
    BridgeFrameReader reader =
        new BridgeFrameReader(
            limit,
            new BridgeFrameReader.Frames() {
              @Override
              public void frame(Buffer json) {
                found.add("frame " + Arrays.toString(json.getBytes()));
              }

              @Override
              public void tooLarge(long announced) {
                found.add("too large " + announced);
              }
            });

    for (int at = 0; at < stream.length; at += chunk) {
      reader.feed(
          Buffer.buffer(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + chunk))));
      assertThat(reader.heldBytes()).isBetween(0, BridgeFrames.PREFIX + limit - 1);
    }

    Reading expected = read(stream, limit);
    assertThat(found).isEqualTo(expected.found);
    assertThat(reader.heldBytes()).isEqualTo(expected.held);
  }

  private record Reading(List<String> found, int held) {}

  /** The stream read whole, frame after frame, as the framing defines it. */
  private static Reading read(byte[] stream, int limit) {
    List<String> found = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(stream);
    while (in.remaining() >= 4) {
      long length = Integer.toUnsignedLong(in.getInt(in.position()));
      if (length > limit) {
        found.add("too large " + length);
        return new Reading(found, 0);
      }
      if (in.remaining() - 4 < length) {
        break;
      }
      in.position(in.position() + 4);
      byte[] json = new byte[(int) length];
      in.get(json);
      found.add("frame " + Arrays.toString(json));
    }
    return new Reading(found, in.remaining());
  }
}
