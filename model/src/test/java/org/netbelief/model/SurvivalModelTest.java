package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SurvivalModelTest {
  private static final long S = 1_000_000_000L;
  private final long[] nat = {FeatureKeys.of("natClass", "EIM"), FeatureKeys.of("nat", "a")};

  private SurvivalModel model() {
    return SurvivalModel.builder().levelStrengths(0.005, 0.005).build();
  }

  @Test
  void holeOpenProbability_noEvidence_isThePriorCurveAtEdges() {
    SurvivalModel m = SurvivalModel.builder().build();
    long[] one = {FeatureKeys.of("nat", "fresh")};
    // 31.0 s is edge 14 of the default layout; the prior's product of bin survivals telescopes.
    double edge = Math.pow(3600.0, 13.0 / 31);
    long g = (long) Math.ceil(edge * 1e9);
    assertThat(m.holeOpenProbability(one, g, 0))
        .isCloseTo(LifetimePrior.homeGateways().survival(edge), within(1e-3));
    assertThat(m.holeOpenProbability(one, 0, 0)).isEqualTo(1.0);
  }

  @Test
  void observeSurvival_raisesSurvivalUpToTheSilence() {
    SurvivalModel m = model();
    double before = m.holeOpenProbability(nat, 80 * S, 0);
    m.observeSurvival(nat, 90 * S, 0);
    assertThat(m.holeOpenProbability(nat, 80 * S, 0)).isGreaterThan(before).isGreaterThan(0.99);
  }

  @Test
  void observeLoss_afterSurvivals_putsTheDeathBetweenThem() {
    SurvivalModel m = model();
    for (int i = 0; i < 3; i++) {
      m.observeSurvival(nat, 100 * S, i * S);
    }
    m.observeLoss(nat, 140 * S, 1.0, 3 * S);
    assertThat(m.holeOpenProbability(nat, 89 * S, 3 * S)).isGreaterThan(0.99);
    assertThat(m.holeOpenProbability(nat, 160 * S, 3 * S)).isLessThan(0.2);
  }

  @Test
  void observeLoss_thenSurvivalsBelow_reattributesTheDeath() {
    // The death is spread when it is read, not when it is written: later survivals move it.
    SurvivalModel m = model();
    m.observeLoss(nat, 40 * S, 1.0, 0);
    double early = m.holeOpenProbability(nat, 20 * S, 0);
    m.observeSurvival(nat, 24 * S, S);
    m.observeSurvival(nat, 24 * S, 2 * S);
    assertThat(early).isLessThan(0.9);
    assertThat(m.holeOpenProbability(nat, 20 * S, 2 * S)).isGreaterThan(0.99);
  }

  @Test
  void holeOpenBelief_matchesProbabilityAndHasEvidence() {
    SurvivalModel m = model();
    m.observeSurvival(nat, 60 * S, 0);
    m.observeSurvival(nat, 60 * S, 0);
    Belief b = m.holeOpenBelief(nat, 50 * S, 0);
    assertThat(b.mean()).isCloseTo(m.holeOpenProbability(nat, 50 * S, 0), within(1e-6));
    assertThat(b.evidence()).isGreaterThan(1.0);
  }

  @Test
  void intervalAndLowerBound_bracketTheMean() {
    SurvivalModel m = SurvivalModel.builder().prior(LifetimePrior.of(Duration.ofSeconds(120), 1.0, 2.0)).build();
    long[] one = {FeatureKeys.of("nat", "b")};
    for (int i = 0; i < 5; i++) {
      m.observeSurvival(one, 70 * S, 0);
    }
    Interval band = m.survivalInterval(one, 60 * S, 0.9, 0);
    double mean = m.holeOpenProbability(one, 60 * S, 0);
    assertThat(band.lower()).isLessThan(mean);
    assertThat(band.upper()).isGreaterThan(mean);
    assertThat(m.survivalLowerBound(one, 60 * S, 0.95, 0)).isCloseTo(band.lower(), within(1e-9));
  }

  @Test
  void curve_isMonotoneWithBandAroundMean() {
    SurvivalModel m = model();
    m.observeSurvival(nat, 100 * S, 0);
    m.observeLoss(nat, 130 * S, 1.0, 0);
    SurvivalCurve c = m.curve(nat, 50, 0.9, 0);
    assertThat(c.size()).isEqualTo(50);
    for (int i = 1; i < c.size(); i++) {
      assertThat(c.seconds()[i]).isGreaterThan(c.seconds()[i - 1]);
      assertThat(c.mean()[i]).isLessThanOrEqualTo(c.mean()[i - 1] + 1e-12);
      assertThat(c.lower()[i]).isLessThanOrEqualTo(c.upper()[i]);
    }
  }

  @Test
  void medianLifetime_afterSharpEvidence_liesBetweenSurvivalAndDeath() {
    SurvivalModel m = model();
    for (int i = 0; i < 4; i++) {
      m.observeSurvival(nat, 117 * S, 0);
      m.observeLoss(nat, 150 * S, 1.0, 0);
    }
    long median = m.medianLifetimeNanos(nat, 0);
    assertThat(median).isBetween(116 * S, 152 * S);
  }

  @Test
  void longestSilence_respectsFloorAndCeiling() {
    SurvivalModel m = model();
    assertThat(m.longestSilenceNanos(nat, 0.99, 0.99, 5 * S, 600 * S, 0)).isBetween(5 * S, 15 * S);
    for (int i = 0; i < 50; i++) {
      m.observeSurvival(nat, 3600 * S, 0);
    }
    assertThat(m.longestSilenceNanos(nat, 0.99, 0.99, 5 * S, 600 * S, 0)).isEqualTo(600 * S);
    // The floor wins even when it is not reliable.
    m.observeLoss(nat, 2 * S, 1.0, 0);
    m.observeLoss(nat, 2 * S, 1.0, 0);
    assertThat(m.longestSilenceNanos(nat, 0.99, 0.99, 5 * S, 600 * S, 0)).isEqualTo(5 * S);
  }

  @Test
  void observeLoss_contradictingConfidentSurvival_doubts() {
    SurvivalModel m = model();
    for (int i = 0; i < 30; i++) {
      m.observeSurvival(nat, 100 * S, i * S);
    }
    assertThat(m.doubtEvents()).isZero();
    // Survivals after 100 s are credited to the edge at 89.2 s; a loss after 89 s contradicts
    // thirty of them.
    m.observeLoss(nat, 89 * S, 1.0, 31 * S);
    assertThat(m.doubtEvents()).isEqualTo(1);
    assertThat(m.holeOpenProbability(nat, 89 * S, 31 * S)).isLessThan(0.9);
  }

  @Test
  void badInput_throwsNamingValue_andLeavesStateUnchanged() {
    SurvivalModel m = model();
    m.observeSurvival(nat, 30 * S, 0);
    double before = m.holeOpenProbability(nat, 60 * S, 0);
    int rows = m.table().size();
    assertThatThrownBy(() -> m.observeSurvival(nat, -1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> m.observeLoss(nat, -5, 1.0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
    assertThatThrownBy(() -> m.observeLoss(nat, 5 * S, Double.NaN, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> m.observeLoss(nat, 5 * S, 1.5, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    assertThatThrownBy(() -> m.observeSurvival(new long[] {1L}, S, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1");
    assertThatThrownBy(() -> m.observeSurvival(new long[] {1L, 0L}, S, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    assertThatThrownBy(() -> m.holeOpenProbability(nat, -7, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-7");
    assertThatThrownBy(() -> m.longestSilenceNanos(nat, 1.0, 0.9, S, 10 * S, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reliability").hasMessageContaining("1.0");
    assertThatThrownBy(() -> m.longestSilenceNanos(nat, Double.NaN, 0.9, S, 10 * S, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> m.longestSilenceNanos(nat, 0.99, 0.9, 20 * S, 10 * S, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(20 * S));
    assertThatThrownBy(() -> m.survivalInterval(nat, S, 0.0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0");
    assertThat(m.holeOpenProbability(nat, 60 * S, 0)).isEqualTo(before);
    assertThat(m.table().size()).isEqualTo(rows);
  }

  @Test
  void builder_badValues_throwNamingValue() {
    assertThatThrownBy(() -> SurvivalModel.builder().levelStrengths(0.5, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> SurvivalModel.builder().doubt(0.0, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0");
    assertThatThrownBy(() -> SurvivalModel.builder().bins(32, Duration.ofSeconds(10), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0");
    assertThatThrownBy(() -> LifetimePrior.of(Duration.ZERO, 1.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
  }

  /*
   * Allocation-free updates and probability reads, measured with the JVM's per-thread allocation
   * counter after a warm-up (the first call makes the thread's scratch and the rows). 20 000
   * calls of each would allocate >= 320 kB if a call allocated even one 16-byte object; the
   * bound of 4 kB leaves room for the counter's own noise.
   */
  @Test
  void updatesAndProbability_afterWarmUp_allocateNothing() {
    SurvivalModel m = model();
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    double sink = 0;
    for (int i = 0; i < 20_000; i++) { // warm-up: rows, scratch, JIT
      m.observeSurvival(nat, (1 + i % 300) * S, i * S);
      m.observeLoss(nat, (30 + i % 300) * S, 0.5, i * S);
      sink += m.holeOpenProbability(nat, (i % 200) * S, i * S);
    }
    long before = bean.getThreadAllocatedBytes(tid);
    for (int i = 20_000; i < 40_000; i++) {
      m.observeSurvival(nat, (1 + i % 300) * S, i * S);
      m.observeLoss(nat, (30 + i % 300) * S, 0.5, i * S);
      sink += m.holeOpenProbability(nat, (i % 200) * S, i * S);
    }
    long allocated = bean.getThreadAllocatedBytes(tid) - before;
    assertThat(sink).isPositive();
    assertThat(allocated).isLessThan(4096);
  }

  /**
   * Models alike share the curve and prior survivals of the last layout built, and planners alike
   * the prior's interval: built in alternation with other layouts, priors and plans, each gives
   * the values computed for it alone (the prior survivals from the prior, bin by bin, and the
   * planner's interval with no evidence, which is the prior's interval).
   */
  @Test
  void layout_sharedByModelsAlike_givesEachModelItsOwnValues() {
    // Confident priors, so that the intervals they allow lie above the planner's floor.
    LifetimePrior mine = LifetimePrior.of(Duration.ofSeconds(300), 0.2, 200);
    LifetimePrior other = LifetimePrior.of(Duration.ofSeconds(60), 0.2, 200);
    long[] nat = {FeatureKeys.of("nat", "203.0.113.5")};
    SurvivalModel a1 = SurvivalModel.builder().prior(mine).build();
    long plannedA = KeepalivePlanner.builder(a1).build().keepaliveIntervalNanos(nat, 0);
    SurvivalModel b1 = SurvivalModel.builder().prior(other).build();
    long plannedB = KeepalivePlanner.builder(b1).build().keepaliveIntervalNanos(nat, 0);
    long plannedA2 = KeepalivePlanner.builder(a1).reliability(0.9).build()
        .keepaliveIntervalNanos(nat, 0);
    SurvivalModel c1 = SurvivalModel.builder()
        .bins(16, Duration.ofSeconds(1), Duration.ofMinutes(30)).build();
    SurvivalModel a2 = SurvivalModel.builder().prior(mine).build();
    SurvivalModel b2 = SurvivalModel.builder().prior(other).build();
    assertThat(a2.hazardCurve()).isNotSameAs(b2.hazardCurve());
    assertThat(SurvivalModel.builder().build().priorQs()).isSameAs(
        SurvivalModel.builder().build().priorQs());
    for (SurvivalModel m : new SurvivalModel[] {a1, b1, c1, a2, b2}) {
      org.netbelief.model.internal.HazardCurve curve = m.hazardCurve();
      for (int j = 0; j < curve.bins(); j++) {
        double s0 = m.prior().survival(curve.edge(j));
        double s1 = m.prior().survival(curve.edge(j + 1));
        double q = Math.max(0.05, Math.min(1.0 - 1e-6, s0 > 0.0 ? s1 / s0 : 0.5));
        assertThat(m.priorQ(j)).isEqualTo(q);
      }
    }
    assertThat(a2.priorQs()).isNotEqualTo(b2.priorQs());
    assertThat(c1.hazardCurve().bins()).isEqualTo(16);
    assertThat(KeepalivePlanner.builder(a2).build().keepaliveIntervalNanos(nat, 0))
        .isEqualTo(plannedA);
    assertThat(KeepalivePlanner.builder(b2).build().keepaliveIntervalNanos(nat, 0))
        .isEqualTo(plannedB);
    assertThat(KeepalivePlanner.builder(a2).reliability(0.9).build()
        .keepaliveIntervalNanos(nat, 0)).isEqualTo(plannedA2);
    assertThat(plannedA2).isNotEqualTo(plannedA);
    assertThat(plannedB).isNotEqualTo(plannedA);
  }
}
