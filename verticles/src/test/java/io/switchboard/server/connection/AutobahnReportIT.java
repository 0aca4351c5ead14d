package io.switchboard.server.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the report of the Autobahn|Testsuite run that precedes the integration tests (see {@code
 * verticles/pom.xml}). The plugin fails the build on a FAILED case but lets NON-STRICT and
 * INFORMATIONAL ones pass, so every one of those must be in the README's table with that outcome
 * and its reason; and it looks at what the server answered only, not at how it closed, which is
 * checked here. Prints the outcomes and times per section.
 */
class AutobahnReportIT {

  /**
   * A row of the README's table: {@code | 6.4.3 | NON-STRICT | why |}, or with the outcomes a case
   * may have from run to run: {@code | 4.1.5 | OK or NON-STRICT | why |}.
   */
  private static final Pattern ROW =
      Pattern.compile("(?m)^\\| (\\d+(?:\\.\\d+)+) \\| ([A-Z-]+(?: or [A-Z-]+)*) \\|");

  private static final String OK = "OK";
  private static final String INFORMATIONAL = "INFORMATIONAL";

  /** Case id to its result, in case order. */
  private static Map<String, JsonObject> results;

  /** Case id to its outcome ("behavior"), in case order. */
  private static Map<String, String> outcomes;

  /** Case id to the outcomes the README's table allows it. */
  private static Map<String, List<String>> readmeTable;

  @BeforeAll
  static void read() throws Exception {
    assumeFalse(Boolean.getBoolean("autobahn.skip"), "the Autobahn run was skipped");
    Path index = Path.of(System.getProperty("autobahn.reports"), "index.json");
    JsonObject agents = new JsonObject(Files.readString(index));
    assertThat(agents.fieldNames()).as("servers tested in %s", index).hasSize(1);
    JsonObject cases = agents.getJsonObject(agents.fieldNames().iterator().next());
    results = new TreeMap<>(AutobahnReportIT::byCaseNumber);
    outcomes = new TreeMap<>(AutobahnReportIT::byCaseNumber);
    for (String id : cases.fieldNames()) {
      results.put(id, cases.getJsonObject(id));
      outcomes.put(id, cases.getJsonObject(id).getString("behavior"));
    }
    readmeTable = new TreeMap<>(AutobahnReportIT::byCaseNumber);
    Matcher row = ROW.matcher(Files.readString(Path.of("..", "README.md")));
    while (row.find()) {
      readmeTable.put(row.group(1), List.of(row.group(2).split(" or ")));
    }
    printSummary();
  }

  @Test
  void everyCaseOutsideOkIsInTheReadmeWithItsOutcome() {
    List<String> missing = new ArrayList<>();
    outcomes.forEach(
        (id, outcome) -> {
          if (!outcome.equals(OK) && !readmeTable.getOrDefault(id, List.of()).contains(outcome)) {
            missing.add("| " + id + " | " + outcome + " |");
          }
        });
    assertThat(missing).as("Autobahn outcomes missing from the README's table").isEmpty();
  }

  @Test
  void everyReadmeRowThatRanHasItsOutcome() {
    List<String> stale = new ArrayList<>();
    readmeTable.forEach(
        (id, allowed) -> {
          if (outcomes.containsKey(id) && !allowed.contains(outcomes.get(id))) {
            stale.add(id + " is " + allowed + " in the README but was " + outcomes.get(id));
          }
        });
    assertThat(stale).as("README rows that no longer match the run").isEmpty();
  }

  @Test
  void everyConnectionWasClosedAsTheCaseExpects() {
    List<String> wrong = new ArrayList<>();
    results.forEach(
        (id, result) -> {
          String close = result.getString("behaviorClose");
          if (!close.equals(OK) && !close.equals(INFORMATIONAL)) {
            wrong.add(id + ": " + close + ", close code " + result.getValue("remoteCloseCode"));
          }
        });
    assertThat(wrong).as("cases whose connection was not closed as expected").isEmpty();
  }

  private static void printSummary() {
    Map<String, Map<String, Integer>> bySection = new TreeMap<>(AutobahnReportIT::byCaseNumber);
    Map<String, Long> millis = new TreeMap<>();
    results.forEach(
        (id, result) -> {
          String section = id.substring(0, id.indexOf('.'));
          bySection
              .computeIfAbsent(section, s -> new TreeMap<>())
              .merge(result.getString("behavior"), 1, Integer::sum);
          millis.merge(section, result.getLong("duration"), Long::sum);
        });
    bySection.forEach(
        (section, counts) -> {
          List<String> parts = new ArrayList<>();
          counts.forEach((outcome, count) -> parts.add(count + " " + outcome));
          System.out.printf(
              "autobahn section %s: %s (%.1f s)%n",
              section, String.join(", ", parts), millis.get(section) / 1000.0);
        });
  }

  /** Orders case ids by their numbers: 6.4.3 before 6.10.1, 9.1 before 10.1. */
  private static int byCaseNumber(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int order = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(x.length, y.length);
  }
}
