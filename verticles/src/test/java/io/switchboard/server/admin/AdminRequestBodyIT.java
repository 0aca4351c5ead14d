package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerProcess;
import io.switchboard.server.testing.ServerTestBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Request bodies of the admin API: JSON only, in memory only, at most 64 KiB. Nothing a client
 * sends ever reaches the disk.
 */
class AdminRequestBodyIT extends ServerTestBase {

  private static final String BROADCAST = "{\"channel\":\"nobody-here\",\"type\":\"T\",\"data\":1}";

  @TempDir Path workDir;

  @Test
  void aMultipartUploadIsRefusedAndLeavesNothingInTheWorkingDirectory() throws Exception {
    try (ServerProcess jar =
        ServerProcess.start(workDir, new ServerProcess.Options().onFreeLoopbackPorts())
            .awaitStarted()) {
      MultipartForm form =
          MultipartForm.create()
              .attribute("channel", "news")
              .binaryFileUpload(
                  "file",
                  "upload.bin",
                  Buffer.buffer(new byte[60 * 1024]),
                  "application/octet-stream");

      HttpResponse<Buffer> response =
          Await.result(
              http.post(jar.adminPort(), "127.0.0.1", "/v1/broadcast").sendMultipartForm(form));
      HttpResponse<Buffer> after =
          Await.result(
              http.post(jar.adminPort(), "127.0.0.1", "/v1/broadcast")
                  .sendBuffer(Buffer.buffer(BROADCAST)));
      jar.sigterm();
      jar.awaitExit();

      assertThat(everythingIn(workDir))
          .as("files in the server's working directory (its own log aside)")
          .containsExactly("switchboard.out");
      assertThat(response.statusCode()).isEqualTo(415);
      assertThat(response.bodyAsJsonObject().getJsonObject("error"))
          .isEqualTo(
              new JsonObject()
                  .put("code", "unsupported_media_type")
                  .put(
                      "message",
                      "Content-Type 'multipart/form-data' is not accepted; the body must be"
                          + " application/json"));
      assertThat(after.statusCode()).as("the server goes on serving").isEqualTo(200);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "application/x-www-form-urlencoded | application/x-www-form-urlencoded",
        "text/plain; charset=utf-8          | text/plain",
        "application/xml                    | application/xml",
        "multipart/mixed; boundary=xyz      | multipart/mixed"
      })
  void aBodyOfAnotherMediaTypeIs415NamingIt(String contentType, String named) {
    HttpResponse<Buffer> response =
        Await.result(
            http.post(server.adminPort(), "127.0.0.1", "/v1/broadcast")
                .putHeader("Content-Type", contentType)
                .sendBuffer(Buffer.buffer(BROADCAST)));

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.bodyAsJsonObject().getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "unsupported_media_type")
                .put(
                    "message",
                    "Content-Type '"
                        + named
                        + "' is not accepted; the body must be application/json"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"application/json", "application/json; charset=UTF-8", "Application/JSON"})
  void aJsonBodyIsAccepted(String contentType) {
    HttpResponse<Buffer> response =
        Await.result(
            http.post(server.adminPort(), "127.0.0.1", "/v1/broadcast")
                .putHeader("Content-Type", contentType)
                .sendBuffer(Buffer.buffer(BROADCAST)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("success", true).put("delivered", 0));
  }

  @Test
  void aJsonBodyOver64KiBIs413() {
    String body =
        new JsonObject()
            .put("channel", "x")
            .put("type", "T")
            .put("data", "d".repeat(64 * 1024))
            .encode();

    HttpResponse<Buffer> response =
        Await.result(
            http.post(server.adminPort(), "127.0.0.1", "/v1/broadcast")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body)));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.bodyAsJsonObject().getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "message_too_large")
                .put("message", "request body is too large"));
  }

  private static List<String> everythingIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).toList();
    }
  }
}
