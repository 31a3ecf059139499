package org.netbelief.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import org.netbelief.model.internal.HazardCurve;

/**
 * Keepalive intervals and lifetime probes from a {@link SurvivalModel}: a pure decision function
 * over the model's belief, with the caller's reliability target, floor and ceiling.
 *
 * <p><b>Keepalive interval.</b> The longest silence g whose credible lower bound of S stays ≥ the
 * target reliability r: P(S(g) ≥ r) ≥ confidence. Never below the floor, never above the ceiling
 * (the floor wins when even it is not reliable enough).
 *
 * <p><b>Lifetime discovery.</b> RFC 5780 §4.6-style: a second, sacrificial binding goes silent for
 * a gap g and then asks the rendezvous to send to it; the main binding keeps its safe keepalives
 * meanwhile. {@link #nextProbeGapNanos} chooses g among silences above the current interval by
 * the expected reduction of the keepalive rate: with p = E[S(g)], I⁺ the interval after a
 * survival at g and I⁻ after a loss at g, the gain is {@code 1/I − (p/I⁺ + (1−p)/I⁻)}. It
 * returns {@link #NO_PROBE} when the best gain is below {@code stopGain} of the current rate
 * (confident: no probe pays). Report the outcome with {@link SurvivalModel#observeSurvival} or
 * {@link SurvivalModel#observeLoss} (blame 1 when the rendezvous itself is reachable).
 *
 * <pre>{@code
 * KeepalivePlanner planner = KeepalivePlanner.builder(model)
 *     .reliability(0.99).floor(Duration.ofSeconds(5)).ceiling(Duration.ofMinutes(10)).build();
 * long interval = planner.keepaliveIntervalNanos(natKeys, now);
 * long gap = planner.nextProbeGapNanos(natKeys, now);  // NO_PROBE, or silence the probe binding
 * }</pre>
 *
 * <p>Thread-safe: its settings are immutable, and the interval's memo is shared by all threads
 * behind a sequence lock (a reader uses it only when no writer changed it meanwhile).
 * {@link #keepaliveIntervalNanos} allocates nothing, and answers from its memo while the
 * model's evidence is unchanged; {@link #nextProbeGapNanos} allocates nothing either, but costs
 * about 2·B interval computations.
 */
public final class KeepalivePlanner {
  /** Returned by {@link #nextProbeGapNanos} when no probe is worth making. */
  public static final long NO_PROBE = -1L;

  /**
   * A hypothetical survival counts as this many: a NAT's timer is (nearly) sharp, so a survival
   * at g is repeatable, and one-step lookahead with weight 1 undervalues probes far above the
   * current interval (measured: probing stalled early with 1, see docs/model.md (§8)).
   */
  private static final double LOOKAHEAD = 2.0;

  /**
   * Survivals a silence needs before the main binding may use it: the main binding never
   * explores, and one surviving probe is not enough on a NAT whose timer jitters (measured: with
   * 1, a keepalive followed a lucky probe into the jitter range and lost the hole in 8 of 24
   * seeded runs with ±10% jitter; with 2, in 2 of 24).
   */
  static final double SUPPORT = 2.0;

  private final SurvivalModel model;
  private final double reliability;
  private final double confidence;
  private final long floorNanos;
  private final long ceilingNanos;
  private final double stopGain;
  /** The interval the prior alone allows, seconds: planned even before any survival. */
  private final double priorInterval;

  // The memo of keepaliveIntervalNanos: one per planner, shared by all threads, guarded by a
  // sequence lock (memoSeq odd while a writer fills it; a reader that sees the same even value
  // before and after reading the fields read a consistent memo). Before it lived in the model's
  // per-thread scratch behind one ThreadLocal per model, whose lookups grew with the number of
  // models (8.7 % of the 10 000-peer netbelief run). In the planner's own fields a memo hit
  // touches the planner, its keys array and the model: no extra objects, and no allocation.
  private volatile long memoSeq;
  private long memoWrites = -1L;
  private long memoFrom;
  private long memoUntil = Long.MIN_VALUE; // empty
  private long memoValue;
  private final long[] memoKeys;

  private static final VarHandle MEMO_SEQ;

  static {
    try {
      MEMO_SEQ = MethodHandles.lookup().findVarHandle(KeepalivePlanner.class, "memoSeq",
          long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private KeepalivePlanner(Builder b) {
    this.model = b.model;
    this.reliability = b.reliability;
    this.confidence = b.confidence;
    this.floorNanos = b.floorNanos;
    this.ceilingNanos = b.ceilingNanos;
    this.stopGain = b.stopGain;
    this.memoKeys = new long[model.levels()];
    this.priorInterval = PriorInterval.of(model, reliability, confidence, floorNanos,
        ceilingNanos);
  }

  /**
   * The interval the prior alone allows: a pure function of the model's (shared, immutable)
   * curve and prior survivals, its top strength and the plan. A simulation builds one planner per
   * peer, all alike: they share the last one computed instead of each scanning the bins again.
   */
  private static final class PriorInterval {
    private static volatile PriorInterval last;

    final HazardCurve curve;
    final double[] priorQ;
    final double k;
    final double reliability;
    final double confidence;
    final long floorNanos;
    final long ceilingNanos;
    final double value;

    private PriorInterval(HazardCurve curve, double[] priorQ, double k, double reliability,
        double confidence, long floorNanos, long ceilingNanos) {
      this.curve = curve;
      this.priorQ = priorQ;
      this.k = k;
      this.reliability = reliability;
      this.confidence = confidence;
      this.floorNanos = floorNanos;
      this.ceilingNanos = ceilingNanos;
      double[] alpha = new double[curve.bins()];
      double[] beta = new double[curve.bins()];
      for (int j = 0; j < alpha.length; j++) {
        alpha[j] = k * priorQ[j];
        beta[j] = k * (1.0 - priorQ[j]);
      }
      this.value = curve.longestSilence(alpha, beta, reliability, confidence,
          floorNanos * 1e-9, ceilingNanos * 1e-9);
    }

    static double of(SurvivalModel model, double reliability, double confidence,
        long floorNanos, long ceilingNanos) {
      HazardCurve curve = model.hazardCurve();
      double[] priorQ = model.priorQs();
      double k = model.topStrength();
      PriorInterval p = last;
      if (p == null || p.curve != curve || p.priorQ != priorQ || p.k != k
          || p.reliability != reliability || p.confidence != confidence
          || p.floorNanos != floorNanos || p.ceilingNanos != ceilingNanos) {
        p = new PriorInterval(curve, priorQ, k, reliability, confidence, floorNanos,
            ceilingNanos);
        last = p;
      }
      return p.value;
    }
  }

  /** A builder over {@code model}: r = 0.99, confidence 0.99, floor 5 s, ceiling 10 min. */
  public static Builder builder(SurvivalModel model) {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    return new Builder(model);
  }

  /** Configures a {@link KeepalivePlanner}; {@link #build()} checks the combination. */
  public static final class Builder {
    private final SurvivalModel model;
    private double reliability = 0.99;
    private double confidence = 0.99;
    private long floorNanos = 5_000_000_000L;
    private long ceilingNanos = 600_000_000_000L;
    private double stopGain = 0.02;

    private Builder(SurvivalModel model) {
      this.model = model;
    }

    /** The target probability that a hole survives one keepalive interval, in (0, 1). */
    public Builder reliability(double r) {
      SurvivalModel.checkOpenUnit("reliability", r);
      this.reliability = r;
      return this;
    }

    /** The probability with which S(interval) ≥ reliability must hold, in (0, 1). */
    public Builder confidence(double c) {
      SurvivalModel.checkOpenUnit("confidence", c);
      this.confidence = c;
      return this;
    }

    /** The shortest interval ever planned. */
    public Builder floor(Duration floor) {
      this.floorNanos = floor.toNanos();
      return this;
    }

    /** The longest interval ever planned (and the longest probe). */
    public Builder ceiling(Duration ceiling) {
      this.ceilingNanos = ceiling.toNanos();
      return this;
    }

    /**
     * Probing stops when the best expected reduction of the keepalive rate is below this
     * fraction of the current rate. Default 0.02.
     *
     * @throws IllegalArgumentException when not in (0, 1)
     */
    public Builder stopGain(double fraction) {
      SurvivalModel.checkOpenUnit("probe stop gain", fraction);
      this.stopGain = fraction;
      return this;
    }

    /**
     * The planner.
     *
     * @throws IllegalArgumentException for a floor not &gt; 0 or a floor above the ceiling
     */
    public KeepalivePlanner build() {
      SurvivalModel.checkPlan(reliability, confidence, floorNanos, ceilingNanos);
      return new KeepalivePlanner(this);
    }
  }

  /**
   * The keepalive interval for this NAT now: the model's longest reliable silence, but never
   * beyond the longest bin edge already survived twice (or the prior's own interval, whichever is
   * longer), so the main binding never explores. Allocation-free.
   *
   * <p><b>Cost.</b> A computed answer reads the chain's rows, fits the bins and scans them up to
   * the cap (see {@link HazardCurve#longestSilenceBelow}): microseconds. It is remembered, one
   * memo per planner, together with the count of the model's writes; a later call for the same keys with
   * no write since and a time within the memo's window returns it in nanoseconds (84 % of the
   * calls in a 1 000-peer simulation, where this is asked on every answered rendezvous
   * keepalive). Without a write, only decay changes the belief: every count is scaled by the
   * same factor 2^(−Δt/h) (a 24-hour half-life: 0.99760 over the 5-minute window). So the
   * answer is computed at both ends of the window, t and t + 5 min, from the same rows, and
   * remembered for [t, t + 5 min] only when both are equal (else for t alone). The memo returns
   * what a fresh computation returns unless the answer changes and changes back within five
   * minutes of pure decay (the frontier's decayed sums are monotone in time; the scan's
   * probabilities move by the 0.24 % change of the evidence weights); {@code
   * KeepalivePlannerTest} compares it with fresh computations at random times in the windows.
   * Disabled when the model's table is shared ({@link SurvivalModel.Builder#table}), since
   * other writers would not be seen.
   */
  public long keepaliveIntervalNanos(long[] natKeys, long nowNanos) {
    model.checkKeys(natKeys);
    long writes = model.writeCount();
    if (writes >= 0) {
      long seq = memoSeq;
      if ((seq & 1L) == 0 && memoHolds(natKeys, writes, nowNanos)) {
        long value = memoValue;
        VarHandle.acquireFence(); // the field reads above happen before the re-read below
        if (memoSeq == seq) {
          return value;
        }
      }
    }
    SurvivalModel.Scratch sc = model.scratch();
    long value = interval(natKeys, nowNanos, sc);
    if (writes >= 0) {
      long until = validUntil(natKeys, nowNanos, value, sc);
      long seq = memoSeq;
      // One writer at a time; a thread that finds another writing just does not remember.
      if ((seq & 1L) == 0 && MEMO_SEQ.compareAndSet(this, seq, seq + 1)) {
        VarHandle.releaseFence(); // the odd count is visible before any field write below
        System.arraycopy(natKeys, 0, memoKeys, 0, memoKeys.length);
        memoWrites = writes;
        memoFrom = nowNanos;
        memoUntil = until;
        memoValue = value;
        memoSeq = seq + 2; // volatile: publishes the fields
      }
    }
    return value;
  }

  /**
   * Whether the memo's fields answer for {@code natKeys} at {@code writes} and {@code nowNanos}
   * (read racily: {@link #keepaliveIntervalNanos} validates them with the sequence count).
   */
  boolean memoHolds(long[] natKeys, long writes, long nowNanos) {
    if (memoWrites != writes || nowNanos < memoFrom || nowNanos > memoUntil) {
      return false;
    }
    for (int i = 0; i < memoKeys.length; i++) {
      if (memoKeys[i] != natKeys[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The memo's window, 5 minutes: long enough to span several rendezvous keepalives (one per
   * ~20 s per peer in the simulation), short enough that decay moves each evidence weight by
   * under 0.25 % (24-hour half-life) between the two computations that bracket it.
   */
  static final long MEMO_WINDOW_NANOS = 300_000_000_000L;

  /**
   * The end of the memo's validity for {@code value} computed at {@code nowNanos}: {@code
   * nowNanos + MEMO_WINDOW_NANOS} when the answer computed there from the same rows is the same,
   * else {@code nowNanos} (valid for that instant only).
   */
  private long validUntil(long[] natKeys, long nowNanos, long value, SurvivalModel.Scratch sc) {
    if (nowNanos > Long.MAX_VALUE - MEMO_WINDOW_NANOS) {
      return nowNanos;
    }
    long end = nowNanos + MEMO_WINDOW_NANOS;
    long later = interval(natKeys, end, sc);
    return later == value ? end : nowNanos;
  }

  /** The interval computed afresh (loads this thread's scratch). */
  private long interval(long[] natKeys, long nowNanos, SurvivalModel.Scratch sc) {
    model.load(natKeys, nowNanos, sc);
    double cap = Math.max(priorInterval, frontier(sc.alive));
    // The cap first: the search stops at the cap's bin when the answer is the cap (the common
    // case once the NAT is learnt), skipping the bins above it and the bisection. clampNanos is
    // monotone, so min(clamp(g), clamp(cap)) = clamp(min(g, cap)), and min(cap, search) is the
    // same double as before (HazardCurve#longestSilenceBelow): the same nanoseconds.
    double g = model.hazardCurve().longestSilenceBelow(sc.alpha, sc.beta, reliability,
        confidence, floorNanos * 1e-9, ceilingNanos * 1e-9, cap);
    return SurvivalModel.clampNanos(Math.min(cap, g), floorNanos, ceilingNanos);
  }

  /**
   * {@link #keepaliveIntervalNanos} as it was computed before the cap-first search and the memo:
   * the full search every time, then the cap. The reference for tests and the baseline of the
   * JMH benchmark.
   */
  long keepaliveIntervalNanosReference(long[] natKeys, long nowNanos) {
    long planned = model.longestSilenceNanosReference(natKeys, reliability, confidence,
        floorNanos, ceilingNanos, nowNanos);
    // longestSilenceNanosReference left this thread's scratch loaded with the NAT's counts.
    double cap = Math.max(priorInterval, frontier(model.scratch().alive));
    return Math.min(planned, SurvivalModel.clampNanos(cap, floorNanos, ceilingNanos));
  }

  /**
   * The silence a sacrificial probe binding should keep before the rendezvous sends to it, or
   * {@link #NO_PROBE} when the belief is confident enough that no probe pays. Allocation-free.
   */
  public long nextProbeGapNanos(long[] natKeys, long nowNanos) {
    return nextProbeGap(natKeys, nowNanos, true, true);
  }

  /**
   * {@link #nextProbeGapNanos} with the full interval searches of before the cap-first search
   * (pruning kept): the reference for tests and the benchmark's baseline.
   */
  long nextProbeGapNanosReference(long[] natKeys, long nowNanos) {
    return nextProbeGap(natKeys, nowNanos, true, false);
  }

  /**
   * The interval search capped at {@code limit}: {@code min(limit, longestSilence)}, through
   * {@link HazardCurve#longestSilenceBelow} ({@code capFirst}) or the reference search.
   */
  private double search(HazardCurve curve, double[] alpha, double[] beta, double floor,
      double ceiling, double limit, boolean capFirst) {
    double g = capFirst
        ? curve.longestSilenceBelow(alpha, beta, reliability, confidence, floor, ceiling, limit)
        : curve.longestSilenceReference(alpha, beta, reliability, confidence, floor, ceiling);
    return Math.min(limit, g);
  }

  private long nextProbeGap(long[] natKeys, long nowNanos, boolean prune, boolean capFirst) {
    model.checkKeys(natKeys);
    SurvivalModel.Scratch sc = model.scratch();
    HazardCurve curve = model.hazardCurve();
    double floor = floorNanos * 1e-9;
    double ceiling = ceilingNanos * 1e-9;
    int bins = curve.bins();
    model.load(natKeys, nowNanos, sc);
    double frontier = Math.max(priorInterval, frontier(sc.alive));
    double i0 = search(curve, sc.alpha, sc.beta, floor, ceiling, frontier, capFirst);
    if (i0 >= ceiling) {
      return NO_PROBE;
    }
    double rate0 = 1.0 / i0;
    double bestGain = 0.0;
    double bestGap = -1.0;
    // A candidate whose gain stays below stopGain·rate0 is never the answer: either a better one
    // exists, or the answer is NO_PROBE whether it is counted or not. expectedRate prunes with it.
    double stop = stopGain * rate0;
    // Silences this NAT has lost twice are settled: its timer is below them (one loss may be a
    // lost reply or an outage; two in a row rarely are). Without this the planner kept asking
    // for the edge just above a sharp timer, probe after lost probe (docs/model.md (§8)).
    double refuted = model.refutedSilence(sc.dead, SUPPORT);
    // Candidates: every bin edge above the current interval, up to the ceiling.
    for (int j = Math.max(1, curve.survivalEdge(i0) + 1); j <= bins; j++) {
      double g = Math.min(curve.edge(j), ceiling);
      if (g >= refuted * 0.999) {
        break;
      }
      if (g <= i0 * 1.001) {
        continue;
      }
      double gain = rate0 - expectedRate(sc, curve, g, frontier, floor, ceiling, rate0,
          prune ? Math.max(bestGain, stop) : Double.NaN, capFirst);
      if (gain > bestGain) {
        bestGain = gain;
        bestGap = g;
      }
      if (g >= ceiling) {
        break;
      }
    }
    if (bestGap < 0.0 || bestGain < stopGain * rate0) {
      return NO_PROBE;
    }
    return SurvivalModel.clampNanos(bestGap, floorNanos, ceilingNanos);
  }

  /**
   * E[1/I'] after a probe at g: survival with probability E[S(g)], loss otherwise; or, when the
   * candidate provably cannot reach a gain of {@code need} or more, {@code rate0} (gain 0).
   *
   * <p>Pruning without changing any answer (the planner's hot spot: two refits and two interval
   * searches per candidate, once per lifetime probe of every peer). With up ≤ U = max(prior
   * interval, frontier after the survival) and down ≤ frontier, both exact in floating point
   * (each is a {@code Math.min} with that cap), {@code rate0 − (p/U + (1−p)/frontier)} is an upper
   * bound of the computed gain: IEEE division, addition and subtraction are correctly rounded, so
   * monotone in each argument. A candidate whose bound is below {@code need} (the best gain so
   * far, or the stop threshold; NaN: never prune) is dropped before its survival refit; after
   * that refit the bound tightens to the exact up, and the loss refit is skipped too when it
   * fails. The caller only takes a gain strictly above the best so far and at least the stop
   * threshold, so a dropped candidate never was the answer. {@code KeepalivePlannerTest} checks
   * this against the unpruned computation.
   */
  private double expectedRate(SurvivalModel.Scratch sc, HazardCurve curve, double g,
      double frontier, double floor, double ceiling, double rate0, double need,
      boolean capFirst) {
    int bins = curve.bins();
    double p = curve.meanSurvival(sc.alpha, sc.beta, g);
    System.arraycopy(sc.alive, 0, sc.alive2, 0, bins + 1);
    System.arraycopy(sc.dead, 0, sc.dead2, 0, bins + 1);
    sc.alive2[curve.survivalEdge(g)] += LOOKAHEAD;
    double upCap = Math.max(priorInterval, frontier(sc.alive2));
    double lossPart = (1.0 - p) / frontier; // ≤ (1 − p)/down
    if (pruned(rate0 - (p / upCap + lossPart), need)) {
      return rate0;
    }
    model.refitHypothetical(sc);
    double up = search(curve, sc.alpha2, sc.beta2, floor, ceiling, upCap, capFirst);
    if (pruned(rate0 - (p / up + lossPart), need)) {
      return rate0;
    }
    System.arraycopy(sc.alive, 0, sc.alive2, 0, bins + 1);
    sc.dead2[curve.deathEdge(g)] += 1.0;
    model.refitHypothetical(sc);
    double down = search(curve, sc.alpha2, sc.beta2, floor, ceiling, frontier, capFirst);
    return p / up + (1.0 - p) / down;
  }

  /** Whether an upper bound of a candidate's gain rules it out: below {@code need}, or ≤ 0. */
  private static boolean pruned(double gainBound, double need) {
    return !Double.isNaN(need) && (gainBound < need || !(gainBound > 0.0));
  }

  /**
   * {@link #nextProbeGapNanos} without pruning: every candidate's gain computed in full. For
   * tests that check the pruning changes no answer.
   */
  long nextProbeGapNanosUnpruned(long[] natKeys, long nowNanos) {
    return nextProbeGap(natKeys, nowNanos, false, true);
  }

  private double frontier(double[] alive) {
    return model.supportedSilence(alive, SUPPORT);
  }

  /** The target reliability. */
  public double reliability() {
    return reliability;
  }

  /** The confidence of the lower bound. */
  public double confidence() {
    return confidence;
  }

  /** The floor in nanoseconds. */
  public long floorNanos() {
    return floorNanos;
  }

  /** The ceiling in nanoseconds. */
  public long ceilingNanos() {
    return ceilingNanos;
  }
}
