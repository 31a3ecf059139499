package org.netbelief.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Locale;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class BetaQuantilesTest {

  /** The contract: |fast − exact| ≤ 0.01 on the grid range at the six tail probabilities. */
  private static final double CONTRACT = 0.01;

  private static final double[] LEVELS = {0.90, 0.95, 0.99};
  /** Lower and upper tail probability of each level, as the literals callers pass. */
  private static final double[][] TAILS = {{0.05, 0.95}, {0.025, 0.975}, {0.005, 0.995}};

  private static final double LN_MIN = Math.log(BetaQuantiles.GRID_MIN);
  private static final double LN_MAX = Math.log(BetaQuantiles.GRID_MAX);

  /** Worst error and where it happened. */
  private static final class Worst {
    double err = -1;
    double alpha;
    double beta;
    double p;

    void offer(double e, double a, double b, double prob) {
      if (e > err) {
        err = e;
        alpha = a;
        beta = b;
        p = prob;
      }
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "%.3e at alpha=%.4g beta=%.4g p=%s", err, alpha, beta, p);
    }
  }

  /**
   * 200 × 200 log-spaced (α, β) over [0.1, 1e4]² at offsets (m + 0.5)/200 of the range, so the
   * points fall between the interpolation nodes (the node step is ln(1e5)/47, the test step
   * ln(1e5)/200), plus the centre of every grid cell, where the interpolation error peaks, plus
   * 1 000 points along each edge of the square.
   */
  @Test
  void fast_denseGridOffNodes_withinContractAtEveryLevel() {
    int m = 200;
    Worst[] perLevel = {new Worst(), new Worst(), new Worst()};
    for (int ia = 0; ia < m; ia++) {
      double a = Math.exp(LN_MIN + (LN_MAX - LN_MIN) * (ia + 0.5) / m);
      for (int ib = 0; ib < m; ib++) {
        double b = Math.exp(LN_MIN + (LN_MAX - LN_MIN) * (ib + 0.5) / m);
        measure(a, b, perLevel);
      }
    }
    int cells = BetaQuantiles.Grid.NODES - 1;
    double step = BetaQuantiles.Grid.STEP;
    for (int ia = 0; ia < cells; ia++) {
      double a = Math.exp(LN_MIN + (ia + 0.5) * step);
      for (int ib = 0; ib < cells; ib++) {
        measure(a, Math.exp(LN_MIN + (ib + 0.5) * step), perLevel);
      }
    }
    // The edges of the range, where the worst cells are: 1 000 log-spaced values against 0.1
    // and 1e4 on the other axis.
    for (int ia = 0; ia < 1000; ia++) {
      double a = Math.exp(LN_MIN + (LN_MAX - LN_MIN) * (ia + 0.5) / 1000);
      for (double edge : new double[] {BetaQuantiles.GRID_MIN, BetaQuantiles.GRID_MAX}) {
        measure(a, edge, perLevel);
        measure(edge, a, perLevel);
      }
    }
    for (int l = 0; l < LEVELS.length; l++) {
      System.out.println("BetaQuantiles.fast worst |fast - exact| at level " + LEVELS[l] + ": "
          + perLevel[l]);
    }
    for (Worst w : perLevel) {
      assertThat(w.err).as("worst error %s", w).isLessThanOrEqualTo(CONTRACT);
    }
  }

  private static void measure(double a, double b, Worst[] perLevel) {
    for (int l = 0; l < LEVELS.length; l++) {
      for (double p : TAILS[l]) {
        double e = Math.abs(BetaQuantiles.fast(a, b, p) - BetaQuantiles.exact(a, b, p));
        perLevel[l].offer(e, a, b, p);
      }
    }
  }

  @Test
  void fast_gridCorners_withinContract() {
    double[] edges = {BetaQuantiles.GRID_MIN, 1.0, BetaQuantiles.GRID_MAX};
    for (double a : edges) {
      for (double b : edges) {
        for (double[] tails : TAILS) {
          for (double p : tails) {
            assertThat(BetaQuantiles.fast(a, b, p))
                .as("alpha=%s beta=%s p=%s", a, b, p)
                .isCloseTo(BetaQuantiles.exact(a, b, p), within(CONTRACT));
          }
        }
      }
    }
  }

  /**
   * Beyond the grid, max(α, β) > 1e4, the fast path is the normal approximation. Bound: the
   * larger parameter squeezes the distribution to a scale of ~1/max(α, β) ≤ 1e-4 against 0 or 1,
   * or makes it nearly normal when both are large; the measured worst is ~2e-4, asserted ≤ 1e-3.
   */
  @Test
  void fast_beyondGridMax_normalApproximationWithinTenthOfContract() {
    Worst worst = new Worst();
    int m = 40;
    for (int ia = 0; ia < m; ia++) {
      double small = Math.exp(Math.log(1e-3) + (Math.log(1e9) - Math.log(1e-3)) * ia / (m - 1));
      for (int ib = 0; ib < m; ib++) {
        double big = Math.exp(Math.log(1.0001e4) + (Math.log(1e9) - Math.log(1.0001e4)) * ib / (m - 1));
        for (double[] tails : TAILS) {
          for (double p : tails) {
            worst.offer(Math.abs(BetaQuantiles.fast(small, big, p)
                - BetaQuantiles.exact(small, big, p)), small, big, p);
            worst.offer(Math.abs(BetaQuantiles.fast(big, small, p)
                - BetaQuantiles.exact(big, small, p)), big, small, p);
          }
        }
      }
    }
    System.out.println("BetaQuantiles.fast beyond 1e4 (normal approximation) worst: " + worst);
    assertThat(worst.err).as("worst %s", worst).isLessThanOrEqualTo(1e-3);
  }

  @Test
  void fast_hugeParameters_finiteAndInUnitInterval() {
    assertThat(BetaQuantiles.fast(1e300, 1e300, 0.005)).isCloseTo(0.5, within(1e-9));
    assertThat(BetaQuantiles.fast(Double.MAX_VALUE, 1.0, 0.995)).isBetween(0.0, 1.0);
    assertThat(BetaQuantiles.fast(1.0, Double.MAX_VALUE, 0.995)).isBetween(0.0, 1.0);
  }

  @Test
  void fast_belowGridMin_fallsBackToExact() {
    double[][] cases = {{0.05, 3.0}, {3.0, 0.01}, {0.001, 0.001}, {0.09, 1e4}};
    for (double[] c : cases) {
      for (double[] tails : TAILS) {
        for (double p : tails) {
          assertThat(BetaQuantiles.fast(c[0], c[1], p))
              .as("alpha=%s beta=%s p=%s", c[0], c[1], p)
              .isEqualTo(BetaQuantiles.exact(c[0], c[1], p));
        }
      }
    }
  }

  @Test
  void fast_untabulatedProbability_fallsBackToExact() {
    for (double p : new double[] {0.0, 0.1, 0.5, 0.9, (1 - 0.95) / 2, 1.0}) {
      assertThat(BetaQuantiles.fast(2.5, 7.0, p)).as("p=%s", p)
          .isEqualTo(BetaQuantiles.exact(2.5, 7.0, p));
    }
    assertThat(BetaQuantiles.fast(2.5, 7.0, 0.0)).isZero();
    assertThat(BetaQuantiles.fast(2.5, 7.0, 1.0)).isEqualTo(1.0);
  }

  @Test
  void fastLowerUpper_tabulatedLevels_matchFastTails() {
    for (int l = 0; l < LEVELS.length; l++) {
      assertThat(BetaQuantiles.fastLower(3.0, 40.0, LEVELS[l]))
          .isEqualTo(BetaQuantiles.fast(3.0, 40.0, TAILS[l][0]));
      assertThat(BetaQuantiles.fastUpper(3.0, 40.0, LEVELS[l]))
          .isEqualTo(BetaQuantiles.fast(3.0, 40.0, TAILS[l][1]));
    }
  }

  @Test
  void fastLowerUpper_otherLevel_exactTails() {
    assertThat(BetaQuantiles.fastLower(3.0, 40.0, 0.8))
        .isEqualTo(BetaQuantiles.exact(3.0, 40.0, (1 - 0.8) / 2));
    assertThat(BetaQuantiles.fastUpper(3.0, 40.0, 0.8))
        .isEqualTo(BetaQuantiles.exact(3.0, 40.0, (1 + 0.8) / 2));
    assertThat(BetaQuantiles.fastLower(3.0, 40.0, 0.8))
        .isLessThan(BetaQuantiles.fastUpper(3.0, 40.0, 0.8));
  }

  @Test
  void exact_knownClosedForms_matches() {
    // Beta(1, 1) is uniform: q = p. Beta(a, 1) has CDF x^a: q = p^(1/a).
    assertThat(BetaQuantiles.exact(1, 1, 0.025)).isCloseTo(0.025, within(1e-8));
    assertThat(BetaQuantiles.exact(4, 1, 0.975)).isCloseTo(Math.pow(0.975, 0.25), within(1e-8));
    // Beta(1, b) has CDF 1 - (1-x)^b: q = 1 - (1-p)^(1/b).
    assertThat(BetaQuantiles.exact(1, 0.5, 0.05))
        .isCloseTo(1 - Math.pow(0.95, 2), within(1e-8));
  }

  @Test
  void allMethods_invalidShape_throwNamingTheValue() {
    double[] bad = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (double v : bad) {
      assertThatThrownBy(() -> BetaQuantiles.exact(v, 1, 0.5))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha")
          .hasMessageContaining(String.valueOf(v));
      assertThatThrownBy(() -> BetaQuantiles.exact(1, v, 0.5))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
      assertThatThrownBy(() -> BetaQuantiles.fast(v, 1, 0.025))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
      assertThatThrownBy(() -> BetaQuantiles.fast(1, v, 0.025))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
      assertThatThrownBy(() -> BetaQuantiles.fastLower(v, 1, 0.95))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
      assertThatThrownBy(() -> BetaQuantiles.fastUpper(1, v, 0.95))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
    }
  }

  @Test
  void allMethods_invalidProbabilityOrLevel_throwNamingTheValue() {
    for (double p : new double[] {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> BetaQuantiles.exact(1, 1, p))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p must be in [0, 1]")
          .hasMessageContaining(String.valueOf(p));
      assertThatThrownBy(() -> BetaQuantiles.fast(1, 1, p))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p must be in [0, 1]");
    }
    for (double level : new double[] {0.0, 1.0, -0.5, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> BetaQuantiles.fastLower(1, 1, level))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("level")
          .hasMessageContaining(String.valueOf(level));
      assertThatThrownBy(() -> BetaQuantiles.fastUpper(1, 1, level))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("level");
    }
  }

  /**
   * Why a grid: the usual shortcuts on small pseudo-counts (what decayed tables mostly hold) at
   * the 0.95 level, over α, β ∈ [0.1, 10] and over α, β ∈ [1, 10]. Each misses the 0.01
   * contract by far; the figures printed here are the ones docs/model.md (§3.1) quotes.
   */
  @Test
  void simpleApproximations_smallCounts_missTheContract() {
    for (double lo : new double[] {0.1, 1.0}) {
      Worst[] w = compareShortcuts(lo, 10.0);
      assertThat(w[0].err).as("normal %s", w[0]).isGreaterThan(CONTRACT);
      assertThat(w[1].err).as("Wilson %s", w[1]).isGreaterThan(CONTRACT);
      assertThat(w[2].err).as("logit-normal %s", w[2]).isGreaterThan(CONTRACT);
      assertThat(w[3].err).as("fast %s", w[3]).isLessThanOrEqualTo(CONTRACT);
    }
  }

  /** Worst errors of normal, Wilson, logit-normal and fast on a 60 × 60 log grid of [lo, hi]². */
  private static Worst[] compareShortcuts(double lo, double hi) {
    int m = 60;
    Worst normal = new Worst();
    Worst wilson = new Worst();
    Worst logitNormal = new Worst();
    Worst fast = new Worst();
    NormalDistribution std = new NormalDistribution(null, 0, 1);
    for (int ia = 0; ia < m; ia++) {
      double a = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * ia / (m - 1));
      for (int ib = 0; ib < m; ib++) {
        double b = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * ib / (m - 1));
        for (double p : TAILS[1]) {
          double exact = BetaQuantiles.exact(a, b, p);
          double z = std.inverseCumulativeProbability(p);
          double n = a + b;
          double mean = a / n;
          // Normal: the posterior mean ± z posterior sd.
          double qn = clamp(mean + z * Math.sqrt(mean * (1 - mean) / (n + 1)));
          normal.offer(Math.abs(qn - exact), a, b, p);
          // Wilson score interval with n = α + β trials and success fraction α / n.
          double z2 = z * z;
          double centre = (mean + z2 / (2 * n)) / (1 + z2 / n);
          double half = z / (1 + z2 / n) * Math.sqrt(mean * (1 - mean) / n + z2 / (4 * n * n));
          wilson.offer(Math.abs(clamp(centre + half) - exact), a, b, p);
          // Logit-normal with the exact moments of logit(X): ψ(α) − ψ(β), ψ'(α) + ψ'(β).
          double mu = Gamma.digamma(a) - Gamma.digamma(b);
          double sd = Math.sqrt(Gamma.trigamma(a) + Gamma.trigamma(b));
          double ql = 1 / (1 + Math.exp(-(mu + z * sd)));
          logitNormal.offer(Math.abs(ql - exact), a, b, p);
          fast.offer(Math.abs(BetaQuantiles.fast(a, b, p) - exact), a, b, p);
        }
      }
    }
    System.out.println("alpha, beta in [" + lo + ", " + hi + "], level 0.95, worst |approx - exact|:");
    System.out.println("  normal        " + normal);
    System.out.println("  Wilson        " + wilson);
    System.out.println("  logit-normal  " + logitNormal);
    System.out.println("  fast (grid)   " + fast);
    return new Worst[] {normal, wilson, logitNormal, fast};
  }

  private static double clamp(double q) {
    return Math.min(1, Math.max(0, q));
  }
}
