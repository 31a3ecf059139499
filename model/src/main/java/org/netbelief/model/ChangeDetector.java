package org.netbelief.model;

import java.util.Arrays;

/**
 * Doubt on change: a CUSUM of the log Bayes factor of "this row's probability changed" against
 * "unchanged", one statistic per evidence row, that discounts the row's old evidence when a
 * confident belief is contradicted.
 *
 * <p>For each observation (masses s, f) on a row whose predictive mean before the observation
 * was {@code p_u} (the "unchanged" hypothesis), the "changed" hypothesis predicts with Laplace's
 * rule from the evidence seen since the last reset of the statistic (Jeffreys' prior), held on
 * the far side of 1/2 from the current belief: {@code p_c = min(1/2, (r_s + 1/2)/(r_s + r_f +
 * 1))} when {@code p_u ≥ 1/2}, {@code max(1/2, ·)} otherwise. After a change nothing is known but
 * what came after it, and a change worth detecting contradicts the belief. The statistic
 *
 * <pre>
 *   g ← max(0, g + s·ln(p_c/p_u) + f·ln((1 − p_c)/(1 − p_u)))
 * </pre>
 *
 * is Page's CUSUM with the change point at the last time g was 0 (when g returns to 0 the run
 * masses r_s, r_f restart). When {@code g ≥ threshold} the row's evidence from before the run is
 * scaled down to {@code retain} pseudo-observations while the run's evidence is kept, so the
 * belief moves to what was seen since the change; then g restarts. Threshold 8 (a Bayes factor of
 * about 3000) gives under 10^-4 false detections per observation on stationary streams at p ∈
 * {0.05, 0.5, 0.95}; see {@code docs/model.md (§7)} for the measurements.
 *
 * <pre>{@code
 * ChangeDetector detector = ChangeDetector.builder().build();
 * double before = table.belief(key, prior, now).mean();
 * table.observe(key, false, now);
 * detector.observe(table, key, before, 0.0, 1.0, now);
 * }</pre>
 *
 * <p><b>State.</b> Keyed like the evidence table, in a primitive open-addressing table: a {@code
 * long[]} of keys and a parallel {@code double[]} of (g, r_s, r_f), 32 bytes a row, no object per
 * row. It starts at 16 slots and doubles up to twice {@code maxRows}; when it holds {@code
 * maxRows} rows it forgets all statistics at once (a forgotten
 * statistic restarts at 0: a detection in progress is delayed, never falsely made).
 *
 * <p><b>Thread safety.</b> Thread-safe; writers serialise on the detector's monitor (uncontended
 * cost is in the JMH figures). {@link #observe} allocates nothing unless it detects a change or
 * the state table grows.
 */
public final class ChangeDetector {
  private final double threshold;
  private final double retain;
  private final int maxCapacity;
  private final int maxRows;
  private int capacity;
  private long[] keys;
  private double[] state;
  private int rows;
  /**
   * Rows whose statistic is above 0, written under the monitor and read without it: when it is
   * 0, an agreeing observation changes nothing and skips the lock. A racy read can only skip an
   * agreeing observation that would have lowered some g, as if it had come a moment earlier.
   */
  private volatile int active;
  private long detections;
  private long forgetfulResets;

  private ChangeDetector(double threshold, double retain, int maxRows) {
    this.threshold = threshold;
    this.retain = retain;
    this.maxRows = maxRows;
    // The smallest power of two >= 2·maxRows: the table is never more than half full.
    this.maxCapacity = Integer.highestOneBit(Math.max(16, 2 * maxRows) - 1) << 1;
    this.capacity = Math.min(16, maxCapacity);
    this.keys = new long[capacity];
    this.state = new double[3 * capacity];
  }

  /** A builder: threshold 8, retain 2 pseudo-observations, 2^16 rows. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link ChangeDetector}. */
  public static final class Builder {
    private double threshold = 8.0;
    private double retain = 2.0;
    private int maxRows = 1 << 16;

    private Builder() {}

    /**
     * The log Bayes factor at which a change is declared (default 8: odds of about 3000 to 1).
     *
     * @throws IllegalArgumentException unless finite and &gt; 0
     */
    public Builder threshold(double threshold) {
      if (!(threshold > 0.0) || Double.isInfinite(threshold)) {
        throw new IllegalArgumentException(
            "change threshold must be finite and > 0, got " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /**
     * The pseudo-observations of pre-change evidence kept after a detection (default 2).
     *
     * @throws IllegalArgumentException unless finite and &ge; 0
     */
    public Builder retain(double retain) {
      if (!(retain >= 0.0) || Double.isInfinite(retain)) {
        throw new IllegalArgumentException(
            "retained evidence must be finite and >= 0, got " + retain);
      }
      this.retain = retain;
      return this;
    }

    /**
     * The most rows with a statistic (default 2^16).
     *
     * @throws IllegalArgumentException when not in [1, 2^26]
     */
    public Builder maxRows(int maxRows) {
      if (maxRows < 1 || maxRows > (1 << 26)) {
        throw new IllegalArgumentException("maxRows must lie in [1, 2^26], got " + maxRows);
      }
      this.maxRows = maxRows;
      return this;
    }

    /** The detector. */
    public ChangeDetector build() {
      return new ChangeDetector(threshold, retain, maxRows);
    }
  }

  /**
   * Feeds one observation of the row {@code key} of {@code table}, after the table was updated
   * with it. On a detection, discounts the row's pre-change evidence.
   *
   * @param predicted the row's predictive mean before the observation, in (0, 1)
   * @param successes the success mass observed, finite and &ge; 0
   * @param failures the failure mass observed, finite and &ge; 0
   * @return whether a change was detected (and the row discounted)
   * @throws IllegalArgumentException naming the bad value; nothing changes
   */
  public boolean observe(EvidenceTable table, long key, double predicted, double successes,
      double failures, long nowNanos) {
    check(key, predicted, successes, failures);
    double runS;
    double runF;
    // An observation that agrees with the belief's side of 1/2 has a log Bayes factor <= 0
    // (p_c is held on the far side), so a row at g = 0 stays there: no log, no insert.
    boolean agrees = predicted >= 0.5 ? failures == 0.0 : successes == 0.0;
    if (agrees && active == 0) {
      return false; // the healthy steady state: no row is under suspicion
    }
    synchronized (this) {
      if (agrees) {
        int found = find(key);
        if (found < 0 || state[3 * found] == 0.0) {
          return false;
        }
      }
      int i = slot(key);
      int s = 3 * i;
      double g = state[s];
      boolean wasActive = g > 0.0;
      double rs = state[s + 1];
      double rf = state[s + 2];
      // "Changed" predicts from the run alone (Jeffreys' Beta(1/2, 1/2) after a change), held
      // on the far side of 1/2 from the current belief: a change is a contradiction, so the
      // alternative cannot learn the old regime back from a run that still contains it.
      double pc = (rs + 0.5) / (rs + rf + 1.0);
      pc = predicted >= 0.5 ? Math.min(pc, 0.5) : Math.max(pc, 0.5);
      double llr = 0.0;
      // Two logs at most; skipped for the common whole observation (one mass is 0).
      if (successes > 0.0) {
        llr += successes * Math.log(pc / predicted);
      }
      if (failures > 0.0) {
        llr += failures * Math.log((1.0 - pc) / (1.0 - predicted));
      }
      g += llr;
      rs += successes;
      rf += failures;
      if (g <= 0.0) {
        state[s] = 0.0;
        state[s + 1] = 0.0;
        state[s + 2] = 0.0;
        if (wasActive) {
          active--;
        }
        return false;
      }
      if (g < threshold) {
        state[s] = g;
        state[s + 1] = rs;
        state[s + 2] = rf;
        if (!wasActive) {
          active++;
        }
        return false;
      }
      if (wasActive) {
        active--;
      }
      state[s] = 0.0;
      state[s + 1] = 0.0;
      state[s + 2] = 0.0;
      detections++;
      runS = rs;
      runF = rf;
    }
    discountSlowPath(table, key, runS, runF, nowNanos);
    return true;
  }

  /** Keeps the run's evidence and {@code retain} pseudo-observations of what came before. */
  private void discountSlowPath(EvidenceTable table, long key, double runS, double runF,
      long nowNanos) {
    double[] sf = new double[2];
    table.read(key, nowNanos, sf);
    // The run masses are undecayed sums; a row cannot hold more than it has.
    double keepS = Math.min(runS, sf[0]);
    double keepF = Math.min(runF, sf[1]);
    double old = sf[0] + sf[1] - keepS - keepF;
    if (old <= retain) {
      return;
    }
    double x = retain / old;
    table.discount(key, x);
    table.observe(key, keepS * (1.0 - x), keepF * (1.0 - x), nowNanos);
  }

  /**
   * Tells the detector that the row {@code key} was discounted from outside (the caller knows
   * the network changed): its statistic restarts.
   */
  public synchronized void reset(long key) {
    if (key == 0) {
      return;
    }
    int i = find(key);
    if (i >= 0) {
      if (state[3 * i] > 0.0) {
        active--;
      }
      Arrays.fill(state, 3 * i, 3 * i + 3, 0.0);
    }
  }

  /** The current statistic g of {@code key} (0 when it has none). */
  public synchronized double statistic(long key) {
    int i = find(key);
    return i < 0 ? 0.0 : state[3 * i];
  }

  /** The number of changes detected so far. */
  public synchronized long detections() {
    return detections;
  }

  /** How often the detector forgot all statistics because it was full. */
  public synchronized long forgetfulResets() {
    return forgetfulResets;
  }

  /** The detection threshold (a log Bayes factor). */
  public double threshold() {
    return threshold;
  }

  /** The pre-change evidence kept on a detection, in pseudo-observations. */
  public double retain() {
    return retain;
  }

  private static void check(long key, double predicted, double successes, double failures) {
    if (key == 0) {
      throw new IllegalArgumentException("feature key 0 is reserved; derive keys with FeatureKeys");
    }
    if (!(predicted > 0.0 && predicted < 1.0)) {
      throw new IllegalArgumentException(
          "predicted probability must lie strictly between 0 and 1, got " + predicted);
    }
    if (!(successes >= 0.0) || Double.isInfinite(successes)) {
      throw new IllegalArgumentException(
          "success mass must be finite and >= 0, got " + successes);
    }
    if (!(failures >= 0.0) || Double.isInfinite(failures)) {
      throw new IllegalArgumentException(
          "failure mass must be finite and >= 0, got " + failures);
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** Index of {@code key}, or -1. Caller holds the monitor. */
  private int find(long key) {
    int mask = capacity - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return i;
      }
      if (k == 0) {
        return -1;
      }
    }
  }

  /** Doubles the table, re-inserting every row. Holds the monitor. */
  private void growSlowPath() {
    long[] oldKeys = keys;
    double[] oldState = state;
    capacity *= 2;
    keys = new long[capacity];
    state = new double[3 * capacity];
    int mask = capacity - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      long k = oldKeys[j];
      if (k != 0) {
        int i = mix(k) & mask;
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        System.arraycopy(oldState, 3 * j, state, 3 * i, 3);
      }
    }
  }

  /** Index of {@code key}, inserting it (forgetting everything when full). Holds the monitor. */
  private int slot(long key) {
    int mask = capacity - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return i;
      }
      if (k == 0) {
        if (rows >= maxRows) {
          Arrays.fill(keys, 0L);
          Arrays.fill(state, 0.0);
          rows = 0;
          active = 0;
          forgetfulResets++;
          return slot(key);
        }
        if (2 * (rows + 1) > capacity && capacity < maxCapacity) {
          growSlowPath();
          return slot(key);
        }
        keys[i] = key;
        rows++;
        return i;
      }
    }
  }
}
