package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeepalivePlannerTest {
  private static final long S = 1_000_000_000L;
  private final long[] nat = {FeatureKeys.of("nat", "p")};

  @Test
  void keepaliveInterval_noEvidence_isConservative() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    // The prior puts 1% of bindings below ~11.7 s; the planned interval must not exceed that.
    assertThat(p.keepaliveIntervalNanos(nat, 0)).isBetween(5 * S, 12 * S);
  }

  @Test
  void keepaliveInterval_neverBeyondASilenceSurvivedTwice() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    // One survival is not enough support for the main binding (a probe may have been lucky).
    m.observeSurvival(nat, 40 * S, 0);
    assertThat(p.keepaliveIntervalNanos(nat, 0)).isLessThan(12 * S);
    m.observeSurvival(nat, 40 * S, 0);
    assertThat(p.keepaliveIntervalNanos(nat, 0)).isLessThanOrEqualTo(40 * S).isGreaterThan(20 * S);
  }

  @Test
  void nextProbe_noEvidence_probesAboveTheInterval() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    long gap = p.nextProbeGapNanos(nat, 0);
    assertThat(gap).isGreaterThan(p.keepaliveIntervalNanos(nat, 0)).isLessThanOrEqualTo(p.ceilingNanos());
  }

  @Test
  void nextProbe_atTheCeiling_noProbe() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).ceiling(Duration.ofSeconds(60)).build();
    for (int i = 0; i < 5; i++) {
      m.observeSurvival(nat, 70 * S, 0); // credited to the edge at 68.5 s, above the ceiling
    }
    assertThat(p.keepaliveIntervalNanos(nat, 0)).isEqualTo(60 * S);
    assertThat(p.nextProbeGapNanos(nat, 0)).isEqualTo(KeepalivePlanner.NO_PROBE);
  }

  @Test
  void nextProbe_lifetimeBracketedTightly_stops() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    for (int i = 0; i < 20; i++) {
      m.observeSurvival(nat, 117 * S, 0);
    }
    for (int i = 0; i < 5; i++) {
      m.observeLoss(nat, 150 * S, 1.0, 0);
    }
    assertThat(p.nextProbeGapNanos(nat, 0)).isEqualTo(KeepalivePlanner.NO_PROBE);
  }

  /*
   * Allocation-free planner queries, by the JVM's per-thread allocation counter after warm-up:
   * one 16-byte object per call would show as >= 32 kB over 2 000 calls; the bound is 4 kB.
   */
  @Test
  void intervalAndProbe_afterWarmUp_allocateNothing() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    m.observeSurvival(nat, 100 * S, 0);
    m.observeLoss(nat, 150 * S, 1.0, 0);
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean)
        java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long sink = 0;
    for (int i = 0; i < 3000; i++) {
      sink += p.keepaliveIntervalNanos(nat, i) + p.nextProbeGapNanos(nat, i);
    }
    long before = bean.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 2000; i++) {
      sink += p.keepaliveIntervalNanos(nat, i) + p.nextProbeGapNanos(nat, i);
    }
    long allocated = bean.getThreadAllocatedBytes(tid) - before;
    assertThat(sink).isNotZero();
    assertThat(allocated).isLessThan(4096);
  }

  @Test
  void builder_badValues_throwNamingValue() {
    SurvivalModel m = SurvivalModel.builder().build();
    assertThatThrownBy(() -> KeepalivePlanner.builder(m).reliability(0.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0");
    assertThatThrownBy(() -> KeepalivePlanner.builder(m).reliability(1.2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.2");
    assertThatThrownBy(() -> KeepalivePlanner.builder(m).confidence(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> KeepalivePlanner.builder(m)
            .floor(Duration.ofSeconds(30)).ceiling(Duration.ofSeconds(10)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("30000000000");
    assertThatThrownBy(() -> KeepalivePlanner.builder(m).floor(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> KeepalivePlanner.builder(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
