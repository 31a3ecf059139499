package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netbelief.punch.sim.internal.NaiveRun;

class ReportTest {
  static final long S = 1_000_000_000L;

  @TempDir Path dir;

  static Scenario small(long seed) {
    return ScenarioLoader.parse(
        "{\"peers\": 300, \"durationSeconds\": 900, \"seed\": " + seed + "}", "t.json", false);
  }

  static void write(Path out, long seed) throws Exception {
    NaiveRun.Result r = NaiveRun.run(small(seed));
    ReportWriter.write(out, r.scenario(), r.log(), r.endNanos(), r.extra(), false);
  }

  @Test
  void write_sameSeedTwice_byteIdenticalFiles_otherSeedDiffers() throws Exception {
    write(dir.resolve("a"), 42);
    write(dir.resolve("b"), 42);
    write(dir.resolve("c"), 43);
    for (String f : new String[] {"report.json", "summary.csv", "connections.csv"}) {
      assertThat(Files.readAllBytes(dir.resolve("a").resolve(f)))
          .as(f).isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(f)));
    }
    assertThat(Files.readAllBytes(dir.resolve("a").resolve("connections.csv")))
        .isNotEqualTo(Files.readAllBytes(dir.resolve("c").resolve("connections.csv")));
  }

  @Test
  void write_existingReportWithoutForce_refused_withForce_replaced() throws Exception {
    write(dir, 1);
    assertThatThrownBy(() -> write(dir, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--force");
    NaiveRun.Result r = NaiveRun.run(small(2));
    ReportWriter.write(dir, r.scenario(), r.log(), r.endNanos(), Map.of(), true);
    JsonNode root = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(root.path("scenario").path("seed").asLong()).isEqualTo(2);
  }

  @Test
  void write_missingFolder_created_jsonHasPolicyFields() throws Exception {
    Path out = dir.resolve("deep/er");
    write(out, 5);
    JsonNode policy = new ObjectMapper().readTree(out.resolve("report.json").toFile())
        .path("policies").path(NaiveRun.POLICY);
    for (String f : PolicySummary.FIELDS) {
      assertThat(policy.has(f)).as(f).isTrue();
    }
    assertThat(policy.path("attempts").asLong()).isPositive();
  }

  @Test
  void naiveRun_defaultMix_directSuccessNearOracleAndInMeasuredBand() {
    NaiveRun.Result r = NaiveRun.run(ScenarioLoader.parse(
        "{\"peers\": 2000, \"durationSeconds\": 1800, \"seed\": 11}", "t.json", false));
    PolicySummary s = PolicySummary.of(r.log().records(NaiveRun.POLICY), r.endNanos());
    // ~2000 requests: binomial sd of a rate near 0.7 is sqrt(0.21/2000) = 0.010.
    assertThat(s.attempts()).isGreaterThan(1500);
    assertThat(s.oracleSuccessRate()).isCloseTo(0.70, within(0.05));
    // The naive puncher sends CONNECT and INTRODUCE once over 1 %-loss uplinks, so about 3 % of
    // punchable pairs fail on signalling: its rate sits up to ~3 points under the oracle's.
    assertThat(s.directSuccessRate()).isBetween(s.oracleSuccessRate() - 0.05,
        s.oracleSuccessRate() + 0.005);
    assertThat(s.directSuccessRate()).isBetween(0.63, 0.77);
  }

  @Test
  void summary_handBuiltRecords_figuresAsDefined() {
    ConnectionLog log = new ConnectionLog();
    ConnectionRecord a = log.open("p", 0, 1, 0, true);
    a.addAttempt();
    a.direct(2 * S);
    a.addPackets(10);
    a.addKeepalive();
    a.addHoleLost();
    a.ended(3602 * S);
    a.predicted(0.9);
    ConnectionRecord b = log.open("p", 2, 3, 0, false);
    b.addAttempt();
    b.gaveUp(4 * S);
    b.relay(4 * S);
    b.addPackets(6);
    b.ended(3604 * S);
    b.predicted(0.2);
    PolicySummary s = PolicySummary.of(log.records("p"), 3604 * S);
    assertThat(s.attempts()).isEqualTo(2);
    assertThat(s.directSuccessRate()).isEqualTo(0.5);
    assertThat(s.oracleSuccessRate()).isEqualTo(0.5);
    assertThat(s.connectP50Seconds()).isEqualTo(2.0);
    assertThat(s.relayShare()).isEqualTo(0.5);
    assertThat(s.giveUpMedianSeconds()).isEqualTo(4.0);
    // 17 packets over 2 carried connections; 1 keepalive over 2 carried hours; 1 hole lost in
    // 1 direct hour.
    assertThat(s.packetsPerConnection()).isEqualTo(8.5);
    assertThat(s.keepalivesPerConnectionHour()).isCloseTo(0.5, within(1e-12));
    assertThat(s.holesLostPerConnectionHour()).isCloseTo(1.0, within(1e-12));
    // Brier: ((0.9-1)^2 + (0.2-0)^2)/2 = 0.025.
    assertThat(s.brierScore()).isCloseTo(0.025, within(1e-12));
    // ECE: bins 9 (|0.9-1|) and 2 (|0.2-0|), each weight 1/2: 0.15.
    assertThat(s.expectedCalibrationError()).isCloseTo(0.15, within(1e-12));
    assertThat(s.logLoss()).isCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, within(1e-12));
    assertThat(s.oracleLogLoss()).isNaN();
  }
}
