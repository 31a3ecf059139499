package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.model.internal.LogitNormal;

/**
 * Compares the filter's segment marginals with exact posteriors computed by enumerating every
 * joint state of up to 12 binary segments.
 *
 * <p>Reference model. Each segment is either working (it passes a packet with probability
 * {@code up}) or broken (it passes with probability {@code down}), working with prior probability
 * {@code π_i}, independently; the states do not change during a run. An attempt over a path
 * succeeds with probability the product of its segments' pass probabilities — so with
 * {@code up = 1, down = 0}, "path success = all its segments work". The exact posterior over the
 * {@code 2^n} states follows from Bayes' rule after every outcome, and the quantity compared is the
 * posterior probability that a segment passes the next packet, {@code E[pass_i | data] = down +
 * (up − down)·P(working_i | data)}: the same quantity the filter reports as
 * {@link SegmentBelief#probabilityWorks}.
 *
 * <p>The filter gets the prior that matches the reference's first two moments: a logit-normal with
 * the two-point prior's mean and variance of the pass probability.
 */
class SegmentBeliefAccuracyTest {
  private static final int STEPS = 200;
  private static final long NOW = 1_000_000_000L;
  private static final long FOREVER = Long.MAX_VALUE / 4;

  /** Figures of one comparison: mean and max of |filter − exact| over segments and steps. */
  record Figures(double meanError, double maxError) {}

  /** Mean over seeds of the mean error, and the worst max error, of one filter on one regime. */
  static Figures over10Seeds(double up, double down, boolean ekf, double twoStateSd) {
    double sumMean = 0;
    double worstMax = 0;
    int runs = 10;
    for (int seed = 1; seed <= runs; seed++) {
      Figures f = compare(seed, 12, 3, 0.7, up, down, ekf, twoStateSd);
      sumMean += f.meanError();
      worstMax = Math.max(worstMax, f.maxError());
    }
    return new Figures(sumMean / runs, worstMax);
  }

  @Test
  void observe_twoStateSegments_marginalsTrackExactPosterior() {
    // The figure: 12 binary segments, paths of 1–3 segments drawn from a fixed pool of
    // 36, priors π ~ U(0.7, 0.97), working segments pass 90%, broken ones 50%, 10 seeds × 200
    // outcomes × 12 segments. The filter is told the reference's noise model (each segment is
    // two-state with those pass rates, prior P(working) = π) and uses the library's default
    // log-odds sd 1.5; the only approximation left is the Gaussian over the working log-odds.
    Figures f = over10Seeds(0.9, 0.5, false, 1.5);
    System.out.printf(Locale.ROOT,
        "segment accuracy (two-state ADF, n=12, up=0.9, down=0.5, 10 seeds x %d steps):"
            + " mean %.4f max %.4f%n", STEPS, f.meanError(), f.maxError());
    // Bounds: the targets, mean ≤ 0.05 and never more than 0.15. Measured 0.0025 and
    // 0.088 (docs/model.md §9); the margin to 0.15 covers quadrature round-off across JDKs, and
    // an error in the update (e.g. dropping the message, which gives the ordinary model's
    // behaviour, or the cross-covariance) pushes the max above 0.15 (see the ordinary row).
    assertThat(f.meanError()).isLessThanOrEqualTo(0.05);
    assertThat(f.maxError()).isLessThanOrEqualTo(0.15);
  }

  @Test
  void observe_ordinarySegmentsAgainstBinaryReference_meanTracks() {
    // The same reference with ordinary segments (a belief over a continuous pass rate, prior
    // moment-matched to the two-point prior). Documents why two-state segments exist: a
    // continuous pass-rate belief follows the observed rate instead of convicting a segment by
    // the likelihood ratio of its two states, so it lags the exact posterior by up to 0.18 on
    // segments the reference has identified as broken (measured mean 0.027, max 0.181).
    Figures f = over10Seeds(0.9, 0.5, false, Double.NaN);
    System.out.printf(Locale.ROOT,
        "segment accuracy (ordinary ADF, n=12, up=0.9, down=0.5, 10 seeds x %d steps):"
            + " mean %.4f max %.4f%n", STEPS, f.meanError(), f.maxError());
    // Bounds: a regression guard on the previous figure (mean target 0.05; max 0.2 = measured
    // 0.181 plus a small margin), not the 0.15, which this model does not reach.
    assertThat(f.meanError()).isLessThanOrEqualTo(0.05);
    assertThat(f.maxError()).isLessThanOrEqualTo(0.2);
  }

  @Test
  void observe_sameFamilyGrid_marginalsTrackExactPosterior() {
    // 3 segments whose log-odds take one of 16 levels each (16^3 = 4096 joint states), paths of
    // 1–3 segments; the exact posterior is the filter's own model computed without approximation.
    double sumMean = 0;
    double worstMax = 0;
    int runs = 10;
    for (int seed = 1; seed <= runs; seed++) {
      Figures f = compareGrid(seed, 3, 16, 3);
      sumMean += f.meanError();
      worstMax = Math.max(worstMax, f.maxError());
    }
    double mean = sumMean / runs;
    System.out.printf(Locale.ROOT,
        "segment accuracy (ADF, same-family grid n=3 x 16 levels, %d seeds x %d steps):"
            + " mean %.4f max %.4f%n", runs, STEPS, mean, worstMax);
    assertThat(mean).isLessThanOrEqualTo(0.05);
    assertThat(worstMax).isLessThanOrEqualTo(0.15);
  }

  @Test
  void report_otherRegimes_printsFigures() {
    double[][] regimes = {
      {0.9, 0.5}, {0.9, 0.3}, {0.97, 0.2}, {0.97, 0.05}, {1.0, 0.0},
    };
    for (double[] r : regimes) {
      Figures two = over10Seeds(r[0], r[1], false, 1.5);
      Figures ordinary = over10Seeds(r[0], r[1], false, Double.NaN);
      Figures ekf = over10Seeds(r[0], r[1], true, Double.NaN);
      System.out.printf(Locale.ROOT,
          "regime up=%.2f down=%.2f: two-state %.4f/%.4f ordinary %.4f/%.4f EKF %.4f/%.4f"
              + " (mean/max)%n", r[0], r[1], two.meanError(), two.maxError(),
          ordinary.meanError(), ordinary.maxError(), ekf.meanError(), ekf.maxError());
      // Two-state segments are the better model of this reference in every regime.
      assertThat(two.meanError()).isLessThan(ordinary.meanError());
    }
    for (double sd : new double[] {0.5, 1.0, 1.5, 2.5}) {
      Figures f = over10Seeds(0.9, 0.5, false, sd);
      System.out.printf(Locale.ROOT, "two-state log-odds sd %.1f: mean %.4f max %.4f%n",
          sd, f.meanError(), f.maxError());
      assertThat(f.maxError()).isFinite();
    }
  }

  /** The brief's reference: binary segments (working passes {@code up}, broken {@code down}). */
  static Figures compare(
      long seed, int n, int maxPathLength, double priorLow, double up, double down, boolean ekf,
      double twoStateSd) {
    SplittableRandom rng = new SplittableRandom(seed);
    double pUp = Math.min(up, 1 - 1e-6);
    double pDown = Math.max(down, 1e-6);
    double[][] levelPass = new double[n][];
    double[][] levelPrior = new double[n][];
    for (int i = 0; i < n; i++) {
      double prior = priorLow + (0.97 - priorLow) * rng.nextDouble();
      levelPass[i] = new double[] {pDown, pUp};
      levelPrior[i] = new double[] {1 - prior, prior};
    }
    return compare(rng, seed, levelPass, levelPrior, maxPathLength, ekf, twoStateSd);
  }

  /**
   * The same-family reference: each segment's log-odds takes one of {@code levels} values evenly
   * spaced over {@code μ ± 3.5 sd}, weighted by the normal density: the filter's own logit-normal
   * model on a grid, so the difference measures the Gaussian projection, not a model mismatch.
   */
  static Figures compareGrid(long seed, int n, int levels, int maxPathLength) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] levelPass = new double[n][levels];
    double[][] levelPrior = new double[n][levels];
    for (int i = 0; i < n; i++) {
      double passMean = 0.6 + 0.37 * rng.nextDouble();
      double sd = 1.0 + rng.nextDouble();
      double mu = LogitNormal.logOddsMeanFor(passMean, sd * sd);
      double total = 0;
      for (int l = 0; l < levels; l++) {
        double z = -3.5 + 7.0 * l / (levels - 1);
        levelPass[i][l] = LogitNormal.sigmoid(mu + sd * z);
        levelPrior[i][l] = Math.exp(-0.5 * z * z);
        total += levelPrior[i][l];
      }
      for (int l = 0; l < levels; l++) {
        levelPrior[i][l] /= total;
      }
    }
    return compare(rng, seed, levelPass, levelPrior, maxPathLength, false, Double.NaN);
  }

  private static Figures compare(
      SplittableRandom rng, long seed, double[][] levelPass, double[][] levelPrior,
      int maxPathLength, boolean ekf, double twoStateSd) {
    int n = levelPass.length;
    int levels = levelPass[0].length;
    int pathCount = 3 * n;
    int[][] paths = new int[pathCount][];
    for (int p = 0; p < pathCount; p++) {
      int k = 1 + rng.nextInt(Math.min(maxPathLength, n));
      paths[p] = distinct(rng, n, k);
    }
    int[] truth = new int[n];
    for (int i = 0; i < n; i++) {
      double u = rng.nextDouble();
      int l = 0;
      while (l < levels - 1 && u >= levelPrior[i][l]) {
        u -= levelPrior[i][l];
        l++;
      }
      truth[i] = l;
    }

    // Exact posterior over levels^n joint states, as log weights; digit[s*n+i] = level of i.
    int states = 1;
    for (int i = 0; i < n; i++) {
      states *= levels;
    }
    int[] digit = new int[states * n];
    double[] logWeight = new double[states];
    for (int s = 0; s < states; s++) {
      int rest = s;
      double lw = 0;
      for (int i = 0; i < n; i++) {
        digit[s * n + i] = rest % levels;
        rest /= levels;
        lw += Math.log(levelPrior[i][digit[s * n + i]]);
      }
      logWeight[s] = lw;
    }

    SegmentBelief belief = new SegmentBelief(n);
    Ekf ekfFilter = ekf ? new Ekf(n) : null;
    for (int i = 0; i < n; i++) {
      double passMean = 0;
      double passSecond = 0;
      for (int l = 0; l < levels; l++) {
        passMean += levelPrior[i][l] * levelPass[i][l];
        passSecond += levelPrior[i][l] * levelPass[i][l] * levelPass[i][l];
      }
      if (!Double.isNaN(twoStateSd)) {
        // The reference's own noise model: working passes levelPass[i][1], broken [i][0].
        belief.addTwoStateSegment(i, levelPrior[i][1], twoStateSd, FOREVER,
            levelPass[i][0], levelPass[i][1], NOW);
        continue;
      }
      double sd = matchingSd(passMean, passSecond - passMean * passMean);
      belief.addSegment(i, passMean, sd, FOREVER, NOW);
      if (ekf) {
        ekfFilter.mean[i] = LogitNormal.logOddsMeanFor(passMean, sd * sd);
        ekfFilter.cov[i][i] = sd * sd;
      }
    }
    for (int p = 0; p < pathCount; p++) {
      long[] keys = new long[paths[p].length];
      for (int a = 0; a < keys.length; a++) {
        keys[a] = paths[p][a];
      }
      belief.addPath(1000 + p, keys);
    }

    double sumError = 0;
    double maxError = 0;
    double[] weight = new double[states];
    for (int t = 0; t < STEPS; t++) {
      int p = rng.nextInt(pathCount);
      int[] path = paths[p];
      double truePass = 1;
      for (int s : path) {
        truePass *= levelPass[s][truth[s]];
      }
      boolean success = rng.nextDouble() < truePass;
      for (int s = 0; s < states; s++) {
        double pass = 1;
        for (int seg : path) {
          pass *= levelPass[seg][digit[s * n + seg]];
        }
        logWeight[s] += Math.log(success ? pass : 1 - pass);
      }
      if (ekf) {
        ekfFilter.observe(path, success);
      } else {
        belief.observe(1000 + p, success, NOW);
      }
      double maxLog = Double.NEGATIVE_INFINITY;
      for (double lw : logWeight) {
        maxLog = Math.max(maxLog, lw);
      }
      double total = 0;
      for (int s = 0; s < states; s++) {
        weight[s] = Math.exp(logWeight[s] - maxLog);
        total += weight[s];
      }
      for (int i = 0; i < n; i++) {
        double passMass = 0;
        for (int s = 0; s < states; s++) {
          passMass += weight[s] * levelPass[i][digit[s * n + i]];
        }
        double exact = passMass / total;
        double filter = ekf
            ? LogitNormal.meanProbability(ekfFilter.mean[i], ekfFilter.cov[i][i])
            : belief.probabilityWorks(i, NOW);
        double error = Math.abs(exact - filter);
        sumError += error;
        maxError = Math.max(maxError, error);
      }
    }
    return new Figures(sumError / (STEPS * n), maxError);
  }

  /** The log-odds sd whose logit-normal, with the mean matched, has the given variance. */
  static double matchingSd(double mean, double variance) {
    double lo = 1e-3;
    double hi = 10;
    for (int i = 0; i < 60; i++) {
      double sd = 0.5 * (lo + hi);
      double m = LogitNormal.logOddsMeanFor(mean, sd * sd);
      double second = 0;
      // Var σ(x) = E[σ²] − E[σ]²; E[σ²] by a fine midpoint rule over ±8 sd.
      int steps = 400;
      for (int j = 0; j < steps; j++) {
        double z = -8 + 16 * (j + 0.5) / steps;
        double s = LogitNormal.sigmoid(m + sd * z);
        second += s * s * Math.exp(-0.5 * z * z) * (16.0 / steps) / Math.sqrt(2 * Math.PI);
      }
      if (second - mean * mean < variance) {
        lo = sd;
      } else {
        hi = sd;
      }
    }
    return 0.5 * (lo + hi);
  }

  static int[] distinct(SplittableRandom rng, int n, int k) {
    int[] out = new int[k];
    for (int a = 0; a < k; a++) {
      boolean again;
      do {
        out[a] = rng.nextInt(n);
        again = false;
        for (int b = 0; b < a; b++) {
          again |= out[b] == out[a];
        }
      } while (again);
    }
    return out;
  }

  /** The rejected alternative: an extended Kalman step (rank one) on h(x) = Π σ(x_i). */
  static final class Ekf {
    final double[] mean;
    final double[][] cov;

    Ekf(int n) {
      mean = new double[n];
      cov = new double[n][n];
    }

    void observe(int[] path, boolean success) {
      int n = mean.length;
      double h = 1;
      for (int s : path) {
        h *= LogitNormal.sigmoid(mean[s]);
      }
      double[] jac = new double[n];
      for (int s : path) {
        jac[s] = h * (1 - LogitNormal.sigmoid(mean[s]));
      }
      double[] sh = new double[n];
      double innovation = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          sh[i] += cov[i][j] * jac[j];
        }
        innovation += jac[i] * sh[i];
      }
      innovation += Math.max(h * (1 - h), 1e-9);
      for (int i = 0; i < n; i++) {
        mean[i] += sh[i] / innovation * ((success ? 1 : 0) - h);
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          cov[i][j] -= sh[i] * sh[j] / innovation;
        }
      }
    }
  }
}
