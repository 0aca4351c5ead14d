package io.switchboard.server.admin;

import io.switchboard.server.ServerVersion;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of the admin API, written by hand beside
 * this class ({@code openapi.json}) and held to the router by a test. Read once; {@code
 * info.version} is set to the server's version, so the document says which server it describes.
 */
final class OpenApiDocument {

  static final String PATH = "/openapi.json";

  /** The document as the jar holds it. */
  static final String RESOURCE = "openapi.json";

  private final Buffer body;

  private OpenApiDocument(Buffer body) {
    this.body = body;
  }

  static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the admin API description " + RESOURCE + " is missing");
      }
      JsonObject document = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      document.getJsonObject("info").put("version", ServerVersion.current());
      return new OpenApiDocument(document.toBuffer());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void handle(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(body);
  }
}
