package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.model.internal.GaussHermite;
import org.netbelief.model.internal.LogitNormal;

class SegmentBeliefTest {
  static final long SECOND = 1_000_000_000L;
  static final long HOUR = 3600 * SECOND;
  static final long A = 11;
  static final long B = 22;
  static final long C = 33;
  static final long D = 44;

  static SegmentBelief threeSegments() {
    SegmentBelief belief = new SegmentBelief(8);
    belief.addSegment(A, 0.95, 1.5, HOUR, 0);
    belief.addSegment(B, 0.9, 1.5, HOUR, 0);
    belief.addSegment(C, 0.8, 1.5, HOUR, 0);
    belief.addPath(1, new long[] {A, B});
    belief.addPath(2, new long[] {B, C});
    belief.addPath(3, new long[] {A});
    return belief;
  }

  /** Every marginal, interval and path probability is finite and in [0, 1]. */
  static void assertSane(SegmentBelief belief, long now) {
    for (long key : belief.graph().segmentKeys()) {
      double p = belief.probabilityWorks(key, now);
      SegmentEstimate e = belief.estimate(key, 0.9, now);
      assertThat(p).isFinite().isBetween(0.0, 1.0);
      assertThat(e.lower()).isFinite().isBetween(0.0, 1.0);
      assertThat(e.upper()).isFinite().isBetween(0.0, 1.0);
      assertThat(belief.logOddsCovariance(key, key, now)).isFinite().isPositive();
    }
  }

  @Test
  void addSegment_prior_isReportedBeforeEvidence() {
    SegmentBelief belief = threeSegments();
    assertThat(belief.probabilityWorks(A, 0)).isCloseTo(0.95, within(1e-6));
    assertThat(belief.probabilityWorks(C, 0)).isCloseTo(0.8, within(1e-6));
    SegmentEstimate e = belief.estimate(B, 0.9, 0);
    assertThat(e.lower()).isLessThan(0.9);
    assertThat(e.upper()).isGreaterThan(0.9);
  }

  @Test
  void observe_failures_lowerTheSegmentsCrossed() {
    SegmentBelief belief = threeSegments();
    for (int i = 0; i < 5; i++) {
      belief.observe(2, false, i * SECOND);
    }
    assertThat(belief.probabilityWorks(C, 5 * SECOND)).isLessThan(0.5);
    // A is not on path 2; it only moves through correlations, which start at zero.
    assertThat(belief.probabilityWorks(A, 5 * SECOND)).isCloseTo(0.95, within(1e-3));
  }

  @Test
  void observe_successOnSharedPart_explainsAwayFailures() {
    SegmentBelief belief = threeSegments();
    belief.observe(1, false, 0); // A or B failed
    double bBefore = belief.probabilityWorks(B, 0);
    for (int i = 0; i < 10; i++) {
      belief.observe(3, true, 0); // A works
    }
    // With A cleared, the failure of {A, B} is charged to B: its belief falls further.
    assertThat(belief.probabilityWorks(B, 0)).isLessThan(bBefore);
    assertThat(belief.logOddsCovariance(A, B, 0)).isFinite();
  }

  @Test
  void advance_longSilence_returnsToPrior() {
    SegmentBelief belief = threeSegments();
    for (int i = 0; i < 20; i++) {
      belief.observe(2, false, 0);
    }
    assertThat(belief.probabilityWorks(C, 0)).isLessThan(0.3);
    // 20 half-lives later the drift has taken it back within 1e-5 of the prior (2^-20 of the gap).
    long later = 20 * HOUR;
    assertThat(belief.probabilityWorks(C, later)).isCloseTo(0.8, within(1e-5));
    assertThat(belief.logOddsCovariance(C, C, later)).isCloseTo(1.5 * 1.5, within(1e-4));
    belief.advance(later);
    assertThat(belief.probabilityWorks(C, later)).isCloseTo(0.8, within(1e-5));
  }

  @Test
  void probabilityPathSucceeds_neverTriedPath_usesSegments() {
    SegmentBelief belief = threeSegments();
    belief.addSegment(D, 0.99, 0.5, HOUR, 0);
    double independent = belief.probabilityWorks(A, 0) * belief.probabilityWorks(D, 0);
    // A and D were never observed together: uncorrelated, so the joint is the product. The joint
    // uses a 10-point rule per dimension, the marginals a 24-point one; at sd 1.5 the 10-point
    // rule's error on E[σ] is ~2e-6, hence 1e-5.
    assertThat(belief.probabilityAllWork(new long[] {A, D}, 0)).isCloseTo(independent, within(1e-5));
    belief.addPath(9, new long[] {A, C, D});
    assertThat(belief.probabilityPathSucceeds(9, 0)).isBetween(0.0, independent);
  }

  @Test
  void mostLikelyAtFault_noFailures_isEmpty() {
    SegmentBelief belief = threeSegments();
    belief.observe(1, true, 0);
    assertThat(belief.mostLikelyAtFault(0)).isEmpty();
    belief.observe(2, false, 0);
    assertThat(belief.mostLikelyAtFault(0)).isPresent();
  }

  @Test
  void addAndRetire_whileRunning_keepsOtherBeliefs() {
    SegmentBelief belief = threeSegments();
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 50; i++) {
      belief.observe(1 + rng.nextInt(3), rng.nextDouble() < 0.7, i * SECOND);
    }
    long now = 50 * SECOND;
    belief.addSegment(D, 0.9, 1.5, HOUR, now);
    belief.addPath(4, new long[] {D, C});
    belief.observe(4, false, now);
    double a = belief.probabilityWorks(A, now);
    double c = belief.probabilityWorks(C, now);
    double d = belief.probabilityWorks(D, now);
    double cd = belief.logOddsCovariance(C, D, now);
    // Retiring B (a middle slot: D moves into it) drops B's row and column; the others'
    // marginals and covariances are untouched (marginalising a Gaussian is dropping rows).
    belief.retireSegment(B);
    assertThat(belief.graph().containsSegment(B)).isFalse();
    assertThat(belief.graph().containsPath(1)).isFalse();
    assertThat(belief.graph().containsPath(2)).isFalse();
    assertThat(belief.graph().containsPath(3)).isTrue();
    assertThat(belief.graph().segmentsOf(4)).containsExactly(D, C);
    assertThat(belief.probabilityWorks(A, now)).isEqualTo(a);
    assertThat(belief.probabilityWorks(C, now)).isEqualTo(c);
    assertThat(belief.probabilityWorks(D, now)).isEqualTo(d);
    assertThat(belief.logOddsCovariance(C, D, now)).isEqualTo(cd);
    belief.observe(4, true, now + SECOND);
    belief.observe(3, false, now + SECOND);
    // B comes back as new: its prior, no memory.
    belief.addSegment(B, 0.9, 1.5, HOUR, now + SECOND);
    assertThat(belief.probabilityWorks(B, now + SECOND)).isCloseTo(0.9, within(1e-6));
    assertThat(belief.logOddsCovariance(A, B, now + SECOND)).isZero();
    belief.retirePath(4);
    assertThat(belief.graph().pathCount()).isEqualTo(1);
    assertSane(belief, now + SECOND);
  }

  @Test
  void badInput_isRefusedAndNeverPoisonsTheBelief() {
    SegmentBelief belief = threeSegments();
    belief.observe(1, false, 0);
    belief.observe(2, true, 0);
    double before = belief.probabilityWorks(B, 0);

    assertThatThrownBy(() -> belief.addPath(5, new long[] {A, 999}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown segment key 999");
    assertThatThrownBy(() -> belief.addPath(5, new long[] {A, A}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> belief.addPath(5, new long[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> belief.observe(77, true, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown path key 77");
    assertThatThrownBy(() -> belief.observe(1, Double.NaN, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> belief.observe(1, 1.5, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    assertThatThrownBy(() -> belief.addSegment(D, Double.NaN, 1, HOUR, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> belief.addSegment(D, 0.5, Double.POSITIVE_INFINITY, HOUR, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> belief.addSegment(A, 0.5, 1, HOUR, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
    long[] ab = {A, B};
    assertThatThrownBy(() -> belief.replaceJointBelief(ab, new double[] {0, Double.NaN},
            new double[] {1, 0, 0, 1}, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> belief.replaceJointBelief(ab, new double[] {0, 0},
            new double[] {1, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1}, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
    assertThatThrownBy(() -> belief.replaceJointBelief(ab, new double[] {0, 0},
            new double[] {1, 1, 1, 1}, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("singular");
    assertThatThrownBy(() -> belief.replaceJointBelief(ab, new double[] {0, 0},
            new double[] {1, 0.5, 0.4, 1}, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("symmetric");
    assertThatThrownBy(() -> belief.replaceJointBelief(ab, new double[] {0, 0},
            new double[] {-1, 0, 0, 1}, 0))
        .isInstanceOf(IllegalArgumentException.class);
    // Nothing above changed the belief.
    assertThat(belief.probabilityWorks(B, 0)).isEqualTo(before);
    assertSane(belief, 0);

    // Numerically hostile but legal input: long runs of certain outcomes, then the opposite,
    // huge and zero time steps, a time that goes backwards, ambiguous outcomes.
    long now = 0;
    for (int i = 0; i < 500; i++) {
      belief.observe(3, false, now);
    }
    for (int i = 0; i < 500; i++) {
      belief.observe(3, true, now);
    }
    for (int i = 0; i < 300; i++) {
      belief.observe(1 + (i % 3), i % 7 == 0 ? 0.5 : (i % 2 == 0 ? 1.0 : 0.0), now);
      now += (i % 5 == 0) ? 1000 * HOUR : 0;
    }
    belief.observe(1, true, now - HOUR);
    assertSane(belief, now);
    assertThat(belief.probabilityAllWork(new long[] {A, B, C}, now)).isFinite().isBetween(0.0, 1.0);

    // A legal replacement, then a tight one with extreme means: still sane after more evidence.
    belief.replaceJointBelief(ab, new double[] {30, -30}, new double[] {1e-6, 0, 0, 1e-6}, now);
    for (int i = 0; i < 50; i++) {
      belief.observe(1, true, now);
      belief.observe(2, false, now);
    }
    assertSane(belief, now);
  }

  @Test
  void observe_steadyState_allocatesNothing() {
    SegmentBelief belief = threeSegments();
    long allocated = steadyStateAllocatedBytes(belief);
    // observe has no `new` on its path; the bound leaves room for the MXBean call's own few
    // hundred bytes, far below one byte per observation.
    assertThat(allocated).isLessThan(2048);
  }

  @Test
  void refit_singleSegment_findsTheMode() {
    SegmentBelief belief = new SegmentBelief(2);
    belief.addSegment(A, 0.9, 1.5, HOUR, 0);
    belief.addPath(1, new long[] {A});
    long[] paths = new long[40];
    double[] outcomes = new double[40];
    for (int i = 0; i < 40; i++) {
      paths[i] = 1;
      outcomes[i] = i < 30 ? 1 : 0;
    }
    double m0 = belief.logOddsMean(A, 0);
    belief.refit(paths, outcomes, 0);
    double x = belief.logOddsMean(A, 0);
    // At the mode the prior's pull balances the data's: (x − m0)/v0 = Σ (y − σ(x)).
    assertThat((x - m0) / 2.25).isCloseTo(30 - 40 * LogitNormal.sigmoid(x), within(1e-6));
    // The covariance is the inverse information: 1/(1/v0 + 40 σ(1−σ)).
    double s = LogitNormal.sigmoid(x);
    assertThat(belief.logOddsCovariance(A, A, 0))
        .isCloseTo(1 / (1 / 2.25 + 40 * s * (1 - s)), within(1e-9));
  }

  @Test
  void gaussHermite_rules_integrateMomentsExactly() {
    for (int p = 3; p <= GaussHermite.MAX_POINTS; p++) {
      double w = 0;
      double m2 = 0;
      double m4 = 0;
      for (int i = 0; i < p; i++) {
        double z = GaussHermite.nodes(p)[i];
        w += GaussHermite.weights(p)[i];
        m2 += GaussHermite.weights(p)[i] * z * z;
        m4 += GaussHermite.weights(p)[i] * z * z * z * z;
      }
      assertThat(w).isCloseTo(1, within(1e-12));
      assertThat(m2).isCloseTo(1, within(1e-9));
      assertThat(m4).isCloseTo(3, within(1e-8));
    }
  }

  /**
   * Bytes the calling thread allocates over 4096 observations on paths 1..3 (80 % successes,
   * seed 3), after 4096 warm-up observations: the steady-state allocation of {@code observe}.
   */
  static long steadyStateAllocatedBytes(SegmentBelief belief) {
    SplittableRandom rng = new SplittableRandom(3);
    int[] paths = new int[4096];
    boolean[] outcomes = new boolean[4096];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = 1 + rng.nextInt(3);
      outcomes[i] = rng.nextDouble() < 0.8;
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < paths.length; i++) {
      belief.observe(paths[i], outcomes[i], i * SECOND);
    }
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < paths.length; i++) {
      belief.observe(paths[i], outcomes[i], (paths.length + i) * SECOND);
    }
    return threads.getThreadAllocatedBytes(thread) - before;
  }
}
