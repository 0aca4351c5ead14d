package io.switchboard.bench.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A slice of a scenario's connections, opened by one generator process: connections {@code first}
 * to {@code first + count - 1} of the whole run. Connection {@code g} joins channel {@code
 * channelPrefix + (g % channels)} (none when {@code channels} is 0), measures latency when {@link
 * #sampled(int)}, binds source address {@code 127.0.0.(1 + g % sourceAddresses)} and connects to
 * {@link #portOf(int)}.
 *
 * @param host the server's address
 * @param ports the server's ports: one for a single server, one per node for a cluster whose nodes
 *     share the connections out in turn
 * @param wire the name of the {@link Wire} to speak
 * @param concurrency how many connections may be in set-up at once
 */
public record FleetSpec(
    String host,
    List<Integer> ports,
    String wire,
    int first,
    int count,
    int channels,
    String channelPrefix,
    int sample,
    int sourceAddresses,
    int concurrency) {

  public FleetSpec {
    ports = List.copyOf(ports);
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("ports must name at least one port");
    }
    if (count < 0 || first < 0) {
      throw new IllegalArgumentException("first and count must be >= 0");
    }
    if (sample < 1 || sourceAddresses < 1 || concurrency < 1) {
      throw new IllegalArgumentException("sample, sourceAddresses and concurrency must be >= 1");
    }
  }

  /** The port connection {@code g} connects to: the ports take the connections in turn. */
  public int portOf(int g) {
    return ports.get(g % ports.size());
  }

  /** The channel connection {@code g} joins, or null. */
  public String channelOf(int g) {
    return channels == 0 ? null : channelPrefix + (g % channels);
  }

  /** The index of the channel connection {@code g} joins. */
  public int channelIndexOf(int g) {
    return channels == 0 ? -1 : g % channels;
  }

  /**
   * Whether connection {@code g} measures latency: exactly one connection in every block of {@code
   * sample} consecutive ones, at an offset that varies from block to block. Not simply every {@code
   * sample}th: servers deal connections out to their event loops in turn, so with an even {@code
   * sample} every sampled connection would sit on the same event loop, and the latency measured
   * would be that loop's alone (on a one-core server with two loops, the loop that happens to
   * deliver first: half the latency of the others). The offsets are a fixed function of the block,
   * so every run samples the same connections.
   */
  public boolean sampled(int g) {
    if (sample == 1) {
      return true;
    }
    long block = g / sample;
    long z = (block + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 31)) * 0xBF58476D1CE4E5B9L;
    z ^= z >>> 29;
    return g % sample == Math.floorMod(z, sample);
  }

  /** The same slice with other bounds. */
  public FleetSpec slice(int sliceFirst, int sliceCount) {
    return new FleetSpec(
        host,
        ports,
        wire,
        sliceFirst,
        sliceCount,
        channels,
        channelPrefix,
        sample,
        sourceAddresses,
        concurrency);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("ports", new JsonArray(ports))
        .put("wire", wire)
        .put("first", first)
        .put("count", count)
        .put("channels", channels)
        .put("channelPrefix", channelPrefix)
        .put("sample", sample)
        .put("sourceAddresses", sourceAddresses)
        .put("concurrency", concurrency);
  }

  public static FleetSpec fromJson(JsonObject json) {
    return new FleetSpec(
        json.getString("host"),
        json.getJsonArray("ports").stream().map(p -> ((Number) p).intValue()).toList(),
        json.getString("wire"),
        json.getInteger("first"),
        json.getInteger("count"),
        json.getInteger("channels"),
        json.getString("channelPrefix"),
        json.getInteger("sample"),
        json.getInteger("sourceAddresses"),
        json.getInteger("concurrency"));
  }
}
