package org.netbelief.model;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.netbelief.model.internal.FactorMath;

/**
 * The belief that an introduction attempt succeeds: P = Π c_j q_j over the four factors, with
 * q_j ~ Beta(a_j, b_j) independent and c_j the known multiplier (the hole-survival curve for
 * OPENED, 1 otherwise).
 *
 * <p>The mean and variance of P are exact (products of Beta raw moments). The interval is C = Π
 * c_j times that of the Beta with the two moments of Π q_j: the product of independent Betas is
 * not a Beta, but its moment-matched Beta is a close fit (Tang and Gupta 1984 give the exact density as a
 * Meijer G-function); {@code AttemptBeliefTest} measures the interval bounds against Monte Carlo
 * quantiles of the exact product and {@code docs/model.md (§7)} reports the error.
 *
 * <pre>{@code
 * AttemptBelief b = model.attempt(path, now);
 * double p = b.mean();
 * Interval ci = b.interval(0.9);
 * Belief uplink = b.factor(Factor.UPLINK);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AttemptBelief {
  private final Belief[] factors;
  private final double[] multipliers;
  private final double mean;
  private final double variance;
  /** C = Π c_j, the upper end of P's support, and the moments of P/C = Π q_j. */
  private final double scale;
  private final double unscaledMean;
  private final double unscaledVariance;

  AttemptBelief(Belief[] factors, double[] multipliers) {
    this.factors = factors.clone();
    this.multipliers = multipliers.clone();
    double[] a = new double[Factor.COUNT];
    double[] b = new double[Factor.COUNT];
    for (int j = 0; j < Factor.COUNT; j++) {
      a[j] = factors[j].alpha();
      b[j] = factors[j].beta();
    }
    double[] m = new double[2];
    FactorMath.productMoments(a, b, this.multipliers, Factor.COUNT, m);
    this.mean = m[0];
    this.variance = Math.max(0.0, m[1] - m[0] * m[0]);
    double c = 1.0;
    for (double x : this.multipliers) {
      c *= x;
    }
    this.scale = c;
    double[] ones = {1.0, 1.0, 1.0, 1.0};
    FactorMath.productMoments(a, b, ones, Factor.COUNT, m);
    this.unscaledMean = m[0];
    this.unscaledVariance = Math.max(0.0, m[1] - m[0] * m[0]);
  }

  /**
   * The attempt belief of the given factor beliefs and multipliers (in {@link Factor} order),
   * for callers that hold beliefs from elsewhere.
   *
   * @throws IllegalArgumentException unless there are four beliefs and four multipliers in
   *     [0, 1]
   */
  public static AttemptBelief of(Belief[] factors, double[] multipliers) {
    if (factors == null || factors.length != Factor.COUNT) {
      throw new IllegalArgumentException("expected " + Factor.COUNT + " factor beliefs");
    }
    if (multipliers == null || multipliers.length != Factor.COUNT) {
      throw new IllegalArgumentException("expected " + Factor.COUNT + " multipliers");
    }
    for (int j = 0; j < Factor.COUNT; j++) {
      if (factors[j] == null) {
        throw new IllegalArgumentException("belief of " + Factor.of(j) + " must not be null");
      }
      if (!(multipliers[j] >= 0.0 && multipliers[j] <= 1.0)) {
        throw new IllegalArgumentException(
            "multiplier of " + Factor.of(j) + " must lie in [0, 1], got " + multipliers[j]);
      }
    }
    return new AttemptBelief(factors, multipliers);
  }

  /** E[P], the probability that the attempt succeeds. */
  public double mean() {
    return mean;
  }

  /** Var[P], exact. */
  public double variance() {
    return variance;
  }

  /** The belief in one factor (its learned part; see {@link #multiplier}). */
  public Belief factor(Factor factor) {
    return factors[factor.ordinal()];
  }

  /** The multiplier c_j of one factor. */
  public double multiplier(Factor factor) {
    return multipliers[factor.ordinal()];
  }

  /**
   * α of the Beta on [0, 1] with P's mean and variance (the effective evidence behind P; used
   * where a single Beta for P is needed, e.g. the give-up decision).
   */
  public double matchedAlpha() {
    return mean * matchedStrength();
  }

  /** β of the Beta with P's mean and variance. */
  public double matchedBeta() {
    return (1.0 - mean) * matchedStrength();
  }

  private double matchedStrength() {
    if (!(variance > 0.0) || mean <= 0.0 || mean >= 1.0) {
      return 1e12;
    }
    return Math.max(1e-6, mean * (1.0 - mean) / variance - 1.0);
  }

  /**
   * The equal-tailed interval at {@code level}: C = Π c_j times the interval of the Beta with
   * the mean and variance of Π q_j (P cannot exceed C, so the Beta is fitted on [0, C]).
   *
   * @throws IllegalArgumentException unless {@code level} is in (0, 1)
   */
  public Interval interval(double level) {
    if (!(level > 0.0 && level < 1.0)) {
      throw new IllegalArgumentException(
          "credible level must lie strictly between 0 and 1, got " + level);
    }
    if (mean <= 0.0 || !(variance > 0.0) || !(unscaledVariance > 0.0)) {
      return new Interval(mean, mean, level);
    }
    double mu = unscaledMean;
    double n = Math.max(1e-6, mu * (1.0 - mu) / unscaledVariance - 1.0);
    double tail = (1.0 - level) / 2.0;
    BetaDistribution d = new BetaDistribution(null, mu * n, (1.0 - mu) * n);
    return new Interval(scale * d.inverseCumulativeProbability(tail),
        scale * d.inverseCumulativeProbability(1.0 - tail), level);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format("AttemptBelief[p=%.4f sd=%.4f", mean,
        Math.sqrt(variance)));
    for (Factor f : Factor.values()) {
      sb.append(String.format(" %s=%.4f", f, factors[f.ordinal()].mean()));
      if (multipliers[f.ordinal()] != 1.0) {
        sb.append(String.format("×%.3f", multipliers[f.ordinal()]));
      }
    }
    return sb.append(']').toString();
  }
}
