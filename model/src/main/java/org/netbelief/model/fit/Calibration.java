package org.netbelief.model.fit;

import java.util.ArrayList;
import java.util.List;
import org.netbelief.model.Interval;

/**
 * Accumulates (predicted probability, outcome) pairs and reports how good the predictions were:
 * log loss, Brier score, expected calibration error (ECE) and the reliability diagram.
 *
 * <pre>{@code
 * Calibration cal = new Calibration();          // 10 equal-width bins
 * for (...) {
 *   double p = chain.predict(table, keys, now); // predict first ...
 *   cal.add(p, success);                        // ... then score the outcome
 *   chain.observe(table, keys, success, now);   // ... then learn from it
 * }
 * double ll = cal.logLoss();
 * double ece = cal.expectedCalibrationError();
 * List<ReliabilityBin> diagram = cal.reliabilityDiagram();
 * }</pre>
 *
 * <p><b>Definitions</b> (N pairs (p_i, y_i), y_i ∈ {0, 1}):
 *
 * <ul>
 *   <li>log loss {@code = −(1/N) Σ [y_i ln q_i + (1 − y_i) ln(1 − q_i)]}, natural logarithm, in
 *       nats, with {@code q_i = clamp(p_i, 1e-12, 1 − 1e-12)} ({@link #LOG_LOSS_CLAMP}) so that
 *       one confident mistake costs at most ln(10^12) ≈ 27.6 nats instead of infinity;
 *   <li>Brier score {@code = (1/N) Σ (p_i − y_i)²} (unclamped);
 *   <li>ECE {@code = Σ_b (n_b/N) |mean_b(p) − mean_b(y)|} over equal-width bins of [0, 1];
 *       bin {@code b} holds {@code b/B ≤ p < (b+1)/B}, and p = 1 falls in the last bin.
 * </ul>
 *
 * <p><b>Allocation and threads.</b> {@link #add} allocates nothing (a handful of array cells and
 * sums). Single writer: not thread-safe; give each thread its own accumulator and {@link #merge}
 * them, which gives exactly the sums of one accumulator that saw every pair (up to floating-point
 * addition order).
 */
public final class Calibration {
  /** Predictions are clamped to [LOG_LOSS_CLAMP, 1 − LOG_LOSS_CLAMP] for the log loss. */
  public static final double LOG_LOSS_CLAMP = 1e-12;
  /** The default number of reliability bins. */
  public static final int DEFAULT_BINS = 10;
  /** z for the 95% Wilson interval of each bin: Φ⁻¹(0.975). */
  private static final double Z95 = 1.959963984540054;

  private final int bins;
  private final long[] counts;
  private final double[] sumPredicted;
  private final double[] sumOutcome;
  private long count;
  private double sumLogLoss;
  private double sumSquaredError;

  /** An empty accumulator with {@link #DEFAULT_BINS} bins. */
  public Calibration() {
    this(DEFAULT_BINS);
  }

  /**
   * An empty accumulator with {@code bins} equal-width bins.
   *
   * @throws IllegalArgumentException when {@code bins} is not in [1, 10 000]
   */
  public Calibration(int bins) {
    if (bins < 1 || bins > 10_000) {
      throw new IllegalArgumentException(
          "number of calibration bins must lie in [1, 10000], got " + bins);
    }
    this.bins = bins;
    this.counts = new long[bins];
    this.sumPredicted = new double[bins];
    this.sumOutcome = new double[bins];
  }

  /**
   * Adds one prediction and what happened. Allocation-free.
   *
   * @param predicted the predicted probability of success, in [0, 1]
   * @param success whether the event succeeded
   * @throws IllegalArgumentException when {@code predicted} is NaN or outside [0, 1]
   */
  public void add(double predicted, boolean success) {
    if (!(predicted >= 0.0 && predicted <= 1.0)) {
      throw new IllegalArgumentException(
          "predicted probability must lie in [0, 1], got " + predicted);
    }
    double y = success ? 1.0 : 0.0;
    double q = Math.min(Math.max(predicted, LOG_LOSS_CLAMP), 1.0 - LOG_LOSS_CLAMP);
    sumLogLoss -= success ? Math.log(q) : Math.log1p(-q);
    double e = predicted - y;
    sumSquaredError += e * e;
    int b = Math.min((int) (predicted * bins), bins - 1);
    counts[b]++;
    sumPredicted[b] += predicted;
    sumOutcome[b] += y;
    count++;
  }

  /**
   * Adds every pair {@code other} has seen.
   *
   * @throws IllegalArgumentException when the two have different numbers of bins
   */
  public void merge(Calibration other) {
    if (other.bins != bins) {
      throw new IllegalArgumentException(
          "cannot merge calibrations with " + bins + " and " + other.bins + " bins");
    }
    for (int b = 0; b < bins; b++) {
      counts[b] += other.counts[b];
      sumPredicted[b] += other.sumPredicted[b];
      sumOutcome[b] += other.sumOutcome[b];
    }
    count += other.count;
    sumLogLoss += other.sumLogLoss;
    sumSquaredError += other.sumSquaredError;
  }

  /** The number of pairs added. */
  public long count() {
    return count;
  }

  /** The number of reliability bins. */
  public int bins() {
    return bins;
  }

  /** Mean log loss in nats (see the class comment for the clamp); NaN when empty. */
  public double logLoss() {
    return count == 0 ? Double.NaN : sumLogLoss / count;
  }

  /** Mean squared error of the predictions; NaN when empty. */
  public double brierScore() {
    return count == 0 ? Double.NaN : sumSquaredError / count;
  }

  /** The fraction of successes among all outcomes; NaN when empty. */
  public double baseRate() {
    if (count == 0) {
      return Double.NaN;
    }
    double s = 0.0;
    for (double v : sumOutcome) {
      s += v;
    }
    return s / count;
  }

  /** Expected calibration error over the equal-width bins; NaN when empty. */
  public double expectedCalibrationError() {
    if (count == 0) {
      return Double.NaN;
    }
    double ece = 0.0;
    for (int b = 0; b < bins; b++) {
      if (counts[b] > 0) {
        ece += Math.abs(sumPredicted[b] - sumOutcome[b]); // = n_b · |mean p − mean y|
      }
    }
    return ece / count;
  }

  /** The reliability diagram: one entry per bin, lowest first, empty bins included. */
  public List<ReliabilityBin> reliabilityDiagram() {
    List<ReliabilityBin> out = new ArrayList<>(bins);
    for (int b = 0; b < bins; b++) {
      long n = counts[b];
      double lo = (double) b / bins;
      double hi = (double) (b + 1) / bins;
      if (n == 0) {
        out.add(new ReliabilityBin(lo, hi, 0, Double.NaN, Double.NaN, new Interval(0, 1, 0.95)));
      } else {
        double freq = sumOutcome[b] / n;
        out.add(new ReliabilityBin(lo, hi, n, sumPredicted[b] / n, freq, wilson(freq, n)));
      }
    }
    return out;
  }

  /**
   * The 95% Wilson score interval for a binomial proportion {@code phat} out of {@code n}:
   * centre {@code (p̂ + z²/2n)/(1 + z²/n)}, half-width {@code z/(1 + z²/n)·√(p̂(1−p̂)/n +
   * z²/4n²)}. Unlike the Wald interval it stays inside [0, 1] and is sound at p̂ = 0 or 1.
   */
  static Interval wilson(double phat, long n) {
    double z2n = Z95 * Z95 / n;
    double denom = 1.0 + z2n;
    double centre = (phat + z2n / 2.0) / denom;
    double half = Z95 / denom * Math.sqrt(phat * (1.0 - phat) / n + z2n / (4.0 * n));
    return new Interval(Math.max(0.0, centre - half), Math.min(1.0, centre + half), 0.95);
  }

  @Override
  public String toString() {
    return String.format(
        "Calibration[n=%d, logLoss=%.5f, brier=%.5f, ece=%.5f]",
        count, logLoss(), brierScore(), expectedCalibrationError());
  }
}
