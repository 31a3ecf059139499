package org.netbelief.model.internal;

/**
 * The logit-normal distribution: {@code p = σ(x)} with {@code x ~ N(m, v)} and
 * {@code σ(x) = 1/(1 + e^{−x})}. Its mean has no closed form; a 24-point Gauss–Hermite rule gives it
 * to better than 1e-6 for the variances a belief holds ({@code v ≤ 25}). Quantiles are exact:
 * {@code σ} is monotone, so the q-quantile of {@code p} is {@code σ(m + z_q √v)}.
 *
 * <p>Stateless; all methods are allocation-free.
 */
public final class LogitNormal {
  private static final int POINTS = 24;
  private static final double[] Z = GaussHermite.nodes(POINTS);
  private static final double[] W = GaussHermite.weights(POINTS);

  private LogitNormal() {}

  /**
   * The logistic function, written to stay finite and accurate for any finite input.
   *
   * @param x log-odds
   * @return {@code 1/(1+e^{-x})}
   */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /**
   * Returns {@code E[σ(x)]} for {@code x ~ N(mean, variance)}.
   *
   * @param mean the log-odds mean
   * @param variance the log-odds variance, {@code >= 0}
   * @return the mean probability, in [0, 1]
   */
  public static double meanProbability(double mean, double variance) {
    if (variance <= 0) {
      return sigmoid(mean);
    }
    double sd = Math.sqrt(variance);
    double sum = 0;
    for (int i = 0; i < POINTS; i++) {
      sum += W[i] * sigmoid(mean + sd * Z[i]);
    }
    return Math.min(1.0, Math.max(0.0, sum));
  }

  /**
   * Solves {@code E[σ(x)] = targetMean} for the log-odds mean of {@code x ~ N(·, variance)} by
   * bisection (the mean probability increases with the log-odds mean).
   *
   * @param targetMean the wanted mean probability, in (0, 1)
   * @param variance the log-odds variance
   * @return the log-odds mean
   */
  public static double logOddsMeanFor(double targetMean, double variance) {
    double lo = -60;
    double hi = 60;
    for (int i = 0; i < 100; i++) {
      double mid = 0.5 * (lo + hi);
      if (meanProbability(mid, variance) < targetMean) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }
}
