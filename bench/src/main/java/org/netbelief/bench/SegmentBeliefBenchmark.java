package org.netbelief.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.netbelief.model.SegmentBelief;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one observation folded into the joint segment belief ({@link SegmentBelief#observe}) and
 * of the queries, at 64 and 256 live segments.
 *
 * <p>Topology: 2 local interfaces, 3 relays and one carrier-grade NAT; the other segments are remote
 * peers, a quarter of them behind the CGNAT. Paths are {@code {iface, [relay], [cgnat], peer}}
 * (2–4 segments). 4096 observations (path, outcome) are generated up front from a fixed seed
 * (outcomes from true pass probabilities of 0.9–0.999) and indexed with a mask, so the measured
 * method allocates nothing of its own. Each observation advances the clock by 1 ms, so the
 * drift step ({@code O(n²)}) is part of the measured cost, as in use.
 *
 * <p>Run:
 *
 * <pre>
 * ./mvnw -B -ntp -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar SegmentBelief -f 1 -wi 2 -i 3 -prof gc \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class SegmentBeliefBenchmark {
  private static final int OBSERVATIONS = 4096;
  private static final int MASK = OBSERVATIONS - 1;
  private static final long IFACE = 100;
  private static final long RELAY = 200;
  private static final long CGNAT = 300;
  private static final long PEER = 1000;

  /** Live segments in the belief. */
  @Param({"64", "256"})
  public int segments;

  /**
   * Segment kind: {@code ordinary} ({@link SegmentBelief#addSegment}, a belief over a pass rate)
   * or {@code twoState} ({@link SegmentBelief#addTwoStateSegment}: working passes 99.9%, broken
   * 1% (shared) or 5% (peers)), whose update also integrates the per-node transform.
   */
  @Param({"ordinary", "twoState"})
  public String kind;

  private SegmentBelief belief;
  private long[] pathKeys;
  private boolean[] outcomes;
  private long[] querySegments;
  private int next;
  private long now;

  /** Builds the topology and the pre-generated observations, and warms the belief up. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(42);
    belief = new SegmentBelief(segments);
    long halfLife = 600_000_000_000L;
    int peers = segments - 6;
    double[] pass = new double[segments];
    for (int i = 0; i < 2; i++) {
      add(IFACE + i, 0.99, 0.01, halfLife);
    }
    for (int r = 0; r < 3; r++) {
      add(RELAY + r, 0.98, 0.01, halfLife);
    }
    add(CGNAT, 0.98, 0.01, halfLife);
    for (int p = 0; p < peers; p++) {
      add(PEER + p, 0.9, 0.05, halfLife);
      pass[p] = 0.9 + 0.099 * rng.nextDouble();
    }
    int pathCount = 0;
    long[][] paths = new long[peers * 8][];
    for (int p = 0; p < peers; p++) {
      for (int i = 0; i < 2; i++) {
        for (int r = -1; r < 3; r++) {
          int k = 2 + (r >= 0 ? 1 : 0) + (p % 4 == 0 ? 1 : 0);
          long[] keys = new long[k];
          int a = 0;
          keys[a++] = IFACE + i;
          if (r >= 0) {
            keys[a++] = RELAY + r;
          }
          if (p % 4 == 0) {
            keys[a++] = CGNAT;
          }
          keys[a] = PEER + p;
          belief.addPath(pathCount, keys);
          paths[pathCount++] = keys;
        }
      }
    }
    pathKeys = new long[OBSERVATIONS];
    outcomes = new boolean[OBSERVATIONS];
    for (int t = 0; t < OBSERVATIONS; t++) {
      int path = rng.nextInt(pathCount);
      long[] keys = paths[path];
      double p = 0.995 * pass[(int) (keys[keys.length - 1] - PEER)];
      pathKeys[t] = path;
      outcomes[t] = rng.nextDouble() < p;
    }
    querySegments = new long[] {IFACE, RELAY + 1, CGNAT, PEER + 5};
    for (int t = 0; t < OBSERVATIONS; t++) {
      observe();
    }
  }

  private void add(long key, double prior, double passWhenBroken, long halfLife) {
    if ("twoState".equals(kind)) {
      belief.addTwoStateSegment(key, prior, 1.5, halfLife, passWhenBroken, 0.999, 0);
    } else {
      belief.addSegment(key, prior, 1.5, halfLife, 0);
    }
  }

  /** One observation: drift to now, then the moment-matched update. */
  @Benchmark
  public long observe() {
    int i = next++ & MASK;
    now += 1_000_000L;
    belief.observe(pathKeys[i], outcomes[i], now);
    return now;
  }

  /** P(segment works): one 24-point quadrature. */
  @Benchmark
  public double probabilityWorks() {
    int i = next++ & 3;
    return belief.probabilityWorks(querySegments[i], now);
  }

  /** P(a 4-segment path succeeds), integrating the joint block (625-point grid). */
  @Benchmark
  public double probabilityAllWork() {
    return belief.probabilityAllWork(querySegments, now);
  }
}
