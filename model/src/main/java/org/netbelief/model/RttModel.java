package org.netbelief.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Round-trip time beliefs per path feature chain: decayed moments of log RTT with a
 * Normal-Inverse-Gamma prior; timers are quantiles of the Student-t predictive ({@link
 * RttBelief}).
 *
 * <p>Each feature row holds decayed sums n = Σw, Σw·x, Σw·x² of x = ln(RTT in ns) (two
 * {@link EvidenceTable}s with the same half-life: rows (n, Σwx) and (Σwx², n); x &gt; 0 for any
 * RTT of 1 ns or more, so the sums are valid non-negative masses). The posterior of a level is
 * the conjugate update of its prior by the row's sums:
 *
 * <pre>
 *   x̄ = Σwx/n,  S = Σwx² − n·x̄²
 *   κ' = κ + n,  μ' = (κμ + n·x̄)/κ',  α' = α + n/2,  β' = β + S/2 + κ·n·(x̄ − μ)²/(2κ')
 * </pre>
 *
 * The root level starts from the configured prior; each following level's prior is its parent's
 * posterior with its pseudo-counts capped at the level's strength ({@code κ ≤ k}, {@code α ≤
 * max(α0, k/2)}, β scaled with α to keep the variance estimate β/α), the analogue of the
 * shrinkage in {@link FeatureChain}.
 *
 * <pre>{@code
 * RttModel rtt = RttModel.builder().build();
 * long[] keys = rtt.keys("*", "198.51.100.0/24", "198.51.100.7:4500");
 * rtt.observe(keys, 42_000_000L, now);
 * long timer = rtt.belief(keys, now).quantileNanos(0.99);
 * }</pre>
 *
 * <p>Thread-safe (the tables are); {@link #observe} allocates nothing.
 */
public final class RttModel {
  private final EvidenceTable first;
  private final EvidenceTable second;
  private final String[] names;
  private final double[] strengths;
  private final double mu0;
  private final double kappa0;
  private final double alpha0;
  private final double beta0;
  private final TimeWindow window;

  private RttModel(Builder b) {
    this.first = EvidenceTable.builder().halfLifeNanos(b.halfLifeNanos).maxRows(b.maxRows)
        .originNanos(b.originNanos).build();
    this.second = EvidenceTable.builder().halfLifeNanos(b.halfLifeNanos).maxRows(b.maxRows)
        .originNanos(b.originNanos).build();
    this.names = b.names.toArray(new String[0]);
    this.strengths = b.strengths.stream().mapToDouble(Double::doubleValue).toArray();
    this.mu0 = Math.log(b.priorMedianNanos);
    this.kappa0 = b.priorStrength;
    this.alpha0 = b.priorAlpha;
    this.beta0 = b.priorAlpha * b.priorSpread * b.priorSpread;
    this.window = new TimeWindow(b.maxBehindNanos, b.maxAheadNanos);
  }

  /** A builder with the defaults named on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configures an {@link RttModel}. Defaults: half-life 10 min; prior median 100 ms with
   * strength κ0 = 0.5, α0 = 1 and a log-spread of 0.5; levels {@code global}, {@code
   * remotePrefix} (4), {@code remoteEndpoint} (4).
   */
  public static final class Builder {
    private long halfLifeNanos = Duration.ofMinutes(10).toNanos();
    private int maxRows = 1 << 20;
    private long originNanos;
    private double priorMedianNanos = 100e6;
    private double priorStrength = 0.5;
    private double priorAlpha = 1.0;
    private double priorSpread = 0.5;
    private List<String> names = new ArrayList<>(List.of("global", "remotePrefix",
        "remoteEndpoint"));
    private List<Double> strengths = new ArrayList<>(List.of(0.5, 4.0, 4.0));
    private boolean customLevels;
    private long maxBehindNanos = Duration.ofHours(1).toNanos();
    private long maxAheadNanos = Duration.ofDays(365).toNanos();

    private Builder() {}

    /** The half-life of RTT samples (default 10 min). */
    public Builder halfLife(Duration halfLife) {
      EvidenceTable.builder().halfLife(halfLife);
      this.halfLifeNanos = halfLife.toNanos();
      return this;
    }

    /** Rows per table (default 2^20). */
    public Builder maxRows(int maxRows) {
      EvidenceTable.builder().maxRows(maxRows);
      this.maxRows = maxRows;
      return this;
    }

    /** The time origin (default 0). */
    public Builder originNanos(long originNanos) {
      this.originNanos = originNanos;
      return this;
    }

    /**
     * The prior: the median RTT guessed before any sample, how many samples that guess is worth
     * (κ0), the shape α0 of the variance prior and the guessed standard deviation of log RTT
     * (β0 = α0·spread²).
     *
     * @throws IllegalArgumentException naming any value that is not finite and &gt; 0 (the
     *     median must be at least 1 ns)
     */
    public Builder prior(Duration median, double strength, double alpha, double spread) {
      double m = median == null ? Double.NaN : median.toNanos();
      if (!(m >= 1.0)) {
        throw new IllegalArgumentException("prior median RTT must be >= 1 ns, got " + median);
      }
      checkPositive("prior strength", strength);
      checkPositive("prior alpha", alpha);
      checkPositive("prior spread", spread);
      this.priorMedianNanos = m;
      this.priorStrength = strength;
      this.priorAlpha = alpha;
      this.priorSpread = spread;
      return this;
    }

    /**
     * Adds a level (general first); the first call replaces the default levels. {@code strength}
     * caps the pseudo-counts the parent's posterior carries into this level (ignored for the
     * first level, which uses the prior).
     */
    public Builder level(String name, double strength) {
      if (!customLevels) {
        names = new ArrayList<>();
        strengths = new ArrayList<>();
        customLevels = true;
      }
      if (name == null || name.isBlank() || names.contains(name)) {
        throw new IllegalArgumentException("level name blank or repeated: " + name);
      }
      checkPositive("strength of level " + name, strength);
      names.add(name);
      strengths.add(strength);
      return this;
    }

    /**
     * The window of accepted sample times around the newest time seen (defaults 1 hour behind,
     * 365 days ahead); see {@link ReachabilityModel.Builder#timeWindow}.
     */
    public Builder timeWindow(Duration behind, Duration ahead) {
      ReachabilityModel.builder().timeWindow(behind, ahead);
      this.maxBehindNanos = behind.toNanos();
      this.maxAheadNanos = ahead.toNanos();
      return this;
    }

    /** The model. */
    public RttModel build() {
      return new RttModel(this);
    }

    private static void checkPositive(String what, double v) {
      if (!(v > 0.0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(what + " must be finite and > 0, got " + v);
      }
    }
  }

  /** The number of levels. */
  public int depth() {
    return names.length;
  }

  /**
   * The keys of a path's features, one token per level.
   *
   * @throws IllegalArgumentException when the number of tokens is not {@link #depth()}
   */
  public long[] keys(String... tokens) {
    if (tokens == null || tokens.length != names.length) {
      throw new IllegalArgumentException("expected " + names.length + " tokens "
          + Arrays.toString(names) + ", got " + (tokens == null ? "null" : tokens.length));
    }
    long[] keys = new long[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      keys[i] = FeatureKeys.of(names[i], tokens[i]);
    }
    return keys;
  }

  /**
   * Records one round-trip sample for every feature of the path. Allocation-free.
   *
   * @throws IllegalArgumentException for a sample below 1 ns, keys of the wrong count, or a
   *     time out of the tables' range or more than the time window from the newest sample;
   *     nothing changes
   */
  public void observe(long[] keys, long rttNanos, long nowNanos) {
    checkKeys(keys);
    if (rttNanos < 1) {
      throw new IllegalArgumentException("RTT sample must be >= 1 ns, got " + rttNanos);
    }
    window.check(nowNanos);
    first.epochAt(nowNanos); // validates the time before either table changes
    window.advance(nowNanos);
    double x = Math.log((double) rttNanos);
    first.observeAll(keys, 0, keys.length, 1.0, x, nowNanos);
    second.observeAll(keys, 0, keys.length, x * x, 1.0, nowNanos);
  }

  /** The posterior belief of the path's most specific level. */
  public RttBelief belief(long[] keys, long nowNanos) {
    checkKeys(keys);
    double[] post = posterior(keys, nowNanos, new double[2], new double[2], new double[5]);
    return new RttBelief(post[0], post[1], post[2], post[3], post[4]);
  }

  /**
   * {@code belief(keys, nowNanos).quantileNanos(q)}, the same nanoseconds, without allocating:
   * a keepalive's timeout asks it for every keepalive sent (the belief and its two read buffers
   * were 8 % of the bytes a simulation allocated).
   *
   * @throws IllegalArgumentException for keys of the wrong count, or q not in (0, 1)
   */
  public long quantileNanos(long[] keys, double q, long nowNanos) {
    checkKeys(keys);
    if (!(q > 0.0 && q < 1.0)) {
      throw new IllegalArgumentException("quantile must lie strictly between 0 and 1, got " + q);
    }
    Scratch sc = SCRATCH.get();
    double[] post = posterior(keys, nowNanos, sc.r1, sc.r2, sc.post);
    return RttBelief.quantileNanos(post[0], post[1], post[2], post[3], q);
  }

  /**
   * {@code max(minNanos, min(maxNanos, quantileNanos(keys, q, nowNanos)))}, the same
   * nanoseconds, cheaper when the quantile lies beyond a clamp: a bound then proves the clamped
   * value without inverting the t distribution ({@link RttBelief#clampedQuantileNanos}).
   * Allocation-free.
   *
   * @throws IllegalArgumentException for keys of the wrong count, q not in (0, 1), or not
   *     {@code minNanos <= maxNanos}
   */
  public long clampedQuantileNanos(long[] keys, double q, long minNanos, long maxNanos,
      long nowNanos) {
    checkKeys(keys);
    if (!(q > 0.0 && q < 1.0)) {
      throw new IllegalArgumentException("quantile must lie strictly between 0 and 1, got " + q);
    }
    if (minNanos > maxNanos) {
      throw new IllegalArgumentException("clamp bounds must satisfy min <= max, got ["
          + minNanos + ", " + maxNanos + "]");
    }
    Scratch sc = SCRATCH.get();
    double[] post = posterior(keys, nowNanos, sc.r1, sc.r2, sc.post);
    return RttBelief.clampedQuantileNanos(post[0], post[1], post[2], post[3], q, minNanos,
        maxNanos);
  }

  /** Per-thread read buffers of {@link #quantileNanos}; one static ThreadLocal for all models. */
  private static final class Scratch {
    final double[] r1 = new double[2];
    final double[] r2 = new double[2];
    final double[] post = new double[5];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * The posterior of the most specific level into {@code out}: μ, κ, α, β and its evidence n;
   * {@code r1} and {@code r2} are read buffers.
   */
  private double[] posterior(long[] keys, long nowNanos, double[] r1, double[] r2,
      double[] out) {
    int e1 = first.epochAt(nowNanos);
    double w1 = first.inverseWeightAt(nowNanos, e1);
    int e2 = second.epochAt(nowNanos);
    double w2 = second.inverseWeightAt(nowNanos, e2);
    double mu = mu0;
    double kappa = kappa0;
    double alpha = alpha0;
    double beta = beta0;
    double n = 0.0;
    for (int i = 0; i < keys.length; i++) {
      if (i > 0) {
        double cap = strengths[i];
        if (kappa > cap) {
          kappa = cap;
        }
        double alphaCap = Math.max(alpha0, cap / 2.0);
        if (alpha > alphaCap) {
          beta *= alphaCap / alpha;
          alpha = alphaCap;
        }
      }
      first.readAt(keys[i], e1, w1, r1);
      second.readAt(keys[i], e2, w2, r2);
      n = r1[0];
      if (n > 0.0) {
        double mean = r1[1] / n;
        double s = Math.max(0.0, r2[0] - n * mean * mean);
        double kn = kappa + n;
        double d = mean - mu;
        beta = beta + 0.5 * s + kappa * n * d * d / (2.0 * kn);
        mu = (kappa * mu + n * mean) / kn;
        kappa = kn;
        alpha = alpha + 0.5 * n;
      }
    }
    out[0] = mu;
    out[1] = kappa;
    out[2] = alpha;
    out[3] = beta;
    out[4] = n;
    return out;
  }

  private void checkKeys(long[] keys) {
    if (keys == null || keys.length != names.length) {
      throw new IllegalArgumentException("expected " + names.length + " keys (one per level), got "
          + (keys == null ? "null" : keys.length));
    }
  }
}
