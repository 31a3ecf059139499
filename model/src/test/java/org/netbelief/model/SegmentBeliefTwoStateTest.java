package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.model.internal.LogitNormal;

/** Two-state segments: a Gaussian over the log-odds of a persistent working state. */
class SegmentBeliefTwoStateTest {
  static final long SECOND = 1_000_000_000L;
  static final long HOUR = 3600 * SECOND;
  static final long FOREVER = Long.MAX_VALUE / 4;
  static final long A = 11;
  static final long B = 22;
  static final long C = 33;

  @Test
  void addTwoStateSegment_prior_isReportedBeforeEvidence() {
    SegmentBelief belief = new SegmentBelief(4);
    belief.addTwoStateSegment(A, 0.8, 1.5, HOUR, 0.2, 0.95, 0);
    assertThat(belief.probabilityWorking(A, 0)).isCloseTo(0.8, within(1e-6));
    // Pass probability: d + (u − d)·P(working) = 0.2 + 0.75·0.8.
    assertThat(belief.probabilityWorks(A, 0)).isCloseTo(0.8, within(1e-6));
    SegmentEstimate e = belief.estimate(A, 0.9, 0);
    assertThat(e.lower()).isGreaterThanOrEqualTo(0.2).isLessThan(0.8);
    assertThat(e.upper()).isGreaterThan(0.8).isLessThanOrEqualTo(0.95);
  }

  @Test
  void observe_singleSegment_followsBayesOnTheTwoStates() {
    // One segment observed alone: the exact posterior log-odds of "working" is
    // logit π + Σ log(P(y | working)/P(y | broken)). With a tight prior spread (sd 0.05, v =
    // 0.0025) the Gaussian is almost a point, each update is almost the pure shift by that
    // ratio, and the tilt's pull on the mean is O(v) per outcome: over 40 outcomes ≤ 0.1 in
    // log-odds, i.e. ≤ 0.025 in probability; bound 0.03.
    double prior = 0.85;
    double up = 0.9;
    double down = 0.4;
    SegmentBelief belief = new SegmentBelief(2);
    belief.addTwoStateSegment(A, prior, 0.05, FOREVER, down, up, 0);
    belief.addPath(1, new long[] {A});
    SplittableRandom rng = new SplittableRandom(5);
    double exactLogOdds = Math.log(prior / (1 - prior));
    double worst = 0;
    for (int t = 0; t < 40; t++) {
      boolean success = rng.nextDouble() < 0.6;
      belief.observe(1, success, 0);
      exactLogOdds += success ? Math.log(up / down) : Math.log((1 - up) / (1 - down));
      double exact = LogitNormal.sigmoid(exactLogOdds);
      worst = Math.max(worst, Math.abs(belief.probabilityWorking(A, 0) - exact));
    }
    assertThat(worst).isLessThan(0.03);
  }

  @Test
  void observe_failures_convictTheSegmentButNeverGoBelowWhatBrokenPasses() {
    SegmentBelief belief = new SegmentBelief(2);
    belief.addTwoStateSegment(A, 0.9, 1.5, HOUR, 0.5, 0.9, 0);
    belief.addPath(1, new long[] {A});
    for (int i = 0; i < 30; i++) {
      belief.observe(1, false, 0);
    }
    // Each failure multiplies the odds of "working" by 0.1/0.5: after 30, the exact P(working)
    // is ~1e-20; the filter's is far below 1%, and the pass probability sits at the broken
    // state's 0.5, not at the observed rate 0.
    assertThat(belief.probabilityWorking(A, 0)).isLessThan(0.01);
    assertThat(belief.probabilityWorks(A, 0)).isBetween(0.5, 0.505);
  }

  @Test
  void observe_successOnSharedPart_explainsAwayFailures() {
    SegmentBelief belief = new SegmentBelief(4);
    belief.addTwoStateSegment(A, 0.9, 1.5, HOUR, 0.05, 0.99, 0);
    belief.addTwoStateSegment(B, 0.9, 1.5, HOUR, 0.05, 0.99, 0);
    belief.addPath(1, new long[] {A, B});
    belief.addPath(2, new long[] {A});
    belief.observe(1, false, 0); // A or B is broken
    // Explaining away: the failure leaves "A works" and "B works" negatively correlated.
    assertThat(belief.logOddsCovariance(A, B, 0)).isNegative();
    double bBefore = belief.probabilityWorking(B, 0);
    assertThat(bBefore).isLessThan(0.9);
    for (int i = 0; i < 5; i++) {
      belief.observe(2, true, 0); // A works
    }
    // With A cleared, the failure is B's. Exact (4 joint states): after the failure
    // P(B working) = (0.81·0.0199 + 0.09·0.9505)/0.1972 = 0.516; once A is known to work it is
    // 0.81·0.0199/(0.81·0.0199 + 0.09·0.9505) = 0.159. The filter starts from 0.516 too but
    // carries the explaining-away only through the covariance (at each point of the Gaussian the
    // state posterior is projected on independent states), so it goes to 0.34, not 0.16: it
    // moves B down by more than 0.15 but under-reacts. Documented in docs/model.md §9.
    assertThat(bBefore).isCloseTo(0.516, within(0.02));
    assertThat(belief.probabilityWorking(A, 0)).isGreaterThan(0.97);
    assertThat(belief.probabilityWorking(B, 0)).isLessThan(bBefore - 0.15).isGreaterThan(0.159);
  }

  @Test
  void badInput_isRefusedAndNeverPoisonsTheBelief() {
    SegmentBelief belief = new SegmentBelief(8);
    belief.addTwoStateSegment(A, 0.9, 1.5, HOUR, 0.0, 1.0, 0); // deterministic: hardest case
    belief.addTwoStateSegment(B, 0.8, 3.0, HOUR, 0.3, 0.95, 0);
    belief.addSegment(C, 0.9, 1.5, HOUR, 0); // ordinary, on the same paths
    belief.addPath(1, new long[] {A, B, C});
    belief.addPath(2, new long[] {A});
    belief.addPath(3, new long[] {B, C});
    assertThatThrownBy(() -> belief.addTwoStateSegment(7, Double.NaN, 1, HOUR, 0.1, 0.9, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priorWorking");
    assertThatThrownBy(() -> belief.addTwoStateSegment(7, 1.0, 1, HOUR, 0.1, 0.9, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priorWorking");
    assertThatThrownBy(() -> belief.addTwoStateSegment(7, 0.5, 1, HOUR, -0.1, 0.9, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passWhenBroken");
    assertThatThrownBy(() -> belief.addTwoStateSegment(7, 0.5, 1, HOUR, Double.NaN, 0.9, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passWhenBroken");
    assertThatThrownBy(() -> belief.addTwoStateSegment(7, 0.5, 1, HOUR, 0.5, 0.5, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passWhenWorking");
    assertThatThrownBy(() -> belief.addTwoStateSegment(7, 0.5, 1, HOUR, 0.5, 1.5, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passWhenWorking");
    assertThatThrownBy(() -> belief.addTwoStateSegment(7, 0.5, 0, HOUR, 0.1, 0.9, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priorLogOddsSd");
    assertThatThrownBy(() -> belief.refit(new long[] {2}, new double[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two-state");
    assertThat(belief.graph().containsSegment(7)).isFalse();
    SegmentBeliefTest.assertSane(belief, 0);

    // Hostile but legal: with passWhenBroken 0 a success proves A works and with
    // passWhenWorking 1 a failure over A alone proves it broken, so the messages are infinite
    // and clamped; runs of them in both directions, ambiguous outcomes, time jumps, time going
    // backwards.
    long now = 0;
    for (int i = 0; i < 500; i++) {
      belief.observe(2, false, now);
    }
    SegmentBeliefTest.assertSane(belief, now);
    for (int i = 0; i < 500; i++) {
      belief.observe(2, true, now);
    }
    for (int i = 0; i < 300; i++) {
      belief.observe(1 + (i % 3), i % 7 == 0 ? 0.5 : (i % 2 == 0 ? 1.0 : 0.0), now);
      now += (i % 5 == 0) ? 1000 * HOUR : 0;
    }
    belief.observe(1, true, now - HOUR);
    SegmentBeliefTest.assertSane(belief, now);
    assertThat(belief.probabilityPathSucceeds(1, now)).isFinite().isBetween(0.0, 1.0);
    for (long key : new long[] {A, B}) {
      assertThat(belief.probabilityWorking(key, now)).isFinite().isBetween(0.0, 1.0);
    }
    assertThat(belief.probabilityWorks(B, now)).isBetween(0.3, 0.95);
  }

  @Test
  void observe_steadyState_allocatesNothing() {
    SegmentBelief belief = new SegmentBelief(8);
    belief.addTwoStateSegment(A, 0.95, 1.5, HOUR, 0.1, 0.99, 0);
    belief.addTwoStateSegment(B, 0.9, 1.5, HOUR, 0.1, 0.99, 0);
    belief.addSegment(C, 0.8, 1.5, HOUR, 0);
    belief.addPath(1, new long[] {A, B});
    belief.addPath(2, new long[] {B, C});
    belief.addPath(3, new long[] {A, B, C});
    long allocated = SegmentBeliefTest.steadyStateAllocatedBytes(belief);
    // No `new` on the two-state path either; room for the MXBean call's own bytes only.
    assertThat(allocated).isLessThan(2048);
    assertThat(belief.droppedCount()).isZero();
  }
}
