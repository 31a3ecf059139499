package org.netbelief.model.internal;

import org.apache.commons.math3.distribution.GammaDistribution;

/**
 * The math of a discrete-hazard survival curve over log-spaced silence bins, on plain arrays.
 *
 * <p>Bin 0 covers silences [0, min); bins 1..B−1 are log-spaced from {@code min} to {@code max}
 * (edge {@code e_j = min·ρ^(j−1)}, ρ = (max/min)^(1/(B−1))). Bin b has a conditional survival
 * {@code q_b ~ Beta(α_b, β_b)}, the probability that a binding alive at the bin's start is alive at
 * its end. A silence g exposes bin b by {@code x_b(g)} ∈ [0, 1]: 1 for bins wholly below g, the
 * fraction of the bin (linear in bin 0, in log time above) for the bin holding g, 0 above. Then
 *
 * <pre>
 *   S(g) = Π_b q_b^{x_b(g)}            (geometric interpolation inside a bin)
 *   E[S(g)] ≈ Π_b E[q_b]^{x_b(g)}      (exact for whole bins, by independence)
 *   −log S(g) = Σ_b x_b·(−log q_b),  E[−log q] = ψ(α+β) − ψ(α),  Var[−log q] = ψ'(α) − ψ'(α+β)
 * </pre>
 *
 * The credible band treats −log S as Gamma-distributed with the summed mean M and variance V
 * (shape M²/V, rate M/V; method of moments, in the spirit of the classical Beta/Gamma
 * approximations to products of independent Beta variables). Its accuracy against Monte Carlo
 * over the independent bin Betas is measured in {@code HazardCurveTest} and {@code
 * docs/model.md (§8)}.
 *
 * <p>Stateless apart from the immutable layout; thread-safe. Methods that take arrays write only
 * the arrays they are given and allocate nothing unless stated.
 */
public final class HazardCurve {
  private final int bins;
  private final double minSeconds;
  private final double maxSeconds;
  private final double logRatio;
  private final double[] edges;

  /**
   * A layout of {@code bins} bins from 0 to {@code maxSeconds}, log-spaced from {@code
   * minSeconds}.
   *
   * @throws IllegalArgumentException for fewer than 3 bins or not 0 &lt; min &lt; max
   */
  public HazardCurve(int bins, double minSeconds, double maxSeconds) {
    if (bins < 3 || bins > 1024) {
      throw new IllegalArgumentException("bin count must lie in [3, 1024], got " + bins);
    }
    if (!(minSeconds > 0.0 && maxSeconds > minSeconds) || Double.isInfinite(maxSeconds)) {
      throw new IllegalArgumentException("silence range must satisfy 0 < min < max, got ["
          + minSeconds + " s, " + maxSeconds + " s]");
    }
    this.bins = bins;
    this.minSeconds = minSeconds;
    this.maxSeconds = maxSeconds;
    this.logRatio = Math.log(maxSeconds / minSeconds) / (bins - 1);
    this.edges = new double[bins + 1];
    for (int j = 1; j <= bins; j++) {
      edges[j] = minSeconds * Math.exp((j - 1) * logRatio);
    }
    edges[bins] = maxSeconds;
  }

  /** The number of bins B. */
  public int bins() {
    return bins;
  }

  /** Edge j in seconds: 0 for j = 0, {@code min·ρ^(j−1)} for 1 ≤ j ≤ B. */
  public double edge(int j) {
    return edges[j];
  }

  /** The shortest log-spaced edge, seconds. */
  public double minSeconds() {
    return minSeconds;
  }

  /** The longest modelled silence, seconds; beyond it S is held constant. */
  public double maxSeconds() {
    return maxSeconds;
  }

  /** The exposure x_b(g) of bin b to a silence of g seconds. */
  public double exposure(int b, double g) {
    double lo = edges[b];
    double hi = edges[b + 1];
    if (g >= hi) {
      return 1.0;
    }
    if (g <= lo) {
      return 0.0;
    }
    return b == 0 ? g / hi : Math.log(g / lo) / logRatio;
  }

  /** The last bin with positive exposure to a silence of g seconds; −1 when g ≤ 0. */
  public int lastBin(double g) {
    if (!(g > 0.0)) {
      return -1;
    }
    if (g >= maxSeconds) {
      return bins - 1;
    }
    if (g <= minSeconds) {
      return 0;
    }
    int b = 1 + (int) (Math.log(g / minSeconds) / logRatio);
    if (b > bins - 1) {
      b = bins - 1;
    }
    // Rounding of the logarithm may put g one bin off; fix it so that e_b < g <= e_{b+1}.
    while (b > 0 && g <= edges[b]) {
      b--;
    }
    while (b < bins - 1 && g > edges[b + 1]) {
      b++;
    }
    return b;
  }

  /** The silence in seconds at exposure x ∈ [0, 1] of bin b. */
  public double silenceAt(int b, double x) {
    return b == 0 ? x * edges[1] : edges[b] * Math.exp(x * logRatio);
  }

  // ------------------------------------------------------------------------------ point queries

  /** E[S(g)] ≈ Π E[q_b]^{x_b}: the probability that the binding survives g seconds. */
  public double meanSurvival(double[] alpha, double[] beta, double g) {
    int last = lastBin(g);
    double s = 1.0;
    for (int b = 0; b < last; b++) {
      s *= alpha[b] / (alpha[b] + beta[b]);
    }
    if (last >= 0) {
      double q = alpha[last] / (alpha[last] + beta[last]);
      double x = exposure(last, g);
      s *= x == 1.0 ? q : Math.pow(q, x);
    }
    return s;
  }

  /** Π q_b^{x_b(g)} for given conditional bin survivals {@code q}. Allocation-free. */
  public double meanSurvivalOf(double[] q, double g) {
    int last = lastBin(g);
    double s = 1.0;
    for (int b = 0; b < last; b++) {
      s *= q[b];
    }
    if (last >= 0) {
      s *= Math.pow(q[last], exposure(last, g));
    }
    return s;
  }

  /**
   * E[S(g)] and E[S(g)²] into {@code out[0]}, {@code out[1]}, from E[q] and E[q²] of each bin
   * (exact for whole bins, powers x_b for the partial one).
   */
  public void survivalMoments(double[] alpha, double[] beta, double g, double[] out) {
    int last = lastBin(g);
    double m1 = 1.0;
    double m2 = 1.0;
    for (int b = 0; b <= last; b++) {
      double a = alpha[b];
      double n = a + beta[b];
      double e1 = a / n;
      double e2 = e1 * (a + 1.0) / (n + 1.0);
      if (b < last) {
        m1 *= e1;
        m2 *= e2;
      } else {
        double x = exposure(b, g);
        m1 *= Math.pow(e1, x);
        m2 *= Math.pow(e2, x);
      }
    }
    out[0] = m1;
    out[1] = m2;
  }

  /** M = E[−log S(g)] and V = Var[−log S(g)] into {@code out[0]}, {@code out[1]}. */
  public void logMoments(double[] alpha, double[] beta, double g, double[] out) {
    int last = lastBin(g);
    double m = 0.0;
    double v = 0.0;
    for (int b = 0; b <= last; b++) {
      double x = b < last ? 1.0 : exposure(b, g);
      double a = alpha[b];
      double n = a + beta[b];
      m += x * (digamma(n) - digamma(a));
      v += x * x * (trigamma(a) - trigamma(n));
    }
    out[0] = m;
    out[1] = v;
  }

  /**
   * P(S &lt; r) = P(−log S &gt; −ln r) under the Gamma approximation with log-moments M, V. Zero
   * when there is no uncertainty left below the threshold.
   */
  public static double probabilityBelow(double m, double v, double r) {
    double c = -Math.log(r);
    if (!(m > 0.0)) {
      return 0.0;
    }
    if (!(v > 0.0)) {
      return m > c ? 1.0 : 0.0;
    }
    double shape = m * m / v;
    double rate = m / v;
    return gammaQ(shape, rate * c);
  }

  /**
   * The regularised upper incomplete gamma Q(a, x), allocation-free: the power series of P for
   * x &lt; a + 1, else the continued fraction of Q by the modified Lentz method (relative
   * tolerance 1e-15; Numerical Recipes §6.2). commons-math3's version allocates a
   * ContinuedFraction per call. Checked against it in HazardCurveTest.
   */
  public static double gammaQ(double a, double x) {
    if (!(x > 0.0)) {
      return 1.0;
    }
    double lnPrefactor = a * Math.log(x) - x - logGamma(a);
    if (x < a + 1.0) {
      double ap = a;
      double term = 1.0 / a;
      double sum = term;
      for (int n = 0; n < 1000; n++) {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if (term < sum * 1e-16) {
          break;
        }
      }
      return Math.max(0.0, 1.0 - sum * Math.exp(lnPrefactor));
    }
    final double tiny = 1e-300;
    double b = x + 1.0 - a;
    double c = 1.0 / tiny;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i < 1000; i++) {
      double an = -i * (i - a);
      b += 2.0;
      d = an * d + b;
      if (Math.abs(d) < tiny) {
        d = tiny;
      }
      c = b + an / c;
      if (Math.abs(c) < tiny) {
        c = tiny;
      }
      d = 1.0 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1.0) < 1e-15) {
        break;
      }
    }
    return Math.min(1.0, Math.exp(lnPrefactor) * h);
  }

  /**
   * The credible bound of S below which S lies with probability {@code p}: {@code exp(−G⁻¹(1−p))}
   * for the Gamma G of −log S. Allocates (commons-math3 quantile); not for hot paths.
   */
  public static double survivalQuantile(double m, double v, double p) {
    if (!(m > 0.0)) {
      return 1.0;
    }
    if (!(v > 0.0)) {
      return Math.exp(-m);
    }
    double shape = m * m / v;
    double scale = v / m;
    double t = new GammaDistribution(null, shape, scale, 1e-12).inverseCumulativeProbability(1.0 - p);
    return Math.exp(-t);
  }

  /**
   * The longest silence g in [floor, ceiling] seconds with P(S(g) &lt; r) ≤ 1 − confidence, or
   * {@code floor} when even that fails (the caller's floor wins). P(S(g) &lt; r) grows with g, so
   * the bins are scanned from the shortest and the crossing bin is bisected on its exposure.
   * Allocation-free.
   */
  public double longestSilence(double[] alpha, double[] beta, double r, double confidence,
      double floor, double ceiling) {
    return longestSilenceBelow(alpha, beta, r, confidence, floor, ceiling,
        Double.POSITIVE_INFINITY);
  }

  /**
   * {@link #longestSilence} for a caller that takes {@code min(limit, result)}: the same value
   * whenever it is below {@code limit}, and {@link Double#POSITIVE_INFINITY} once the scan has
   * shown that it is not, without scanning further or bisecting. So for every {@code limit},
   * {@code min(limit, longestSilenceBelow(…, limit)) == min(limit, longestSilence(…))}, bit for
   * bit:
   *
   * <ul>
   *   <li>bins 0..{@code lastBin(limit)} are scanned exactly as {@link #longestSilence} scans
   *       them (same sums, same order), so a crossing among them gives the same bisection and
   *       the same value;
   *   <li>when none of them crosses, {@link #longestSilence} would return a silence in a later
   *       bin, at least its lower edge {@code e_{lastBin(limit)+1} ≥ limit}, or {@code ceiling}
   *       when the scan ends first (then this method returns {@code ceiling} too).
   * </ul>
   *
   * <p>The planner's interval is capped by the survival frontier, and the cap binds on most
   * calls once a NAT is learnt (98 % of the calls in a 1 000-peer simulation): the bisection's 16
   * incomplete-gamma evaluations and the bins above the cap are then skipped. Each bin's full
   * check is further skipped when a Chernoff bound proves it passes ({@link #surelyAtMost}).
   * Allocation-free.
   */
  public double longestSilenceBelow(double[] alpha, double[] beta, double r, double confidence,
      double floor, double ceiling, double limit) {
    double eps = 1.0 - confidence;
    double c = -Math.log(r);
    double lnOneOverEps = -Math.log(eps);
    double m = 0.0;
    double v = 0.0;
    int lastCeil = lastBin(ceiling);
    int lastLimit = lastBin(limit);
    for (int b = 0; b <= lastCeil; b++) {
      if (b > lastLimit) {
        return Double.POSITIVE_INFINITY; // the result is ≥ e_b ≥ limit
      }
      double a = alpha[b];
      double n = a + beta[b];
      double mb = digamma(n) - digamma(a);
      double vb = trigamma(a) - trigamma(n);
      if (surelyAtMost(m + mb, v + vb, c, eps, lnOneOverEps)
          || probabilityBelow(m + mb, v + vb, r) <= eps) {
        m += mb;
        v += vb;
        continue;
      }
      // The crossing lies inside bin b.
      return crossingInBin(b, m, v, mb, vb, r, eps, floor, ceiling);
    }
    return ceiling;
  }

  /**
   * The silence inside bin b where P(S &lt; r) reaches eps, given the sums (m, v) of the bins below
   * and bin b's full-exposure terms (mb, vb): bisects the exposure x in [0, 1) to 2^-16 of a bin,
   * far below the bins' resolution, and clamps to [floor, ceiling].
   */
  private double crossingInBin(int b, double m, double v, double mb, double vb, double r,
      double eps, double floor, double ceiling) {
    double lo = 0.0;
    double hi = 1.0;
    for (int it = 0; it < 16; it++) {
      double x = 0.5 * (lo + hi);
      if (probabilityBelow(m + x * mb, v + x * x * vb, r) <= eps) {
        lo = x;
      } else {
        hi = x;
      }
    }
    return Math.max(floor, Math.min(ceiling, silenceAt(b, lo)));
  }

  /**
   * {@link #longestSilence} as it was before the cap-first search and the Chernoff certificate:
   * every bin's check through {@link #gammaQ}. Kept as the reference the fast path is tested
   * against (bit for bit) and as the baseline of the JMH benchmark; not for production use.
   */
  public double longestSilenceReference(double[] alpha, double[] beta, double r,
      double confidence, double floor, double ceiling) {
    double eps = 1.0 - confidence;
    double m = 0.0;
    double v = 0.0;
    int lastCeil = lastBin(ceiling);
    for (int b = 0; b <= lastCeil; b++) {
      double a = alpha[b];
      double n = a + beta[b];
      double mb = digamma(n) - digamma(a);
      double vb = trigamma(a) - trigamma(n);
      if (probabilityBelow(m + mb, v + vb, r) <= eps) {
        m += mb;
        v += vb;
        continue;
      }
      return crossingInBin(b, m, v, mb, vb, r, eps, floor, ceiling);
    }
    return ceiling;
  }

  /** Relative margin of {@link #surelyAtMost}: far above the rounding it must cover. */
  private static final double CERTIFICATE_MARGIN = 1e-6;
  /** Largest Gamma shape {@link #surelyAtMost} decides: keeps the rounding below the margin. */
  private static final double CERTIFICATE_MAX_SHAPE = 1e6;
  /** E₁(1) = Γ(0, 1), rounded up. */
  private static final double E1_OF_ONE_UP = 0.2193839344;
  /** 1/e = Γ(1, 1), rounded up. */
  private static final double INV_E_UP = 0.3678794412;
  /** Euler's γ = −Γ'(1), rounded up. */
  private static final double EULER_GAMMA_UP = 0.5772156650;
  /** min Γ on [1, 2] (at 1.4616…), rounded down. */
  private static final double GAMMA_MIN_DOWN = 0.8856031944;

  /**
   * Whether {@code probabilityBelow(m, v, r) ≤ eps} is certain without computing it: a bound
   * of the Gamma upper tail Q(a, x), with a = M²/V and x = (M/V)·(−ln r) computed exactly as
   * {@link #probabilityBelow} computes them.
   *
   * <ul>
   *   <li>Shape a &lt; 1 (the U-shaped bins' case: most of −log S's variance from bins whose
   *       mean is near 1). With Q = a·Γ(a, x)/Γ(1 + a): for x &lt; 1, Γ(a, x) = ∫_x^1
   *       t^{a−1}e^{−t} dt + Γ(a, 1) ≤ e^{−x}(1 − x^a)/a + (1 − a)·E₁(1) + a/e (e^{−t} ≤ e^{−x}
   *       on [x, 1]; Γ(a, 1) is convex in a, so below its chord from Γ(0, 1) = E₁(1) to Γ(1, 1)
   *       = 1/e); for x ≥ 1, Γ(a, x) ≤ x^{a−1}e^{−x} (t^{a−1} ≤ x^{a−1} on [x, ∞)). And Γ(1 + a)
   *       ≥ max(1 − γa, 0.8856…) (the tangent at 1 of the convex Γ, and its minimum on [1, 2]).
   *   <li>Any shape up to 10⁶, x &gt; a: the Chernoff bound Q(a, x) ≤ inf_s e^{−sx}(1 − s)^{−a} =
   *       exp(−(x − a − a·ln(x/a))) (optimum s = 1 − a/x).
   * </ul>
   *
   * True only when a bound is below eps by the relative margin 10⁻⁶: the computed {@link
   * #gammaQ} (relative error below 10⁻⁹ here: the rounding of its log-prefactor, whose terms
   * are below 10⁷ for these shapes) then cannot exceed eps. False means "compute it"; never a
   * wrong true ({@code HazardCurveTest.surelyAtMost_certified_probabilityBelowWithinEps}). A
   * logarithm and one or two exponentials, against {@link #gammaQ}'s log-gamma, logarithm,
   * exponential and series.
   *
   * @param c −ln r
   * @param lnOneOverEps ln(1/eps)
   */
  static boolean surelyAtMost(double m, double v, double c, double eps, double lnOneOverEps) {
    if (!(m > 0.0) || !(v > 0.0)) {
      return false; // probabilityBelow's own shortcuts are cheap
    }
    double shape = m * m / v;
    double x = (m / v) * c;
    if (!(x > 0.0) || !(shape > 0.0) || shape > CERTIFICATE_MAX_SHAPE) {
      return false;
    }
    if (shape < 1.0) {
      double gammaOnePlusA = Math.max(1.0 - EULER_GAMMA_UP * shape, GAMMA_MIN_DOWN);
      double upper; // a·Γ(a, x) bounded above
      double lnX = Math.log(x);
      if (x < 1.0) {
        upper = Math.exp(-x) * -Math.expm1(shape * lnX)
            + shape * ((1.0 - shape) * E1_OF_ONE_UP + shape * INV_E_UP);
      } else {
        upper = shape * Math.exp((shape - 1.0) * lnX - x);
      }
      if (upper <= eps * gammaOnePlusA * (1.0 - CERTIFICATE_MARGIN)) {
        return true;
      }
    }
    return x > shape
        && x - shape - shape * Math.log(x / shape) >= lnOneOverEps + CERTIFICATE_MARGIN;
  }

  // ------------------------------------------------------------------------------ evidence

  /**
   * The edge a survival of g seconds is credited to: the largest j ≥ 1 with e_j ≤ g (0 when g is
   * below the first edge). Crediting the edge below g claims no more survival than was seen.
   */
  public int survivalEdge(double g) {
    if (!(g >= minSeconds)) {
      return 0;
    }
    int b = lastBin(g);
    return g >= edges[b + 1] * (1.0 - 1e-9) ? b + 1 : b;
  }

  /**
   * The edge a death within g seconds is credited to: the smallest j ≥ 1 with e_j ≥ g, capped at
   * B. "Dead by e_j" claims no more than "dead by g". A g within 1 ms ({@link
   * #EDGE_SLACK_SECONDS}) plus {@link #EDGE_TOLERANCE} relative above an edge counts as that
   * edge: a prober that asked for the edge's silence sends it rounded up to whole milliseconds,
   * and a loss there must refute that edge, not the next one up (before this, the planner kept
   * asking for the edge just above a sharp timer, probe after lost probe, because each loss
   * landed one bin higher).
   */
  public int deathEdge(double g) {
    if (!(g > minSeconds)) {
      return 1;
    }
    int b = lastBin(g);
    if (b >= 1 && g <= edges[b] * (1.0 + EDGE_TOLERANCE) + EDGE_SLACK_SECONDS) {
      return b;
    }
    return b + 1;
  }

  /** Relative slack for a silence that lies just above an edge (1e-4: 6.9 ms at 68.5 s). */
  public static final double EDGE_TOLERANCE = 1e-4;
  /** Absolute slack for a silence just above an edge: the wire's gap resolution, 1 ms. */
  public static final double EDGE_SLACK_SECONDS = 1e-3;

  /**
   * Fits the bins' Betas to endpoint counts by interval censoring (Turnbull's self-consistency
   * EM, a fixed number of sweeps). {@code alive[j]} is the (decayed) number of bindings seen
   * alive after a silence reaching edge j, {@code dead[j]} the number found dead within edge j,
   * j = 1..B. Each sweep credits every bin below a survival's edge with a success, and spreads
   * every death over the bins below its edge by the current posterior death probabilities
   * {@code S(e_b)·h_b / (1 − S(e_j))}, with successes for the bins before the death bin. Bin b's
   * prior is Beta(k·m_b, k·(1 − m_b)). Results go to {@code alpha}, {@code beta}; {@code q} (length
   * ≥ B), {@code prefix} (length ≥ B + 1) and {@code work} (length ≥ 3B) are scratch.
   * Allocation-free; O(B·(B + sweeps·D)) for D edges with deaths.
   * The sweeps stop early at a fixed point (q unchanged, bit for bit, by a sweep: every
   * further sweep would repeat it), which changes no result.
   *
   * <p>Less work per EM sweep than the plain form of these equations, with the same operations on
   * the same values in the same order (bit for bit the same {@code alpha} and {@code beta}:
   * {@code HazardCurveTest} checks it against the plain fit, kept in the test tree):
   *
   * <ul>
   *   <li>Each sweep restarts the counts from the survival evidence, which the sweeps never
   *       change: they are computed once and copied, not recomputed (a chain of dependent
   *       additions per sweep).
   *   <li>{@code prefix[b]·(1 − q_b)}, the unnormalised death probability of bin b, is computed
   *       once per sweep, not once per death edge above b.
   *   <li>The running products S(e_b) stay in a register: the loop that stored {@code
   *       prefix[b + 1]} and loaded it back on the next iteration (store-to-load forwarding on
   *       a chain of dependent multiplications) was the fit's hottest line; the products are
   *       formed right after each bin's new q, in the same loop.
   * </ul>
   *
   * <p>The fit is the keepalive planner's main cost (two levels per load, two loads per
   * computed interval, and refits per candidate probe).
   */
  public void fit(double[] priorMean, double k, double[] alive, double[] dead, int sweeps,
      double[] alpha, double[] beta, double[] q, double[] prefix, double[] work) {
    final int n = bins;
    // work: [0, n) the survival-only alpha, [n, 2n) beta, [2n, 3n) prefix[b]·(1 − q_b).
    double suffix = 0.0;
    boolean anyDead = false;
    int topDeath = 0; // the highest edge the plain fit's death loop does not skip
    for (int b = n - 1; b >= 0; b--) {
      suffix += alive[b + 1];
      double a0 = k * priorMean[b] + suffix;
      double b0 = k * (1.0 - priorMean[b]);
      alpha[b] = a0;
      beta[b] = b0;
      work[b] = a0;
      work[n + b] = b0;
      q[b] = a0 / (a0 + b0);
      anyDead |= dead[b + 1] > 0.0;
      if (topDeath == 0 && !(dead[b + 1] <= 0.0)) {
        topDeath = b + 1;
      }
    }
    if (!anyDead || sweeps <= 0) {
      return;
    }
    final int pd = 2 * n;
    // S(e_b) and the death terms for the first sweep (later sweeps form them with the new q).
    double p = 1.0;
    prefix[0] = 1.0;
    for (int b = 0; b < n; b++) {
      double qb = q[b];
      work[pd + b] = p * (1.0 - qb);
      p *= qb;
      prefix[b + 1] = p;
    }
    for (int sweep = 0; sweep < sweeps; sweep++) {
      // Start each sweep from the survival evidence; add the deaths' expected counts.
      System.arraycopy(work, 0, alpha, 0, n);
      System.arraycopy(work, n, beta, 0, n);
      for (int j = 1; j <= topDeath; j++) {
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
          double pb = work[pd + b] / norm;
          beta[b] += dj * pb;
          alpha[b] += dj * later;
          later += pb;
        }
      }
      boolean moved = false;
      p = 1.0;
      for (int b = 0; b < n; b++) {
        double qb = alpha[b] / (alpha[b] + beta[b]);
        moved |= qb != q[b];
        q[b] = qb;
        // The next sweep's S(e_b) and death term (unused after the last sweep).
        work[pd + b] = p * (1.0 - qb);
        p *= qb;
        prefix[b + 1] = p;
      }
      if (!moved) {
        break; // a fixed point, bit for bit (see the plain fit)
      }
    }
  }

  // ------------------------------------------------------------------------- special functions

  /**
   * Digamma ψ(x) for x &gt; 0: the recurrence ψ(x) = ψ(x+1) − 1/x up to x ≥ 6, then the
   * asymptotic series to x^−10 (error below 1e-11). commons-math3's version recurses to x ≥ 49,
   * which costs up to 49 divisions on this path.
   */
  public static double digamma(double x) {
    double r = 0.0;
    while (x < 6.0) {
      r -= 1.0 / x;
      x += 1.0;
    }
    double f = 1.0 / (x * x);
    return r + Math.log(x) - 0.5 / x
        - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
  }

  /**
   * ln Γ(x) for x &gt; 0, allocation-free (commons-math3's allocates): shift to x ≥ 8 with one
   * logarithm of the product, then Stirling's series to x^−7 (error below 1e-12).
   */
  public static double logGamma(double x) {
    double product = 1.0;
    while (x < 8.0) {
      product *= x;
      x += 1.0;
    }
    double f = 1.0 / (x * x);
    double series = (1.0 / 12 - f * (1.0 / 360 - f * (1.0 / 1260 - f / 1680))) / x;
    return (x - 0.5) * Math.log(x) - x + 0.9189385332046728 + series - Math.log(product);
  }

  /**
   * Trigamma ψ'(x) for x &gt; 0: recurrence up to x ≥ 6, then the asymptotic series (error below
   * 3e-10).
   */
  public static double trigamma(double x) {
    double r = 0.0;
    while (x < 6.0) {
      r += 1.0 / (x * x);
      x += 1.0;
    }
    double f = 1.0 / (x * x);
    return r + 1.0 / x + 0.5 * f + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)));
  }
}
