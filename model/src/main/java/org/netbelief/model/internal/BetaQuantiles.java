package org.netbelief.model.internal;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * Quantiles of the Beta(α, β) distribution: an exact one (commons-math3) and a fast one for hot
 * paths whose error is bounded and measured.
 *
 * <pre>{@code
 * double lo = BetaQuantiles.fastLower(3.5, 1.2, 0.95);   // 2.5% quantile, ~tens of ns
 * double hi = BetaQuantiles.fastUpper(3.5, 1.2, 0.95);   // 97.5% quantile
 * double q  = BetaQuantiles.exact(3.5, 1.2, 0.025);      // the reference, ~µs
 * }</pre>
 *
 * <p>Thread-safe and stateless apart from immutable tables built once on first use of a fast
 * method.
 */
public final class BetaQuantiles {

  /*
   * How the fast path works
   * -----------------------
   * The quantile q(α, β, p) is tabulated for the three lower-tail probabilities
   * p ∈ {0.005, 0.025, 0.05} (equal-tailed levels 0.99, 0.95, 0.90) on a square grid that is
   * uniform in (ln α, ln β) over [0.1, 1e4]², 48 nodes per axis (step h = ln(1e5)/47 ≈ 0.245),
   * plus one padding node on every side for the cubic stencil. The grid stores the logit of the
   * quantile, g = ln(q / (1 − q)): in (ln α, ln β) the logit is smooth and close to linear once
   * α and β pass a few units (it tends to ln(α/β) + z·sqrt(1/α + 1/β)), and it maps the
   * interpolant back into (0, 1) without clamping. A query does two Math.log, one bicubic
   * Catmull-Rom interpolation over the 4×4 neighbouring nodes (16 loads from one double[]) and
   * one Math.exp. Upper-tail probabilities use the reflection X ~ Beta(α, β) ⇔ 1 − X ~ Beta(β, α):
   * q(α, β, 1 − p) = 1 − q(β, α, p), so three grids serve all six probabilities.
   *
   * Table: 3 × 50 × 50 doubles = 60 KB, built from commons-math3 on first use (7 500 inversions,
   * plus one for each node above 1/2; 0.36 s measured in a cold JVM here) with the solver's
   * absolute accuracy set to Double.MIN_NORMAL, so it stops on its relative tolerance (1e-14)
   * and quantiles as small as 1e-35 keep their digits; with the default 1e-9 the logit of tiny
   * quantiles would be noise.
   *
   * Measured error (BetaQuantilesTest: 200 × 200 log-spaced (α, β) over [0.1, 1e4]² that fall
   * between the nodes, the centre of every cell and 1 000 points along each edge, against
   * commons-math3): worst absolute error 2.4e-4 over the six probabilities
   * (docs/model.md (§3.1) has the figure per level), 40× inside the 0.01 contract. The
   * Catmull-Rom interpolation error is O(h³); it is largest where one parameter is ≈ 0.1 and the
   * other ≈ 1–2, where the logit bends most.
   *
   * Outside the grid:
   *  - max(α, β) > 1e4: the normal approximation m ± z·sd (clamped to [0, 1]). There the larger
   *    parameter makes the distribution either narrow (both large) or squeezed against 0 or 1
   *    at a scale of about 1/max(α, β), so its absolute error is below 2e-4 for every
   *    min(α, β) ≥ 1e-3 (measured, BetaQuantilesTest).
   *  - otherwise, min(α, β) < 0.1: the exact quantile (commons-math3, about 1–20 µs). Here the
   *    distribution piles up at 0 or 1 and no cheap formula holds.
   *  - p not one of the six tabulated probabilities: the exact quantile as well.
   */

  /** Smallest α or β the grid covers. */
  public static final double GRID_MIN = 0.1;
  /** Largest α or β the grid covers. */
  public static final double GRID_MAX = 1e4;

  /** The tabulated lower-tail probabilities, index k of the grid. */
  private static final double P0 = 0.005;
  private static final double P1 = 0.025;
  private static final double P2 = 0.05;

  /** P0, P1, P2 by grid index. */
  private static final double[] LOWER_P = {P0, P1, P2};

  /** Standard normal quantiles of P0, P1, P2 (negative). */
  private static final double[] Z_LOWER = {
    -2.5758293035489004, -1.959963984540054, -1.6448536269514729
  };

  private BetaQuantiles() {}

  /**
   * The exact p-quantile of Beta(α, β), by commons-math3's {@link BetaDistribution} (built with
   * a null random generator, so no generator is allocated or seeded). Costs about 1–20 µs and
   * allocates; use it off the hot path or as the reference.
   *
   * @param alpha α, finite and &gt; 0
   * @param beta β, finite and &gt; 0
   * @param p the probability, in [0, 1]
   * @return x with P(X ≤ x) = p for X ~ Beta(α, β), within commons-math3's solver accuracy
   *     (1e-9 absolute)
   * @throws IllegalArgumentException if α or β is not finite and positive, or p is outside [0, 1]
   */
  public static double exact(double alpha, double beta, double p) {
    checkShape("alpha", alpha);
    checkShape("beta", beta);
    checkProbability("p", p);
    return new BetaDistribution(null, alpha, beta).inverseCumulativeProbability(p);
  }

  /**
   * A fast p-quantile of Beta(α, β), within 0.01 (absolute) of {@link #exact} for α, β in
   * [{@value #GRID_MIN}, {@value #GRID_MAX}] at p ∈ {0.005, 0.025, 0.05, 0.95, 0.975, 0.995}
   * (measured worst error 2.4e-4), allocation-free and tens of nanoseconds per call there.
   *
   * <p>Other inputs are still answered correctly but on slower paths: for max(α, β) &gt; 1e4 the
   * normal approximation (fast; absolute error below 2e-4, measured); for min(α, β) &lt; 0.1 with
   * max(α, β) ≤ 1e4, or for any other p, the exact quantile (microseconds, allocates). The p
   * values must be these exact doubles (the literals, or {@code 1 - 0.025}, which rounds to
   * {@code 0.975}; but {@code (1 - 0.95) / 2} is not {@code 0.025} and takes the exact path);
   * {@link #fastLower} and {@link #fastUpper} take the level instead and avoid that trap.
   *
   * @param alpha α, finite and &gt; 0
   * @param beta β, finite and &gt; 0
   * @param p the probability, in [0, 1]
   * @return an approximation of the p-quantile, in [0, 1]
   * @throws IllegalArgumentException if α or β is not finite and positive, or p is outside [0, 1]
   */
  public static double fast(double alpha, double beta, double p) {
    checkShape("alpha", alpha);
    checkShape("beta", beta);
    checkProbability("p", p);
    // Exact double comparisons on purpose: only the tabulated probabilities take the grid.
    if (p == P0) {
      return lower(alpha, beta, 0);
    } else if (p == P1) {
      return lower(alpha, beta, 1);
    } else if (p == P2) {
      return lower(alpha, beta, 2);
    } else if (p == 0.95) {
      return upper(alpha, beta, 2);
    } else if (p == 0.975) {
      return upper(alpha, beta, 1);
    } else if (p == 0.995) {
      return upper(alpha, beta, 0);
    }
    return exactUnchecked(alpha, beta, p);
  }

  /**
   * The lower end of the equal-tailed credible interval at {@code level}: the (1 − level)/2
   * quantile. Levels 0.90, 0.95 and 0.99 take the fast grid (see {@link #fast}); other levels
   * are computed exactly (microseconds).
   *
   * @param alpha α, finite and &gt; 0
   * @param beta β, finite and &gt; 0
   * @param level the credible level, in (0, 1)
   * @return the lower bound of the interval
   * @throws IllegalArgumentException if α or β is not finite and positive, or level is not in
   *     (0, 1)
   */
  public static double fastLower(double alpha, double beta, double level) {
    checkShape("alpha", alpha);
    checkShape("beta", beta);
    int k = levelIndex(level);
    return k >= 0 ? lower(alpha, beta, k) : exactUnchecked(alpha, beta, (1 - level) / 2);
  }

  /**
   * The upper end of the equal-tailed credible interval at {@code level}: the (1 + level)/2
   * quantile. Levels 0.90, 0.95 and 0.99 take the fast grid (see {@link #fast}); other levels
   * are computed exactly (microseconds).
   *
   * @param alpha α, finite and &gt; 0
   * @param beta β, finite and &gt; 0
   * @param level the credible level, in (0, 1)
   * @return the upper bound of the interval
   * @throws IllegalArgumentException if α or β is not finite and positive, or level is not in
   *     (0, 1)
   */
  public static double fastUpper(double alpha, double beta, double level) {
    checkShape("alpha", alpha);
    checkShape("beta", beta);
    int k = levelIndex(level);
    return k >= 0 ? upper(alpha, beta, k) : exactUnchecked(alpha, beta, (1 + level) / 2);
  }

  /** Grid index for a tabulated level, or -1 (after validating the level). */
  private static int levelIndex(double level) {
    if (level == 0.99) {
      return 0;
    } else if (level == 0.95) {
      return 1;
    } else if (level == 0.90) {
      return 2;
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1), got " + level);
    }
    return -1;
  }

  /**
   * Upper-tail quantile 1 − P_k, arguments already validated; on the grid by reflection,
   * q(α, β, 1 − p) = 1 − q(β, α, p). Allocation-free except on the exact fallback.
   */
  private static double upper(double alpha, double beta, int k) {
    if (onGrid(alpha, beta)) {
      return 1.0 - Grid.interpolate(beta, alpha, k);
    }
    return offGrid(alpha, beta, -Z_LOWER[k], 1.0 - LOWER_P[k]);
  }

  /** Lower-tail quantile P_k, arguments already validated. Allocation-free except fallback. */
  private static double lower(double alpha, double beta, int k) {
    if (onGrid(alpha, beta)) {
      return Grid.interpolate(alpha, beta, k);
    }
    return offGrid(alpha, beta, Z_LOWER[k], LOWER_P[k]);
  }

  private static boolean onGrid(double alpha, double beta) {
    return alpha >= GRID_MIN && alpha <= GRID_MAX && beta >= GRID_MIN && beta <= GRID_MAX;
  }

  /** The rare cases, kept out of the fast path: normal beyond GRID_MAX, else exact. */
  private static double offGrid(double alpha, double beta, double z, double p) {
    if (alpha > GRID_MAX || beta > GRID_MAX) {
      return normal(alpha, beta, z);
    }
    return exactUnchecked(alpha, beta, p);
  }

  /** Normal approximation m + z·sd, clamped to [0, 1]; written to avoid overflow at huge α, β. */
  static double normal(double alpha, double beta, double z) {
    double n = alpha + beta;
    double m = alpha / n;
    double sd = Math.sqrt(m * (1 - m) / (n + 1));
    return Math.min(1.0, Math.max(0.0, m + z * sd));
  }

  private static double exactUnchecked(double alpha, double beta, double p) {
    return new BetaDistribution(null, alpha, beta).inverseCumulativeProbability(p);
  }

  private static void checkShape(String name, double v) {
    if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
    }
  }

  private static void checkProbability(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
    }
  }

  /** The logit-quantile grids; a holder class so that {@link #exact} never pays for building. */
  static final class Grid {
    /** Nodes per axis inside [GRID_MIN, GRID_MAX]. */
    static final int NODES = 48;
    /** Nodes per axis including one padding node on each side. */
    static final int SIDE = NODES + 2;
    static final double LN_MIN = Math.log(GRID_MIN);
    static final double STEP = (Math.log(GRID_MAX) - LN_MIN) / (NODES - 1);
    static final double INV_STEP = 1.0 / STEP;
    /** Logits clamp here so that q = 0 or 1 (underflow) stays finite: e^-700 ≈ 1e-304. */
    static final double LOGIT_CLAMP = 700;

    /** g[(k·SIDE + i)·SIDE + j] = logit q(α_i, β_j, P_k), padded node i=0 at ln α = LN_MIN − STEP. */
    private static final double[] G = build();

    private Grid() {}

    /** The α (or β) of padded node index i. */
    static double node(int i) {
      return Math.exp(LN_MIN + (i - 1) * STEP);
    }

    private static double[] build() {
      double[] ps = {P0, P1, P2};
      double[] g = new double[3 * SIDE * SIDE];
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < SIDE; i++) {
          double a = node(i);
          for (int j = 0; j < SIDE; j++) {
            g[(k * SIDE + i) * SIDE + j] = logitOfExact(a, node(j), ps[k]);
          }
        }
      }
      return g;
    }

    /**
     * Logit of the exact quantile with a solver accuracy relative rather than 1e-9 absolute, so
     * tiny quantiles keep their digits. Above 1/2 the logit is taken from the reflected quantile
     * 1 − q = q(β, α, 1 − p), which keeps the digits of 1 − q as well.
     */
    private static double logitOfExact(double a, double b, double p) {
      double q = new BetaDistribution(null, a, b, Double.MIN_NORMAL).inverseCumulativeProbability(p);
      double logit;
      if (q <= 0.5) {
        logit = Math.log(q) - Math.log1p(-q);
      } else {
        double r =
            new BetaDistribution(null, b, a, Double.MIN_NORMAL).inverseCumulativeProbability(1 - p);
        logit = Math.log1p(-r) - Math.log(r);
      }
      // NaN cannot occur for q in [0, 1]; ±infinity (q = 0 or 1) is clamped.
      return Math.max(-LOGIT_CLAMP, Math.min(LOGIT_CLAMP, logit));
    }

    /**
     * Bicubic Catmull-Rom interpolation of the logit at (ln α, ln β), then the logistic function.
     * Allocation-free: a few scalar locals and 16 loads from the shared immutable array.
     */
    static double interpolate(double alpha, double beta, int k) {
      double x = (Math.log(alpha) - LN_MIN) * INV_STEP;
      double y = (Math.log(beta) - LN_MIN) * INV_STEP;
      // x, y are in [0, NODES-1] up to rounding; clamp the cell so the stencil stays in bounds.
      int i = Math.min(NODES - 2, Math.max(0, (int) x));
      int j = Math.min(NODES - 2, Math.max(0, (int) y));
      double tx = x - i;
      double ty = y - j;
      // Catmull-Rom weights for the nodes at offsets -1, 0, +1, +2.
      double ax0 = 0.5 * tx * ((2 - tx) * tx - 1);
      double ax1 = 0.5 * (tx * tx * (3 * tx - 5) + 2);
      double ax2 = 0.5 * tx * ((4 - 3 * tx) * tx + 1);
      double ax3 = 0.5 * tx * tx * (tx - 1);
      double by0 = 0.5 * ty * ((2 - ty) * ty - 1);
      double by1 = 0.5 * (ty * ty * (3 * ty - 5) + 2);
      double by2 = 0.5 * ty * ((4 - 3 * ty) * ty + 1);
      double by3 = 0.5 * ty * ty * (ty - 1);
      // Padded row i (offset -1) of the cell's node i is padded index i; see node(int).
      int r = (k * SIDE + i) * SIDE + j;
      double[] g = G;
      double s0 = by0 * g[r] + by1 * g[r + 1] + by2 * g[r + 2] + by3 * g[r + 3];
      r += SIDE;
      double s1 = by0 * g[r] + by1 * g[r + 1] + by2 * g[r + 2] + by3 * g[r + 3];
      r += SIDE;
      double s2 = by0 * g[r] + by1 * g[r + 1] + by2 * g[r + 2] + by3 * g[r + 3];
      r += SIDE;
      double s3 = by0 * g[r] + by1 * g[r + 1] + by2 * g[r + 2] + by3 * g[r + 3];
      double logit = ax0 * s0 + ax1 * s1 + ax2 * s2 + ax3 * s3;
      return 1.0 / (1.0 + Math.exp(-logit));
    }
  }
}
