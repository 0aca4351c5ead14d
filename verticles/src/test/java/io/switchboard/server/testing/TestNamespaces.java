package io.switchboard.server.testing;

import io.vertx.core.json.JsonObject;

/** Channel namespaces for a test server's configuration. */
public final class TestNamespaces {

  private TestNamespaces() {}

  /** A namespace anyone may join and publish to; add history or notices to the object returned. */
  public static JsonObject open() {
    return new JsonObject().put("join", "anyone").put("publish", "anyone");
  }

  /** {@code {"channels": {"namespaces": {prefix: namespace}}}}, to merge into a configuration. */
  public static JsonObject config(String prefix, JsonObject namespace) {
    return new JsonObject()
        .put(
            "channels",
            new JsonObject().put("namespaces", new JsonObject().put(prefix, namespace)));
  }
}
