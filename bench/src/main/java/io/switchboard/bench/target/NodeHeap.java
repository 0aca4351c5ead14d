package io.switchboard.bench.target;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The Socket.IO server's heap after {@code global.gc()}, from its {@code GET /heap}. */
final class NodeHeap {

  /** HTTP/1.1: an h2c upgrade request would be taken by Engine.IO's upgrade handler and dropped. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private NodeHeap() {}

  static long usedAfterGc(String host, int port) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/heap"))
            .timeout(Duration.ofSeconds(60))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET /heap answered " + response.statusCode());
      }
      JsonObject heap = new JsonObject(response.body());
      if (!heap.getBoolean("afterGc", false)) {
        throw new IllegalStateException("node runs without --expose-gc: the heap is not after GC");
      }
      return heap.getLong("heapUsed");
    } catch (IOException e) {
      throw new IllegalStateException("could not read the Socket.IO server's heap: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the heap", e);
    }
  }
}
