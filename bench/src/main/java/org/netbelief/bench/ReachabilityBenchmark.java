package org.netbelief.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.netbelief.model.Blame;
import org.netbelief.model.PeerPath;
import org.netbelief.model.ReachabilityModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Outcome updates of the four-factor {@link ReachabilityModel}: a success (one observation for
 * every row of every chain: 11 rows with the default chains), a failure blamed by ADF, a failure
 * blamed by expected counts, and the query P(attempt succeeds). Change detection on or off.
 *
 * <p>Inputs: 1 024 paths made once (30 NAT classes, 256 prefixes), warmed with ten successes
 * each; each call takes the next path through a mask and advances time by 1 ms, so the measured
 * methods allocate nothing ({@code -prof gc} shows 0 B/op).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar ReachabilityBenchmark -f 1 -wi 2 -i 3 -prof gc \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ReachabilityBenchmark {
  private static final int SIZE = 1 << 10;
  private static final int MASK = SIZE - 1;
  private static final long STEP = 1_000_000L;

  /** Whether the per-row change detectors run. */
  @Param({"true", "false"})
  public boolean detect;

  private ReachabilityModel model;
  private final PeerPath[] paths = new PeerPath[SIZE];
  private long now;
  private int next;

  /** Makes and warms the paths. */
  @Setup(Level.Trial)
  public void setUp() {
    model = ReachabilityModel.builder().changeDetection(detect, 8, 2).build();
    for (int i = 0; i < SIZE; i++) {
      paths[i] = model.path(Map.of(
          "localNetwork", "wlan0",
          "remotePrefix", "198.51." + (i & 255) + ".0/24",
          "remoteNatClass", "class" + (i % 30),
          "remoteEndpoint", "198.51." + (i & 255) + "." + (i >> 8) + ":4500"));
    }
    for (int r = 0; r < 10; r++) {
      for (PeerPath p : paths) {
        model.success(p, now += STEP);
      }
    }
  }

  /** A successful attempt: exact evidence for every factor. */
  @Benchmark
  public void success() {
    model.success(paths[next++ & MASK], now += STEP);
  }

  /** A failed attempt, blamed by assumed-density filtering. */
  @Benchmark
  public void failureAdf() {
    model.failure(paths[next++ & MASK], Blame.ADF, now += STEP);
  }

  /** A failed attempt, blamed by expected counts. */
  @Benchmark
  public void failureExpectedCounts() {
    model.failure(paths[next++ & MASK], Blame.EXPECTED_COUNTS, now += STEP);
  }

  /** P(attempt succeeds): reads every row of every chain. */
  @Benchmark
  public double pSuccess() {
    return model.pSuccess(paths[next++ & MASK], now += STEP);
  }
}
