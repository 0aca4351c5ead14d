package io.switchboard.bench.client;

import io.vertx.core.json.JsonObject;

/**
 * The line protocol between the coordinator and a worker process: one JSON object per line, a
 * command on the worker's standard input, an event on its standard output.
 *
 * <pre>
 *   {"cmd":"open","spec":{FleetSpec}}                      -> {"event":"opened","report":{Opened}}
 *   {"cmd":"warmup","connections":n}                       -> {"event":"warmedup"} (before open)
 *   {"cmd":"measure","from":nanos}                         -> {"event":"measuring"}
 *   {"cmd":"finish","published":[n,...],"drainMillis":n}   -> {"event":"finished","report":{Finished}}
 *   {"cmd":"close"}                                        -> {"event":"closed"}, then it exits
 *   every second: {"event":"progress","delivered":n,"settled":n}
 *   on any failure: {"event":"error","message":s}
 * </pre>
 *
 * A worker whose standard input closes exits, so none outlives its coordinator.
 */
public final class WorkerProtocol {

  public static final String OPEN = "open";
  public static final String WARM_UP = "warmup";
  public static final String MEASURE = "measure";
  public static final String FINISH = "finish";
  public static final String CLOSE = "close";

  public static final String OPENED = "opened";
  public static final String WARMED_UP = "warmedup";
  public static final String MEASURING = "measuring";
  public static final String FINISHED = "finished";
  public static final String CLOSED = "closed";
  public static final String PROGRESS = "progress";
  public static final String ERROR = "error";

  private WorkerProtocol() {}

  static JsonObject open(FleetSpec spec) {
    return new JsonObject().put("cmd", OPEN).put("spec", spec.toJson());
  }

  static JsonObject warmUp(FleetSpec spec, int connections) {
    return new JsonObject()
        .put("cmd", WARM_UP)
        .put("spec", spec.toJson())
        .put("connections", connections);
  }

  public static JsonObject event(String event) {
    return new JsonObject().put("event", event);
  }
}
