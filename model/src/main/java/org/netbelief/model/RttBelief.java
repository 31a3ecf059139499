package org.netbelief.model;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * A belief about a path's round-trip time: a Normal-Inverse-Gamma posterior NIG(μ, κ, α, β) over
 * the mean and variance of log RTT (natural log of nanoseconds). The predictive distribution of
 * the next sample's log RTT is Student-t with ν = 2α degrees of freedom, location μ and scale²
 * {@code β(κ+1)/(ακ)}; timers are its quantiles ({@link #quantileNanos}), a Bayesian RFC 6298.
 *
 * <pre>{@code
 * RttBelief b = rtt.belief(keys, now);
 * long rto = b.quantileNanos(0.99);   // retransmission timer: exceeded by 1% of round trips
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RttBelief {
  private final double mu;
  private final double kappa;
  private final double alpha;
  private final double beta;
  private final double evidence;

  RttBelief(double mu, double kappa, double alpha, double beta, double evidence) {
    this.mu = mu;
    this.kappa = kappa;
    this.alpha = alpha;
    this.beta = beta;
    this.evidence = evidence;
  }

  /** μ: the posterior mean of log RTT (ln ns). */
  public double logMean() {
    return mu;
  }

  /** κ: pseudo-observations behind {@link #logMean()}. */
  public double kappa() {
    return kappa;
  }

  /** α of the Inverse-Gamma over the variance of log RTT. */
  public double alpha() {
    return alpha;
  }

  /** β of the Inverse-Gamma over the variance of log RTT. */
  public double beta() {
    return beta;
  }

  /** The (decayed) number of samples behind the most specific level. */
  public double evidence() {
    return evidence;
  }

  /** The predictive degrees of freedom ν = 2α. */
  public double degreesOfFreedom() {
    return 2.0 * alpha;
  }

  /** The predictive scale of log RTT: sqrt(β(κ+1)/(ακ)). */
  public double predictiveScale() {
    return Math.sqrt(beta * (kappa + 1.0) / (alpha * kappa));
  }

  /** The predictive median of the RTT, exp(μ), in nanoseconds. */
  public long medianNanos() {
    return toNanos(mu);
  }

  /**
   * The predictive {@code q}-quantile of the next RTT in nanoseconds: the timer that a round trip
   * exceeds with probability {@code 1 − q}.
   *
   * @throws IllegalArgumentException unless {@code q} is in (0, 1)
   */
  public long quantileNanos(double q) {
    if (!(q > 0.0 && q < 1.0)) {
      throw new IllegalArgumentException("quantile must lie strictly between 0 and 1, got " + q);
    }
    return quantileNanos(mu, kappa, alpha, beta, q);
  }

  /**
   * {@link #quantileNanos(double)} of the belief NIG(μ, κ, α, β), without the object (q
   * unchecked): the same expressions, so the same nanoseconds.
   */
  static long quantileNanos(double mu, double kappa, double alpha, double beta, double q) {
    double scale = Math.sqrt(beta * (kappa + 1.0) / (alpha * kappa)); // predictiveScale()
    return toNanos(mu + scale * studentQuantile(2.0 * alpha, q));
  }

  /**
   * {@code max(minNanos, min(maxNanos, quantileNanos(mu, kappa, alpha, beta, q)))}, the same
   * nanoseconds, without the t inversion when a bound proves that the quantile lies at or beyond
   * a clamp (q unchecked; {@code minNanos <= maxNanos}).
   *
   * <p>For q &gt; 1/2 the t quantile decreases in ν, so the quantiles at the grid points {@code
   * g_i <= ν < g_{i+1}} ({@link #gridIndex}) bracket it: t(g_{i+1}) ≤ t(ν) ≤ t(g_i). Widened by
   * {@link #GRID_MARGIN} (a thousand times the inversion's own error, so that the computed t(ν)
   * lies within the computed bracket too) and pushed through the same monotone steps as the
   * quantile itself (one product, one sum, {@code Math.exp}, which is semi-monotonic, and the
   * rounding), the bracket's upper end at or below {@code minNanos} proves the clamp gives
   * {@code minNanos}, and its lower end at or above {@code maxNanos} that it gives {@code
   * maxNanos}. A keepalive's timeout (100 ms to 3 s) was clamped on about 35 % of the calls
   * in a 3 000-peer simulation, and almost every one of those asked a ν not asked before, so the
   * {@link #T_QUANTILES} cache missed: a commons-math inversion (a Brent search, tens of
   * microseconds) for a value the clamp then threw away. The grid's quantiles are computed once
   * each, on first use.
   */
  static long clampedQuantileNanos(double mu, double kappa, double alpha, double beta, double q,
      long minNanos, long maxNanos) {
    double scale = Math.sqrt(beta * (kappa + 1.0) / (alpha * kappa)); // as in quantileNanos
    double nu = 2.0 * alpha;
    double t = cachedStudentQuantile(nu, q);
    if (Double.isNaN(t)) {
      int i = q > 0.5 && q < 1.0 ? gridIndex(nu) : -1;
      if (i >= 0) {
        double upper = gridQuantile(i, q);
        if (toNanos(mu + scale * (upper + GRID_MARGIN * (1.0 + upper))) <= minNanos) {
          return minNanos;
        }
        double lower = gridQuantile(i + 1, q);
        if (toNanos(mu + scale * (lower - GRID_MARGIN * (1.0 + lower))) >= maxNanos) {
          return maxNanos;
        }
      }
      t = studentQuantile(nu, q);
    }
    return Math.max(minNanos, Math.min(maxNanos, toNanos(mu + scale * t)));
  }

  /**
   * Relative margin of the grid bracket of {@link #clampedQuantileNanos}: commons-math inverts
   * the t CDF to an absolute accuracy of 1e-9 (and a relative 1e-14), so two computed quantiles
   * differ from the true ones by far less than 1e-6·(1 + |t|).
   */
  static final double GRID_MARGIN = 1e-6;
  /** Grid points per doubling of ν (the top mantissa bits of ν). */
  private static final int GRID_BITS = 6;
  /** Grid exponents: ν in [2, 2^21). */
  private static final int GRID_MIN_EXPONENT = 1;
  private static final int GRID_MAX_EXPONENT = 20;
  /** The grid's quantiles by q (only a few q are ever asked: the callers' constants). */
  private static volatile QuantileGrid[] grids = new QuantileGrid[0];

  /** The computed t quantiles at the grid points for one q; 0 bits: not yet computed. */
  private static final class QuantileGrid {
    final double q;
    final long[] bits =
        new long[((GRID_MAX_EXPONENT - GRID_MIN_EXPONENT + 1) << GRID_BITS) + 1];

    QuantileGrid(double q) {
      this.q = q;
    }
  }

  private static final java.lang.invoke.VarHandle GRID_BITS_ELEMENT =
      java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);

  /**
   * The index i of the grid point g_i ≤ ν &lt; g_{i+1}, where g_i = 2^e·(1 + m/64) for i = (e −
   * 1)·64 + m (from ν's exponent and top mantissa bits: exact, no logarithm); −1 outside the
   * grid (ν &lt; 2, ν ≥ 2^21, NaN).
   */
  static int gridIndex(double nu) {
    if (!(nu >= 2.0 && nu < 0x1p21)) {
      return -1;
    }
    int e = Math.getExponent(nu);
    int m = (int) (Double.doubleToRawLongBits(nu) >>> (52 - GRID_BITS)) & ((1 << GRID_BITS) - 1);
    return ((e - GRID_MIN_EXPONENT) << GRID_BITS) + m;
  }

  /** The grid point g_i. */
  static double gridPoint(int i) {
    double mantissa = 1.0 + (i & ((1 << GRID_BITS) - 1)) / (double) (1 << GRID_BITS);
    return Math.scalb(mantissa, (i >> GRID_BITS) + GRID_MIN_EXPONENT);
  }

  /** The computed t quantile at grid point i for q, computed on first use. */
  static double gridQuantile(int i, double q) {
    QuantileGrid g = null;
    for (QuantileGrid c : grids) {
      if (c.q == q) {
        g = c;
        break;
      }
    }
    if (g == null) {
      synchronized (RttBelief.class) {
        QuantileGrid[] now = grids;
        for (QuantileGrid c : now) {
          if (c.q == q) {
            g = c;
          }
        }
        if (g == null) {
          g = new QuantileGrid(q);
          QuantileGrid[] next = java.util.Arrays.copyOf(now, now.length + 1);
          next[now.length] = g;
          grids = next;
        }
      }
    }
    long bits = (long) GRID_BITS_ELEMENT.getOpaque(g.bits, i);
    if (bits != 0L) {
      return Double.longBitsToDouble(bits);
    }
    double t = studentQuantile(gridPoint(i), q);
    // Opaque: never torn; a racing writer writes the same bits.
    GRID_BITS_ELEMENT.setOpaque(g.bits, i, Double.doubleToRawLongBits(t));
    return t;
  }

  /**
   * Student-t quantiles already computed, direct-mapped by a hash of (ν, q). The quantile is a
   * pure function of (ν, q), so a hit returns exactly the value the computation would: nothing
   * is approximated. It pays because ν repeats: beliefs with no evidence at the most specific
   * level, or capped by a level strength, share their ν, and a simulation asks the same quantile
   * for every keepalive timeout (measured at 1 000 simulated peers: about three calls in four
   * asked for a (ν, q) asked before). A miss costs one commons-math inversion (a Brent search over
   * the regularized incomplete beta, tens of microseconds) and one small entry object.
   *
   * <p>Thread-safe without locks: slots are written racily, but a {@code TQuantile} is
   * immutable with final fields, so a reader sees either an old entry, a new one, or null, and
   * checks the key before using the value.
   */
  private static final TQuantile[] T_QUANTILES = new TQuantile[1 << 14];

  private static final class TQuantile {
    final double nu;
    final double q;
    final double t;

    TQuantile(double nu, double q, double t) {
      this.nu = nu;
      this.q = q;
      this.t = t;
    }
  }

  /** The q-quantile of Student's t with ν degrees of freedom, through {@link #T_QUANTILES}. */
  static double studentQuantile(double nu, double q) {
    double cached = cachedStudentQuantile(nu, q);
    if (!Double.isNaN(cached)) {
      return cached;
    }
    double t = new TDistribution(null, nu).inverseCumulativeProbability(q);
    T_QUANTILES[slot(nu, q)] = new TQuantile(nu, q, t);
    return t;
  }

  /** Whether {@link #T_QUANTILES} holds the q-quantile for ν (for tests). */
  static boolean studentQuantileCached(double nu, double q) {
    return !Double.isNaN(cachedStudentQuantile(nu, q));
  }

  /** The q-quantile of Student's t with ν degrees of freedom from {@link #T_QUANTILES}, or NaN. */
  private static double cachedStudentQuantile(double nu, double q) {
    TQuantile e = T_QUANTILES[slot(nu, q)];
    return e != null && e.nu == nu && e.q == q ? e.t : Double.NaN;
  }

  /** The slot of (ν, q) in {@link #T_QUANTILES}. */
  private static int slot(double nu, double q) {
    long h = (Double.doubleToLongBits(nu) * 0x9E3779B97F4A7C15L) ^ Double.doubleToLongBits(q);
    h *= 0xC2B2AE3D27D4EB4FL;
    return (int) (h >>> 50); // the top 14 bits: 16 384 slots (64 KB of references)
  }

  private static long toNanos(double logNanos) {
    double v = Math.exp(logNanos);
    return v >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1L, Math.round(v));
  }

  @Override
  public String toString() {
    return String.format("RttBelief[median=%.3f ms, scale=%.3f, nu=%.1f, evidence=%.3g]",
        Math.exp(mu) / 1e6, predictiveScale(), degreesOfFreedom(), evidence);
  }
}
