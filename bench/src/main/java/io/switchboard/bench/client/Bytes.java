package io.switchboard.bench.client;

import io.vertx.core.buffer.Buffer;

/** Byte searches over frames, so that reading a frame never builds a string or a JSON tree. */
public final class Bytes {

  /** How much of a frame the generator reads: every marker it looks for comes before this. */
  public static final int HEAD = 512;

  private Bytes() {}

  /**
   * The first {@link #HEAD} bytes of a frame, copied once: scanning an array costs a fraction of
   * scanning a buffer byte by byte through its accessors, and the generator scans every delivery.
   */
  public static byte[] head(Buffer frame) {
    return frame.getBytes(0, Math.min(frame.length(), HEAD));
  }

  /** Where {@code marker} first occurs in {@code bytes} at or after {@code from}, or -1. */
  public static int indexOf(byte[] bytes, byte[] marker, int from) {
    int last = bytes.length - marker.length;
    byte first = marker[0];
    outer:
    for (int i = Math.max(0, from); i <= last; i++) {
      if (bytes[i] != first) {
        continue;
      }
      for (int j = 1; j < marker.length; j++) {
        if (bytes[i + j] != marker[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Whether {@code bytes} starts with {@code prefix}. */
  public static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Where {@code marker} first occurs in {@code frame} at or after {@code from}, or -1. */
  public static int indexOf(Buffer frame, byte[] marker, int from) {
    int last = frame.length() - marker.length;
    byte first = marker[0];
    outer:
    for (int i = Math.max(0, from); i <= last; i++) {
      if (frame.getByte(i) != first) {
        continue;
      }
      for (int j = 1; j < marker.length; j++) {
        if (frame.getByte(i + j) != marker[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Whether {@code frame} starts with {@code prefix}. */
  public static boolean startsWith(Buffer frame, byte[] prefix) {
    if (frame.length() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (frame.getByte(i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code frame} starts with {@code prefix} or holds {@code marker} anywhere. */
  public static boolean startsWithOrHolds(Buffer frame, byte[] prefix, byte[] marker) {
    return startsWith(frame, prefix) || indexOf(frame, marker, 0) >= 0;
  }
}
