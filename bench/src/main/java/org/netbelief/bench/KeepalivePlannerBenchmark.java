package org.netbelief.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.netbelief.model.FeatureKeys;
import org.netbelief.model.KeepalivePlanner;
import org.netbelief.model.SurvivalModel;
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
 * The keepalive planner on the beliefs a simulated peer holds: the planned interval (asked on
 * every answered rendezvous keepalive in {@code ./netbelief simulate}) and the probe decision,
 * with the current code ({@code current}: the memo, and the cap-first search when it computes)
 * and the code before it ({@code reference}: load, full scan and bisection, then the frontier
 * cap, on every call; reached through the planner's package-private reference methods) in the
 * same run, so the two read as a ratio. Both return the same nanoseconds ({@code
 * KeepalivePlannerTest}).
 *
 * <ul>
 *   <li>{@code keepaliveInterval}: no evidence between calls, as on 84 % of the calls in the
 *       simulation; the current code answers from its memo;
 *   <li>{@code keepaliveIntervalAfterSurvival}: a keepalive survival is recorded before each
 *       call (the update is included in the time), so every call of the current code misses
 *       its memo and computes twice (now and at the end of the memo's window);
 *   <li>{@code nextProbeGap}: the probe decision (no memo; its interval searches are capped).
 * </ul>
 *
 * <p>Input: 256 peers, each with its own {@link SurvivalModel} and planner configured as {@code
 * BeliefPolicy} configures them (chain global → own NAT, strengths 0.005 and 0.005; r = 0.99,
 * confidence 0.99, floor 5 s, ceiling 10 min). Each peer's NAT has a sharp timer drawn
 * log-uniformly from 30 s to 10 min, and a history of 2 to 60 minutes is played before the run,
 * as the engine plays it: keepalives at the planned interval (a survival, or a loss with blame
 * 0.5 past the timer), a lifetime probe every 2 minutes at the planner's gap (blame 1), and for
 * every keepalive a survival of a remote NAT (15 to 60 s) in the shared global level. So the mix
 * holds peers still learning and peers settled at their frontier. Calls take the next peer
 * through a mask, at times 1 ms apart after the history (each peer every 256 ms).
 *
 * <pre>
 * ./mvnw -B -ntp -pl bench -am package -DskipTests -q
 * java -jar bench/target/benchmarks.jar KeepalivePlannerBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class KeepalivePlannerBenchmark {
  private static final int PEERS = 256;
  private static final int MASK = PEERS - 1;
  private static final long S = 1_000_000_000L;
  private static final long HISTORY_END = 3_600L * S;

  /** The code: {@code current} or {@code reference} (before the memo and the cap-first search). */
  @Param({"current", "reference"})
  public String code;

  private final KeepalivePlanner[] planners = new KeepalivePlanner[PEERS];
  private final long[][] keys = new long[PEERS][];
  private final SurvivalModel[] models = new SurvivalModel[PEERS];
  private final long[] intervals = new long[PEERS];
  private boolean reference;
  private long i;

  /** Plays every peer's history. */
  @Setup(Level.Trial)
  public void setUp() {
    reference = "reference".equals(code);
    SplittableRandom random = new SplittableRandom(6);
    long global = FeatureKeys.of("global", "*");
    for (int p = 0; p < PEERS; p++) {
      SurvivalModel model = SurvivalModel.builder().levelStrengths(0.005, 0.005).build();
      KeepalivePlanner planner = KeepalivePlanner.builder(model).reliability(0.99)
          .floor(Duration.ofSeconds(5)).ceiling(Duration.ofMinutes(10)).build();
      long[] own = {global, FeatureKeys.of("nat", "self:peer" + p)};
      long timer = (long) (30.0 * Math.pow(20.0, random.nextDouble()) * S);
      long minutes = 2 + random.nextInt(59);
      long now = HISTORY_END - minutes * 60 * S;
      long nextProbe = now + 120 * S;
      int remote = 0;
      while (now < HISTORY_END) {
        long interval = planner.keepaliveIntervalNanos(own, now);
        now += interval;
        if (interval < timer) {
          model.observeSurvival(own, interval, now);
        } else {
          model.observeLoss(own, interval, 0.5, now);
        }
        long[] other = {global, FeatureKeys.of("nat", "peer" + p + "-remote" + (remote++ % 8))};
        model.observeSurvival(other, (long) ((15 + 45 * random.nextDouble()) * S), now);
        if (now >= nextProbe) {
          long gap = planner.nextProbeGapNanos(own, now);
          if (gap != KeepalivePlanner.NO_PROBE) {
            if (gap < timer) {
              model.observeSurvival(own, gap, now);
            } else {
              model.observeLoss(own, gap, 1.0, now);
            }
          }
          nextProbe = now + 120 * S;
        }
      }
      planners[p] = planner;
      keys[p] = own;
      models[p] = model;
      intervals[p] = planner.keepaliveIntervalNanos(own, now);
    }
  }

  private int next() {
    return (int) (i++ & MASK);
  }

  private long now() {
    return HISTORY_END + i * 1_000_000L;
  }

  /** The planned keepalive interval of one peer's NAT. */
  @Benchmark
  public long keepaliveInterval() throws Throwable {
    long now = now();
    int p = next();
    return reference ? (long) INTERVAL_REFERENCE.invokeExact(planners[p], keys[p], now)
        : planners[p].keepaliveIntervalNanos(keys[p], now);
  }

  /** A keepalive survived at the peer's interval, then the interval is asked again. */
  @Benchmark
  public long keepaliveIntervalAfterSurvival() throws Throwable {
    long now = now();
    int p = next();
    models[p].observeSurvival(keys[p], intervals[p], now);
    return reference ? (long) INTERVAL_REFERENCE.invokeExact(planners[p], keys[p], now)
        : planners[p].keepaliveIntervalNanos(keys[p], now);
  }

  /** The lifetime probe decision of one peer's NAT. */
  @Benchmark
  public long nextProbeGap() throws Throwable {
    long now = now();
    int p = next();
    return reference ? (long) PROBE_REFERENCE.invokeExact(planners[p], keys[p], now)
        : planners[p].nextProbeGapNanos(keys[p], now);
  }

  private static final MethodHandle INTERVAL_REFERENCE = hook("keepaliveIntervalNanosReference");
  private static final MethodHandle PROBE_REFERENCE = hook("nextProbeGapNanosReference");

  private static MethodHandle hook(String name) {
    try {
      Method m = KeepalivePlanner.class.getDeclaredMethod(name, long[].class, long.class);
      m.setAccessible(true);
      return MethodHandles.lookup().unreflect(m);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("KeepalivePlanner has no " + name, e);
    }
  }
}
