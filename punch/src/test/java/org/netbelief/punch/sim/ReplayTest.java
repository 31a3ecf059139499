package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netbelief.punch.belief.BeliefPolicy;
import org.netbelief.punch.cli.Main;
import org.netbelief.punch.trace.TraceFormatException;
import org.netbelief.punch.trace.TraceReader;
import org.netbelief.punch.trace.TraceWriter;

/** A simulation's trace replayed into fresh policies gives the recorded policies' beliefs. */
class ReplayTest {
  @Test
  void replay_simulationTrace_sameBeliefsAsRecordedPolicies(@TempDir Path dir) throws Exception {
    Scenario s = ScenarioLoader.parse("{\"peers\": 20, \"durationSeconds\": 600, \"seed\": 9,"
        + " \"connectionsPerPeerPerHour\": 20}", "t.json", false);
    Path file = dir.resolve("run.jsonl");
    EnginePolicy p = new EnginePolicy("netbelief", Simulate.defaultNetbelief());
    try (TraceWriter tw = TraceWriter.open(
        Files.newBufferedWriter(file, StandardCharsets.UTF_8), "simulate", s.seed())) {
      p.withTrace(tw);
      Simulation.run(s, p, new ConnectionLog(), null);
    }
    Replay.Result r = Replay.run(file, TraceReader.Mode.STRICT, null);
    assertThat(r.trace().skipped()).isZero();
    assertThat(r.beliefs()).hasSizeGreaterThan(10);
    for (Replay.PathBelief b : r.beliefs()) {
      BeliefPolicy recorded = (BeliefPolicy) p.policy(Integer.parseInt(b.host()));
      assertThat(b.successProbability()).as(b.toString())
          .isEqualTo(recorded.successProbability(b.pathKey(), b.atNanos()));
      // Keepalive intervals are not compared: the lifetime prober's outcomes reach the policy
      // directly (LifetimeProbePolicy), not through the PathObserver, so trace v1 lacks them.
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(new String[] {"replay", file.toString(), "--strict"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(r.beliefs().size())
        .allSatisfy(l -> assertThat(l).startsWith("{\"host\":").contains("\"pSuccess\":"));
  }

  @Test
  void replay_strictMalformedLine_failsNamingLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, "{\"trace\":\"netbelief\",\"version\":1,\"source\":\"simulate\",\"seed\":1}\nnot json\n");
    assertThatThrownBy(() -> Replay.run(file, TraceReader.Mode.STRICT, null))
        .isInstanceOf(TraceFormatException.class).hasMessageContaining(":2");
  }
}
