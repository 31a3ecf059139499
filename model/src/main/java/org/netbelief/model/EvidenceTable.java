package org.netbelief.model;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.netbelief.model.internal.Exp2;
import org.netbelief.model.internal.SnapshotFormat;

/**
 * Decaying success/failure evidence per feature, keyed by 64-bit feature keys: the spam filter's
 * token table, for network paths.
 *
 * <p>Each row holds a success mass {@code s} and a failure mass {@code f}. Evidence seen one
 * half-life ago weighs half, two half-lives ago a quarter. Observations may be fractional and
 * may arrive slightly out of order (an older event counts with its own, older weight). Reading
 * never mutates.
 *
 * <pre>{@code
 * EvidenceTable table = EvidenceTable.builder()
 *     .halfLife(Duration.ofMinutes(10))
 *     .maxRows(100_000)
 *     .build();
 * long key = FeatureKeys.of("endpoint", "198.51.100.7:4500");
 * table.observe(key, true, nowNanos);
 * Belief b = table.belief(key, Prior.of(0.7, 2), nowNanos);
 * }</pre>
 *
 * <p><b>Thread safety.</b> Safe for any number of concurrent writers and readers; no update is
 * lost. Writers lock one row at a time (a CAS on the row's stamp); readers never lock and retry
 * on a concurrent write (a per-row sequence lock). Growth and eviction happen under a table lock
 * that writers only meet when they insert into a full table.
 *
 * <p><b>Allocation.</b> {@link #observe}, {@link #observeAll}, {@link #successes}, {@link
 * #failures} and {@link #read} allocate nothing once a row exists; inserting a new row allocates
 * only when the table grows or evicts.
 */
public final class EvidenceTable {
  /*
   * Layout. One long[] holds every slot; a slot is four longs, so a row is one cache line or two
   * adjacent ones and a lookup costs about one cache miss:
   *
   *   slot i:  [4i]   key          0 = empty (feature keys are never 0)
   *            [4i+1] stamp        bits 63..32 epoch (int, wraps), 31..3 version, 1 frozen, 0 locked
   *            [4i+2] success      Double.doubleToRawLongBits of the scaled success mass
   *            [4i+3] failure      the same for failures
   *
   * 32 bytes per slot; at most 3/4 of the slots are used, so a full table costs 42.7 bytes a row.
   * Open addressing with linear probing; the home slot is Lemire's multiply-shift reduction of a
   * mixed key, so the slot count need not be a power of two and a bounded table wastes no slack.
   *
   * Forward decay (Cormode et al., "Forward Decay", ICDE 2009). Time is cut into epochs of
   * E = 64 half-lives counted from the table's origin. Within epoch e, an event at time t adds
   * w(t) = 2^((t - L_e)/h) with L_e = origin + e·E·h, so w lies in [1, 2^64): one add per event,
   * and the decayed mass at time now is the stored mass divided by w(now). A row remembers the
   * epoch its masses are scaled to; moving a row to a later epoch divides its masses by
   * 2^(E·Δe), exactly (Math.scalb). Rows are moved lazily, when written, so the landmark never
   * needs a pass over the table, and reads compute the same scaling without writing. A row more
   * than 16 epochs (1024 half-lives) behind has decayed below 2^-1024 and reads as empty.
   *
   * Concurrency. A writer locks the row by CAS on the stamp (bit 0), writes the masses with plain
   * stores and unlocks with a release store that also bumps the version. A reader takes the stamp
   * (acquire), reads the masses, fences, and re-reads the stamp; it retries if the row was locked
   * or changed. Growth and eviction build a new slot array: the migrating thread freezes every
   * slot (bit 1; a frozen slot can never be locked again), copies the rows that stay, then
   * publishes the new array. A writer that meets a frozen slot re-reads the array and retries, so
   * an update either lands before the freeze (and is copied) or after the publication.
   */

  /** Half-lives per epoch: weights stay below 2^64, far from double overflow even when summed. */
  static final int EPOCH_HALF_LIVES = 64;

  private static final long LOCKED = 1L;
  private static final long FROZEN = 2L;
  private static final long VERSION_UNIT = 8L;
  private static final long VERSION_MASK = 0xFFFF_FFF8L;
  private static final int MIN_SLOTS = 16;
  /** Beyond this many epochs behind, a row's masses are below 2^-1024 of now: nothing. */
  private static final int FORGOTTEN_EPOCHS = 16;

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

  /** Smallest half-life accepted: 1 ms still gives a table ±2.2 years of time range. */
  public static final long MIN_HALF_LIFE_NANOS = 1_000_000L;
  /** Largest half-life accepted: one year keeps an epoch within a long of nanoseconds. */
  public static final long MAX_HALF_LIFE_NANOS = 365L * 24 * 3600 * 1_000_000_000L;

  private final long halfLifeNanos;
  private final long epochNanos;
  private final double halfLivesPerNano;
  private final double epochsPerNano;
  private final long originNanos;
  private final int maxRows;
  private final int maxSlots;

  /**
   * The current slot array with its own insert counter: a writer that inserts into an array
   * that is being replaced counts in that array only, so the count of the new one stays exact.
   */
  private static final class Generation {
    final long[] slots;
    final AtomicInteger rows;

    Generation(long[] slots, int rows) {
      this.slots = slots;
      this.rows = new AtomicInteger(rows);
    }
  }

  private volatile Generation current;
  private final ReentrantLock migration = new ReentrantLock();
  private long evictedRows; // guarded by migration

  private EvidenceTable(long halfLifeNanos, int maxRows, long originNanos) {
    this.halfLifeNanos = halfLifeNanos;
    this.epochNanos = halfLifeNanos * EPOCH_HALF_LIVES;
    this.halfLivesPerNano = 1.0 / halfLifeNanos;
    this.epochsPerNano = 1.0 / epochNanos;
    this.originNanos = originNanos;
    this.maxRows = maxRows;
    this.maxSlots = slotsFor(maxRows);
    this.current = new Generation(new long[4 * Math.min(maxSlots, MIN_SLOTS)], 0);
  }

  /** A builder with a 10-minute half-life, room for 2^20 rows and time origin 0. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures an {@link EvidenceTable}. Not thread-safe; build once and share the table. */
  public static final class Builder {
    private long halfLifeNanos = 600_000_000_000L;
    private int maxRows = 1 << 20;
    private long originNanos;

    private Builder() {}

    /**
     * The half-life of evidence: an observation this old weighs half.
     *
     * @throws IllegalArgumentException outside [1 ms, 365 days]
     */
    public Builder halfLife(java.time.Duration halfLife) {
      long nanos;
      try {
        nanos = halfLife.toNanos();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("half-life too long: " + halfLife, e);
      }
      return halfLifeNanos(nanos);
    }

    /** The half-life in nanoseconds; see {@link #halfLife(java.time.Duration)}. */
    public Builder halfLifeNanos(long nanos) {
      if (nanos < MIN_HALF_LIFE_NANOS || nanos > MAX_HALF_LIFE_NANOS) {
        throw new IllegalArgumentException(
            "half-life must lie in [1 ms, 365 days], got " + nanos + " ns");
      }
      this.halfLifeNanos = nanos;
      return this;
    }

    /**
     * The most rows the table keeps. When it is full, the least informative rows (decayed
     * evidence closest to nothing, so rows seen once long ago go first) are evicted, an eighth of
     * the capacity at a time.
     *
     * @throws IllegalArgumentException when not in [1, 2^28]
     */
    public Builder maxRows(int maxRows) {
      if (maxRows < 1 || maxRows > (1 << 28)) {
        throw new IllegalArgumentException("maxRows must lie in [1, 2^28], got " + maxRows);
      }
      this.maxRows = maxRows;
      return this;
    }

    /**
     * The time origin, in the caller's monotonic nanoseconds (usually the first {@code
     * nowNanos} it will pass). Only numerical range depends on it: times within 2^36 half-lives
     * of it are accepted (2.2 years at the smallest half-life of 1 ms, 2 000 years at 1 s).
     */
    public Builder originNanos(long originNanos) {
      this.originNanos = originNanos;
      return this;
    }

    /** The table. */
    public EvidenceTable build() {
      return new EvidenceTable(halfLifeNanos, maxRows, originNanos);
    }
  }

  static int slotsFor(int maxRows) {
    // Load factor 3/4 at capacity.
    return (int) Math.max(MIN_SLOTS, Math.min(Integer.MAX_VALUE / 4, (4L * maxRows + 2) / 3));
  }

  // ---------------------------------------------------------------------------------- writing

  /** Records one success or one failure for {@code key} at {@code nowNanos}. */
  public void observe(long key, boolean success, long nowNanos) {
    observe(key, success ? 1.0 : 0.0, success ? 0.0 : 1.0, nowNanos);
  }

  /**
   * Records fractional evidence for {@code key} at {@code nowNanos}: {@code successes} and
   * {@code failures} are masses (for example a share of blame), each finite and &ge; 0.
   *
   * @throws IllegalArgumentException for key 0, a negative or non-finite mass, or a time more
   *     than 2^36 half-lives from the origin; the table is left unchanged
   */
  public void observe(long key, double successes, double failures, long nowNanos) {
    checkKey(key);
    checkMasses(successes, failures);
    long offset = offsetOf(nowNanos);
    int epoch = epochOf(offset);
    double w = weightIn(epoch, offset);
    update(key, successes * w, failures * w, epoch, nowNanos);
  }

  /**
   * Records the same evidence for {@code keys[from..to)}, the features of one path. The decay
   * weight is computed once for all of them.
   *
   * @throws IllegalArgumentException as {@link #observe(long, double, double, long)}; all keys
   *     are checked before any row changes
   */
  public void observeAll(long[] keys, int from, int to, double successes, double failures,
      long nowNanos) {
    if (from < 0 || to > keys.length || from > to) {
      throw new IllegalArgumentException(
          "key range [" + from + ", " + to + ") out of bounds for " + keys.length + " keys");
    }
    for (int i = from; i < to; i++) {
      checkKey(keys[i]);
    }
    checkMasses(successes, failures);
    long offset = offsetOf(nowNanos);
    int epoch = epochOf(offset);
    double w = weightIn(epoch, offset);
    double ws = successes * w;
    double wf = failures * w;
    for (int i = from; i < to; i++) {
      update(keys[i], ws, wf, epoch, nowNanos);
    }
  }

  /**
   * Multiplies the evidence of {@code key} by {@code keep} in [0, 1]: the belief moves back toward
   * its prior. Used when the network is known to have changed. Does nothing for an absent key.
   */
  public void discount(long key, double keep) {
    checkKey(key);
    if (!(keep >= 0.0 && keep <= 1.0)) {
      throw new IllegalArgumentException("discount keep fraction must lie in [0, 1], got " + keep);
    }
    for (;;) {
      long[] t = current.slots;
      int base = find(t, key);
      if (base < 0) {
        return;
      }
      long stamp = lock(t, base);
      if (stamp == FROZEN) {
        continue;
      }
      t[base + 2] = Double.doubleToRawLongBits(Double.longBitsToDouble(t[base + 2]) * keep);
      t[base + 3] = Double.doubleToRawLongBits(Double.longBitsToDouble(t[base + 3]) * keep);
      unlock(t, base, stamp, (int) (stamp >> 32));
      return;
    }
  }

  private void update(long key, double ws, double wf, int epoch, long nowNanos) {
    for (;;) {
      Generation g = current;
      long[] t = g.slots;
      int base = findOrInsert(g, key, nowNanos);
      if (base < 0) {
        continue; // the table was migrated under us; retry on the new array
      }
      long stamp = lock(t, base);
      if (stamp == FROZEN) {
        continue;
      }
      double s = Double.longBitsToDouble(t[base + 2]);
      double f = Double.longBitsToDouble(t[base + 3]);
      int rowEpoch = (int) (stamp >> 32);
      int behind = epoch - rowEpoch; // wrapping difference; see MIN_HALF_LIFE_NANOS
      double as = ws;
      double af = wf;
      if (s == 0.0 && f == 0.0) {
        rowEpoch = epoch;
      } else if (behind > 0) {
        // The row moves to the event's epoch: divide its masses by 2^(E·behind), exactly.
        int shift = behind > FORGOTTEN_EPOCHS ? 2000 : behind * EPOCH_HALF_LIVES;
        s = Math.scalb(s, -shift);
        f = Math.scalb(f, -shift);
        rowEpoch = epoch;
      } else if (behind < 0) {
        // An event older than the row's epoch counts with its own, smaller weight.
        int shift = -behind > FORGOTTEN_EPOCHS ? 2000 : -behind * EPOCH_HALF_LIVES;
        as = Math.scalb(ws, -shift);
        af = Math.scalb(wf, -shift);
      }
      t[base + 2] = Double.doubleToRawLongBits(s + as);
      t[base + 3] = Double.doubleToRawLongBits(f + af);
      unlock(t, base, stamp, rowEpoch);
      return;
    }
  }

  /** Locks the row at {@code base}; returns its stamp, or {@link #FROZEN} if it was migrated. */
  private static long lock(long[] t, int base) {
    for (;;) {
      long stamp = (long) SLOTS.getAcquire(t, base + 1);
      if ((stamp & FROZEN) != 0) {
        return FROZEN;
      }
      if ((stamp & LOCKED) == 0 && SLOTS.compareAndSet(t, base + 1, stamp, stamp | LOCKED)) {
        return stamp;
      }
      Thread.onSpinWait();
    }
  }

  private static void unlock(long[] t, int base, long stamp, int epoch) {
    long version = (stamp + VERSION_UNIT) & VERSION_MASK;
    SLOTS.setRelease(t, base + 1, ((long) epoch << 32) | version);
  }

  // ------------------------------------------------------------------------------- probing

  private static int home(long key, int n) {
    long h = key * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    return (int) (((h >>> 32) * n) >>> 32);
  }

  /** The base index of {@code key} in {@code t}, or -1 when absent. */
  private static int find(long[] t, long key) {
    int n = t.length >>> 2;
    int i = home(key, n);
    for (int probes = 0; probes < n; probes++) {
      int base = i << 2;
      long k = (long) SLOTS.getAcquire(t, base);
      if (k == key) {
        return base;
      }
      if (k == 0) {
        return -1;
      }
      i = i + 1 == n ? 0 : i + 1;
    }
    return -1;
  }

  /** The base index of {@code key}, inserting it if absent; -1 if the caller must retry. */
  private int findOrInsert(Generation g, long key, long nowNanos) {
    long[] t = g.slots;
    int n = t.length >>> 2;
    int i = home(key, n);
    for (int probes = 0; probes < n; probes++) {
      int base = i << 2;
      long k = (long) SLOTS.getAcquire(t, base);
      if (k == key) {
        return base;
      }
      if (k == 0) {
        return insertSlowPath(g, key, base, nowNanos);
      }
      i = i + 1 == n ? 0 : i + 1;
    }
    migrate(g, nowNanos);
    return -1;
  }

  private int insertSlowPath(Generation g, long key, int base, long nowNanos) {
    long[] t = g.slots;
    int n = t.length >>> 2;
    int limit = n < maxSlots ? (int) (3L * n / 4) : maxRows;
    if (g.rows.get() >= limit) {
      migrate(g, nowNanos);
      return -1;
    }
    if (SLOTS.compareAndSet(t, base, 0L, key)) {
      g.rows.incrementAndGet();
      return base;
    }
    // Another writer claimed this slot first; it may have claimed it for the same key.
    return (long) SLOTS.getAcquire(t, base) == key ? base : -1;
  }

  // ---------------------------------------------------------------- growth and eviction

  private void migrate(Generation from, long nowNanos) {
    migration.lock();
    try {
      if (current != from) {
        return; // another thread migrated already
      }
      long[] old = from.slots;
      int n = old.length >>> 2;
      long[] keys = new long[n];
      long[] stamps = new long[n];
      double[] succ = new double[n];
      double[] fail = new double[n];
      int count = 0;
      for (int i = 0; i < n; i++) {
        int base = i << 2;
        long stamp;
        for (;;) {
          stamp = (long) SLOTS.getAcquire(old, base + 1);
          if ((stamp & LOCKED) == 0
              && SLOTS.compareAndSet(old, base + 1, stamp, stamp | FROZEN)) {
            break;
          }
          Thread.onSpinWait();
        }
        long key = (long) SLOTS.getAcquire(old, base);
        double s = Double.longBitsToDouble(old[base + 2]);
        double f = Double.longBitsToDouble(old[base + 3]);
        if (key != 0 && (s > 0.0 || f > 0.0)) {
          keys[count] = key;
          stamps[count] = stamp;
          succ[count] = s;
          fail[count] = f;
          count++;
        }
      }
      int keep = count;
      if (count >= maxRows) {
        keep = maxRows - Math.max(1, maxRows / 8); // leaves room for the insert that waits
        count = evictLeastInformative(keys, stamps, succ, fail, count, keep, nowNanos);
      }
      int newSlots = n;
      while (newSlots < maxSlots && 3L * newSlots / 4 <= count) {
        newSlots = (int) Math.min(maxSlots, 2L * newSlots);
      }
      long[] fresh = new long[4 * newSlots];
      for (int j = 0; j < count; j++) {
        int i = home(keys[j], newSlots);
        while (fresh[i << 2] != 0) {
          i = i + 1 == newSlots ? 0 : i + 1;
        }
        int base = i << 2;
        fresh[base] = keys[j];
        fresh[base + 1] = stamps[j] & ~(LOCKED | FROZEN | VERSION_MASK);
        fresh[base + 2] = Double.doubleToRawLongBits(succ[j]);
        fresh[base + 3] = Double.doubleToRawLongBits(fail[j]);
      }
      current = new Generation(fresh, count); // volatile publication of the built array
    } finally {
      migration.unlock();
    }
  }

  /** Keeps the {@code keep} rows with the most decayed evidence; returns {@code keep}. */
  private int evictLeastInformative(long[] keys, long[] stamps, double[] succ, double[] fail,
      int count, int keep, long nowNanos) {
    long offset = offsetOf(nowNanos);
    int epoch = epochOf(offset);
    double invW = 1.0 / weightIn(epoch, offset);
    double[] mass = new double[count];
    for (int j = 0; j < count; j++) {
      mass[j] = decayed(succ[j] + fail[j], (int) (stamps[j] >> 32), epoch, invW);
    }
    if (keep == 0) {
      evictedRows += count;
      return 0;
    }
    double[] sorted = mass.clone();
    Arrays.sort(sorted);
    double threshold = sorted[count - keep]; // the smallest mass that stays
    int below = 0;
    for (int j = 0; j < count; j++) {
      if (mass[j] < threshold) {
        below++;
      }
    }
    int equalToDrop = (count - keep) - below; // ties at the threshold: drop the first ones seen
    int w = 0;
    for (int j = 0; j < count; j++) {
      boolean drop = mass[j] < threshold || (mass[j] == threshold && equalToDrop-- > 0);
      if (!drop) {
        keys[w] = keys[j];
        stamps[w] = stamps[j];
        succ[w] = succ[j];
        fail[w] = fail[j];
        w++;
      }
    }
    evictedRows += count - w;
    return w;
  }

  // ---------------------------------------------------------------------------------- reading

  /** The decayed success mass of {@code key} at {@code nowNanos}; 0 for an absent key. */
  public double successes(long key, long nowNanos) {
    return readField(key, nowNanos, 2);
  }

  /** The decayed failure mass of {@code key} at {@code nowNanos}; 0 for an absent key. */
  public double failures(long key, long nowNanos) {
    return readField(key, nowNanos, 3);
  }

  private double readField(long key, long nowNanos, int field) {
    long offset = offsetOf(nowNanos);
    int epoch = epochOf(offset);
    double invW = 1.0 / weightIn(epoch, offset);
    if (key == 0) {
      return 0.0;
    }
    for (;;) {
      long[] t = current.slots;
      int base = find(t, key);
      if (base < 0) {
        return 0.0;
      }
      long before = (long) SLOTS.getAcquire(t, base + 1);
      if ((before & LOCKED) != 0) {
        Thread.onSpinWait();
        continue;
      }
      double mass = Double.longBitsToDouble(t[base + field]);
      VarHandle.loadLoadFence();
      long after = (long) SLOTS.getOpaque(t, base + 1);
      if ((after & ~FROZEN) != (before & ~FROZEN)
          || (after & FROZEN) != 0 && current.slots != t) {
        continue;
      }
      return decayed(mass, (int) (before >> 32), epoch, invW);
    }
  }

  /**
   * Reads both decayed masses of {@code key} at {@code nowNanos} into {@code out[0]} (successes)
   * and {@code out[1]} (failures); both 0 for an absent key. Allocation-free.
   *
   * @return whether the key has a row
   */
  public boolean read(long key, long nowNanos, double[] out) {
    long offset = offsetOf(nowNanos);
    int epoch = epochOf(offset);
    return readAt(key, epoch, 1.0 / weightIn(epoch, offset), out);
  }

  /** The posterior belief for {@code key}: {@code prior} plus the key's decayed evidence. */
  public Belief belief(long key, Prior prior, long nowNanos) {
    double[] sf = new double[2];
    read(key, nowNanos, sf);
    return prior.posterior(sf[0], sf[1]);
  }

  /** The epoch of {@code nowNanos}; with {@link #inverseWeightAt} prepares several reads. */
  int epochAt(long nowNanos) {
    return epochOf(offsetOf(nowNanos));
  }

  /** 1/w(now) within {@code epoch}: what a stored mass of that epoch is multiplied by. */
  double inverseWeightAt(long nowNanos, int epoch) {
    return 1.0 / weightIn(epoch, offsetOf(nowNanos));
  }

  /**
   * Reads one row optimistically into {@code out} (decayed successes, failures); returns whether
   * the row exists. Retries while a writer holds the row.
   */
  boolean readAt(long key, int epoch, double invW, double[] out) {
    out[0] = 0.0;
    out[1] = 0.0;
    if (key == 0) {
      return false;
    }
    for (;;) {
      long[] t = current.slots;
      int base = find(t, key);
      if (base < 0) {
        return false;
      }
      long before = (long) SLOTS.getAcquire(t, base + 1);
      if ((before & LOCKED) != 0) {
        Thread.onSpinWait();
        continue;
      }
      double s = Double.longBitsToDouble(t[base + 2]);
      double f = Double.longBitsToDouble(t[base + 3]);
      VarHandle.loadLoadFence();
      long after = (long) SLOTS.getOpaque(t, base + 1);
      if ((after & ~FROZEN) != (before & ~FROZEN)) {
        continue; // a writer changed the row while we read it
      }
      if ((after & FROZEN) != 0 && current.slots != t) {
        continue; // migrated: the new array may hold newer evidence
      }
      int rowEpoch = (int) (before >> 32);
      out[0] = decayed(s, rowEpoch, epoch, invW);
      out[1] = decayed(f, rowEpoch, epoch, invW);
      return true;
    }
  }

  /** A stored mass of a row at {@code rowEpoch}, seen from epoch {@code epoch} with 1/w(now). */
  static double decayed(double mass, int rowEpoch, int epoch, double invW) {
    int ahead = epoch - rowEpoch;
    if (ahead == 0) {
      return mass * invW;
    }
    if (ahead > FORGOTTEN_EPOCHS) {
      return 0.0;
    }
    // ahead < 0: a read at a time before the row's newest event (time ran backwards by more
    // than an epoch boundary). The event then weighs more than one, as forward decay says;
    // clamp so that a clock mix-up cannot overflow to infinity.
    return Math.scalb(mass, -Math.max(ahead, -2) * EPOCH_HALF_LIVES) * invW;
  }

  /** Visits every row with evidence, with its masses decayed to {@code nowNanos}. */
  public void forEachRow(long nowNanos, RowVisitor visitor) {
    long offset = offsetOf(nowNanos);
    int epoch = epochOf(offset);
    double invW = 1.0 / weightIn(epoch, offset);
    long[] t = current.slots;
    double[] sf = new double[2];
    for (int base = 0; base < t.length; base += 4) {
      long key = (long) SLOTS.getAcquire(t, base);
      if (key == 0) {
        continue;
      }
      readAt(key, epoch, invW, sf);
      if (sf[0] > 0.0 || sf[1] > 0.0) {
        visitor.visit(key, sf[0], sf[1]);
      }
    }
  }

  /** Receives rows from {@link #forEachRow}. */
  @FunctionalInterface
  public interface RowVisitor {
    /** One row: its key and its decayed success and failure masses. */
    void visit(long key, double successes, double failures);
  }

  // ------------------------------------------------------------------------------ snapshots

  /**
   * Writes the table's rows, decayed to {@code nowNanos}, to {@code file}: a versioned format
   * with a CRC-32C checksum, written to a temporary file in the same folder, forced to disk and
   * atomically renamed, so a crash leaves either the previous snapshot or the new one.
   *
   * @throws IOException when the file cannot be written; the previous snapshot is then intact
   */
  public void writeSnapshot(Path file, long nowNanos) throws IOException {
    SnapshotFormat.write(this, file, nowNanos);
  }

  /**
   * Reads a snapshot written by {@link #writeSnapshot} into a new table whose rows hold the
   * snapshot's evidence as of {@code nowNanos} (this process's clock), decayed further by {@code
   * elapsedNanos}, the time that passed between writing and reading (0 if unknown).
   *
   * @throws SnapshotException naming the file and the problem when it is truncated, corrupt or
   *     of an unknown version; nothing is half-loaded
   * @throws IOException when the file cannot be read
   */
  public static EvidenceTable readSnapshot(Path file, long nowNanos, long elapsedNanos)
      throws IOException {
    return SnapshotFormat.read(file, nowNanos, elapsedNanos);
  }

  // ---------------------------------------------------------------------------------- time

  private long offsetOf(long nowNanos) {
    long offset = nowNanos - originNanos;
    if (((nowNanos ^ originNanos) & (nowNanos ^ offset)) < 0) { // the subtraction overflowed
      throw tooFar(nowNanos);
    }
    return offset;
  }

  /**
   * The epoch of an offset, checked to fit the stamp's int with room to spare. A multiplication
   * by the reciprocal instead of a 64-bit division (20–40 cycles) on the update path; the double
   * product can be off by one epoch near a boundary, which the exact integer check corrects.
   */
  private int epochOf(long offset) {
    long epoch = (long) Math.floor(offset * epochsPerNano);
    long rest = offset - epoch * epochNanos;
    if (rest < 0) {
      epoch--;
    } else if (rest >= epochNanos) {
      epoch++;
    }
    if (epoch > Integer.MAX_VALUE / 2 || epoch < Integer.MIN_VALUE / 2) {
      throw tooFar(offset + originNanos);
    }
    return (int) epoch;
  }

  private IllegalArgumentException tooFar(long nowNanos) {
    return new IllegalArgumentException(
        "time " + nowNanos + " ns is too far from this table's origin " + originNanos
            + " ns (half-life " + halfLifeNanos + " ns)");
  }

  /** w(t) within the event's epoch: 2^((offset − epoch·E·h)/h), in [1, 2^64). */
  private double weightIn(int epoch, long offset) {
    long inEpoch = offset - (long) epoch * epochNanos;
    return Exp2.pow2(inEpoch * halfLivesPerNano);
  }

  // ------------------------------------------------------------------------------ metadata

  /** The half-life in nanoseconds. */
  public long halfLifeNanos() {
    return halfLifeNanos;
  }

  /** The most rows this table keeps. */
  public int maxRows() {
    return maxRows;
  }

  /** The time origin in nanoseconds. */
  public long originNanos() {
    return originNanos;
  }

  /** The number of rows held now (a moment's count under concurrent inserts). */
  public int size() {
    return current.rows.get();
  }

  /** Rows evicted so far to stay within {@link #maxRows()}. */
  public long evictedRows() {
    migration.lock();
    try {
      return evictedRows;
    } finally {
      migration.unlock();
    }
  }

  /** Slots currently allocated (for memory accounting; 32 bytes each). */
  public int allocatedSlots() {
    return current.slots.length >>> 2;
  }

  private static void checkKey(long key) {
    if (key == 0) {
      throw new IllegalArgumentException(
          "feature key 0 is reserved for empty slots; derive keys with FeatureKeys");
    }
  }

  private static void checkMasses(double successes, double failures) {
    if (!(successes >= 0.0) || Double.isInfinite(successes)) {
      throw new IllegalArgumentException(
          "success mass must be finite and >= 0, got " + successes);
    }
    if (!(failures >= 0.0) || Double.isInfinite(failures)) {
      throw new IllegalArgumentException(
          "failure mass must be finite and >= 0, got " + failures);
    }
  }
}
