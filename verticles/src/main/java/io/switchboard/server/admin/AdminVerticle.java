package io.switchboard.server.admin;

import io.switchboard.server.cluster.Nodes;
import io.switchboard.server.config.AdminConfig;
import io.switchboard.server.config.PluginsConfig.PluginVerticle;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.switchboard.server.plugin.PluginCatalog;
import io.switchboard.server.presence.ClusterPresence;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API on its own port: health, Prometheus metrics, status, connections, channels,
 * disconnect and broadcast, their OpenAPI description, the event streams of the operator's console
 * and the console itself. When {@code admin.token} is set, every route but {@code /health*} and the
 * console's files ({@code /}, {@code /console/*}) needs {@code Authorization: Bearer <token>}, and
 * {@code /health} without it answers only the status.
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(AdminVerticle.class);

  /** The largest accepted request body: the same limit as a WebSocket message. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  /** The longest request line; a longer one is answered 414. */
  static final int MAX_REQUEST_LINE_BYTES = 4096;

  /** The most header bytes a request may carry; beyond: 431. */
  static final int MAX_HEADER_BYTES = 8192;

  private final AdminConfig config;
  private final SwitchboardMetrics metrics;
  private final PluginCatalog plugins;
  private final List<PluginVerticle> pluginVerticles;
  private final Nodes nodes;
  private HttpServer server;
  private Router router;
  private EventStreams streams;

  /**
   * @param nodes the cluster's nodes ({@code /api/nodes}, {@code /health}); this node alone when
   *     not clustered
   */
  public AdminVerticle(
      AdminConfig config,
      SwitchboardMetrics metrics,
      PluginCatalog plugins,
      List<PluginVerticle> pluginVerticles,
      Nodes nodes) {
    this.config = config;
    this.metrics = metrics;
    this.plugins = plugins;
    this.pluginVerticles = pluginVerticles;
    this.nodes = nodes;
  }

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    BearerAuth auth = config.tokenRequired() ? new BearerAuth(config.token()) : null;
    new HealthRoutes(vertx, metrics, nodes, request -> auth == null || auth.authorized(request))
        .mount(router);
    // The console's files hold no data: the page asks for the token, then calls the API with it.
    new ConsoleRoutes().mount(router);
    if (auth != null) {
      router.route().handler(auth);
    }
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry()));
    router.get(OpenApiDocument.PATH).handler(OpenApiDocument.load()::handle);
    router.post("/v1/broadcast").handler(new JsonBodyHandler(MAX_BODY_BYTES));
    new AdminApi(vertx.eventBus(), nodes).mount(router);
    new PresenceRoutes(new ClusterPresence(vertx, nodes)).mount(router);
    streams = new EventStreams(config.maxStreams(), metrics);
    new StreamRoutes(vertx, metrics, nodes, streams).mount(router);
    router
        .get("/api/plugins")
        .handler(ctx -> AdminApi.json(ctx, plugins.describe(metrics, pluginVerticles)));
    router
        .get("/api/nodes")
        .handler(
            ctx ->
                nodes
                    .all()
                    .onSuccess(all -> AdminApi.json(ctx, new JsonObject().put("nodes", all)))
                    .onFailure(ctx::fail));
    router.route().failureHandler(AdminErrors::handle);
    for (int status : new int[] {404, 405, 413}) {
      router.errorHandler(status, AdminErrors::handle);
    }
    server =
        vertx.createHttpServer(
            config
                .tls()
                .applyTo(
                    new HttpServerOptions()
                        .setHost(config.host())
                        .setPort(config.port())
                        .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
                        .setMaxHeaderSize(MAX_HEADER_BYTES)));
    return server
        .invalidRequestHandler(AdminErrors::invalidRequest)
        .requestHandler(router)
        .listen()
        .onSuccess(
            s ->
                log.debug(
                    "admin api listening [host: {}, port: {}]", config.host(), s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    streams.endAll();
    return server.close();
  }

  /** The actual admin port, once started (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** The router serving the admin API, once started: a test holds its routes to openapi.json. */
  Router router() {
    return router;
  }
}
