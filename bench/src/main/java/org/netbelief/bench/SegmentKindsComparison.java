package org.netbelief.bench;

import java.util.Locale;

/**
 * Compares the cost of {@code SegmentBelief.observe} for ordinary and two-state segments in one
 * JVM: the two beliefs of {@link SegmentBeliefBenchmark} (same topology and outcomes) are timed in
 * alternating blocks and the best block of each is kept, so machine load hits both alike. A
 * relative figure for a noisy machine; the absolute figures come from the JMH benchmark.
 *
 * <p>Run: {@code java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar
 * org.netbelief.bench.SegmentKindsComparison 64 256}
 */
public final class SegmentKindsComparison {
  private static final int ROUNDS = 40;
  private static final int WARM_ROUNDS = 10;

  private SegmentKindsComparison() {}

  /**
   * Prints one line per size: best ns per observation for each kind and their ratio.
   *
   * @param args segment counts (default 64 and 256)
   */
  public static void main(String[] args) {
    int[] sizes = args.length > 0 ? new int[args.length] : new int[] {64, 256};
    for (int i = 0; i < args.length; i++) {
      sizes[i] = Integer.parseInt(args[i]);
    }
    for (int n : sizes) {
      SegmentBeliefBenchmark ordinary = state(n, "ordinary");
      SegmentBeliefBenchmark twoState = state(n, "twoState");
      int block = Math.max(50, 2_000 * 64 / n / 4 * 4);
      long bestOrdinary = Long.MAX_VALUE;
      long bestTwoState = Long.MAX_VALUE;
      long sink = 0;
      for (int round = 0; round < ROUNDS; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < block; i++) {
          sink += ordinary.observe();
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < block; i++) {
          sink += twoState.observe();
        }
        long t2 = System.nanoTime();
        if (round >= WARM_ROUNDS) {
          bestOrdinary = Math.min(bestOrdinary, (t1 - t0) / block);
          bestTwoState = Math.min(bestTwoState, (t2 - t1) / block);
        }
      }
      System.out.printf(Locale.ROOT,
          "segments %d: best ns per observe: ordinary %d, two-state %d, ratio %.2f (%d)%n",
          n, bestOrdinary, bestTwoState, (double) bestTwoState / bestOrdinary, sink & 1);
    }
  }

  private static SegmentBeliefBenchmark state(int segments, String kind) {
    SegmentBeliefBenchmark b = new SegmentBeliefBenchmark();
    b.segments = segments;
    b.kind = kind;
    b.setUp();
    return b;
  }
}
