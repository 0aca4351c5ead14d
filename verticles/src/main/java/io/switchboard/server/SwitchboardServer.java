package io.switchboard.server;

import com.hazelcast.config.Config;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.protocol.BusErrors;
import io.switchboard.server.admin.AdminVerticle;
import io.switchboard.server.auth.Authenticator;
import io.switchboard.server.bridge.BridgeVerticle;
import io.switchboard.server.bus.LocalCodec;
import io.switchboard.server.cluster.ChannelFrameCodec;
import io.switchboard.server.cluster.ClusterMembership;
import io.switchboard.server.cluster.ClusterView;
import io.switchboard.server.cluster.EventBusSetup;
import io.switchboard.server.cluster.HazelcastSetup;
import io.switchboard.server.cluster.NodeAddresses;
import io.switchboard.server.cluster.Nodes;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.config.TlsCheck;
import io.switchboard.server.connection.ConnectionIds;
import io.switchboard.server.connection.ConnectionLimits;
import io.switchboard.server.connection.ConnectionVerticle;
import io.switchboard.server.heartbeat.HeartbeatVerticle;
import io.switchboard.server.history.HazelcastHistory;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.switchboard.server.plugin.LoadedPlugin;
import io.switchboard.server.plugin.PluginCatalog;
import io.switchboard.server.plugin.PluginHostVerticle;
import io.switchboard.server.plugin.PluginLoader;
import io.switchboard.server.plugin.PluginVerticles;
import io.switchboard.server.presence.ClusterPresence;
import io.switchboard.server.routing.RoutingShards;
import io.switchboard.server.routing.RoutingVerticle;
import io.switchboard.server.telemetry.TelemetryVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Switchboard: the five verticles deployed in order (routing, heartbeat, telemetry,
 * connections, admin), then the TCP event-bus bridge when {@code bridge.enabled}, and undeployed in
 * the reverse order on {@link #stop()}, the bridge and connections first so that every client is
 * told and closed while the rest still works. This is only wiring; the behaviour lives in the
 * verticles.
 */
public final class SwitchboardServer {

  private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final SwitchboardConfig config;
  private final SwitchboardMetrics metrics;
  private final List<ConnectionVerticle> connectionVerticles = new CopyOnWriteArrayList<>();

  /** Deployment ids by role; stop undeploys in {@link #STOP_ORDER}. */
  private final Map<Role, List<String>> deployments = new EnumMap<>(Role.class);

  private final List<MessageTypePlugin> embeddedPlugins;

  /** The cluster's members as this node sees them; null on a node alone. */
  private final ClusterView cluster;

  /** The cluster's copy of the channels' histories; null on a node alone. */
  private final HazelcastHistory sharedHistory;

  private Nodes nodes;
  private MessageConsumer<?> nodeQueries;

  /** This node's consumer of the public presence address; connections ask it too. */
  private MessageConsumer<?> presenceQueries;

  /** What a relative {@code plugins.directory} is resolved against. */
  private final Path pluginsBase;

  private PluginCatalog plugins = PluginCatalog.empty();

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private AdminVerticle admin;
  private BridgeVerticle bridge;
  private Authenticator authenticator;
  private Future<Void> stopping;

  private enum Role {
    ROUTING,
    HEARTBEAT,
    TELEMETRY,
    PLUGINS,
    CONNECTIONS,
    ADMIN,
    BRIDGE,
    PLUGIN_VERTICLES
  }

  /**
   * Plugin verticles first (they came last), then the bridge, then connections, so every client is
   * told and closed while routing, plugins and the admin API still work.
   */
  private static final List<Role> STOP_ORDER =
      List.of(
          Role.PLUGIN_VERTICLES,
          Role.BRIDGE,
          Role.CONNECTIONS,
          Role.ADMIN,
          Role.PLUGINS,
          Role.TELEMETRY,
          Role.HEARTBEAT,
          Role.ROUTING);

  private SwitchboardServer(
      Vertx vertx,
      boolean ownsVertx,
      SwitchboardConfig config,
      SwitchboardMetrics metrics,
      List<MessageTypePlugin> embeddedPlugins,
      Path pluginsBase,
      ClusterView cluster,
      HazelcastHistory sharedHistory) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.sharedHistory = sharedHistory;
    this.ownsVertx = ownsVertx;
    this.config = config;
    this.metrics = metrics;
    this.embeddedPlugins = List.copyOf(embeddedPlugins);
    this.pluginsBase = pluginsBase;
  }

  /**
   * Starts a server in a Vert.x instance of its own, with Micrometer metrics recording into the
   * registry that {@code /metrics} serves. {@link #stop()} closes that Vert.x instance. A relative
   * {@code plugins.directory} is resolved against the working directory.
   */
  public static Future<SwitchboardServer> start(SwitchboardConfig config) {
    return start(config, List.of());
  }

  /**
   * Starts a server in a Vert.x instance of its own, with plugin instances given directly besides
   * those found on the class path and in the plugins folder. A relative {@code plugins.directory}
   * is resolved against the working directory.
   */
  public static Future<SwitchboardServer> start(
      SwitchboardConfig config, List<MessageTypePlugin> plugins) {
    return start(config, plugins, PluginLoader.workingDirectory());
  }

  /**
   * The launcher's start: a relative {@code plugins.directory} is resolved against {@code
   * pluginsBase}, the folder of the fat jar.
   */
  static Future<SwitchboardServer> start(
      SwitchboardConfig config, List<MessageTypePlugin> plugins, Path pluginsBase) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions();
    if (config.vertx().eventLoopPoolSize() > 0) {
      options.setEventLoopPoolSize(config.vertx().eventLoopPoolSize());
    }
    options.setMetricsOptions(
        new MicrometerMetricsOptions()
            .setEnabled(config.metrics().enabled())
            // Bounded labels only: an address or path label would create a series per channel.
            // LOCAL (the bind address) tells the public and the admin server apart.
            .setLabels(
                EnumSet.of(
                    Label.LOCAL,
                    Label.HTTP_METHOD,
                    Label.HTTP_CODE,
                    Label.POOL_TYPE,
                    Label.POOL_NAME))
            // Deliveries cross the bus once per message and instance; metering each costs more
            // than it tells. Switchboard's own meters count what matters.
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS));
    Transport transport;
    try {
      transport = Transports.resolve(config.vertx().transport());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    if (!config.cluster().enabled()) {
      Vertx vertx =
          Vertx.builder()
              .with(options)
              .withTransport(transport)
              .withMetrics(new MicrometerMetricsFactory(registry))
              .build();
      return startIn(vertx, null, null, config, registry, plugins, pluginsBase, options);
    }
    HazelcastClusterManager manager;
    try {
      EventBusSetup.configure(config.cluster(), options.getEventBusOptions());
      Config hazelcast = HazelcastSetup.load(config.cluster());
      HazelcastHistory.configure(hazelcast, config.channels(), config.cluster().historyQuorum());
      manager = new HazelcastClusterManager(hazelcast);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return Vertx.builder()
        .with(options)
        .withTransport(transport)
        .withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(manager)
        .buildClustered()
        .compose(
            vertx ->
                startIn(
                    vertx,
                    ClusterMembership.watch(manager),
                    new HazelcastHistory(manager.getHazelcastInstance()),
                    config,
                    registry,
                    plugins,
                    pluginsBase,
                    options));
  }

  private static Future<SwitchboardServer> startIn(
      Vertx vertx,
      ClusterView cluster,
      HazelcastHistory sharedHistory,
      SwitchboardConfig config,
      PrometheusMeterRegistry registry,
      List<MessageTypePlugin> plugins,
      Path pluginsBase,
      VertxOptions options) {
    SwitchboardServer server =
        new SwitchboardServer(
            vertx,
            true,
            config,
            new SwitchboardMetrics(registry),
            plugins,
            pluginsBase,
            cluster,
            sharedHistory);
    if (cluster != null) {
      cluster.onChange(
          () ->
              vertx
                  .eventBus()
                  .publish(
                      NodeAddresses.MEMBERS_CHANGED,
                      new JsonObject(),
                      new DeliveryOptions().setLocalOnly(true)));
    }
    // A context-less promise: when start-up fails, the instance is closed and its event loops
    // are gone, so nothing may wait on a future bound to one of them.
    Promise<SwitchboardServer> started = Promise.promise();
    server
        .deploy(options.getEventLoopPoolSize())
        .onComplete(
            (running, failure) -> {
              if (failure == null) {
                started.complete(running);
              } else {
                vertx.close().onComplete(closed -> started.fail(failure));
              }
            });
    return started.future();
  }

  /**
   * Deploys a server into an existing Vert.x instance, e.g. beside an application's own verticles.
   * Switchboard's meters get a registry of their own. {@link #stop()} undeploys the verticles and
   * leaves the Vert.x instance running. A relative {@code plugins.directory} is resolved against
   * the working directory.
   */
  public static Future<SwitchboardServer> deploy(Vertx vertx, SwitchboardConfig config) {
    SwitchboardServer server =
        new SwitchboardServer(
            vertx,
            false,
            config,
            SwitchboardMetrics.standalone(),
            List.of(),
            PluginLoader.workingDirectory(),
            null,
            null);
    return server.deploy(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
  }

  private Future<SwitchboardServer> deploy(int eventLoops) {
    LocalCodec.registerAll(vertx.eventBus());
    ChannelFrameCodec.register(vertx.eventBus());
    BusErrors.registerCodec(vertx.eventBus());
    if (config.metrics().jvm()) {
      bindJvmMetrics();
    }
    int instances = config.ws().instances() > 0 ? config.ws().instances() : eventLoops;
    // Connection ids name their node: clustered, the short form of the cluster's node id.
    ConnectionIds ids =
        new ConnectionIds(
            cluster == null
                ? UUID.randomUUID().toString().substring(0, 6)
                : ClusterView.shortId(cluster.self()));
    nodes =
        new Nodes(vertx, cluster, this::addresses, config.cluster().answerTimeoutMs(), ids.node());
    ConnectionLimits limits = new ConnectionLimits(config.limits());
    RoutingShards shards =
        new RoutingShards(
            config.routing().instances() > 0 ? config.routing().instances() : eventLoops);
    return vertx
        // Reads the configured key and certificate files: a bad one stops start-up before
        // anything listens.
        .executeBlocking(
            () -> {
              TlsCheck.verify(vertx, config);
              authenticator = Authenticator.create(vertx, config.auth());
              PluginCatalog catalog =
                  PluginLoader.load(config.plugins(), embeddedPlugins, pluginsBase);
              try {
                catalog.checkAuthorizers(config.channels());
              } catch (RuntimeException e) {
                catalog.close();
                throw e;
              }
              return catalog;
            })
        .compose(
            catalog -> {
              plugins = catalog;
              AtomicInteger nextShard = new AtomicInteger();
              return vertx
                  .deployVerticle(
                      () ->
                          new RoutingVerticle(
                              nextShard.getAndIncrement(),
                              shards,
                              metrics,
                              catalog.routes(),
                              cluster,
                              sharedHistory,
                              config.cluster().answerTimeoutMs(),
                              limits::openConnections,
                              config.channels()),
                      new DeploymentOptions().setInstances(shards.count()))
                  .onSuccess(deployed -> record(Role.ROUTING, deployed));
            })
        .compose(
            id -> {
              presenceQueries = new ClusterPresence(vertx, nodes).register();
              return presenceQueries.completion();
            })
        .compose(
            id -> deployOne(Role.HEARTBEAT, new HeartbeatVerticle(config.heartbeat(), metrics)))
        .compose(
            id -> deployOne(Role.TELEMETRY, new TelemetryVerticle(config.telemetry(), metrics)))
        .compose(id -> deployPluginHosts())
        .compose(
            id ->
                vertx
                    .deployVerticle(
                        () -> {
                          ConnectionVerticle verticle =
                              new ConnectionVerticle(
                                  config, metrics, ids, limits, authenticator, shards);
                          connectionVerticles.add(verticle);
                          return verticle;
                        },
                        new DeploymentOptions().setInstances(instances))
                    .onSuccess(deployed -> record(Role.CONNECTIONS, deployed)))
        .compose(
            id -> {
              if (!config.admin().enabled()) {
                return Future.succeededFuture();
              }
              admin =
                  new AdminVerticle(
                      config.admin(), metrics, plugins, config.plugins().verticles(), nodes);
              return deployOne(Role.ADMIN, admin);
            })
        .compose(
            id -> {
              if (!config.bridge().enabled()) {
                return Future.succeededFuture();
              }
              bridge = new BridgeVerticle(config.bridge());
              return deployOne(Role.BRIDGE, bridge);
            })
        .compose(
            id ->
                PluginVerticles.deploy(
                    vertx,
                    plugins,
                    config.plugins().verticles(),
                    deployed -> record(Role.PLUGIN_VERTICLES, deployed)))
        .compose(
            done -> {
              if (cluster == null) {
                return Future.succeededFuture();
              }
              nodeQueries = nodes.register();
              return nodeQueries.completion();
            })
        .map(
            done -> {
              if (cluster != null) {
                log.info(
                    "switchboard joined the cluster [node: {}, short id: {}, members: {}]",
                    cluster.self(),
                    ClusterView.shortId(cluster.self()),
                    cluster.members().size());
              }
              log.info(
                  "switchboard started [ws: {}://{}:{}{}, instances: {}, transport: {}, admin: {}]",
                  config.ws().tls().enabled() ? "wss" : "ws",
                  config.ws().host(),
                  wsPort(),
                  config.ws().path(),
                  instances,
                  transport(),
                  admin == null
                      ? "off"
                      : (config.admin().tls().enabled() ? "https://" : "http://")
                          + config.admin().host()
                          + ":"
                          + adminPort());
              return this;
            })
        .recover(failure -> undeployAll().transform(undeployed -> Future.failedFuture(failure)));
  }

  /** One host verticle per enabled message-type plugin, each on a context of its own. */
  private Future<Void> deployPluginHosts() {
    Future<Void> chain = Future.succeededFuture();
    for (LoadedPlugin plugin : plugins.enabled()) {
      chain =
          chain.compose(
              v ->
                  deployOne(
                          Role.PLUGINS,
                          new PluginHostVerticle(plugin, metrics.plugin(plugin.name()), config))
                      .mapEmpty());
    }
    return chain;
  }

  private synchronized void record(Role role, String deploymentId) {
    deployments.computeIfAbsent(role, r -> new ArrayList<>()).add(deploymentId);
  }

  private Future<String> deployOne(Role role, Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(id -> record(role, id));
  }

  private void bindJvmMetrics() {
    PrometheusMeterRegistry registry = metrics.registry();
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    closeables.add(gc);
  }

  /**
   * Stops gracefully: plugin verticles, then connections (every client gets {@code server_shutdown}
   * and a close 1001 within {@code shutdown.timeoutMs}), then admin, plugins, telemetry, heartbeat
   * and routing, then the Vert.x instance if this server created it. Logs a summary. Safe to call
   * more than once.
   */
  public synchronized Future<Void> stop() {
    if (stopping == null) {
      long started = System.nanoTime();
      int open = metrics.activeConnections();
      // Context-less, like start's: the instance's event loops may be gone when it completes.
      Promise<Void> stopped = Promise.promise();
      undeployAll()
          .onComplete(
              (done, failure) -> {
                log.info(
                    "switchboard stopped [connections closed: {}, messages in: {}, messages"
                        + " out: {}, took: {} ms]",
                    open,
                    metrics.messagesInTotal(),
                    metrics.messagesOutTotal(),
                    (System.nanoTime() - started) / 1_000_000);
                closeables.forEach(SwitchboardServer::closeQuietly);
                plugins.close();
                if (ownsVertx) {
                  vertx.close().onComplete(stopped);
                } else {
                  stopped.complete();
                }
              });
      stopping = stopped.future();
    }
    return stopping;
  }

  /** Undeploys every verticle this server deployed, in {@link #STOP_ORDER}. */
  private Future<Void> undeployAll() {
    Future<Void> chain =
        nodeQueries == null ? Future.succeededFuture() : nodeQueries.unregister().otherwiseEmpty();
    for (Role role : STOP_ORDER) {
      for (String id : deployments.getOrDefault(role, List.of())) {
        chain = chain.compose(v -> vertx.undeploy(id).otherwiseEmpty());
      }
    }
    if (presenceQueries != null) {
      chain = chain.compose(v -> presenceQueries.unregister().otherwiseEmpty());
    }
    return chain;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("close failed", e);
    }
  }

  /**
   * The network transport of the server's Vert.x instance: {@code nio} or {@code epoll} (see {@code
   * vertx.transport}).
   */
  public String transport() {
    String name = ((VertxInternal) vertx).transport().getClass().getSimpleName();
    return name.replace("Transport", "").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
  }

  /** The Vert.x instance the server runs in. */
  public Vertx vertx() {
    return vertx;
  }

  public SwitchboardConfig config() {
    return config;
  }

  public SwitchboardMetrics metrics() {
    return metrics;
  }

  /** The plugins loaded at start-up. */
  public PluginCatalog plugins() {
    return plugins;
  }

  /** This node's public addresses, for {@code /api/nodes}. */
  private JsonObject addresses() {
    JsonObject addresses =
        new JsonObject()
            .put(
                "address",
                (config.ws().tls().enabled() ? "wss://" : "ws://")
                    + config.ws().host()
                    + ":"
                    + wsPort()
                    + config.ws().path());
    if (admin != null) {
      addresses.put(
          "admin",
          (config.admin().tls().enabled() ? "https://" : "http://")
              + config.admin().host()
              + ":"
              + adminPort());
    }
    return addresses;
  }

  /** The cluster's members as this node sees them, or null when it runs alone. */
  public ClusterView cluster() {
    return cluster;
  }

  /** The actual public WebSocket port. */
  public int wsPort() {
    return connectionVerticles.isEmpty() ? -1 : connectionVerticles.get(0).actualPort();
  }

  /** The admin API's verticle, or null when {@code admin.enabled} is off. */
  public AdminVerticle adminVerticle() {
    return admin;
  }

  /** The actual admin port, or -1 when the admin API is disabled. */
  public int adminPort() {
    return admin == null ? -1 : admin.actualPort();
  }

  /** The actual TCP event-bus bridge port, or -1 when the bridge is disabled. */
  public int bridgePort() {
    return bridge == null ? -1 : bridge.actualPort();
  }
}
