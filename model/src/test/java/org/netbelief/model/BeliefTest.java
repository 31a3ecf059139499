package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BeliefTest {

  @Test
  void posterior_addsEvidenceToPrior() {
    Belief b = Prior.of(0.9, 4).posterior(7, 1);
    assertThat(b.alpha()).isCloseTo(3.6 + 7, within(1e-12));
    assertThat(b.beta()).isCloseTo(0.4 + 1, within(1e-12));
    assertThat(b.mean()).isCloseTo(10.6 / 12.0, within(1e-12));
    assertThat(b.evidence()).isCloseTo(8.0, within(1e-12));
  }

  @Test
  void interval_uniform_isTheFlatQuantiles() {
    // Beta(1,1) is uniform: its quantiles are the probabilities themselves.
    Interval ci = Belief.of(1, 1, 0).interval(0.95);
    assertThat(ci.lower()).isCloseTo(0.025, within(1e-9));
    assertThat(ci.upper()).isCloseTo(0.975, within(1e-9));
  }

  @Test
  void interval_beta2_1_matchesClosedForm() {
    // Beta(2,1) has CDF x^2, so the quantile of p is sqrt(p).
    Interval ci = Belief.of(2, 1, 1).interval(0.90);
    assertThat(ci.lower()).isCloseTo(Math.sqrt(0.05), within(1e-9));
    assertThat(ci.upper()).isCloseTo(Math.sqrt(0.95), within(1e-9));
  }

  @Test
  void interval_narrowsWithEvidence() {
    Prior prior = Prior.of(0.5, 2);
    double few = prior.posterior(5, 5).interval(0.95).width();
    double many = prior.posterior(500, 500).interval(0.95).width();
    assertThat(many).isLessThan(few / 5);
  }

  @Test
  void fastInterval_isWithinTolerance_ofExact() {
    Belief b = Belief.of(0.7, 3.2, 2);
    for (double level : new double[] {0.90, 0.95, 0.99}) {
      Interval exact = b.interval(level);
      Interval fast = b.fastInterval(level);
      assertThat(fast.lower()).isCloseTo(exact.lower(), within(0.01));
      assertThat(fast.upper()).isCloseTo(exact.upper(), within(0.01));
    }
  }

  @Test
  void of_impossibleParameters_areRejected() {
    assertThatThrownBy(() -> Belief.of(0, 1, 0)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> Belief.of(1, Double.NaN, 0)).hasMessageContaining("beta");
    assertThatThrownBy(() -> Belief.of(1, 1, -1)).hasMessageContaining("evidence");
    assertThatThrownBy(() -> Belief.of(1, 1, 0).interval(1.0)).hasMessageContaining("level");
  }
}
