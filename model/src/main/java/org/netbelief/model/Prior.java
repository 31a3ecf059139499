package org.netbelief.model;

/**
 * A Beta prior over a success probability, held as a mean {@code μ0} and a strength {@code k}
 * (pseudo-observations): Beta(kμ0, k(1−μ0)).
 *
 * <p>The prior is where doubt returns to: as evidence decays, a posterior drifts back to it. A
 * strength of 2 says "as sure as two observations"; a strength of 50 is a firm belief.
 *
 * <pre>{@code
 * Prior uplink = Prior.of(0.95, 10);          // mean 0.95, worth 10 observations
 * Prior same = Prior.ofAlphaBeta(9.5, 0.5);   // the same prior by its Beta parameters
 * Prior loose = Prior.ofMeanAndStdDev(0.7, 0.2);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Prior {
  private final double mean;
  private final double strength;

  private Prior(double mean, double strength) {
    this.mean = mean;
    this.strength = strength;
  }

  /**
   * A prior with the given mean and strength.
   *
   * @param mean the prior mean μ0, strictly between 0 and 1
   * @param strength the number of pseudo-observations k, finite and &gt; 0
   * @throws IllegalArgumentException naming the value when either is impossible
   */
  public static Prior of(double mean, double strength) {
    if (!(mean > 0.0 && mean < 1.0)) {
      throw new IllegalArgumentException(
          "prior mean must lie strictly between 0 and 1 (a prior of exactly 0 or 1 can never"
              + " be doubted), got " + mean);
    }
    if (!(strength > 0.0) || Double.isInfinite(strength)) {
      throw new IllegalArgumentException(
          "prior strength (pseudo-observations) must be finite and > 0, got " + strength);
    }
    return new Prior(mean, strength);
  }

  /**
   * The prior Beta(α, β).
   *
   * @throws IllegalArgumentException when α or β is not finite and &gt; 0
   */
  public static Prior ofAlphaBeta(double alpha, double beta) {
    if (!(alpha > 0.0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("prior alpha must be finite and > 0, got " + alpha);
    }
    if (!(beta > 0.0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("prior beta must be finite and > 0, got " + beta);
    }
    return of(alpha / (alpha + beta), alpha + beta);
  }

  /**
   * The Beta prior with the given mean and standard deviation (method of moments):
   * {@code k = μ(1−μ)/σ² − 1}.
   *
   * @throws IllegalArgumentException when the standard deviation is not in (0, sqrt(μ(1−μ))),
   *     the range a Beta distribution with that mean can have
   */
  public static Prior ofMeanAndStdDev(double mean, double stdDev) {
    if (!(mean > 0.0 && mean < 1.0)) {
      throw new IllegalArgumentException(
          "prior mean must lie strictly between 0 and 1, got " + mean);
    }
    double maxStdDev = Math.sqrt(mean * (1.0 - mean));
    if (!(stdDev > 0.0 && stdDev < maxStdDev)) {
      throw new IllegalArgumentException(
          "prior standard deviation must lie in (0, sqrt(mean*(1-mean)) = " + maxStdDev
              + ") for mean " + mean + ", got " + stdDev);
    }
    return of(mean, mean * (1.0 - mean) / (stdDev * stdDev) - 1.0);
  }

  /** The prior mean μ0. */
  public double mean() {
    return mean;
  }

  /** The strength k, in pseudo-observations. */
  public double strength() {
    return strength;
  }

  /** α = kμ0. */
  public double alpha() {
    return strength * mean;
  }

  /** β = k(1−μ0). */
  public double beta() {
    return strength * (1.0 - mean);
  }

  /** The posterior after the given (possibly decayed, fractional) evidence. */
  public Belief posterior(double successes, double failures) {
    return Belief.of(alpha() + successes, beta() + failures, successes + failures);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Prior
        && ((Prior) o).mean == mean
        && ((Prior) o).strength == strength;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(mean) * 31 + Double.hashCode(strength);
  }

  @Override
  public String toString() {
    return "Prior[mean=" + mean + ", strength=" + strength + "]";
  }
}
