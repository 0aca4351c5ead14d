package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.switchboard.server.admin.OpenApiSpec.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The admin API's OpenAPI document on its own: valid OpenAPI 3.1 as a real parser reads it, every
 * example valid by its schema, and the conventions {@code OpenApiIT} relies on against the server.
 */
class OpenApiDocumentTest {

  private final OpenApiSpec spec = OpenApiSpec.fromResource();

  @Test
  void aRealParserReadsItAsOpenApi31WithoutAComplaint() throws IOException {
    String text;
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ParseOptions options = new ParseOptions();
    options.setResolve(true);

    SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);

    assertThat(result.getMessages()).isEmpty();
    assertThat(result.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
    assertThat(result.getOpenAPI().getPaths()).hasSameSizeAs(spec.document.get("paths"));
  }

  @Test
  void everyExampleIsValidByItsSchema() {
    List<String> checked = new ArrayList<>();
    for (Operation operation : spec.operations()) {
      List<Map.Entry<String, JsonNode>> bodies = new ArrayList<>();
      if (operation.node().has("requestBody")) {
        bodies.add(Map.entry("request", operation.node().get("requestBody")));
      }
      operation
          .node()
          .get("responses")
          .fields()
          .forEachRemaining(r -> bodies.add(Map.entry(r.getKey(), r.getValue())));
      for (Map.Entry<String, JsonNode> body : bodies) {
        spec.content(body.getValue())
            .forEach(
                (mediaType, content) ->
                    spec.examples(content)
                        .forEach(
                            (name, example) -> {
                              String where = operation + " " + body.getKey() + " " + name;
                              Set<String> problems = spec.problems(content.get("schema"), example);
                              if (body.getKey().equals("request")
                                  && !answeredWithSuccess(operation, name)) {
                                // An example of a refused request: the schema refuses it too.
                                assertThat(problems).as(where).isNotEmpty();
                              } else {
                                assertThat(problems).as(where).isEmpty();
                              }
                              checked.add(where);
                            }));
      }
      for (JsonNode parameter : spec.parameters(operation)) {
        spec.examples(parameter)
            .forEach(
                (name, example) ->
                    assertThat(spec.problems(parameter.get("schema"), example))
                        .as("%s parameter %s", operation, parameter.get("name"))
                        .isEmpty());
      }
    }
    assertThat(checked).hasSizeGreaterThan(20);
  }

  private boolean answeredWithSuccess(Operation operation, String requestExample) {
    List<Integer> statuses = spec.statusesWithExample(operation, requestExample);
    assertThat(statuses).as("%s example %s", operation, requestExample).hasSize(1);
    return statuses.get(0) < 300;
  }

  /** A document whose example breaks its schema is caught: the check above can fail. */
  @Test
  void anExampleThatBreaksItsSchemaIsFound() {
    JsonNode broadcastResult = spec.document.at("/components/schemas/BroadcastResult");

    assertThat(spec.problems(broadcastResult, OpenApiSpec.json("{\"success\": true}")))
        .isNotEmpty();
    assertThat(
            spec.problems(
                broadcastResult,
                OpenApiSpec.json("{\"success\": true, \"delivered\": 1, \"x\": 1}")))
        .isNotEmpty();
    assertThat(
            spec.problems(
                broadcastResult, OpenApiSpec.json("{\"success\": true, \"delivered\": 1}")))
        .isEmpty();

    // Through references, formats and patterns too.
    JsonNode health = OpenApiSpec.json("{\"$ref\": \"#/components/schemas/Health\"}");
    ObjectNode details = spec.document.at("/components/examples/HealthDetails/value").deepCopy();
    assertThat(spec.problems(health, details)).isEmpty();
    details.put("timestamp", "yesterday");
    assertThat(spec.problems(health, details)).isNotEmpty();
    details.remove("timestamp");
    assertThat(spec.problems(health, details)).isNotEmpty();
  }

  /**
   * Each request example has a response example of the same name under exactly one status: the
   * status the server answers it with ({@code OpenApiIT} sends them).
   */
  @Test
  void everyRequestExampleNamesTheResponseThatAnswersIt() {
    int requests = 0;
    for (Operation operation : spec.operations()) {
      if (!operation.node().has("requestBody")) {
        continue;
      }
      for (JsonNode content : spec.content(operation.node().get("requestBody")).values()) {
        for (String name : spec.examples(content).keySet()) {
          requests++;
          assertThat(spec.statusesWithExample(operation, name))
              .as("%s example %s", operation, name)
              .hasSize(1);
        }
      }
    }
    assertThat(requests).isGreaterThanOrEqualTo(4);
  }

  /** The README's admin table and the document list the same operations. */
  @Test
  void everyOperationHasItsRowInTheReadmesAdminTable() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String table =
        readme.substring(readme.indexOf("\n## Admin API"), readme.indexOf("\n## Event bus"));
    Set<String> rows = new HashSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `([A-Z]+ /[^`]*)` \\|").matcher(table);
    while (row.find()) {
      // The operator's console (its page and files) is UI, not API: the document leaves it out.
      if (!row.group(1).equals("GET /") && !row.group(1).startsWith("GET /console/")) {
        rows.add(row.group(1));
      }
    }
    Set<String> described = new HashSet<>();
    spec.operations().forEach(operation -> described.add(operation.key()));

    assertThat(rows).hasSizeGreaterThan(10).isEqualTo(described);
  }

  @Test
  void onlyTheHealthRoutesAreOpenAndEverySecuredOperationDocuments401() {
    Set<String> open = new HashSet<>();
    for (Operation operation : spec.operations()) {
      if (operation.secured(spec.document)) {
        assertThat(spec.statuses(operation)).as("%s", operation).contains(401);
      } else {
        open.add(operation.key());
      }
    }

    assertThat(open)
        .containsExactlyInAnyOrder("GET /health", "GET /health/live", "GET /health/ready");
    assertThat(spec.document.at("/components/securitySchemes/adminToken/scheme").asText())
        .isEqualTo("bearer");
  }

  @Test
  void everyPathParameterIsDeclaredAndEveryOperationHasASuccessAndAnId() {
    Set<String> ids = new HashSet<>();
    Pattern parameter = Pattern.compile("\\{([^}]+)}");
    for (Operation operation : spec.operations()) {
      Set<String> declared = new HashSet<>();
      for (JsonNode p : spec.parameters(operation)) {
        if (p.get("in").asText().equals("path")) {
          declared.add(p.get("name").asText());
          assertThat(p.get("required").asBoolean()).as("%s %s", operation, p).isTrue();
        }
      }
      Set<String> inPath = new HashSet<>();
      Matcher m = parameter.matcher(operation.path());
      while (m.find()) {
        inPath.add(m.group(1));
      }
      assertThat(declared).as("%s", operation).isEqualTo(inPath);
      assertThat(spec.statuses(operation)).as("%s", operation).anyMatch(s -> s >= 200 && s < 300);
      assertThat(ids.add(operation.node().get("operationId").asText()))
          .as("%s", operation)
          .isTrue();
    }
  }
}
