package org.netbelief.model.internal;

/**
 * The arithmetic of a conjunction of independent Beta-distributed factors: blame after a
 * failure, and the moments of the product. Pure static functions over caller-provided arrays;
 * nothing allocates.
 *
 * <p>Each factor j has a Beta(a_j, b_j) belief over its probability q_j and a known multiplier
 * c_j in [0, 1] (1 for all but OPENED, whose multiplier is the hole-survival curve), so the
 * attempt succeeds with probability P = Π c_j q_j. Raw moments of a Beta with n = a + b:
 *
 * <pre>
 *   E[q] = a/n,  E[q²] = E[q]·(a+1)/(n+1),  E[q³] = E[q²]·(a+2)/(n+2)
 * </pre>
 *
 * Given a failure (likelihood 1 − Π c_i q_i) and O_j = Π_{i≠j} c_i E[q_i], Z = 1 − Π c_i E[q_i]:
 *
 * <pre>
 *   E[q_j | fail]  = (E[q_j]  − c_j·E[q_j²]·O_j) / Z
 *   E[q_j² | fail] = (E[q_j²] − c_j·E[q_j³]·O_j) / Z
 * </pre>
 *
 * and the Beta with those two moments has n' = μ(1−μ)/σ² − 1, a' = μ n', b' = (1−μ) n'.
 */
public final class FactorMath {
  private FactorMath() {}

  /** Below this probability of failure the model says failure was impossible: no update. */
  static final double MIN_FAILURE_PROBABILITY = 1e-12;

  /**
   * Assumed-density filtering after a failure: writes the moment-matched Beta(outA[j], outB[j])
   * of each factor's exact posterior marginal. When the failure had (numerically) zero
   * probability, or a matched variance is not positive, the factor is left at its prior.
   */
  public static void adfFailure(double[] a, double[] b, double[] c, int k, double[] outA,
      double[] outB) {
    double product = 1.0;
    for (int i = 0; i < k; i++) {
      product *= c[i] * a[i] / (a[i] + b[i]);
    }
    double z = 1.0 - product;
    for (int j = 0; j < k; j++) {
      outA[j] = a[j];
      outB[j] = b[j];
      if (z < MIN_FAILURE_PROBABILITY) {
        continue;
      }
      double others = othersProduct(a, b, c, k, j);
      double n = a[j] + b[j];
      double m1 = a[j] / n;
      double m2 = m1 * (a[j] + 1.0) / (n + 1.0);
      double m3 = m2 * (a[j] + 2.0) / (n + 2.0);
      double e1 = (m1 - c[j] * m2 * others) / z;
      double e2 = (m2 - c[j] * m3 * others) / z;
      double var = e2 - e1 * e1;
      if (!(var > 0.0) || !(e1 > 0.0) || !(e1 < 1.0)) {
        continue;
      }
      double nn = e1 * (1.0 - e1) / var - 1.0;
      if (!(nn > 0.0)) {
        continue;
      }
      outA[j] = e1 * nn;
      outB[j] = (1.0 - e1) * nn;
    }
  }

  /**
   * Expected counts after a failure: writes the success mass {@code outS[j]} and failure mass
   * {@code outF[j]} of factor j, the posterior probabilities that q_j "succeeded" and "failed":
   * {@code outF[j] = (1 − m_j)/Z}, {@code outS[j] = m_j(1 − c_j·O_j)/Z}. They sum to 1.
   */
  public static void expectedCountsFailure(double[] a, double[] b, double[] c, int k,
      double[] outS, double[] outF) {
    double product = 1.0;
    for (int i = 0; i < k; i++) {
      product *= c[i] * a[i] / (a[i] + b[i]);
    }
    double z = 1.0 - product;
    for (int j = 0; j < k; j++) {
      if (z < MIN_FAILURE_PROBABILITY) {
        outS[j] = 0.0;
        outF[j] = 0.0;
        continue;
      }
      double m = a[j] / (a[j] + b[j]);
      double others = othersProduct(a, b, c, k, j);
      outF[j] = (1.0 - m) / z;
      outS[j] = m * (1.0 - c[j] * others) / z;
    }
  }

  private static double othersProduct(double[] a, double[] b, double[] c, int k, int j) {
    double p = 1.0;
    for (int i = 0; i < k; i++) {
      if (i != j) {
        p *= c[i] * a[i] / (a[i] + b[i]);
      }
    }
    return p;
  }

  /**
   * Non-negative evidence masses that move Beta(a, b) toward the target Beta(ta, tb): exactly
   * {@code (ta − a, tb − b)} when both are &ge; 0; otherwise the target mean is kept exactly and
   * the total is as near the target as non-negative masses allow (only one mass is added), so
   * the result is then more certain than the target. Writes {@code out[0]} successes, {@code
   * out[1]} failures; returns whether the target was reached exactly.
   */
  public static boolean massesToward(double a, double b, double ta, double tb, double[] out) {
    double ds = ta - a;
    double df = tb - b;
    if (ds >= 0.0 && df >= 0.0) {
      out[0] = ds;
      out[1] = df;
      return true;
    }
    double n = a + b;
    double mean = a / n;
    double target = ta / (ta + tb);
    if (target <= mean) {
      out[0] = 0.0;
      out[1] = Math.max(0.0, a / target - n);
    } else {
      out[0] = Math.max(0.0, b / (1.0 - target) - n);
      out[1] = 0.0;
    }
    return false;
  }

  /**
   * The mean and second raw moment of P = Π c_j q_j for independent Beta(a_j, b_j): {@code
   * out[0] = Π c_j E[q_j]}, {@code out[1] = Π c_j² E[q_j²]} (exact).
   */
  public static void productMoments(double[] a, double[] b, double[] c, int k, double[] out) {
    double m1 = 1.0;
    double m2 = 1.0;
    for (int j = 0; j < k; j++) {
      double n = a[j] + b[j];
      double e1 = a[j] / n;
      m1 *= c[j] * e1;
      m2 *= c[j] * c[j] * e1 * (a[j] + 1.0) / (n + 1.0);
    }
    out[0] = m1;
    out[1] = m2;
  }
}
