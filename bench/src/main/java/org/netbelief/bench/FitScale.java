package org.netbelief.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.Prior;
import org.netbelief.model.fit.HalfLifeSelection;
import org.netbelief.model.fit.HalfLifeSelector;
import org.netbelief.model.fit.PriorFit;
import org.netbelief.model.fit.PriorFitter;
import org.netbelief.model.fit.RowCounts;
import org.netbelief.model.internal.SyntheticStream;

/**
 * Measures the streaming fit on a large synthetic trace: time and peak heap of (1) a prior fit
 * (per-row counts accumulated one event at a time, then the beta-binomial optimiser) and (2) a
 * one-pass half-life grid, over 10^7 events by default.
 *
 * <p>Run (after {@code ./mvnw -B -ntp -pl bench -am package -DskipTests}), with a heap far too
 * small to hold the events (10^7 events as key, time and outcome take at least 170 MB even
 * packed in primitive arrays), which proves the fit streams:
 *
 * <pre>
 * java -Xmx64m -cp bench/target/benchmarks.jar org.netbelief.bench.FitScale phase=prior
 * java -Xmx96m -cp bench/target/benchmarks.jar org.netbelief.bench.FitScale phase=halflife
 * java -Xmx128m -cp bench/target/benchmarks.jar org.netbelief.bench.FitScale phase=halflife candidates=13
 * </pre>
 *
 * <p>The figures measured are in {@code docs/tuning-priors.md} (§7).
 *
 * <p>Arguments ({@code key=value}): {@code events} (default 10000000), {@code rows} (100000),
 * {@code phase} ({@code prior}, {@code halflife} or {@code both}), {@code candidates} (7
 * half-lives, a factor 2 apart, from H/32 to 2H for the change half-life H = 10 min), {@code
 * seed} (1). Wall-clock times depend on the machine's load; the CPU time of the measuring
 * thread is printed too. Peak heap
 * is the sum of the heap pools' peak usage ({@link MemoryPoolMXBean#getPeakUsage}), reset
 * before each phase after a GC; it includes garbage not yet collected, so it is an upper bound
 * of what the phase needs. Results go to standard output, one line per phase.
 */
public final class FitScale {
  private FitScale() {}

  /** Runs the measurement; see the class comment for the arguments. */
  public static void main(String[] args) {
    long events = 10_000_000L;
    int rows = 100_000;
    String phase = "both";
    int candidates = 7;
    long seed = 1;
    for (String a : args) {
      String[] kv = a.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("arguments are key=value, got " + a);
      }
      switch (kv[0]) {
        case "events" -> events = Long.parseLong(kv[1]);
        case "rows" -> rows = Integer.parseInt(kv[1]);
        case "phase" -> phase = kv[1];
        case "seed" -> seed = Long.parseLong(kv[1]);
        case "candidates" -> candidates = Integer.parseInt(kv[1]);
        default -> throw new IllegalArgumentException("unknown argument " + kv[0]
            + "; expected events, rows, phase, candidates or seed");
      }
    }
    System.out.printf(Locale.ROOT, "FitScale: %d events, %d rows, max heap %.0f MiB, %s%n",
        events, rows, Runtime.getRuntime().maxMemory() / 1048576.0,
        System.getProperty("java.vm.version"));
    if (phase.equals("prior") || phase.equals("both")) {
      prior(events, rows, seed);
    }
    if (phase.equals("halflife") || phase.equals("both")) {
      halfLife(events, rows, candidates, seed);
    }
  }

  private static void prior(long events, int rows, long seed) {
    Prior truth = Prior.of(0.8, 10);
    // 1 ms between events; static rows (change half-life 0).
    SyntheticStream stream = new SyntheticStream(truth, rows, events, 1e6, 0, seed);
    double generation = generationSeconds(stream);
    resetPeaks();
    long c0 = cpuNanos();
    long t0 = System.nanoTime();
    RowCounts counts = new RowCounts();
    stream.replay((keys, success, now) -> counts.observe(keys[0], success));
    long t1 = System.nanoTime();
    PriorFit fit = PriorFitter.fit(counts);
    long t2 = System.nanoTime();
    long c2 = cpuNanos();
    System.out.printf(Locale.ROOT,
        "prior: generate only %.2f s; generate+accumulate+fit %.2f s CPU; generate+accumulate"
            + " %.2f s (%.0f ns/event beyond generation), fit %.3f s (%d evaluations), peak heap"
            + " %.1f MiB, counts %.1f MiB; truth mean 0.8 strength 10, %s%n",
        generation, (c2 - c0) / 1e9, (t1 - t0) / 1e9, ((t1 - t0) / 1e9 - generation) * 1e9 / events,
        (t2 - t1) / 1e9, fit.evaluations(),
        peakHeapMiB(), counts.footprintBytes() / 1048576.0, fit);
  }

  private static void halfLife(long events, int rows, int candidates, long seed) {
    Prior truth = Prior.of(0.5, 2);
    long h = 600_000_000_000L; // change half-life 10 minutes
    SyntheticStream stream = new SyntheticStream(truth, rows, events, 1e6, h, seed);
    FeatureChain chain = FeatureChain.builder(truth).level("row", truth.strength()).build();
    long[] grid = HalfLifeSelector.logGrid(h / 32, h * 2, candidates);
    double generation = generationSeconds(stream);
    resetPeaks();
    long c0 = cpuNanos();
    long t0 = System.nanoTime();
    HalfLifeSelector sel = new HalfLifeSelector(chain, grid, Integer.highestOneBit(rows) * 2, 0);
    stream.replay(sel::observe);
    long t1 = System.nanoTime();
    long c1 = cpuNanos();
    HalfLifeSelection r = sel.result();
    System.out.printf(Locale.ROOT,
        "halflife: generate only %.2f s; %d candidates in one pass %.2f s (%.2f s CPU; %.0f"
            + " ns/event beyond generation), peak heap %.1f MiB; optimal h* %.1f s, chosen %.1f"
            + " s, log loss %.5f%n",
        generation, grid.length, (t1 - t0) / 1e9, (c1 - c0) / 1e9, ((t1 - t0) / 1e9 - generation) * 1e9 / events,
        peakHeapMiB(),
        stream.optimalHalfLifeNanos() / 1e9, r.bestHalfLifeNanos() / 1e9, r.bestLogLoss());
  }

  /** Seconds to generate the stream into a sink that only folds it into a checksum. */
  private static double generationSeconds(SyntheticStream stream) {
    long[] sum = new long[1];
    long t0 = System.nanoTime();
    stream.replay((keys, success, now) -> sum[0] += keys[0] ^ now ^ (success ? 1 : 0));
    long t1 = System.nanoTime();
    if (sum[0] == 42) {
      System.out.print(""); // keeps the checksum alive
    }
    return (t1 - t0) / 1e9;
  }

  private static long cpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static double peakHeapMiB() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum / 1048576.0;
  }
}
