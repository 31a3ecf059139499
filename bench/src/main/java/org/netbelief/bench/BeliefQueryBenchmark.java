package org.netbelief.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.netbelief.model.internal.BetaQuantiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of asking a posterior Beta(α, β) a question: its mean (the baseline: one division),
 * one fast credible bound ({@link BetaQuantiles#fast}, the grid), both ends of a fast 0.95
 * interval, and one exact bound ({@link BetaQuantiles#exact}, commons-math3).
 *
 * <p>Inputs: 4 096 (α, β) pairs drawn once, log-uniformly over the fast grid's range
 * [0.1, 10⁴]², from a fixed seed; each call takes the next pair through a mask, so the measured
 * method allocates nothing beyond what the method under test allocates. The exact path allocates a
 * {@code BetaDistribution} per call; the others allocate nothing ({@code -prof gc} shows it).
 *
 * <p>Run (after {@code ./mvnw -B -ntp verify} or {@code ./mvnw -B -ntp -pl bench -am package}):
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar BeliefQueryBenchmark -f 2 -wi 3 -i 5 -t 1 -prof gc \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+AlwaysPreTouch" -rf json -rff belief-query.json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class BeliefQueryBenchmark {
  private static final int SIZE = 1 << 12;
  private static final int MASK = SIZE - 1;

  private final double[] alphas = new double[SIZE];
  private final double[] betas = new double[SIZE];
  private int next;

  /** Draws the (α, β) pairs, log-uniform over [0.1, 1e4], from a fixed seed. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(0x5EEDL);
    double lo = Math.log(BetaQuantiles.GRID_MIN);
    double hi = Math.log(BetaQuantiles.GRID_MAX);
    for (int i = 0; i < SIZE; i++) {
      alphas[i] = Math.exp(random.nextDouble(lo, hi));
      betas[i] = Math.exp(random.nextDouble(lo, hi));
    }
    // Build the fast grid now, not in the first warm-up iteration.
    BetaQuantiles.fast(1.0, 1.0, 0.025);
  }

  /** The posterior mean α/(α+β): the baseline every other query is read against. */
  @Benchmark
  public double mean() {
    int i = next++ & MASK;
    double a = alphas[i];
    return a / (a + betas[i]);
  }

  /** One fast bound: the 0.025 quantile from the grid. */
  @Benchmark
  public double fastQuantile() {
    int i = next++ & MASK;
    return BetaQuantiles.fast(alphas[i], betas[i], 0.025);
  }

  /** Both ends of the fast 0.95 interval (two grid lookups). */
  @Benchmark
  public void fastInterval(Blackhole bh) {
    int i = next++ & MASK;
    bh.consume(BetaQuantiles.fastLower(alphas[i], betas[i], 0.95));
    bh.consume(BetaQuantiles.fastUpper(alphas[i], betas[i], 0.95));
  }

  /** One exact bound: the 0.025 quantile by commons-math3. */
  @Benchmark
  public double exactQuantile() {
    int i = next++ & MASK;
    return BetaQuantiles.exact(alphas[i], betas[i], 0.025);
  }
}
