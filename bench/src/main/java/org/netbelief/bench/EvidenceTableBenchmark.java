package org.netbelief.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.netbelief.bench.internal.NaiveEvidenceTable;
import org.netbelief.model.EvidenceTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * One evidence update (an observed success or failure for a feature key) in netbelief's
 * {@link EvidenceTable} and in the naive baseline {@link NaiveEvidenceTable}
 * ({@code ConcurrentHashMap<Long, Row>}, synchronised rows, {@code Math.exp} per event), at 1,
 * 1 000 and 1 000 000 distinct keys, in the same run so the results read as ratios.
 *
 * <p>Every key is inserted during setup, so the measurement is the update of an existing row (the
 * steady state of a table), not an insert. Each thread walks its own pre-generated sequence of
 * 2^20 keys (uniformly random over its keys) through a mask, and advances its own clock by 1 µs
 * per event (half-life 10 minutes), so the measured method does nothing but the update. With two
 * threads the keys are split between them (thread t takes keys t, t + 2, ...), so they write
 * distinct rows, except at 1 key, where both threads contend for the one row.
 *
 * <p>Run (after {@code ./mvnw -B -ntp verify}):
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar EvidenceTableBenchmark -f 2 -wi 3 -i 5 -t 1 -prof gc \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+AlwaysPreTouch" -rf json -rff evidence-table.json
 * </pre>
 *
 * (and again with {@code -t 2}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EvidenceTableBenchmark {

  private static final long HALF_LIFE_NANOS = 600_000_000_000L;
  private static final int SEQUENCE = 1 << 20;
  private static final int MASK = SEQUENCE - 1;

  /** One update of one key: the implementation under test. */
  interface Updater {
    void observe(long key, boolean success, long nowNanos);
  }

  /** The table, shared by all threads; filled with every key before measuring. */
  @State(Scope.Benchmark)
  public static class Table {
    /** Distinct keys in the table. */
    @Param({"1", "1000", "1000000"})
    public int keys;

    /** {@code netbelief}: {@link EvidenceTable}; {@code naive}: {@link NaiveEvidenceTable}. */
    @Param({"netbelief", "naive"})
    public String impl;

    long[] keySet;
    Updater updater;

    /** Builds the table and inserts every key once. */
    @Setup(Level.Trial)
    public void setUp() {
      SplittableRandom random = new SplittableRandom(0xB0B);
      keySet = new long[keys];
      for (int i = 0; i < keys; i++) {
        long k;
        do {
          k = random.nextLong();
        } while (k == 0); // 0 is not a feature key
        keySet[i] = k;
      }
      if ("netbelief".equals(impl)) {
        EvidenceTable t = EvidenceTable.builder().halfLifeNanos(HALF_LIFE_NANOS)
            .maxRows(Math.max(keys, 16)).build();
        updater = t::observe;
      } else if ("naive".equals(impl)) {
        NaiveEvidenceTable t = new NaiveEvidenceTable(HALF_LIFE_NANOS);
        updater = t::observe;
      } else {
        throw new IllegalArgumentException("unknown impl " + impl);
      }
      for (long k : keySet) {
        updater.observe(k, true, 0L);
      }
    }
  }

  /** Per-thread input: the key sequence, the outcome bits and the clock. */
  @State(Scope.Thread)
  public static class Cursor {
    long[] sequence;
    int next;
    long nowNanos;

    /** Draws this thread's key sequence from its share of the keys. */
    @Setup(Level.Trial)
    public void setUp(Table table, ThreadParams threads) {
      int n = table.keys;
      int stride = n >= threads.getThreadCount() ? threads.getThreadCount() : 1;
      int first = n >= threads.getThreadCount() ? threads.getThreadIndex() : 0;
      int mine = (n - first + stride - 1) / stride;
      SplittableRandom random = new SplittableRandom(0xC0FFEEL + threads.getThreadIndex());
      sequence = new long[SEQUENCE];
      for (int i = 0; i < SEQUENCE; i++) {
        sequence[i] = table.keySet[first + stride * random.nextInt(mine)];
      }
      nowNanos = 1_000_000L;
    }
  }

  /** One observation: a success on even steps, a failure on odd ones. */
  @Benchmark
  public void update(Table table, Cursor cursor) {
    int i = cursor.next++;
    long now = cursor.nowNanos += 1_000L;
    table.updater.observe(cursor.sequence[i & MASK], (i & 1) == 0, now);
  }
}
