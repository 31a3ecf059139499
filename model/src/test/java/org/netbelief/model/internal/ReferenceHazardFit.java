package org.netbelief.model.internal;

/**
 * The plain form of {@link HazardCurve#fit}: the EM sweeps as the equations read, kept as the
 * oracle the production fit (which reorganises the work per sweep) must match bit for bit.
 */
final class ReferenceHazardFit {
  private ReferenceHazardFit() {}

  /** {@link HazardCurve#fit} without the work array, computed plainly. */
  static void fit(HazardCurve curve, double[] priorMean, double k, double[] alive, double[] dead,
      int sweeps,
      double[] alpha, double[] beta, double[] q, double[] prefix) {
    int bins = curve.bins();
    // Survivals are exact evidence: suffix sums of alive[] give each bin's successes.
    double suffix = 0.0;
    boolean anyDead = false;
    for (int b = bins - 1; b >= 0; b--) {
      suffix += alive[b + 1];
      alpha[b] = k * priorMean[b] + suffix;
      beta[b] = k * (1.0 - priorMean[b]);
      q[b] = alpha[b] / (alpha[b] + beta[b]);
      anyDead |= dead[b + 1] > 0.0;
    }
    if (!anyDead) {
      return;
    }
    for (int sweep = 0; sweep < sweeps; sweep++) {
      prefix[0] = 1.0;
      for (int b = 0; b < bins; b++) {
        prefix[b + 1] = prefix[b] * q[b];
      }
      // Start each sweep from the survival evidence; add the deaths' expected counts.
      suffix = 0.0;
      for (int b = bins - 1; b >= 0; b--) {
        suffix += alive[b + 1];
        alpha[b] = k * priorMean[b] + suffix;
        beta[b] = k * (1.0 - priorMean[b]);
      }
      for (int j = 1; j <= bins; j++) {
        double dj = dead[j];
        if (dj <= 0.0) {
          continue;
        }
        double norm = 1.0 - prefix[j]; // P(dead by e_j)
        if (!(norm > 1e-300)) {
          continue;
        }
        double later = 0.0; // P(death after bin b | dead by e_j), built from the top
        for (int b = j - 1; b >= 0; b--) {
          double pb = prefix[b] * (1.0 - q[b]) / norm;
          beta[b] += dj * pb;
          alpha[b] += dj * later;
          later += pb;
        }
      }
      boolean moved = false;
      for (int b = 0; b < bins; b++) {
        double qb = alpha[b] / (alpha[b] + beta[b]);
        moved |= qb != q[b];
        q[b] = qb;
      }
      if (!moved) {
        // A fixed point, bit for bit: every further sweep would compute the same prefix, the
        // same counts and the same q, so stopping changes no result.
        break;
      }
    }
  }

}
