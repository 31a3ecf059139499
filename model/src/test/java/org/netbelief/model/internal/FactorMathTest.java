package org.netbelief.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/** ADF and expected counts against a Monte Carlo posterior of the conjunction. */
class FactorMathTest {
  static final int K = 4;
  static final int SAMPLES = 400_000;

  /** Weighted MC moments of each factor under "not all succeeded": out[j] = {mean, sd, se}. */
  static double[][] monteCarlo(double[] a, double[] b, double[] c, long seed) {
    Well19937c rng = new Well19937c(seed);
    BetaDistribution[] d = new BetaDistribution[K];
    for (int j = 0; j < K; j++) {
      d[j] = new BetaDistribution(rng, a[j], b[j]);
    }
    double sw = 0;
    double sw2 = 0;
    double[] s1 = new double[K];
    double[] s2 = new double[K];
    double[] q = new double[K];
    for (int n = 0; n < SAMPLES; n++) {
      double p = 1;
      for (int j = 0; j < K; j++) {
        q[j] = d[j].sample();
        p *= c[j] * q[j];
      }
      double w = 1 - p;
      sw += w;
      sw2 += w * w;
      for (int j = 0; j < K; j++) {
        s1[j] += w * q[j];
        s2[j] += w * q[j] * q[j];
      }
    }
    double ess = sw * sw / sw2;
    double[][] out = new double[K][3];
    for (int j = 0; j < K; j++) {
      double m = s1[j] / sw;
      double v = s2[j] / sw - m * m;
      out[j][0] = m;
      out[j][1] = Math.sqrt(v);
      out[j][2] = Math.sqrt(v / ess);
    }
    return out;
  }

  static void compare(String name, double[] a, double[] b, double[] c, long seed) {
    double[][] mc = monteCarlo(a, b, c, seed);
    double[] ta = new double[K];
    double[] tb = new double[K];
    FactorMath.adfFailure(a, b, c, K, ta, tb);
    double[] es = new double[K];
    double[] ef = new double[K];
    FactorMath.expectedCountsFailure(a, b, c, K, es, ef);
    double[] out = new double[2];
    for (int j = 0; j < K; j++) {
      double adfMean = ta[j] / (ta[j] + tb[j]);
      double adfSd = sd(ta[j], tb[j]);
      double ecA = a[j] + es[j];
      double ecB = b[j] + ef[j];
      FactorMath.massesToward(a[j], b[j], ta[j], tb[j], out);
      double apA = a[j] + out[0];
      double apB = b[j] + out[1];
      System.out.printf("%s factor %d prior Beta(%.3g,%.3g) mean %.4f sd %.4f | MC mean %.4f sd"
              + " %.4f (se %.1e) | ADF %.4f sd %.4f | applied %.4f sd %.4f | EC %.4f sd %.4f%n",
          name, j, a[j], b[j], a[j] / (a[j] + b[j]), sd(a[j], b[j]), mc[j][0], mc[j][1],
          mc[j][2], adfMean, adfSd, apA / (apA + apB), sd(apA, apB), ecA / (ecA + ecB),
          sd(ecA, ecB));
      // ADF matches the exact posterior moments: only MC error separates them. The weighted
      // mean's standard error is sd/sqrt(ESS) (ESS = (Σw)²/Σw² ≥ 3.6·10^5 here); 5 se bounds a
      // chance failure to below 1e-6 per comparison. The sd estimate's error is smaller still
      // relative to 2% (its relative se ≈ 1/sqrt(2·ESS) ≈ 0.12%).
      assertThat(adfMean).isCloseTo(mc[j][0], within(5 * mc[j][2]));
      assertThat(adfSd).isCloseTo(mc[j][1], within(0.02 * mc[j][1]));
      // The applied masses keep the matched mean exactly.
      assertThat(apA / (apA + apB)).isCloseTo(adfMean, within(1e-12));
      // Expected counts add a whole observation of mass: never less certain than the prior.
      assertThat(sd(ecA, ecB)).isLessThanOrEqualTo(sd(a[j], b[j]) * (1 + 1e-9)
          + Math.abs(ecA / (ecA + ecB) - a[j] / (a[j] + b[j])));
    }
  }

  static double sd(double a, double b) {
    double n = a + b;
    return Math.sqrt(a * b / (n * n * (n + 1)));
  }

  @Test
  void adfFailure_mixedFactors_matchesMonteCarloPosterior() {
    compare("mixed", new double[] {9, 4, 2, 3}, new double[] {1, 1, 2, 1},
        new double[] {1, 1, 0.8, 1}, 11);
  }

  @Test
  void adfFailure_confidentFactors_matchesMonteCarloAndLosesCertainty() {
    double[] a = {20, 20, 20, 20};
    double[] b = {1, 1, 1, 1};
    double[] c = {1, 1, 1, 1};
    compare("confident", a, b, c, 12);
    double[] ta = new double[K];
    double[] tb = new double[K];
    FactorMath.adfFailure(a, b, c, K, ta, tb);
    // A failure of a conjunction of confident factors: each might be the culprit, so each
    // factor's posterior is wider than its prior.
    assertThat(sd(ta[0], tb[0])).isGreaterThan(sd(a[0], b[0]));
    assertThat(ta[0] + tb[0]).isLessThan(a[0] + b[0]);
  }

  @Test
  void adfFailure_oneWeakFactor_blamesTheWeakOne() {
    double[] a = {50, 50, 50, 2};
    double[] b = {1, 1, 1, 2};
    double[] c = {1, 1, 1, 1};
    compare("one-weak", a, b, c, 13);
    double[] ta = new double[K];
    double[] tb = new double[K];
    FactorMath.adfFailure(a, b, c, K, ta, tb);
    double drop0 = a[0] / (a[0] + b[0]) - ta[0] / (ta[0] + tb[0]);
    double drop3 = a[3] / (a[3] + b[3]) - ta[3] / (ta[3] + tb[3]);
    assertThat(drop3).isGreaterThan(10 * drop0);
  }

  @Test
  void expectedCountsFailure_masses_sumToOneForEachFactor() {
    double[] es = new double[K];
    double[] ef = new double[K];
    FactorMath.expectedCountsFailure(new double[] {9, 4, 2, 3}, new double[] {1, 1, 2, 1},
        new double[] {1, 1, 0.8, 1}, K, es, ef);
    for (int j = 0; j < K; j++) {
      assertThat(es[j] + ef[j]).isCloseTo(1.0, within(1e-12));
    }
  }

  @Test
  void adfFailure_impossibleFailure_leavesBeliefs() {
    double[] a = {1e300, 1e300, 1e300, 1e300};
    double[] b = {1e-300, 1e-300, 1e-300, 1e-300};
    double[] ta = new double[K];
    double[] tb = new double[K];
    FactorMath.adfFailure(a, b, new double[] {1, 1, 1, 1}, K, ta, tb);
    assertThat(ta).containsExactly(a);
    assertThat(tb).containsExactly(b);
  }

  @Test
  void massesToward_reachableTarget_addsExactDifference() {
    double[] out = new double[2];
    assertThat(FactorMath.massesToward(2, 3, 2.5, 4, out)).isTrue();
    assertThat(out).containsExactly(0.5, 1.0);
    assertThat(FactorMath.massesToward(8, 2, 5, 3, out)).isFalse();
    assertThat(out[0]).isZero();
    assertThat(8 / (10 + out[1])).isCloseTo(5.0 / 8, within(1e-12));
  }

  @Test
  void productMoments_againstMonteCarlo_agree() {
    double[] a = {9, 4, 2, 3};
    double[] b = {1, 1, 2, 1};
    double[] c = {1, 1, 0.8, 1};
    double[] m = new double[2];
    FactorMath.productMoments(a, b, c, K, m);
    Well19937c rng = new Well19937c(5);
    BetaDistribution[] d = new BetaDistribution[K];
    for (int j = 0; j < K; j++) {
      d[j] = new BetaDistribution(rng, a[j], b[j]);
    }
    double s1 = 0;
    double s2 = 0;
    int n = 400_000;
    for (int i = 0; i < n; i++) {
      double p = 1;
      for (int j = 0; j < K; j++) {
        p *= c[j] * d[j].sample();
      }
      s1 += p;
      s2 += p * p;
    }
    double var = m[1] - m[0] * m[0];
    // se of the MC mean is sqrt(var/n) ≈ 2.5e-4; 5 se.
    assertThat(s1 / n).isCloseTo(m[0], within(5 * Math.sqrt(var / n)));
    assertThat(s2 / n - (s1 / n) * (s1 / n)).isCloseTo(var, within(0.02 * var));
  }
}
