package org.netbelief.bench;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.netbelief.model.FeatureKeys;
import org.netbelief.model.KeepalivePlanner;
import org.netbelief.model.SurvivalModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hole-lifetime model's hot paths: a survival update (a keepalive passed), a loss update, the
 * hole-open probability the OPENED factor reads, the planner's keepalive interval, and the (cold)
 * probe decision, with and without its candidate pruning (same answers; the ratio is the
 * pruning's gain). The NAT chain has {@code levels} levels; 1024 NATs with pre-generated silences,
 * indexed with a mask, so the measured methods allocate nothing themselves.
 *
 * <pre>
 * ./mvnw -B -ntp -pl bench -am package -DskipTests -q
 * java -jar bench/target/benchmarks.jar Survival -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class SurvivalBenchmark {
  private static final int NATS = 1024;
  private static final int MASK = NATS - 1;
  private static final long S = 1_000_000_000L;

  /** Levels of the NAT feature chain: 1 (the NAT alone) or 2 (NAT class, NAT). */
  @Param({"1", "2"})
  public int levels;

  private SurvivalModel model;
  private KeepalivePlanner planner;
  private long[][] nats;
  private long[] silences;
  private long now;
  private int i;

  @Setup
  public void setUp() {
    double[] strengths = new double[levels];
    java.util.Arrays.fill(strengths, 0.005);
    model = SurvivalModel.builder().levelStrengths(strengths).build();
    planner = KeepalivePlanner.builder(model)
        .floor(Duration.ofSeconds(5)).ceiling(Duration.ofMinutes(30)).build();
    SplittableRandom random = new SplittableRandom(1);
    nats = new long[NATS][];
    silences = new long[NATS];
    for (int n = 0; n < NATS; n++) {
      long[] keys = new long[levels];
      for (int l = 0; l < levels; l++) {
        keys[l] = l == levels - 1
            ? FeatureKeys.of("nat", "198.51.100." + n)
            : FeatureKeys.of("natClass", "class" + (n % 4));
      }
      nats[n] = keys;
      silences[n] = (long) (S * Math.exp(random.nextDouble() * Math.log(300.0)));
      // Some evidence per NAT: survivals below 100 s, a loss above.
      for (int k = 0; k < 5; k++) {
        model.observeSurvival(keys, (10 + 18 * k) * S, now);
      }
      model.observeLoss(keys, 150 * S, 1.0, now);
    }
  }

  private int next() {
    now += 1_000_000L;
    return i++ & MASK;
  }

  /** A keepalive passed after a silence: survival evidence. */
  @Benchmark
  public void observeSurvival() {
    int n = next();
    model.observeSurvival(nats[n], silences[n], now);
  }

  /** A packet was lost after a silence: a death, with the doubt check. */
  @Benchmark
  public void observeLoss() {
    int n = next();
    model.observeLoss(nats[n], silences[n], 1.0, now);
  }

  /** What the OPENED factor reads: E[S(g)]. */
  @Benchmark
  public double holeOpenProbability() {
    int n = next();
    return model.holeOpenProbability(nats[n], silences[n], now);
  }

  /** The planner's keepalive interval at r = 0.99. */
  @Benchmark
  public long keepaliveInterval() {
    int n = next();
    return planner.keepaliveIntervalNanos(nats[n], now);
  }

  /** The probe decision (cold path: once per probe). */
  @Benchmark
  public long nextProbeGap() {
    int n = next();
    return planner.nextProbeGapNanos(nats[n], now);
  }

  /**
   * The same decision without the candidate pruning (every candidate's two refits and two
   * interval searches, as before the pruning): the baseline of {@link #nextProbeGap}. Reached
   * through the planner's package-private test hook.
   */
  @Benchmark
  public long nextProbeGapUnpruned() throws Throwable {
    int n = next();
    return (long) UNPRUNED.invokeExact(planner, nats[n], now);
  }

  private static final java.lang.invoke.MethodHandle UNPRUNED = unpruned();

  private static java.lang.invoke.MethodHandle unpruned() {
    try {
      java.lang.reflect.Method m = KeepalivePlanner.class.getDeclaredMethod(
          "nextProbeGapNanosUnpruned", long[].class, long.class);
      m.setAccessible(true);
      return java.lang.invoke.MethodHandles.lookup().unreflect(m);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("KeepalivePlanner has no unpruned probe search", e);
    }
  }
}
