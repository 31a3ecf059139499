package org.netbelief.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.netbelief.model.ChangeDetector;
import org.netbelief.model.EvidenceTable;
import org.netbelief.model.FeatureKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-observation cost of the {@link ChangeDetector}: one CUSUM step of the log Bayes factor
 * on a row (the evidence table's own update is not included; see {@code
 * EvidenceTableBenchmark}).
 *
 * <p>Inputs: 1 024 rows, stationary outcomes at p = 0.95 drawn once from a fixed seed (a
 * detection, which allocates, happens about once in 10^5 observations), predictions fixed at
 * 0.95; each call takes the next (row, outcome) through a mask.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar ChangeDetectorBenchmark -f 1 -wi 2 -i 3 -prof gc \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ChangeDetectorBenchmark {
  private static final int SIZE = 1 << 12;
  private static final int MASK = SIZE - 1;
  private static final int ROWS = 1 << 10;

  private final long[] keys = new long[SIZE];
  private final boolean[] outcomes = new boolean[SIZE];
  private EvidenceTable table;
  private ChangeDetector detector;
  private long now;
  private int next;

  /** Fills the table with history and draws the outcomes. */
  @Setup(Level.Trial)
  public void setUp() {
    table = EvidenceTable.builder().build();
    detector = ChangeDetector.builder().build();
    SplittableRandom random = new SplittableRandom(0x5EEDL);
    for (int i = 0; i < SIZE; i++) {
      keys[i] = FeatureKeys.of("endpoint", "e" + (i & (ROWS - 1)));
      outcomes[i] = random.nextDouble() < 0.95;
      table.observe(keys[i], 19, 1, 0);
    }
  }

  /** One observation through the detector. */
  @Benchmark
  public boolean observe() {
    int i = next++ & MASK;
    boolean ok = outcomes[i];
    return detector.observe(table, keys[i], 0.95, ok ? 1.0 : 0.0, ok ? 0.0 : 1.0, now += 1000);
  }
}
