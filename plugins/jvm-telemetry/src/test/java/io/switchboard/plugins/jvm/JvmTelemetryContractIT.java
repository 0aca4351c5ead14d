package io.switchboard.plugins.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.tck.VerticlePluginContract;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;

/** The JVM telemetry verticle against the plugin-verticle contract. */
class JvmTelemetryContractIT extends VerticlePluginContract {

  @Override
  protected Class<? extends Deployable> verticleClass() {
    return JvmTelemetryVerticle.class;
  }

  @Override
  protected JsonObject serverConfig() {
    return new JsonObject().put("telemetry", new JsonObject().put("intervalMs", 100));
  }

  @Override
  protected void verifyRunning() {
    WsClient watcher = WsClient.connect(wsClient, server.wsPort());
    try {
      watcher.request(new JsonObject().put("type", "join").put("channel", "$telemetry"));

      JsonObject jvm = watcher.next("metrics_update").getJsonObject("data").getJsonObject("jvm");

      assertThat(jvm).as("data.jvm").isNotNull();
      assertThat(jvm.getLong("heapUsedBytes")).isPositive();
      assertThat(jvm.getLong("heapCommittedBytes"))
          .isGreaterThanOrEqualTo(jvm.getLong("heapUsedBytes"));
      assertThat(jvm.getInteger("threads")).isPositive();
      assertThat(jvm.getJsonArray("gc")).isNotEmpty();
      assertThat(jvm.getInteger("availableProcessors")).isPositive();
    } finally {
      watcher.close();
    }
  }
}
