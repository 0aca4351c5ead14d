package io.switchboard.plugins.jobs;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.plugin.PluginEnvironment;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * {@code JOB_DESCRIPTION}: a job posting delivered to every connection of the sender's
 * organisation, the filtered broadcast of the systems Switchboard replaces.
 *
 * <pre>{@code
 * {"type": "JOB_DESCRIPTION", "id"?: "j1",
 *  "data": {"title": "Software Engineer", "description"?: "...", "organizationId"?: "company123"}}
 * }</pre>
 *
 * The organisation is the sender's own, as its connection verified it (a token's organisation
 * claim), never one a payload names: a sender without an organisation may not post, and {@code
 * data.organizationId}, which older clients send, must then name the sender's own. Every connection
 * of that organisation receives {@code {"type": "message", "event": "JOB_DESCRIPTION", "data":
 * {"organizationId", "title", "description"?, "postedBy", "postedAt"}}}: the posting's own fields,
 * the sender's connection id and the time; other payload fields are dropped. The sender gets an
 * {@code ack} when the frame had an {@code id}.
 *
 * <p>Configuration ({@code plugins.settings.jobs.config}): {@code maxDescriptionLength} in
 * characters (default {@value #DEFAULT_MAX_DESCRIPTION_LENGTH}).
 *
 * <p>Errors: {@code bad_request} naming the field and the rule ({@code data} not an object; {@code
 * data.title} missing, not a string, blank or too long; {@code data.description} not a string or
 * too long; {@code data.organizationId} not a string, blank or too long); {@code forbidden} when
 * the sender has no organisation, or when {@code data.organizationId} names another organisation
 * than the sender's (the message names both).
 */
public final class JobsPlugin implements MessageTypePlugin {

  public static final String TYPE = "JOB_DESCRIPTION";
  public static final int DEFAULT_MAX_DESCRIPTION_LENGTH = 10_000;
  static final int MAX_ORGANIZATION_LENGTH = 200;
  static final int MAX_TITLE_LENGTH = 200;

  private int maxDescriptionLength = DEFAULT_MAX_DESCRIPTION_LENGTH;

  @Override
  public String name() {
    return "jobs";
  }

  @Override
  public Set<String> messageTypes() {
    return Set.of(TYPE);
  }

  @Override
  public Future<Void> start(PluginEnvironment environment) {
    Object configured =
        environment.config().getValue("maxDescriptionLength", DEFAULT_MAX_DESCRIPTION_LENGTH);
    if (!(configured instanceof Integer max) || max < 1) {
      return Future.failedFuture(
          "plugins.settings.jobs.config.maxDescriptionLength must be a whole number > 0, was "
              + configured);
    }
    maxDescriptionLength = max;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> handle(PluginContext context) {
    if (!(context.frame().data() instanceof JsonObject data)) {
      return context.reject(
          ErrorCode.BAD_REQUEST,
          "field 'data' must be an object, was " + ProtocolError.jsonKind(context.frame().data()));
    }
    String problem =
        firstProblem(
            requiredText(data, "title", MAX_TITLE_LENGTH),
            optionalText(data, "description", maxDescriptionLength, true),
            optionalText(data, "organizationId", MAX_ORGANIZATION_LENGTH, false));
    if (problem != null) {
      return context.reject(ErrorCode.BAD_REQUEST, problem);
    }
    String own = context.sender().organizationId();
    if (own == null) {
      return context.reject(
          ErrorCode.FORBIDDEN,
          "jobs are posted to the sender's own organisation, and this connection has none");
    }
    String named = data.getString("organizationId");
    if (named != null && !named.equals(own)) {
      return context.reject(
          ErrorCode.FORBIDDEN,
          "a connection of organisation '"
              + own
              + "' may not post jobs to organisation '"
              + named
              + "'");
    }
    JsonObject job =
        new JsonObject()
            .put("organizationId", own)
            .put("title", data.getString("title"))
            .put("description", data.getString("description"))
            .put("postedBy", context.sender().connectionId())
            .put("postedAt", Instant.now().toString());
    if (job.getValue("description") == null) {
      job.remove("description");
    }
    return context.broadcastToOrganization(own, TYPE, job).compose(delivered -> context.ack());
  }

  private static String firstProblem(String... problems) {
    for (String problem : problems) {
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String requiredText(JsonObject data, String field, int max) {
    if (!data.containsKey(field) || data.getValue(field) == null) {
      return "field 'data." + field + "' is required";
    }
    return text(data, field, max, false);
  }

  private static String optionalText(JsonObject data, String field, int max, boolean mayBeEmpty) {
    return data.getValue(field) == null ? null : text(data, field, max, mayBeEmpty);
  }

  private static String text(JsonObject data, String field, int max, boolean mayBeEmpty) {
    Object value = data.getValue(field);
    if (!(value instanceof String s)) {
      return "field 'data." + field + "' must be a string, was " + ProtocolError.jsonKind(value);
    }
    if (!mayBeEmpty && s.isBlank()) {
      return "field 'data." + field + "' must not be blank";
    }
    if (s.length() > max) {
      return "field 'data." + field + "' must be at most " + max + " characters, was " + s.length();
    }
    return null;
  }
}
