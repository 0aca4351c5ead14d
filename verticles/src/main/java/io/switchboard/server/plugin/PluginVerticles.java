package io.switchboard.server.plugin;

import io.switchboard.server.config.PluginsConfig.PluginVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Consumer;

/** Deploys the verticles of {@code plugins.verticles}, one after the other, in their order. */
public final class PluginVerticles {

  private PluginVerticles() {}

  /**
   * Deploys every listed verticle with its instances and config.
   *
   * @param onDeployed receives each deployment id, so that the caller can undeploy it
   * @return a future failed with a {@link PluginException} naming the first entry whose class
   *     cannot be used, or a {@link PluginStartException} naming the first that failed to deploy
   */
  public static Future<Void> deploy(
      Vertx vertx, PluginCatalog catalog, List<PluginVerticle> specs, Consumer<String> onDeployed) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < specs.size(); i++) {
      int index = i;
      PluginVerticle spec = specs.get(i);
      chain = chain.compose(v -> deployOne(vertx, catalog, index, spec, onDeployed));
    }
    return chain;
  }

  private static Future<Void> deployOne(
      Vertx vertx,
      PluginCatalog catalog,
      int index,
      PluginVerticle spec,
      Consumer<String> onDeployed) {
    Class<? extends Deployable> type = catalog.verticleClass(index, spec);
    return vertx
        .deployVerticle(
            () -> instantiate(type),
            new DeploymentOptions().setInstances(spec.instances()).setConfig(spec.config()))
        .recover(
            failure ->
                Future.failedFuture(
                    new PluginStartException(
                        "plugins.verticles["
                            + index
                            + "] "
                            + spec.className()
                            + " failed to deploy: "
                            + failure.getMessage(),
                        failure)))
        .onSuccess(
            id -> {
              onDeployed.accept(id);
              catalog.verticleDeployed(spec, id);
            })
        .mapEmpty();
  }

  private static Deployable instantiate(Class<? extends Deployable> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new PluginException(
          type.getName() + " needs a public no-argument constructor: " + e, e);
    }
  }
}
