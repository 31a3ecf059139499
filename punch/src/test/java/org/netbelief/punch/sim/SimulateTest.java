package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulate job end to end: determinism, the baselines' constants in behaviour, fields. */
class SimulateTest {
  static final double S = 1e9;

  static Scenario scenario(String json) {
    return ScenarioLoader.parse(json, "t.json", false);
  }

  /** One NAT class for everyone, lossless links, no outages or rebindings. */
  static Scenario single(String mapping, String filtering, int peers, double seconds) {
    return scenario("{\"peers\": " + peers + ", \"durationSeconds\": " + seconds
        + ", \"seed\": 3, \"connectionsPerPeerPerHour\": 20, \"meanConnectionSeconds\": 300,"
        + " \"uplinkLoss\": 0, \"outages\": {\"ratePerPeerPerHour\": 0, \"meanDurationSeconds\": 1},"
        + " \"rebindingsPerNatPerHour\": 0, \"natMix\": [{\"name\": \"only\", \"weight\": 1,"
        + " \"nat\": {\"mapping\": \"" + mapping + "\", \"filtering\": \"" + filtering + "\","
        + " \"portAllocation\": \"RANDOM\", \"bindingTimeoutSeconds\": {\"min\": 60, \"max\": 60}}}]}");
  }

  static List<ConnectionRecord> run(Scenario s, EnginePolicy p) {
    ConnectionLog log = new ConnectionLog();
    Simulation.run(s, p, log, null);
    return log.records(p.name());
  }

  @Test
  void run_sameSeedTwice_byteIdenticalReport(@TempDir Path dir) throws Exception {
    Scenario s = scenario("{\"peers\": 40, \"durationSeconds\": 600, \"seed\": 5,"
        + " \"connectionsPerPeerPerHour\": 12, \"outages\": {\"ratePerPeerPerHour\": 2,"
        + " \"meanDurationSeconds\": 20}}");
    Simulate.run(s, Simulate.defaultNetbelief(), dir.resolve("a"), false, null, null);
    Simulate.run(s, Simulate.defaultNetbelief(), dir.resolve("b"), false, null, null);
    byte[] a = Files.readAllBytes(dir.resolve("a/report.json"));
    assertThat(a).isEqualTo(Files.readAllBytes(dir.resolve("b/report.json")));
    assertThat(Files.readAllBytes(dir.resolve("a/connections.csv")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b/connections.csv")));
    JsonNode policies = new ObjectMapper().readTree(a).path("policies");
    for (String p : Simulate.POLICIES) {
      for (String f : List.of("directSuccessRate", "connectP50Seconds", "connectP95Seconds",
          "packetsPerConnection", "keepalivesPerConnectionHour", "holesLostPerConnectionHour",
          "relayShare", "giveUpMedianSeconds")) {
        assertThat(policies.path(p).has(f)).as(p + "." + f).isTrue();
      }
    }
    for (String f : List.of("brierScore", "expectedCalibrationError", "logLoss", "oracleLogLoss")) {
      assertThat(policies.path("netbelief").path(f).isNumber()).as(f).isTrue();
    }
    for (String png : List.of(Simulate.RELIABILITY_PNG, Simulate.KEEPALIVE_PNG)) {
      assertThat(Files.size(dir.resolve("a").resolve(png))).as(png).isPositive();
    }
  }

  @Test
  void iceLike_hopelessSymmetricPairs_giveUpAfterThirtyNinePointFiveSeconds() {
    List<ConnectionRecord> rs = run(single("ADDRESS_AND_PORT_DEPENDENT",
        "ADDRESS_AND_PORT_DEPENDENT", 8, 900), new EnginePolicy("ice-like",
            (i, p, n, ids) -> new IceLikePolicy()));
    assertThat(IceLikePolicy.failureNanos()).isEqualTo(39_500_000_000L);
    List<ConnectionRecord> gave = rs.stream().filter(r -> r.gaveUpAt() >= 0).toList();
    assertThat(gave).isNotEmpty();
    // Give-up = signalling (two uplink round trips of 10-80 ms, lossless) + 39.5 s of checks.
    for (ConnectionRecord r : gave) {
      assertThat((r.gaveUpAt() - r.requestedAt()) / S).isBetween(39.5, 40.0);
      assertThat(r.directAt()).isNegative();
    }
  }

  @Test
  void meshLike_punchablePairs_relayCarriesFromIntroductionBeforeDirect() {
    List<ConnectionRecord> rs = run(single("ENDPOINT_INDEPENDENT",
        "ADDRESS_AND_PORT_DEPENDENT", 8, 600), new EnginePolicy("mesh-like",
            (i, p, n, ids) -> new MeshLikePolicy()));
    List<ConnectionRecord> direct = rs.stream().filter(r -> r.directAt() >= 0).toList();
    assertThat(direct).isNotEmpty();
    for (ConnectionRecord r : direct) {
      assertThat(r.relayAt()).isBetween(r.requestedAt(), r.directAt());
    }
    // Heartbeats after 3 s of silence on a direct path. The peers alternate (one heartbeat per
    // 3 s + RTT: ~1150 per hour) or, when their timers fall together, both send (twice that):
    // between 3600 / 3.2 and 2 * 3600 / 3.
    PolicySummary s = PolicySummary.of(rs, 600 * 1_000_000_000L);
    assertThat(s.keepalivesPerConnectionHour()).isBetween(1125.0, 2400.0);
  }

  @Test
  void oracle_hopelessPairsGiveUpAtOnce_punchableKeepaliveJustInsideLifetime() {
    List<ConnectionRecord> hopeless = run(single("ADDRESS_AND_PORT_DEPENDENT",
        "ADDRESS_AND_PORT_DEPENDENT", 8, 300), new EnginePolicy("oracle", OraclePolicy::new));
    assertThat(hopeless).allSatisfy(r -> {
      if (r.gaveUpAt() >= 0) {
        assertThat((r.gaveUpAt() - r.requestedAt()) / S).isLessThan(1.0);
      }
    });
    assertThat(hopeless.stream().filter(r -> r.gaveUpAt() >= 0)).isNotEmpty();
    List<ConnectionRecord> ok = run(single("ENDPOINT_INDEPENDENT",
        "ADDRESS_AND_PORT_DEPENDENT", 8, 900), new EnginePolicy("oracle", OraclePolicy::new));
    PolicySummary s = PolicySummary.of(ok, 900 * 1_000_000_000L);
    // 60 s bindings, keepalive after 58 s of silence: one or two (timers in step) per 58 s,
    // between 3600 / 59 = 61 and 2 * 3600 / 58 = 124 per hour; no hole lost.
    assertThat(s.keepalivesPerConnectionHour()).isBetween(55.0, 125.0);
    assertThat(s.holesLostPerConnectionHour()).isZero();
    // Lossless EIM pairs: every request gets its direct path except one replaced by a newer
    // request for the same pair before it finished (about 1 in 50 at this request rate).
    assertThat(s.directSuccessRate()).isGreaterThan(0.95);
  }
}
