package org.netbelief.model.fit;

import java.util.HashMap;
import java.util.Map;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * Empirical Bayes for one feature level: the Beta prior (mean μ, strength k) that maximises the
 * beta-binomial marginal likelihood of the level's per-row counts.
 *
 * <pre>{@code
 * RowCounts counts = new RowCounts();
 * events.forEach(e -> counts.observe(e.key(), e.success()));
 * PriorFit fit = PriorFitter.fit(counts);
 * Prior prior = fit.priorOr(Prior.of(0.7, 2));
 * }</pre>
 *
 * <p>Row i with successes s_i and failures f_i (n_i = s_i + f_i, fractional allowed) contributes
 * {@code ln B(α + s_i, β + f_i) − ln B(α, β)} with α = kμ, β = k(1 − μ) (derivation in {@code
 * docs/tuning-priors.md}). The optimiser is commons-math3's Nelder–Mead simplex over the
 * unconstrained θ = (logit μ, ln k); standard errors come from the analytic observed information
 * (trigamma) in (α, β), carried to (μ, k) by the delta method.
 *
 * <p>Rows with identical (s, f) are collapsed first, with a multiplicity: with integer counts a
 * level of 10^5 rows has a few hundred distinct pairs, so each likelihood evaluation costs
 * microseconds, not milliseconds.
 *
 * <p>The fit reports non-convergence ({@link PriorFit#converged()} false, with the reason) when
 * there are fewer than two rows with evidence, when every row has the same single outcome, when
 * the strength runs off to infinity (the rows vary no more than binomial noise: no evidence of a
 * spread between rows, so no finite prior strength is supported), or when the optimiser does
 * not settle within its evaluation budget.
 */
public final class PriorFitter {
  /** Strengths above this are reported as diverging (no between-row spread in the data). */
  public static final double MAX_STRENGTH = 1e6;
  private static final int MAX_EVALUATIONS = 4_000;

  private PriorFitter() {}

  /** Fits the prior to the rows of {@code counts}. */
  public static PriorFit fit(RowCounts counts) {
    Map<Pair, double[]> collapsed = new HashMap<>();
    counts.forEachRow((key, s, f) -> {
      if (s + f > 0.0) {
        collapsed.computeIfAbsent(new Pair(s, f), p -> new double[1])[0] += 1.0;
      }
    });
    int m = collapsed.size();
    double[] s = new double[m];
    double[] f = new double[m];
    double[] w = new double[m];
    int i = 0;
    for (Map.Entry<Pair, double[]> e : collapsed.entrySet()) {
      s[i] = e.getKey().s;
      f[i] = e.getKey().f;
      w[i] = e.getValue()[0];
      i++;
    }
    return fit(s, f, w);
  }

  /**
   * Fits the prior to rows given as parallel arrays: row i has {@code successes[i]} and {@code
   * failures[i]} and stands for {@code multiplicity[i]} identical rows.
   *
   * @throws IllegalArgumentException when the arrays differ in length or hold a negative, NaN
   *     or infinite value
   */
  public static PriorFit fit(double[] successes, double[] failures, double[] multiplicity) {
    if (successes.length != failures.length || successes.length != multiplicity.length) {
      throw new IllegalArgumentException("successes, failures and multiplicity must have the"
          + " same length, got " + successes.length + ", " + failures.length + ", "
          + multiplicity.length);
    }
    Data d = new Data(successes, failures, multiplicity);
    if (d.rows < 2) {
      return PriorFit.failed("need at least 2 rows with evidence to fit a prior, got " + d.rows,
          d.rows, d.total, 0);
    }
    if (d.totalS == 0.0 || d.totalF == 0.0) {
      return PriorFit.failed("every outcome in " + d.rows + " rows was a "
          + (d.totalS == 0.0 ? "failure" : "success")
          + ": the maximum-likelihood prior mean is 0 or 1, which no Beta prior can hold",
          d.rows, d.total, 0);
    }

    double[] start = d.momentStart();
    SimplexOptimizer optimizer = new SimplexOptimizer(new SimpleValueChecker(1e-12, 1e-14));
    PointValuePair best;
    try {
      best = optimizer.optimize(
          new MaxEval(MAX_EVALUATIONS),
          new ObjectiveFunction(d::negativeMeanLogLikelihood),
          GoalType.MINIMIZE,
          new InitialGuess(start),
          new NelderMeadSimplex(new double[] {0.5, 0.5}));
    } catch (TooManyEvaluationsException e) {
      return PriorFit.failed("optimiser did not converge within " + MAX_EVALUATIONS
          + " likelihood evaluations", d.rows, d.total, MAX_EVALUATIONS);
    }
    int evaluations = optimizer.getEvaluations();
    double[] theta = best.getPoint();
    double mean = 1.0 / (1.0 + Math.exp(-theta[0]));
    double strength = Math.exp(theta[1]);
    if (!(strength <= MAX_STRENGTH)) {
      return PriorFit.failed(String.format("strength diverges (k > %.0g after %d evaluations):"
          + " the %d rows vary no more than binomial noise, so the data support no finite"
          + " prior strength; keep the previous prior or set the strength by hand",
          MAX_STRENGTH, evaluations, d.rows), d.rows, d.total, evaluations);
    }
    if (!(mean > 0.0 && mean < 1.0)) {
      return PriorFit.failed("fitted mean " + mean + " is at the edge of (0, 1)",
          d.rows, d.total, evaluations);
    }
    double alpha = strength * mean;
    double beta = strength * (1.0 - mean);
    double[] info = d.observedInformation(alpha, beta);
    double det = info[0] * info[2] - info[1] * info[1];
    if (!(info[0] > 0.0 && det > 0.0)) {
      return PriorFit.failed(String.format("observed information is not positive definite at"
          + " mean=%.4g, strength=%.4g: not a maximum", mean, strength),
          d.rows, d.total, evaluations);
    }
    // Covariance of (α, β) = I⁻¹; delta method with μ = α/(α+β), k = α+β.
    double vaa = info[2] / det;
    double vbb = info[0] / det;
    double vab = -info[1] / det;
    double k2 = strength * strength;
    double dmA = beta / k2;
    double dmB = -alpha / k2;
    double varMean = dmA * dmA * vaa + 2 * dmA * dmB * vab + dmB * dmB * vbb;
    double varStrength = vaa + 2 * vab + vbb;
    double logL = -best.getValue() * d.weight;
    String msg = String.format("converged after %d evaluations on %d rows (%.6g observations)",
        evaluations, d.rows, d.total);
    return new PriorFit(true, msg, mean, strength, Math.sqrt(varMean), Math.sqrt(varStrength),
        logL, d.rows, d.total, evaluations);
  }

  /** The beta-binomial log marginal likelihood (without binomial coefficients) at (μ, k). */
  public static double logLikelihood(RowCounts counts, double mean, double strength) {
    double[] acc = new double[1];
    double a = strength * mean;
    double b = strength * (1.0 - mean);
    double lb = Beta.logBeta(a, b);
    counts.forEachRow((key, s, f) -> acc[0] += Beta.logBeta(a + s, b + f) - lb);
    return acc[0];
  }

  private record Pair(double s, double f) {}

  /** The collapsed rows and the likelihood over them. */
  private static final class Data {
    final double[] s;
    final double[] f;
    final double[] w;
    final int rows;
    final double weight;
    final double total;
    final double totalS;
    final double totalF;

    Data(double[] s, double[] f, double[] w) {
      int rowCount = 0;
      double weightSum = 0;
      double sumS = 0;
      double sumF = 0;
      for (int i = 0; i < s.length; i++) {
        check("successes", i, s[i]);
        check("failures", i, f[i]);
        check("multiplicity", i, w[i]);
        if (s[i] + f[i] > 0.0 && w[i] > 0.0) {
          rowCount += (int) Math.ceil(w[i]);
          weightSum += w[i];
          sumS += w[i] * s[i];
          sumF += w[i] * f[i];
        }
      }
      this.s = s;
      this.f = f;
      this.w = w;
      this.rows = rowCount;
      this.weight = weightSum;
      this.totalS = sumS;
      this.totalF = sumF;
      this.total = sumS + sumF;
    }

    private static void check(String what, int i, double v) {
      if (!(v >= 0.0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            what + "[" + i + "] must be finite and >= 0, got " + v);
      }
    }

    /** −ℓ(θ)/W: the mean negative log likelihood per row, at θ = (logit μ, ln k). */
    double negativeMeanLogLikelihood(double[] theta) {
      if (Math.abs(theta[0]) > 40.0 || theta[1] > 40.0 || theta[1] < -40.0) {
        return Double.MAX_VALUE; // far outside anything a Beta prior can mean; keep the simplex in
      }
      double mean = 1.0 / (1.0 + Math.exp(-theta[0]));
      double k = Math.exp(theta[1]);
      double a = k * mean;
      double b = k - a;
      if (!(a > 0.0 && b > 0.0)) {
        return Double.MAX_VALUE;
      }
      double lb = Beta.logBeta(a, b);
      double sum = 0.0;
      for (int i = 0; i < s.length; i++) {
        if (w[i] > 0.0 && s[i] + f[i] > 0.0) {
          sum += w[i] * (Beta.logBeta(a + s[i], b + f[i]) - lb);
        }
      }
      double v = -sum / weight;
      return Double.isNaN(v) ? Double.MAX_VALUE : v;
    }

    /**
     * The observed information −∂²ℓ in (α, β) as {Iαα, Iαβ, Iββ}, from
     * ∂²ℓ/∂α² = Σ w[ψ'(α+s) − ψ'(α+β+n) − ψ'(α) + ψ'(α+β)] and its siblings.
     */
    double[] observedInformation(double a, double b) {
      double taB = Gamma.trigamma(a + b);
      double ta = Gamma.trigamma(a);
      double tb = Gamma.trigamma(b);
      double haa = 0;
      double hbb = 0;
      double hab = 0;
      for (int i = 0; i < s.length; i++) {
        if (w[i] > 0.0 && s[i] + f[i] > 0.0) {
          double tn = Gamma.trigamma(a + b + s[i] + f[i]);
          haa += w[i] * (Gamma.trigamma(a + s[i]) - tn - ta + taB);
          hbb += w[i] * (Gamma.trigamma(b + f[i]) - tn - tb + taB);
          hab += w[i] * (taB - tn);
        }
      }
      return new double[] {-haa, -hab, -hbb};
    }

    /** A start by the method of moments on the per-row proportions, in θ. */
    double[] momentStart() {
      double mean = Math.min(0.99, Math.max(0.01, totalS / total));
      double sumP = 0;
      double sumP2 = 0;
      double sumInvN = 0;
      for (int i = 0; i < s.length; i++) {
        double n = s[i] + f[i];
        if (w[i] > 0.0 && n > 0.0) {
          double p = s[i] / n;
          sumP += w[i] * p;
          sumP2 += w[i] * p * p;
          sumInvN += w[i] / Math.max(n, 1.0);
        }
      }
      double m = sumP / weight;
      double var = Math.max(0.0, sumP2 / weight - m * m);
      double r = var / Math.max(1e-12, m * (1.0 - m));
      double avgInvN = sumInvN / weight;
      // Var(p̂) ≈ μ(1−μ)(1 + k/n)/(k + 1) ⇒ k = (1 − r)/(r − 1/n).
      double k = r > avgInvN && r < 1.0 ? (1.0 - r) / (r - avgInvN) : 10.0;
      k = Math.min(1e4, Math.max(0.1, k));
      return new double[] {Math.log(mean / (1.0 - mean)), Math.log(k)};
    }
  }
}
