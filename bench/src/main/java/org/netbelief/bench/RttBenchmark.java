package org.netbelief.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.distribution.TDistribution;
import org.netbelief.model.RttBelief;
import org.netbelief.model.RttModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One round-trip sample into an {@link RttModel} with the default three-level chain: the decayed
 * moments (n, Σx, Σx²) of log RTT for every row of the path (two tables, three rows each).
 *
 * <p>Inputs: 1 024 paths and 4 096 log-normal samples drawn once from a fixed seed; each call
 * takes the next through a mask and advances time by 1 ms.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar RttBenchmark -f 1 -wi 2 -i 3 -prof gc \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RttBenchmark {
  private static final int SIZE = 1 << 12;
  private static final int MASK = SIZE - 1;
  private static final int PATHS = 1 << 10;

  private RttModel rtt;
  private final long[][] keys = new long[PATHS][];
  private final long[] samples = new long[SIZE];
  private long now;
  private int next;

  /** Makes the paths and draws the samples. */
  @Setup(Level.Trial)
  public void setUp() {
    rtt = RttModel.builder().build();
    SplittableRandom random = new SplittableRandom(0x5EEDL);
    for (int i = 0; i < PATHS; i++) {
      keys[i] = rtt.keys("*", "198.51." + (i & 255) + ".0/24", "e" + i);
    }
    for (int i = 0; i < SIZE; i++) {
      double u = 1.0 - random.nextDouble();
      double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
      samples[i] = Math.round(Math.exp(Math.log(40e6) + 0.4 * g));
    }
  }

  /** One sample for one path. */
  @Benchmark
  public void observe() {
    int i = next++;
    rtt.observe(keys[i & (PATHS - 1)], samples[i & MASK], now += 1_000_000L);
  }

  /**
   * Beliefs for the quantile benchmarks: 1 024 paths, each with 0 to 15 samples, read at one
   * time, so 16 distinct degrees of freedom (the simulator's keepalive timeouts repeat ν the
   * same way: paths with equal evidence, or capped by a level strength).
   */
  @State(Scope.Thread)
  public static class Beliefs {
    final RttBelief[] beliefs = new RttBelief[PATHS];
    int next;

    /** Observes and reads the beliefs. */
    @Setup(Level.Trial)
    public void setUp() {
      RttModel m = RttModel.builder().build();
      SplittableRandom random = new SplittableRandom(0xBE11EFL);
      for (int i = 0; i < PATHS; i++) {
        long[] k = m.keys("*", "198.51." + (i & 255) + ".0/24", "q" + i);
        for (int j = 0; j < (i & 15); j++) {
          m.observe(k, 20_000_000L + random.nextInt(60_000_000), 1_000_000_000L);
        }
        beliefs[i] = m.belief(k, 1_000_000_000L);
      }
    }
  }

  /** A keepalive timeout's predictive 0.999 quantile ({@link RttBelief#quantileNanos}). */
  @Benchmark
  public long quantile(Beliefs b) {
    return b.beliefs[b.next++ & (PATHS - 1)].quantileNanos(0.999);
  }

  /**
   * The baseline of {@link #quantile}: the same Student-t quantile without the cache, as every
   * call computed it before (a commons-math {@code TDistribution} and its inversion).
   */
  @Benchmark
  public long quantileUncached(Beliefs b) {
    RttBelief r = b.beliefs[b.next++ & (PATHS - 1)];
    double t = new TDistribution(null, r.degreesOfFreedom()).inverseCumulativeProbability(0.999);
    return Math.round(Math.exp(r.logMean() + r.predictiveScale() * t));
  }
}
