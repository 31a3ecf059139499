package org.netbelief.model;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * A posterior belief about a success probability: Beta(α, β) after a prior and decayed evidence.
 *
 * <p>{@link #mean()}, {@link #variance()} and {@link #evidence()} are exact and cheap. Credible
 * intervals come in two kinds: {@link #interval(double)} is exact (the Beta quantile function of
 * commons-math3, about 1–20 µs) at any level; {@link #fastInterval(double)} is an approximation
 * for hot paths, documented in {@code docs/model.md} with its measured worst error.
 *
 * <pre>{@code
 * Belief b = Prior.of(0.9, 4).posterior(7, 1);
 * double p = b.mean();                       // (3.6 + 7) / (4 + 8) = 0.883
 * Interval ci = b.interval(0.95);            // exact 95% equal-tailed interval
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Belief {
  private final double alpha;
  private final double beta;
  private final double evidence;

  private Belief(double alpha, double beta, double evidence) {
    this.alpha = alpha;
    this.beta = beta;
    this.evidence = evidence;
  }

  /**
   * The belief Beta(α, β) resting on {@code evidence} (decayed) observations beyond its prior.
   *
   * @throws IllegalArgumentException when α or β is not finite and &gt; 0, or evidence is
   *     negative or not finite
   */
  public static Belief of(double alpha, double beta, double evidence) {
    if (!(alpha > 0.0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("belief alpha must be finite and > 0, got " + alpha);
    }
    if (!(beta > 0.0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("belief beta must be finite and > 0, got " + beta);
    }
    if (!(evidence >= 0.0) || Double.isInfinite(evidence)) {
      throw new IllegalArgumentException(
          "belief evidence must be finite and >= 0, got " + evidence);
    }
    return new Belief(alpha, beta, evidence);
  }

  /** α of the posterior Beta. */
  public double alpha() {
    return alpha;
  }

  /** β of the posterior Beta. */
  public double beta() {
    return beta;
  }

  /** The posterior mean α/(α+β): the probability of success. */
  public double mean() {
    return alpha / (alpha + beta);
  }

  /** The posterior variance αβ/((α+β)²(α+β+1)). */
  public double variance() {
    double n = alpha + beta;
    return alpha * beta / (n * n * (n + 1.0));
  }

  /** The effective (decayed) number of observations behind this belief, beyond its prior. */
  public double evidence() {
    return evidence;
  }

  /**
   * The exact equal-tailed credible interval at {@code level}.
   *
   * @param level in (0, 1), e.g. 0.95
   */
  public Interval interval(double level) {
    checkLevel(level);
    double tail = (1.0 - level) / 2.0;
    // A null random generator: commons-math3 would otherwise seed a Well19937c per instance,
    // which costs more than the quantile itself.
    BetaDistribution d = new BetaDistribution(null, alpha, beta);
    return new Interval(
        d.inverseCumulativeProbability(tail), d.inverseCumulativeProbability(1.0 - tail), level);
  }

  /**
   * A fast approximation of {@link #interval(double)}: within 0.01 of the exact bounds for α, β
   * in [0.1, 10⁴] at levels 0.90, 0.95 and 0.99 (see {@code docs/model.md}); other levels and
   * parameters take a slower, correct path.
   */
  public Interval fastInterval(double level) {
    checkLevel(level);
    return new Interval(
        org.netbelief.model.internal.BetaQuantiles.fastLower(alpha, beta, level),
        org.netbelief.model.internal.BetaQuantiles.fastUpper(alpha, beta, level),
        level);
  }

  private static void checkLevel(double level) {
    if (!(level > 0.0 && level < 1.0)) {
      throw new IllegalArgumentException(
          "credible level must lie strictly between 0 and 1, got " + level);
    }
  }

  @Override
  public String toString() {
    return String.format(
        "Belief[mean=%.4f, alpha=%.4g, beta=%.4g, evidence=%.4g]",
        mean(), alpha, beta, evidence);
  }
}
