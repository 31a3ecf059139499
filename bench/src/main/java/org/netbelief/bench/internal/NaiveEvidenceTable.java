package org.netbelief.bench.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The naive decaying evidence table that netbelief's {@code EvidenceTable} is measured against:
 * what one writes first. A {@code ConcurrentHashMap<Long, Row>} (a boxed key and an object per
 * row), a {@code synchronized} update per row, and the decay applied eagerly on every event by a
 * {@link Math#exp} call: each row keeps its masses as of its last event time, and an event at
 * {@code now} first multiplies them by {@code exp(-ln 2 · (now - last) / halfLife)}.
 *
 * <p>Thread-safe: concurrent writers to one row serialise on the row's monitor; rows are created
 * with {@link ConcurrentHashMap#computeIfAbsent}. Unbounded (no eviction). Allocates a
 * {@code Long} per call for keys outside the small-value cache, and a row per new key.
 *
 * <pre>{@code
 * NaiveEvidenceTable t = new NaiveEvidenceTable(600_000_000_000L); // 10-minute half-life
 * t.observe(42L, true, nowNanos);
 * double s = t.successes(42L, nowNanos);
 * }</pre>
 */
public final class NaiveEvidenceTable {
  private static final double LN2 = Math.log(2.0);
  /** Non-capturing, so computeIfAbsent allocates nothing for the function. */
  private static final Function<Long, Row> NEW_ROW = k -> new Row();

  private final ConcurrentHashMap<Long, Row> rows = new ConcurrentHashMap<>();
  /** ln 2 / half-life, per nanosecond. */
  private final double decayPerNano;

  /**
   * An empty table.
   *
   * @param halfLifeNanos the half-life of evidence, &gt; 0
   * @throws IllegalArgumentException if the half-life is not positive
   */
  public NaiveEvidenceTable(long halfLifeNanos) {
    if (halfLifeNanos <= 0) {
      throw new IllegalArgumentException("halfLifeNanos must be > 0, got " + halfLifeNanos);
    }
    this.decayPerNano = LN2 / halfLifeNanos;
  }

  /** Records one success or one failure for {@code key} at {@code nowNanos}. */
  public void observe(long key, boolean success, long nowNanos) {
    observe(key, success ? 1.0 : 0.0, success ? 0.0 : 1.0, nowNanos);
  }

  /**
   * Records fractional evidence for {@code key} at {@code nowNanos}. An event older than the
   * row's newest is added with its own, older weight.
   */
  public void observe(long key, double successes, double failures, long nowNanos) {
    rows.computeIfAbsent(key, NEW_ROW).add(successes, failures, nowNanos, decayPerNano);
  }

  /** The decayed success mass of {@code key} at {@code nowNanos}; 0 for an unknown key. */
  public double successes(long key, long nowNanos) {
    Row r = rows.get(key);
    return r == null ? 0.0 : r.read(true, nowNanos, decayPerNano);
  }

  /** The decayed failure mass of {@code key} at {@code nowNanos}; 0 for an unknown key. */
  public double failures(long key, long nowNanos) {
    Row r = rows.get(key);
    return r == null ? 0.0 : r.read(false, nowNanos, decayPerNano);
  }

  /** The number of rows. */
  public int size() {
    return rows.size();
  }

  /** One row: masses as of {@code lastNanos}, guarded by the row's monitor. */
  private static final class Row {
    private double s;
    private double f;
    private long lastNanos;
    private boolean seen;

    synchronized void add(double ds, double df, long nowNanos, double decayPerNano) {
      if (!seen) {
        seen = true;
        lastNanos = nowNanos;
      }
      long dt = nowNanos - lastNanos;
      if (dt >= 0) {
        double d = Math.exp(-decayPerNano * dt);
        s = s * d + ds;
        f = f * d + df;
        lastNanos = nowNanos;
      } else {
        double d = Math.exp(decayPerNano * dt); // an older event: its own, smaller weight
        s += ds * d;
        f += df * d;
      }
    }

    synchronized double read(boolean success, long nowNanos, double decayPerNano) {
      double d = Math.exp(-decayPerNano * Math.max(0L, nowNanos - lastNanos));
      return (success ? s : f) * d;
    }
  }
}
