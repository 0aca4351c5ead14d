package io.switchboard.server.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's console: a page at {@code /} and its files at {@code /console/<file>}, plain HTML,
 * CSS and JavaScript modules from the jar's {@code console/} folder, read once at start-up and
 * served from memory (nothing is extracted to disk, nothing is fetched from elsewhere).
 *
 * <p>The files hold no data and are the same for everyone, so they are served without the admin
 * token, like any login page: a browser cannot send an {@code Authorization} header when it
 * navigates. Everything the page shows comes from the token-guarded API, which it calls with the
 * token the operator types in. A strict Content-Security-Policy keeps the page to its own files and
 * its own origin.
 */
final class ConsoleRoutes {

  /** The console's files, in the jar's {@code console/} folder; a missing one fails start-up. */
  static final List<String> FILES =
      List.of("index.html", "console.css", "console.js", "api.js", "chart.js", "views.js");

  private static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Map<String, Buffer> files = new LinkedHashMap<>();

  ConsoleRoutes() {
    for (String name : FILES) {
      files.put(name, read("console/" + name));
    }
  }

  void mount(Router router) {
    router.get("/").handler(ctx -> serve(ctx, "index.html"));
    router.get("/console").handler(ctx -> ctx.redirect("/"));
    router.get("/console/").handler(ctx -> ctx.redirect("/"));
    router.get("/console/:file").handler(ctx -> serve(ctx, ctx.pathParam("file")));
  }

  private void serve(RoutingContext ctx, String name) {
    Buffer body = files.get(name);
    if (body == null) {
      throw new AdminException(404, "not_found", "no such console file: " + name);
    }
    HttpServerResponse response = ctx.response();
    response
        .putHeader("Content-Type", contentType(name))
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .end(body);
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "text/javascript; charset=utf-8";
  }

  private static Buffer read(String resource) {
    try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
