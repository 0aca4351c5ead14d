package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The whole configuration, one typed record per section. Build it with {@link ConfigLoader} (file,
 * environment, system properties) or {@link #fromJson(JsonObject)} (missing keys take their
 * defaults).
 */
public record SwitchboardConfig(
    WebSocketConfig ws,
    AuthConfig auth,
    LimitsConfig limits,
    AdminConfig admin,
    HeartbeatConfig heartbeat,
    TelemetryConfig telemetry,
    ChannelsConfig channels,
    RoutingConfig routing,
    ShutdownConfig shutdown,
    MetricsConfig metrics,
    PluginsConfig plugins,
    VertxConfig vertx,
    ClusterConfig cluster,
    BridgeConfig bridge) {

  /** The sections, in the order the configuration file and the README list them. */
  public static final List<String> SECTIONS =
      List.of(
          WebSocketConfig.SECTION,
          AuthConfig.SECTION,
          LimitsConfig.SECTION,
          AdminConfig.SECTION,
          HeartbeatConfig.SECTION,
          TelemetryConfig.SECTION,
          ChannelsConfig.SECTION,
          RoutingConfig.SECTION,
          ShutdownConfig.SECTION,
          MetricsConfig.SECTION,
          PluginsConfig.SECTION,
          VertxConfig.SECTION,
          ClusterConfig.SECTION,
          BridgeConfig.SECTION);

  /** Every default. */
  public static SwitchboardConfig defaults() {
    return fromJson(new JsonObject());
  }

  /**
   * Reads and checks a configuration.
   *
   * @throws ConfigException naming the first key that breaks a rule
   */
  public static SwitchboardConfig fromJson(JsonObject root) {
    for (String section : root.fieldNames()) {
      if (!SECTIONS.contains(section)) {
        throw new ConfigException(
            "unknown configuration section "
                + section
                + "; the sections are "
                + String.join(", ", SECTIONS));
      }
    }
    SwitchboardConfig config =
        new SwitchboardConfig(
            WebSocketConfig.from(root),
            AuthConfig.from(root),
            LimitsConfig.from(root),
            AdminConfig.from(root),
            HeartbeatConfig.from(root),
            TelemetryConfig.from(root),
            ChannelsConfig.from(root),
            RoutingConfig.from(root),
            ShutdownConfig.from(root),
            MetricsConfig.from(root),
            PluginsConfig.from(root),
            VertxConfig.from(root),
            ClusterConfig.from(root),
            BridgeConfig.from(root));
    config.auth.checkAgainst(config.ws.host());
    if (config.admin.enabled()
        && config.admin.port() != 0
        && config.admin.port() == config.ws.port()) {
      throw new ConfigException(
          "admin.port must differ from ws.port, both were " + config.ws.port());
    }
    if (config.bridge.enabled() && config.bridge.port() != 0) {
      if (config.bridge.port() == config.ws.port()) {
        throw new ConfigException(
            "bridge.port must differ from ws.port, both were " + config.ws.port());
      }
      if (config.admin.enabled() && config.bridge.port() == config.admin.port()) {
        throw new ConfigException(
            "bridge.port must differ from admin.port, both were " + config.admin.port());
      }
    }
    return config;
  }

  /** The same configuration, clustered ({@code --cluster}). */
  public SwitchboardConfig clustered() {
    return new SwitchboardConfig(
        ws,
        auth,
        limits,
        admin,
        heartbeat,
        telemetry,
        channels,
        routing,
        shutdown,
        metrics,
        plugins,
        vertx,
        cluster.enable(),
        bridge);
  }

  /** The configuration as JSON, in the file's layout. */
  public JsonObject toJson() {
    return new JsonObject()
        .put(WebSocketConfig.SECTION, ws.toJson())
        .put(AuthConfig.SECTION, auth.toJson())
        .put(LimitsConfig.SECTION, limits.toJson())
        .put(AdminConfig.SECTION, admin.toJson())
        .put(HeartbeatConfig.SECTION, heartbeat.toJson())
        .put(TelemetryConfig.SECTION, telemetry.toJson())
        .put(ChannelsConfig.SECTION, channels.toJson())
        .put(RoutingConfig.SECTION, routing.toJson())
        .put(ShutdownConfig.SECTION, shutdown.toJson())
        .put(MetricsConfig.SECTION, metrics.toJson())
        .put(PluginsConfig.SECTION, plugins.toJson())
        .put(VertxConfig.SECTION, vertx.toJson())
        .put(ClusterConfig.SECTION, cluster.toJson())
        .put(BridgeConfig.SECTION, bridge.toJson());
  }

  /**
   * {@link #toJson()} with secrets (the admin and bridge tokens, keystore and truststore passwords)
   * masked, for the log.
   */
  public JsonObject toLoggableJson() {
    JsonObject json = toJson();
    if (admin.tokenRequired()) {
      json.getJsonObject(AdminConfig.SECTION).put("token", TlsConfig.MASK);
    }
    if (!auth.jwtSecret().isEmpty()) {
      json.getJsonObject(AuthConfig.SECTION).put("jwtSecret", "****");
    }
    ws.tls().maskSecrets(json.getJsonObject(WebSocketConfig.SECTION));
    admin.tls().maskSecrets(json.getJsonObject(AdminConfig.SECTION));
    bridge.maskSecrets(json.getJsonObject(BridgeConfig.SECTION));
    cluster.maskSecrets(json.getJsonObject(ClusterConfig.SECTION));
    return json;
  }
}
