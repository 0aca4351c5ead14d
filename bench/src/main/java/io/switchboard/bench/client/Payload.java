package io.switchboard.bench.client;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The data of every published message: a JSON object that carries its per-channel sequence number
 * and its send time, padded to an exact size: {@code {"seq":12,"sent":8812733,"pad":"xxxx"}}.
 *
 * <p>Deliveries are read back without any JSON parsing: every target wraps the data in its own
 * envelope, but none of them puts {@code "seq":} or {@code "sent":} before it, so a byte scan of
 * the frame's {@linkplain Bytes#head head} finds the two numbers in a frame from any target.
 */
public final class Payload {

  /** The smallest size that holds the largest sequence number and send time. */
  public static final int MIN_SIZE = 64;

  private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SENT = "\"sent\":".getBytes(StandardCharsets.US_ASCII);

  private final int size;
  private final String pad;

  /**
   * @param size the size in bytes of every payload, at least {@link #MIN_SIZE}
   */
  public Payload(int size) {
    if (size < MIN_SIZE) {
      throw new IllegalArgumentException("payload size must be >= " + MIN_SIZE + ", was " + size);
    }
    this.size = size;
    this.pad = "x".repeat(size);
  }

  public int size() {
    return size;
  }

  /** The payload of message {@code seq} sent at {@code sentNanos} ({@link System#nanoTime()}). */
  public String encode(long seq, long sentNanos) {
    StringBuilder json = new StringBuilder(size);
    json.append("{\"seq\":")
        .append(seq)
        .append(",\"sent\":")
        .append(sentNanos)
        .append(",\"pad\":\"");
    int padding = size - json.length() - 2;
    json.append(pad, 0, Math.max(0, padding)).append("\"}");
    return json.toString();
  }

  /** The sequence number in a delivered frame, or -1 if it carries none. */
  public static long seq(Buffer frame) {
    return seq(Bytes.head(frame));
  }

  /** The send time in a delivered frame, or -1 if it carries none. */
  public static long sent(Buffer frame) {
    return sent(Bytes.head(frame));
  }

  /** The sequence number in a frame's {@linkplain Bytes#head head}, or -1 if it carries none. */
  public static long seq(byte[] head) {
    return numberAfter(head, SEQ, 0);
  }

  /** The send time in a frame's {@linkplain Bytes#head head}, or -1 if it carries none. */
  public static long sent(byte[] head) {
    return numberAfter(head, SENT, 0);
  }

  /**
   * Where a frame's payload starts, or -1 if it carries none. With {@link #seqAt} and {@link
   * #sentAt}, the generator reads both numbers of every delivery in one pass over the frame.
   */
  public static int locate(byte[] head) {
    return Bytes.indexOf(head, SEQ, 0);
  }

  /** The sequence number of a payload {@linkplain #locate located} at {@code at}, or -1. */
  public static long seqAt(byte[] head, int at) {
    return numberAfter(head, SEQ, at);
  }

  /** The send time of a payload {@linkplain #locate located} at {@code at}, or -1. */
  public static long sentAt(byte[] head, int at) {
    return numberAfter(head, SENT, at + SEQ.length);
  }

  private static long numberAfter(byte[] head, byte[] marker, int from) {
    int at = Bytes.indexOf(head, marker, from);
    if (at < 0) {
      return -1;
    }
    long value = 0;
    int digits = 0;
    for (int i = at + marker.length; i < head.length; i++) {
      byte b = head[i];
      if (b < '0' || b > '9') {
        break;
      }
      value = value * 10 + (b - '0');
      digits++;
    }
    return digits == 0 ? -1 : value;
  }
}
