package io.switchboard.server.admin;

import io.switchboard.server.ServerVersion;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.cluster.Nodes;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;
import java.util.function.Predicate;

/**
 * Health routes, never behind the admin token: {@code /health/live} and {@code /health/ready} from
 * Vert.x Health Checks for probes, and {@code /health} with the overall status. Each answers 200
 * when up and 503 when down. {@code /health} adds the WebSocket and routing details only for a
 * caller that may see them (with the admin token, when one is set): anyone else learns the status
 * and nothing about the connections.
 */
final class HealthRoutes {

  private static final long CHECK_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final SwitchboardMetrics metrics;
  private final HealthChecks liveness;
  private final HealthChecks readiness;
  private final Predicate<HttpServerRequest> mayShowDetails;
  private final Nodes nodes;

  /**
   * @param mayShowDetails whether a request to {@code /health} gets the details beside the status
   */
  HealthRoutes(
      Vertx vertx,
      SwitchboardMetrics metrics,
      Nodes nodes,
      Predicate<HttpServerRequest> mayShowDetails) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.metrics = metrics;
    this.mayShowDetails = mayShowDetails;
    // Answering at all proves the admin event loop is not blocked.
    this.liveness =
        HealthChecks.create(vertx).register("event-loop", done -> done.complete(Status.OK()));
    this.readiness =
        HealthChecks.create(vertx)
            .register("routing", CHECK_TIMEOUT_MS, this::routingAnswers)
            .register("websocket", CHECK_TIMEOUT_MS, this::websocketListening);
  }

  void mount(Router router) {
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router.get("/health").handler(this::overall);
    // Any other method: 405 here, since the admin token's handler after these routes would make
    // the router forget that the path exists and answer 404.
    for (String path : List.of("/health", "/health/live", "/health/ready")) {
      router.route(path).handler(ctx -> ctx.fail(405));
    }
  }

  private void routingAnswers(io.vertx.core.Promise<Status> done) {
    stats()
        .onSuccess(stats -> done.complete(Status.OK()))
        .onFailure(
            failure ->
                done.complete(Status.KO(new JsonObject().put("reason", failure.getMessage()))));
  }

  private void websocketListening(io.vertx.core.Promise<Status> done) {
    stats()
        .onSuccess(
            stats -> {
              int instances = stats.getInteger("instances", 0);
              JsonObject data = new JsonObject().put("listeningInstances", instances);
              done.complete(instances > 0 ? Status.OK(data) : Status.KO(data));
            })
        .onFailure(
            failure ->
                done.complete(Status.KO(new JsonObject().put("reason", failure.getMessage()))));
  }

  private void overall(RoutingContext ctx) {
    readiness
        .checkStatus()
        .onComplete(
            (result, failure) -> {
              boolean up = failure == null && CheckResult.isUp(result);
              if (!mayShowDetails.test(ctx.request())) {
                respond(ctx, up, new JsonObject().put("status", up ? "UP" : "DOWN"));
                return;
              }
              stats()
                  .onComplete(
                      (stats, statsFailure) -> {
                        JsonObject websocket =
                            new JsonObject()
                                .put("healthy", up)
                                .put("activeConnections", metrics.activeConnections())
                                .put(
                                    "totalConnectionsTracked",
                                    stats == null ? 0 : stats.getInteger("connections", 0));
                        JsonObject routing = new JsonObject().put("healthy", statsFailure == null);
                        JsonObject body =
                            new JsonObject()
                                .put("status", up ? "UP" : "DOWN")
                                .put("version", ServerVersion.current())
                                .put(
                                    "services",
                                    new JsonObject()
                                        .put("websocket", websocket)
                                        .put("routing", routing))
                                .put("cluster", cluster())
                                .put("uptimeMs", metrics.uptimeMillis())
                                .put("timestamp", ServerFrames.now());
                        respond(ctx, up, body);
                      });
            });
  }

  /** This node's place in the cluster: whether clustered, its id, the members it sees. */
  private JsonObject cluster() {
    return new JsonObject()
        .put("enabled", nodes.clustered())
        .put("nodeId", nodes.selfId())
        .put("state", !nodes.clustered() ? "alone" : nodes.ready() ? "joined" : "syncing")
        .put("members", nodes.members().size())
        .put("memberIds", new io.vertx.core.json.JsonArray(nodes.members()));
  }

  private static void respond(RoutingContext ctx, boolean up, JsonObject body) {
    ctx.response()
        .setStatusCode(up ? 200 : 503)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  private io.vertx.core.Future<JsonObject> stats() {
    return vertx
        .eventBus()
        .<JsonObject>request(
            InternalAddresses.ROUTING_QUERY,
            new JsonObject().put("query", "stats"),
            new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MS).setLocalOnly(true))
        .map(io.vertx.core.eventbus.Message::body);
  }
}
