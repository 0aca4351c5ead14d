package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.bench.scenario.ChannelsScenario;
import io.switchboard.bench.scenario.FanoutScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Argument parsing only: nothing here starts a server. */
class CommandLineTest {

  @ParameterizedTest
  @CsvSource({"500ms, 500", "5s, 5000", "5, 5000", "2m, 120000", "1h, 3600000"})
  void durationsTakeAUnit(String text, long millis) {
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void aBadDurationNamesTheAcceptedForms() {
    assertThatThrownBy(() -> DurationConverter.parse("5 sec"))
        .hasMessage(
            "'5 sec' is not a duration; use e.g. 500ms, 5s, 2m, 1h (a bare number is seconds)");
  }

  @Test
  void durationsAreShownShort() {
    assertThat(DurationConverter.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(DurationConverter.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(DurationConverter.format(Duration.ofSeconds(150))).isEqualTo("2m30s");
  }

  @Test
  void aScenarioReadsItsOwnAndTheSharedOptions() {
    ParseResult parsed =
        BenchMain.commandLine()
            .parseArgs(
                "fanout",
                "--target",
                "bare",
                "-n",
                "300",
                "-r",
                "50",
                "-d",
                "3s",
                "--warmup",
                "0s",
                "--sample",
                "4",
                "--no-pin",
                "--source-addresses",
                "3",
                "--jvm-opts",
                "-Xmx256m",
                "--server-env",
                "SWITCHBOARD_WS_INSTANCES=1");

    FanoutScenario fanout = (FanoutScenario) parsed.subcommand().commandSpec().userObject();
    assertThat(fanout.connections()).isEqualTo(300);
    assertThat(fanout.parameters())
        .containsEntry("subscribers", 300)
        .containsEntry("rate", 50.0)
        .containsEntry("duration", "3s")
        .containsEntry("warmup", "0s")
        .containsEntry("sample", 4);
    ScenarioCommand shared = fanout;
    assertThat(shared.target).isEqualTo("bare");
    assertThat(shared.generatorOptions.pin).isFalse();
    assertThat(shared.generatorOptions.sourceAddresses).isEqualTo(3);
    assertThat(shared.targetOptions.jvmOpts).isEqualTo("-Xmx256m");
    assertThat(shared.targetOptions.serverEnv).containsEntry("SWITCHBOARD_WS_INSTANCES", "1");
  }

  @Test
  void compareTakesATargetListThenTheScenario() {
    ParseResult parsed =
        BenchMain.commandLine()
            .parseArgs(
                "compare", "--targets", "bare,switchboard", "channels", "-c", "3", "-k", "7");

    CompareCommand compare = (CompareCommand) parsed.subcommand().commandSpec().userObject();
    ChannelsScenario channels =
        (ChannelsScenario) parsed.subcommand().subcommand().commandSpec().userObject();
    assertThat(compare.targets).containsExactly("bare", "switchboard");
    assertThat(channels.connections()).isEqualTo(21);
  }

  @Test
  void everyScenarioIsACommandAndUnderCompareToo() {
    CommandLine root = BenchMain.commandLine();

    assertThat(root.getSubcommands().keySet())
        .containsExactly("fanout", "channels", "idle", "connect", "reconnect", "compare", "worker");
    assertThat(root.getSubcommands().get("compare").getSubcommands().keySet())
        .containsExactly("fanout", "channels", "idle", "connect", "reconnect");
  }

  @Test
  void anUnknownTargetIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine root = BenchMain.commandLine().setErr(new PrintWriter(err));

    int exit = root.execute("idle", "--target", "nats");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("unknown target 'nats'; known: switchboard, bare, socketio, switchboard-cluster");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fanout --subscribers 0 | --subscribers must be >= 1, was 0",
        "fanout --size 10 | --size must be between 64 and 60000, was 10",
        "fanout --rate 0 | --rate must be > 0, was 0.0",
        "channels -c 2 -k 0 | --channels, --subscribers-per-channel and --publishers must be >= 1,"
            + " were 2, 0 and 1",
        "idle -n 0 | --connections must be >= 1, was 0",
        "connect --concurrency 0 | --connections and --concurrency must be >= 1 and"
            + " --warmup-connections >= 0, were 1000, 0 and 500",
        "compare --targets bare,bare idle | target 'bare' is listed twice",
        "fanout --target switchboard-cluster --cluster-nodes 1 | --cluster-nodes must be >= 2,"
            + " was 1",
        "fanout --target switchboard-cluster --url ws://127.0.0.1:8080/ws | --url names one"
            + " server: switchboard-cluster starts its own nodes",
        "compare --targets bare,switchboard-cluster fanout --server-env"
            + " SWITCHBOARD_CLUSTER_PORT=5701 | --server-env SWITCHBOARD_CLUSTER_PORT cannot be used"
            + " with switchboard-cluster, which sets it on every node"
      })
  void badParametersAreUsageErrorsBeforeAnyServerStarts(String args, String message) {
    StringWriter err = new StringWriter();
    CommandLine root = BenchMain.commandLine().setErr(new PrintWriter(err));

    int exit = root.execute((args + " --no-pin").split(" "));

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains(message);
  }

  @Test
  void reconnectRefusesAMaximumDelayBelowTheFirstAsAUsageError() {
    int exit =
        BenchMain.commandLine()
            .execute(
                "reconnect",
                "--target",
                "bare",
                "--initial-delay-ms",
                "100",
                "--max-delay-ms",
                "10");

    assertThat(exit).isEqualTo(BenchRun.EXIT_UNAVAILABLE);
  }

  @Test
  void helpListsTheScenarios() {
    StringWriter out = new StringWriter();
    int exit = BenchMain.commandLine().setOut(new PrintWriter(out)).execute("--help");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("fanout", "channels", "idle", "connect", "compare");
  }
}
