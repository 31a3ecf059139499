package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.sim.internal.NaiveRun;

class SimulationTest {
  /** A policy that binds nothing and never connects: every request fails. */
  static final class Idle implements Policy {
    int closes;

    @Override
    public String name() {
      return "idle";
    }

    @Override
    public void setUp(SimNetwork net, Population population) {}

    @Override
    public void connect(ScenarioSchedule.ConnectionRequest r, ConnectionRecord rec, long now) {
      rec.addAttempt();
    }

    @Override
    public void close(ScenarioSchedule.ConnectionRequest r, ConnectionRecord rec, long now) {
      assertThat(rec.endedAt()).isEqualTo(now);
      closes++;
    }
  }

  @Test
  void run_twoPolicies_seeIdenticalRequests_andProgressIsReported() {
    Scenario s = ScenarioLoader.parse(
        "{\"peers\": 200, \"durationSeconds\": 600, \"meanConnectionSeconds\": 30}", "t", false);
    ConnectionLog log = new ConnectionLog();
    List<Double> fractions = new ArrayList<>();
    Simulation.run(s, new NaiveRun(), log, null);
    Idle idle = new Idle();
    Simulation.run(s, idle, log, (p, f, st) -> fractions.add(f));
    List<ConnectionRecord> a = log.records(NaiveRun.POLICY);
    List<ConnectionRecord> b = log.records("idle");
    assertThat(log.policies()).containsExactly(NaiveRun.POLICY, "idle");
    assertThat(a).hasSameSizeAs(b).isNotEmpty();
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).requestedAt()).isEqualTo(a.get(i).requestedAt());
      assertThat(b.get(i).initiator()).isEqualTo(a.get(i).initiator());
      assertThat(b.get(i).target()).isEqualTo(a.get(i).target());
      assertThat(b.get(i).oraclePunchable()).isEqualTo(a.get(i).oraclePunchable());
    }
    assertThat(b).allSatisfy(r -> assertThat(r.directAt()).isEqualTo(-1));
    assertThat(a.stream().filter(r -> r.directAt() >= 0).count()).isPositive();
    // Holds average 30 s in a 600 s run: nearly all requests close before the end.
    assertThat(idle.closes).isGreaterThan(b.size() * 8 / 10);
    assertThat(fractions).hasSize(20).isSorted();
    assertThat(fractions.get(19)).isEqualTo(1.0);
  }
}
