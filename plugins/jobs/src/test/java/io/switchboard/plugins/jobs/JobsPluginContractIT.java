package io.switchboard.plugins.jobs;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.tck.MessageTypePluginContract;
import io.switchboard.protocol.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The jobs plugin against the plugin contract, with a 50-character description limit. */
class JobsPluginContractIT extends MessageTypePluginContract {

  private static final Identity RECRUITER = new Identity("recruiter", "company123");
  private static final Identity UNAFFILIATED = new Identity("freelancer", null);

  @Override
  protected MessageTypePlugin createPlugin() {
    return new JobsPlugin();
  }

  @Override
  protected JsonObject pluginConfig() {
    return new JsonObject().put("maxDescriptionLength", 50);
  }

  @Override
  protected List<ValidFrame> validFrames() {
    return List.of(
        new ValidFrame(
            "a posting reaches every connection of the organisation",
            RECRUITER,
            List.of(),
            job(
                new JsonObject()
                    .put("organizationId", "company123")
                    .put("title", "Software Engineer")
                    .put("description", "We need a full-stack developer")),
            new JsonObject()
                .put("type", "message")
                .put("event", "JOB_DESCRIPTION")
                .put(
                    "data",
                    new JsonObject()
                        .put("organizationId", "company123")
                        .put("title", "Software Engineer")
                        .put("description", "We need a full-stack developer"))),
        new ValidFrame(
            "without a description",
            RECRUITER,
            List.of(),
            job(new JsonObject().put("organizationId", "company123").put("title", "Designer")),
            new JsonObject().put("data", new JsonObject().put("title", "Designer"))),
        new ValidFrame(
            "without an organisation the posting goes to the sender's own",
            RECRUITER,
            List.of(),
            job(new JsonObject().put("title", "Tester")),
            new JsonObject()
                .put(
                    "data",
                    new JsonObject().put("organizationId", "company123").put("title", "Tester"))));
  }

  @Override
  protected List<InvalidFrame> invalidFrames() {
    return List.of(
        invalid(
            "data not an object",
            RECRUITER,
            new JsonObject().put("type", "JOB_DESCRIPTION").put("data", "x"),
            ErrorCode.BAD_REQUEST,
            "field 'data' must be an object, was a string"),
        invalid(
            "a sender without an organisation",
            UNAFFILIATED,
            job(new JsonObject().put("title", "T")),
            ErrorCode.FORBIDDEN,
            "jobs are posted to the sender's own organisation, and this connection has none"),
        invalid(
            "a sender without an organisation naming one",
            UNAFFILIATED,
            job(new JsonObject().put("organizationId", "company123").put("title", "T")),
            ErrorCode.FORBIDDEN,
            "jobs are posted to the sender's own organisation, and this connection has none"),
        invalid(
            "a blank organisation",
            RECRUITER,
            job(new JsonObject().put("organizationId", " ").put("title", "T")),
            ErrorCode.BAD_REQUEST,
            "field 'data.organizationId' must not be blank"),
        invalid(
            "organisation not a string",
            RECRUITER,
            job(new JsonObject().put("organizationId", 5).put("title", "T")),
            ErrorCode.BAD_REQUEST,
            "field 'data.organizationId' must be a string, was a number"),
        invalid(
            "blank title",
            RECRUITER,
            job(new JsonObject().put("organizationId", "company123").put("title", " ")),
            ErrorCode.BAD_REQUEST,
            "field 'data.title' must not be blank"),
        invalid(
            "no title",
            RECRUITER,
            job(new JsonObject().put("organizationId", "company123")),
            ErrorCode.BAD_REQUEST,
            "field 'data.title' is required"),
        invalid(
            "description over the limit",
            RECRUITER,
            job(
                new JsonObject()
                    .put("organizationId", "company123")
                    .put("title", "T")
                    .put("description", "d".repeat(51))),
            ErrorCode.BAD_REQUEST,
            "field 'data.description' must be at most 50 characters, was 51"),
        invalid(
            "another organisation",
            RECRUITER,
            job(new JsonObject().put("organizationId", "globex").put("title", "T")),
            ErrorCode.FORBIDDEN,
            "a connection of organisation 'company123' may not post jobs to organisation 'globex'"),
        invalid(
            "description not a string",
            UNAFFILIATED,
            job(
                new JsonObject()
                    .put("organizationId", "company123")
                    .put("title", "T")
                    .put("description", 1)),
            ErrorCode.BAD_REQUEST,
            "field 'data.description' must be a string, was a number"));
  }

  private static InvalidFrame invalid(
      String description, Identity sender, JsonObject frame, ErrorCode code, String message) {
    return new InvalidFrame(description, sender, List.of(), frame, code, message);
  }

  private static JsonObject job(JsonObject data) {
    return new JsonObject().put("type", "JOB_DESCRIPTION").put("data", data);
  }
}
