package org.netbelief.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.netbelief.model.Prior;

class SyntheticStreamTest {

  @Test
  void replay_twice_identicalAndTimeOrdered() {
    SyntheticStream s = new SyntheticStream(Prior.of(0.6, 4), 50, 10_000, 1e6, 60_000_000_000L, 9);
    long[] a = new long[3];
    long[] b = new long[3];
    long[] last = {Long.MIN_VALUE};
    boolean[] ordered = {true};
    s.replay((keys, success, now) -> {
      a[0] = a[0] * 31 + keys[0];
      a[1] += success ? 1 : 0;
      a[2] = a[2] * 31 + now;
      ordered[0] &= now >= last[0];
      last[0] = now;
    });
    s.replay((keys, success, now) -> {
      b[0] = b[0] * 31 + keys[0];
      b[1] += success ? 1 : 0;
      b[2] = b[2] * 31 + now;
    });
    assertThat(b).containsExactly(a);
    assertThat(ordered[0]).isTrue();
    // 10 000 Bernoulli outcomes with mean 0.6: s.d. of the count ≈ √(10⁴·0.24) ≈ 49 plus the
    // spread of row probabilities (50 rows, Var p = 0.24/5): s.d. of the mean ≈ 0.03, i.e. 300
    // events; 4 s.d. ≈ 1 300.
    assertThat(a[1]).isBetween(6_000L - 1_300, 6_000L + 1_300);
  }

  @Test
  void optimalHalfLife_solvesSteadyStateRiccati() {
    Prior prior = Prior.of(0.5, 2);
    long h = 60_000_000_000L;
    int rows = 200;
    double gap = (double) h / (4 * rows); // 4 events per row per H: Δ = H/4
    SyntheticStream s = new SyntheticStream(prior, rows, 1, gap, h, 1);
    double hStar = s.optimalHalfLifeNanos();
    // Rebuild b from h* and check the Riccati equation with P = K·r/(1 − K).
    double delta = rows * gap;
    double a = Math.pow(2, -delta / h);
    double b = Math.pow(2, -delta / hStar);
    double gain = 1 - b / a;
    double v = 0.25 / 3;
    double r = 0.25 * 2 / 3;
    double q = v * (1 - a * a);
    double p = gain * r / (1 - gain);
    assertThat(a * a * p * r / (p + r) + q).isCloseTo(p, within(1e-6));
    assertThat(hStar / h).isCloseTo(0.387, within(0.002)); // the value in docs/tuning-priors.md
    assertThat(new SyntheticStream(prior, rows, 1, gap, 0, 1).optimalHalfLifeNanos())
        .isEqualTo(Long.MAX_VALUE);
  }
}
