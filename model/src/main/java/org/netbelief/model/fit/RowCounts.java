package org.netbelief.model.fit;

import org.netbelief.model.EvidenceTable;

/**
 * Per-row success and failure counts, accumulated one event at a time: the sufficient summary a
 * prior fit needs. A trace of any length costs memory in proportion to its number of distinct
 * rows, never its number of events.
 *
 * <pre>{@code
 * RowCounts counts = new RowCounts();
 * for (Event e : trace) {                      // streamed, never held
 *   counts.observe(e.key(), e.success());
 * }
 * PriorFit fit = PriorFitter.fit(counts);
 * }</pre>
 *
 * <p>Counts may be fractional: {@link #add} takes any non-negative masses, so decayed evidence
 * (for example {@link #of(EvidenceTable, long)}) is accepted as it is.
 *
 * <p><b>Layout.</b> Open addressing with linear probing over three parallel primitive arrays
 * (key, successes, failures), a power-of-two capacity kept at most 3/4 full; 24 bytes per slot,
 * so about 32–64 bytes per row. Key 0 marks an empty slot and is refused, as in {@link
 * EvidenceTable}. {@link #observe} and {@link #add} allocate only when the table doubles.
 *
 * <p>Single writer: not thread-safe.
 */
public final class RowCounts {
  private static final int MIN_CAPACITY = 16;
  private long[] keys;
  private double[] successes;
  private double[] failures;
  private int size;
  private long events;

  /** An empty accumulator. */
  public RowCounts() {
    keys = new long[MIN_CAPACITY];
    successes = new double[MIN_CAPACITY];
    failures = new double[MIN_CAPACITY];
  }

  /**
   * The decayed counts of every row of {@code table} at {@code nowNanos}: a prior fit that
   * weighs recent evidence more.
   */
  public static RowCounts of(EvidenceTable table, long nowNanos) {
    RowCounts counts = new RowCounts();
    table.forEachRow(nowNanos, counts::add);
    return counts;
  }

  /** Counts one success or failure for {@code key}. Allocation-free unless the table grows. */
  public void observe(long key, boolean success) {
    add(key, success ? 1.0 : 0.0, success ? 0.0 : 1.0);
  }

  /**
   * Adds (possibly fractional) success and failure masses to {@code key}.
   *
   * @throws IllegalArgumentException for key 0 or a mass that is negative, NaN or infinite
   */
  public void add(long key, double successMass, double failureMass) {
    if (key == 0) {
      throw new IllegalArgumentException(
          "row key 0 is reserved for empty slots; derive keys with FeatureKeys");
    }
    if (!(successMass >= 0.0) || !(failureMass >= 0.0)
        || Double.isInfinite(successMass) || Double.isInfinite(failureMass)) {
      throw new IllegalArgumentException("row masses must be finite and >= 0, got successes="
          + successMass + ", failures=" + failureMass);
    }
    int i = slot(key);
    if (keys[i] == 0) {
      if (4L * (size + 1) > 3L * keys.length) {
        grow();
        i = slot(key);
      }
      keys[i] = key;
      size++;
    }
    successes[i] += successMass;
    failures[i] += failureMass;
    events++;
  }

  /** Adds every row of {@code other} to this one. */
  public void merge(RowCounts other) {
    long before = events;
    other.forEachRow(this::add);
    events = before + other.events;
  }

  /** The number of distinct rows. */
  public int rows() {
    return size;
  }

  /** The number of {@link #observe}/{@link #add} calls so far. */
  public long events() {
    return events;
  }

  /** Reads one row into {@code out} (successes, failures); both 0 when absent. */
  public boolean read(long key, double[] out) {
    int i = slot(key);
    out[0] = keys[i] == 0 ? 0.0 : successes[i];
    out[1] = keys[i] == 0 ? 0.0 : failures[i];
    return keys[i] != 0;
  }

  /** Visits every row. */
  public void forEachRow(EvidenceTable.RowVisitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0) {
        visitor.visit(keys[i], successes[i], failures[i]);
      }
    }
  }

  /** Bytes held by the arrays (for memory accounting). */
  public long footprintBytes() {
    return 24L * keys.length;
  }

  private int slot(long key) {
    int mask = keys.length - 1;
    long h = key * 0x9E3779B97F4A7C15L; // keys are already mixed; this guards against raw ones
    int i = (int) (h ^ (h >>> 32)) & mask;
    while (keys[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private void grow() {
    long[] oldKeys = keys;
    double[] oldS = successes;
    double[] oldF = failures;
    keys = new long[oldKeys.length * 2];
    successes = new double[keys.length];
    failures = new double[keys.length];
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != 0) {
        int i = slot(oldKeys[j]);
        keys[i] = oldKeys[j];
        successes[i] = oldS[j];
        failures[i] = oldF[j];
      }
    }
  }
}
