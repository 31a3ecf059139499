package org.netbelief.model.internal;

import org.apache.commons.math3.distribution.BetaDistribution;

/** Beta quantiles: exact, and fast (placeholder until the grid lands: exact). */
public final class BetaQuantiles {
  private BetaQuantiles() {}

  /** The exact quantile. */
  public static double exact(double alpha, double beta, double p) {
    return new BetaDistribution(null, alpha, beta).inverseCumulativeProbability(p);
  }

  /** Lower bound of the equal-tailed interval. */
  public static double fastLower(double alpha, double beta, double level) {
    return exact(alpha, beta, (1.0 - level) / 2.0);
  }

  /** Upper bound of the equal-tailed interval. */
  public static double fastUpper(double alpha, double beta, double level) {
    return exact(alpha, beta, 1.0 - (1.0 - level) / 2.0);
  }
}
