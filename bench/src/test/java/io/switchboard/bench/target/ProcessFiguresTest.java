package io.switchboard.bench.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** CPU from /proc/PID/stat and heap from jcmd's GC.heap_info, as each JVM collector prints it. */
class ProcessFiguresTest {

  @Test
  void cpuIsUserPlusSystemTimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
    String stat =
        "4242 (java (bench) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 30 0 100";

    assertThat(ProcStat.parseCpuSeconds(stat)).isEqualTo(3.0);
  }

  @Test
  void thisProcessHasUsedSomeCpu() {
    assertThat(ProcStat.selfCpuSeconds()).isGreaterThan(0);
    assertThat(ProcStat.cpuSeconds(Long.MAX_VALUE)).isNaN();
  }

  @Test
  void compilerCpuIsCountedThreadByThreadSoAnEndedThreadNeverMakesItNegative() {
    CompilerCpu before = new CompilerCpu(Map.of(11L, 1.0, 12L, 0.5));
    // Thread 12 ended after 0.5 s; thread 11 spent 0.2 s more; thread 13 started and spent 0.1 s.
    CompilerCpu after = new CompilerCpu(Map.of(11L, 1.2, 13L, 0.1));

    assertThat(after.secondsSince(before)).isCloseTo(0.3, within(1e-9));
    assertThat(after.secondsSince(CompilerCpu.UNKNOWN)).isNaN();
    assertThat(CompilerCpu.UNKNOWN.secondsSince(before)).isNaN();
  }

  @Test
  void theCompilerCpuOfSeveralJvmsIsTheSumOfTheirThreads() {
    CompilerCpu nodesBefore =
        CompilerCpu.combine(
            List.of(new CompilerCpu(Map.of(11L, 1.0)), new CompilerCpu(Map.of(21L, 2.0))));
    CompilerCpu nodesAfter =
        CompilerCpu.combine(
            List.of(new CompilerCpu(Map.of(11L, 1.5)), new CompilerCpu(Map.of(21L, 2.25))));

    assertThat(nodesAfter.secondsSince(nodesBefore)).isCloseTo(0.75, within(1e-9));
    assertThat(
            CompilerCpu.combine(List.of(new CompilerCpu(Map.of(11L, 1.5)), CompilerCpu.UNKNOWN))
                .secondsSince(nodesBefore))
        .as("one node unknown makes the whole unknown")
        .isNaN();
  }

  @Test
  void aClusterNodesAdminPortIsReadFromItsStartUpLine() {
    Matcher on =
        ClusterTarget.ADMIN.matcher(
            "INFO switchboard started [ws: ws://127.0.0.1:40001/ws, instances: 2, transport:"
                + " epoll, admin: http://127.0.0.1:40002]");
    Matcher off =
        ClusterTarget.ADMIN.matcher(
            "INFO switchboard started [ws: ws://127.0.0.1:40001/ws, instances: 2, transport:"
                + " epoll, admin: off]");

    assertThat(on.find()).isTrue();
    assertThat(on.group(1)).isEqualTo("40002");
    assertThat(off.find()).isTrue();
    assertThat(off.group(1)).isNull();
    assertThat(off.group(2)).isEqualTo("off");
  }

  @Test
  void freeLoopbackPortsAreDistinct() {
    List<Integer> ports = ClusterTarget.freeLoopbackPorts(3);

    assertThat(ports).hasSize(3).doesNotHaveDuplicates().allMatch(port -> port > 0);
  }

  @Test
  void aJvmHasCompilerThreadsInProc() {
    CompilerCpu now = ProcStat.compilerCpu(ProcessHandle.current().pid());

    assertThat(now.secondsSince(now)).isZero();
    assertThat(ProcStat.compilerCpu(Long.MAX_VALUE).secondsSince(now)).isNaN();
  }

  @Test
  void g1HeapIsItsOneUsedFigure() {
    String output =
        """
        12345:
         garbage-first heap   total 1048576K, used 23456K [0x00000000c0000000, 0x0000000100000000)
          region size 1024K, 3 young (3072K), 0 survivors (0K)
         Metaspace       used 12345K, committed 12800K, reserved 1114112K
          class space    used 1234K, committed 1408K, reserved 1048576K
        """;

    assertThat(JvmHeap.parseHeapInfo(output)).isEqualTo(23456L * 1024);
  }

  @Test
  void generationalHeapsAddTheirGenerations() {
    String output =
        """
        12345:
         def new generation   total 9792K, used 100K [0x0, 0x0, 0x0)
          eden space 8704K,   1% used [0x0, 0x0, 0x0)
         tenured generation   total 21888K, used 2000K [0x0, 0x0, 0x0)
         Metaspace       used 700K, committed 768K, reserved 1056768K
        """;

    assertThat(JvmHeap.parseHeapInfo(output)).isEqualTo(2100L * 1024);
  }

  @Test
  void zgcReportsInMegabytes() {
    assertThat(JvmHeap.parseHeapInfo(" ZHeap           used 12M, capacity 64M, max capacity 1024M"))
        .isEqualTo(12L << 20);
  }

  @Test
  void outputWithoutAHeapFigureIsAnError() {
    assertThatThrownBy(() -> JvmHeap.parseHeapInfo("12345:\nCould not attach"))
        .hasMessageStartingWith("no heap figure in jcmd's output");
  }

  @Test
  void targetsAreNamedAsOnTheCommandLine() {
    assertThat(TargetKind.of("socketio")).isEqualTo(TargetKind.SOCKETIO);
    assertThatThrownBy(() -> TargetKind.of("nats"))
        .hasMessage(
            "unknown target 'nats'; known: switchboard, bare, socketio, switchboard-cluster");
  }

  @Test
  void cpuListsAreCountedAsTasksetReadsThem() {
    assertThat(Pinning.countCpus("1")).isEqualTo(1);
    assertThat(Pinning.countCpus("1-3,6")).isEqualTo(4);
  }

  @Test
  void pinningOffSaysWhyAndAddsNoPrefix() {
    Pinning off = Pinning.detect(false, null, null);

    assertThat(off.enabled()).isFalse();
    assertThat(off.why()).isEqualTo("off (--no-pin)");
    assertThat(off.serverPrefix()).isEmpty();
    assertThat(new Pinning(true, "0", "1", "on").off("taskset failed").why())
        .isEqualTo("off (taskset failed)");
  }
}
