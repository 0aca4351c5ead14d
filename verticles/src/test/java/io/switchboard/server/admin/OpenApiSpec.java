package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The admin API's OpenAPI document as the tests read it: its operations, their responses, examples
 * and schemas, with {@code $ref}s followed, and a JSON Schema 2020-12 validator (networknt's, with
 * the OpenAPI 3.1 dialect) for the schemas in it.
 */
final class OpenApiSpec {

  static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  static final ObjectMapper MAPPER = new ObjectMapper();

  private static final JsonSchemaFactory SCHEMAS =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder ->
              builder
                  .metaSchema(OpenApi31.getInstance())
                  .defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));

  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

  final JsonNode document;

  private OpenApiSpec(JsonNode document) {
    this.document = document;
  }

  /** The document as the jar holds it. */
  static OpenApiSpec fromResource() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
      assertThat(in).as("the resource %s", OpenApiDocument.RESOURCE).isNotNull();
      return new OpenApiSpec(MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static OpenApiSpec of(String json) {
    try {
      return new OpenApiSpec(MAPPER.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One operation: a method and a path as the document writes it ({@code /a/{name}}). */
  record Operation(String method, String path, JsonNode node) {
    String key() {
      return method.toUpperCase() + " " + path;
    }

    boolean secured(JsonNode document) {
      JsonNode security = node.has("security") ? node.get("security") : document.get("security");
      return security != null && !security.isEmpty();
    }

    @Override
    public String toString() {
      return key();
    }
  }

  List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    document
        .get("paths")
        .fields()
        .forEachRemaining(
            path ->
                METHODS.forEach(
                    method -> {
                      if (path.getValue().has(method)) {
                        operations.add(
                            new Operation(method, path.getKey(), path.getValue().get(method)));
                      }
                    }));
    return operations;
  }

  Operation operation(String method, String path) {
    return operations().stream()
        .filter(o -> o.method().equalsIgnoreCase(method) && o.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no operation " + method + " " + path));
  }

  /** A node, or the one its {@code $ref} (a pointer into this document) names. */
  JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current != null && current.has("$ref") && current.size() == 1) {
      String ref = current.get("$ref").asText();
      assertThat(ref).as("a reference inside the document").startsWith("#/");
      current = document.at(ref.substring(1));
      assertThat(current.isMissingNode()).as("%s resolves", ref).isFalse();
    }
    return current;
  }

  /** The documented statuses of an operation, e.g. {@code 200, 401}. */
  Set<Integer> statuses(Operation operation) {
    Set<Integer> statuses = new java.util.TreeSet<>();
    operation
        .node()
        .get("responses")
        .fieldNames()
        .forEachRemaining(s -> statuses.add(Integer.valueOf(s)));
    return statuses;
  }

  /** The response an operation documents for a status, resolved; fails when there is none. */
  JsonNode response(Operation operation, int status) {
    JsonNode response = operation.node().get("responses").get(String.valueOf(status));
    assertThat(response).as("%s documents status %s", operation, status).isNotNull();
    return resolve(response);
  }

  /** The media types (content) of a request body or a response. */
  Map<String, JsonNode> content(JsonNode bodyOrResponse) {
    Map<String, JsonNode> content = new LinkedHashMap<>();
    JsonNode node = resolve(bodyOrResponse).get("content");
    if (node != null) {
      node.fields().forEachRemaining(e -> content.put(e.getKey(), e.getValue()));
    }
    return content;
  }

  /** The examples of a media type (or a parameter): {@code example} and {@code examples}. */
  Map<String, JsonNode> examples(JsonNode holder) {
    Map<String, JsonNode> examples = new LinkedHashMap<>();
    if (holder.has("example")) {
      examples.put("example", holder.get("example"));
    }
    if (holder.has("examples")) {
      Iterator<Map.Entry<String, JsonNode>> named = holder.get("examples").fields();
      while (named.hasNext()) {
        Map.Entry<String, JsonNode> example = named.next();
        JsonNode resolved = resolve(example.getValue());
        assertThat(resolved.has("value")).as("example %s has a value", example.getKey()).isTrue();
        examples.put(example.getKey(), resolved.get("value"));
      }
    }
    return examples;
  }

  /**
   * What is wrong with {@code instance} by {@code schema} (a schema object of this document), as
   * the validator's sentences; empty when it is valid. The schema is validated as a resource of its
   * own that carries the document's components, so its {@code #/components/...} references resolve.
   */
  Set<String> problems(JsonNode schema, JsonNode instance) {
    ObjectNode resource = MAPPER.createObjectNode();
    resource.put("$schema", OpenApi31.getInstance().getIri());
    resource.setAll((ObjectNode) schema.deepCopy());
    resource.set("components", document.get("components"));
    JsonSchema validator = SCHEMAS.getSchema(resource, CONFIG);
    Set<ValidationMessage> messages = validator.validate(instance);
    return messages.stream().map(ValidationMessage::toString).collect(Collectors.toSet());
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** The statuses whose responses have an example named {@code name}. */
  List<Integer> statusesWithExample(Operation operation, String name) {
    List<Integer> statuses = new ArrayList<>();
    for (int status : statuses(operation)) {
      for (JsonNode content : content(response(operation, status)).values()) {
        if (examples(content).containsKey(name)) {
          statuses.add(status);
        }
      }
    }
    return statuses;
  }

  /** The parameters of an operation and of its path, resolved. */
  List<JsonNode> parameters(Operation operation) {
    List<JsonNode> parameters = new ArrayList<>();
    for (JsonNode holder : List.of(document.get("paths").get(operation.path()), operation.node())) {
      if (holder.has("parameters")) {
        holder.get("parameters").forEach(p -> parameters.add(resolve(p)));
      }
    }
    return parameters;
  }
}
