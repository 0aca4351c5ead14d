package io.switchboard.server.history;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A history entry as the cluster keeps it: the entry, and the node that sequenced it (so that a
 * node taking the channel over can tell whether that writer may still be writing). Its bytes are a
 * version, the offset, the time it was kept, the epoch, the writer, the publish key if any, and the
 * frame.
 *
 * @param writer the cluster id of the node that sequenced it
 * @param publishKey the publisher's session and the publish's id ({@code ClientConnection}'s
 *     publish key), or null: a node taking the channel over remembers it to recognise a re-send
 */
public record StoredEntry(HistoryEntry entry, String writer, String publishKey) {

  private static final int VERSION = 1;

  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(entry.frame().length() + 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(entry.offset());
      out.writeLong(entry.keptAtMs());
      out.writeUTF(entry.epoch());
      out.writeUTF(writer);
      out.writeBoolean(publishKey != null);
      if (publishKey != null) {
        out.writeUTF(publishKey);
      }
      byte[] frame = entry.frame().getBytes();
      out.writeInt(frame.length);
      out.write(frame);
    } catch (IOException e) {
      throw new UncheckedIOException("a byte array cannot fail to be written", e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not an entry of this version
   */
  public static StoredEntry of(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("a stored history entry of version " + version);
      }
      long offset = in.readLong();
      long keptAtMs = in.readLong();
      String epoch = in.readUTF();
      String writer = in.readUTF();
      String publishKey = in.readBoolean() ? in.readUTF() : null;
      byte[] frame = new byte[in.readInt()];
      in.readFully(frame);
      return new StoredEntry(
          new HistoryEntry(offset, epoch, keptAtMs, Buffer.buffer(frame)), writer, publishKey);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a stored history entry: " + e.getMessage(), e);
    }
  }
}
