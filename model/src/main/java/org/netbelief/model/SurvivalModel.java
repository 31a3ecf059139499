package org.netbelief.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.netbelief.model.internal.HazardCurve;

/**
 * How long a NAT keeps a punched hole open: the survival curve S(g) = P(binding survives a
 * silence of length g), learnt per NAT feature chain as a discrete hazard over log-spaced silence
 * bins, each bin an evidence row in an {@link EvidenceTable}.
 *
 * <p>A NAT is described by its feature chain, general to specific (for example {@code global →
 * natClass → publicAddress}; one key per level, built with {@link FeatureKeys}). Each level's
 * strength says how many observations its parent's estimate is worth, as in {@link
 * FeatureChain}; level 0 starts from the {@link LifetimePrior}. The row of bin b for feature key k
 * has the key {@code fmix64(k + (b+1)·φ)}, so bins never collide with plain feature rows.
 * Row j counts bindings seen alive after a silence reaching edge j (successes) and bindings
 * found dead within edge j (failures); the bins' Betas are fitted from these counts when read.
 *
 * <pre>{@code
 * SurvivalModel model = SurvivalModel.builder().levelStrengths(0.5, 0.5).build();
 * long[] nat = {FeatureKeys.of("natClass", "EIM/APDF"), FeatureKeys.of("nat", "198.51.100.7")};
 * model.observeSurvival(nat, 25_000_000_000L, now);          // a keepalive passed after 25 s
 * model.observeLoss(nat, 200_000_000_000L, 1.0, now);         // a packet after 200 s was lost
 * double p = model.holeOpenProbability(nat, 60_000_000_000L, now);
 * }</pre>
 *
 * <p><b>Updates.</b> A packet that passes after silence g adds survival evidence to every bin
 * below g (fractional for the bin holding g). A packet lost after g while the other reachability
 * factors are healthy (weight {@code blame}) spreads one death over the bins up to g in proportion
 * to their posterior death probability, with survival evidence for the bins before each possible
 * death bin (interval censoring, one EM step; see {@code docs/model.md (§8)}).
 *
 * <p><b>Doubt on change.</b> A loss the model was confident would not happen (log Bayes factor of
 * "the NAT changed, its lifetime is back to the prior" against "unchanged" above {@link
 * Builder#doubt threshold}) first multiplies the evidence of the NAT's most specific bins by
 * {@code keep}, so a NAT whose timer shrank is relearnt in a few losses instead of a few
 * half-lives.
 *
 * <p><b>Thread safety and allocation.</b> Thread-safe: evidence lives in the (concurrent) table;
 * each thread uses its own scratch arrays. {@link #observeSurvival}, {@link #observeLoss} and
 * {@link #holeOpenProbability} allocate nothing once the rows exist and the thread's scratch is
 * made. The model counts its writes (one atomic increment per update), so that {@link
 * KeepalivePlanner} can reuse an interval while a NAT's evidence is unchanged; with a shared
 * table ({@link Builder#table}) it cannot know of other writers, and nothing is reused.
 */
public final class SurvivalModel implements HoleLifetime {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final double NANOS = 1e-9;
  /** EM sweeps of the interval-censoring fit; see HazardCurve#fit. */
  static final int SWEEPS = 8;

  private final EvidenceTable table;
  private final HazardCurve curve;
  private final LifetimePrior prior;
  private final double[] priorQ;
  private final double[] strengths;
  /**
   * {@code strengths.length}: the key check on every planner call reads this field of the model,
   * not the length of one more (cold) array.
   */
  private final int levels;
  private final double doubtThreshold;
  private final double doubtKeep;
  private final double doubtMinEvidence;
  private final AtomicLong doubts = new AtomicLong();
  /**
   * Writes this model has made to its table, counted after each write: a reader that finds the
   * same count before and after its work saw no write in between. With {@link #ownsTable}, the
   * table has no other writer, so an unchanged count means unchanged rows (the planner's memo).
   * A field updated through {@code WRITES} rather than an AtomicLong: the planner reads it on
   * every keepalive, and at 10 000 models an AtomicLong is one more cold object per read.
   */
  private volatile long writes;

  private static final VarHandle WRITES;

  static {
    try {
      WRITES = MethodHandles.lookup().findVarHandle(SurvivalModel.class, "writes", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
  /** Whether the table was made by this model (no other writer can change its rows). */
  private final boolean ownsTable;

  /**
   * The thread's scratch, shared by every model the thread uses (replaced when a model needs
   * other dimensions). One static ThreadLocal, not one per model: with one per model, a thread
   * running 10 000 models (the simulation's peers) had a ThreadLocalMap of tens of thousands of
   * entries (and, across runs, those of every earlier run's models), its lookups probed long
   * chains and re-created scratches: ThreadLocal.get was 8.7 % of the netbelief run's samples.
   * No method holds a scratch across a call into another model, so sharing is safe.
   */
  private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

  /** Per-thread working arrays: the bins' Betas, death posteriors and derived keys. */
  static final class Scratch {
    final int bins;
    final int levels;
    final double[] alpha;
    final double[] beta;
    final double[] evidence;
    final double[] alpha2;
    final double[] beta2;
    final double[] q;
    final double[] prefix;
    /** Scratch of the fit ({@link HazardCurve#fit}'s {@code work}). */
    final double[] fitWork;
    final double[] parentMean;
    final double[] alive;
    final double[] dead;
    final double[] alive2;
    final double[] dead2;
    final long[] keys;
    final double[] sf = new double[2];
    final double[] moments = new double[2];

    Scratch(int bins, int levels) {
      this.bins = bins;
      this.levels = levels;
      alpha = new double[bins];
      beta = new double[bins];
      evidence = new double[bins];
      alpha2 = new double[bins];
      beta2 = new double[bins];
      q = new double[bins];
      prefix = new double[bins + 1];
      fitWork = new double[3 * bins];
      parentMean = new double[bins];
      alive = new double[bins + 1];
      dead = new double[bins + 1];
      alive2 = new double[bins + 1];
      dead2 = new double[bins + 1];
      keys = new long[levels];
    }
  }

  private SurvivalModel(Builder b) {
    this.ownsTable = b.table == null;
    this.table = b.table != null ? b.table
        : EvidenceTable.builder().halfLife(Duration.ofHours(24)).maxRows(1 << 16).build();
    Layout layout = Layout.of(b.bins, b.minSeconds, b.maxSeconds, b.prior);
    this.curve = layout.curve;
    this.prior = b.prior;
    this.strengths = b.strengths.clone();
    this.levels = strengths.length;
    this.doubtThreshold = b.doubtThreshold;
    this.doubtKeep = b.doubtKeep;
    this.doubtMinEvidence = b.doubtMinEvidence;
    this.priorQ = layout.priorQ;
  }

  /**
   * The bins' layout and the prior's conditional bin survivals, both immutable and pure functions
   * of the bins and the prior's median and spread: the models of a simulation's peers (one per
   * peer, all alike) share the last one built. Building them cost 66 complementary error
   * functions (commons-math, allocating) and 33 exponentials per model (1.4 % of the 10 000-peer
   * netbelief run), and one shared curve and prior are a few cache lines that stay hot instead of
   * two cold objects per model on every read.
   */
  private static final class Layout {
    private static volatile Layout last;

    final int bins;
    final double minSeconds;
    final double maxSeconds;
    final double medianSeconds;
    final double logSpread;
    final HazardCurve curve;
    final double[] priorQ;

    private Layout(int bins, double minSeconds, double maxSeconds, LifetimePrior prior) {
      this.bins = bins;
      this.minSeconds = minSeconds;
      this.maxSeconds = maxSeconds;
      this.medianSeconds = prior.medianSeconds();
      this.logSpread = prior.logSpread();
      this.curve = new HazardCurve(bins, minSeconds, maxSeconds);
      this.priorQ = new double[bins];
      for (int j = 0; j < bins; j++) {
        double s0 = prior.survival(curve.edge(j));
        double s1 = prior.survival(curve.edge(j + 1));
        double q = s0 > 0.0 ? s1 / s0 : 0.5;
        // Keep the prior Beta proper and doubtable at both ends.
        priorQ[j] = Math.max(0.05, Math.min(1.0 - 1e-6, q));
      }
    }

    /** The last layout when it matches, else a new one (then the last). */
    static Layout of(int bins, double minSeconds, double maxSeconds, LifetimePrior prior) {
      Layout l = last;
      if (l != null && l.bins == bins && l.minSeconds == minSeconds
          && l.maxSeconds == maxSeconds && l.medianSeconds == prior.medianSeconds()
          && l.logSpread == prior.logSpread()) {
        return l;
      }
      l = new Layout(bins, minSeconds, maxSeconds, prior);
      last = l;
      return l;
    }
  }

  /** A builder: 32 bins from 1 s to 1 h, {@link LifetimePrior#homeGateways()}, one level. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link SurvivalModel}. */
  public static final class Builder {
    private EvidenceTable table;
    private int bins = 32;
    private double minSeconds = 1.0;
    private double maxSeconds = 3600.0;
    private LifetimePrior prior = LifetimePrior.homeGateways();
    private double[] strengths = {LifetimePrior.homeGateways().strength()};
    private boolean strengthsSet;
    private double doubtThreshold = Math.log(20.0);
    private double doubtKeep = 0.25;
    private double doubtMinEvidence = 3.0;

    private Builder() {}

    /**
     * The table holding the bins' evidence (shared with other models if wanted). Default: a
     * private table with a 24-hour half-life and room for 65 536 rows.
     */
    public Builder table(EvidenceTable table) {
      if (table == null) {
        throw new IllegalArgumentException("table must not be null");
      }
      this.table = table;
      return this;
    }

    /**
     * The silence bins: {@code count} bins, bin 0 below {@code min}, the rest log-spaced up to
     * {@code max}. Beyond {@code max} S is held at S(max).
     *
     * @throws IllegalArgumentException for fewer than 3 or more than 1024 bins, or not 0 &lt;
     *     min &lt; max
     */
    public Builder bins(int count, Duration min, Duration max) {
      HazardCurve check = new HazardCurve(count, min.toNanos() * NANOS, max.toNanos() * NANOS);
      this.bins = check.bins();
      this.minSeconds = check.minSeconds();
      this.maxSeconds = check.maxSeconds();
      return this;
    }

    /** The prior; its strength is also level 0's unless {@link #levelStrengths} says otherwise. */
    public Builder prior(LifetimePrior prior) {
      if (prior == null) {
        throw new IllegalArgumentException("prior must not be null");
      }
      this.prior = prior;
      if (!strengthsSet) {
        strengths = new double[] {prior.strength()};
      }
      return this;
    }

    /**
     * One strength per level of the NAT feature chain, general first: level 0 counts the prior
     * as that many observations per bin, level j its parent's estimate.
     *
     * @throws IllegalArgumentException for no level or a strength not finite and &gt; 0
     */
    public Builder levelStrengths(double... strengths) {
      if (strengths == null || strengths.length == 0) {
        throw new IllegalArgumentException("at least one level strength is needed");
      }
      for (double k : strengths) {
        if (!(k > 0.0) || Double.isInfinite(k)) {
          throw new IllegalArgumentException("level strength must be finite and > 0, got " + k);
        }
      }
      this.strengths = strengths.clone();
      this.strengthsSet = true;
      return this;
    }

    /**
     * Doubt on change: a loss whose log Bayes factor ("changed" against "unchanged") exceeds
     * {@code logBayesFactor} first multiplies the NAT's most specific evidence by {@code keep}.
     * Default ln 20 and 0.25.
     *
     * @throws IllegalArgumentException for a threshold not &gt; 0 or keep not in [0, 1]
     */
    public Builder doubt(double logBayesFactor, double keep) {
      if (!(logBayesFactor > 0.0)) {
        throw new IllegalArgumentException(
            "doubt threshold (log Bayes factor) must be > 0, got " + logBayesFactor);
      }
      if (!(keep >= 0.0 && keep <= 1.0)) {
        throw new IllegalArgumentException("doubt keep fraction must lie in [0, 1], got " + keep);
      }
      this.doubtThreshold = logBayesFactor;
      this.doubtKeep = keep;
      return this;
    }

    /** The model. */
    public SurvivalModel build() {
      return new SurvivalModel(this);
    }
  }

  // ---------------------------------------------------------------------------------- updates

  /**
   * A packet passed after a silence of {@code silenceNanos} on a binding of this NAT: survival
   * evidence for every bin below the silence. Allocation-free.
   *
   * @throws IllegalArgumentException for a negative silence or keys that do not fit; nothing
   *     changes
   */
  public void observeSurvival(long[] natKeys, long silenceNanos, long nowNanos) {
    checkKeys(natKeys);
    checkSilence(silenceNanos);
    double g = silenceNanos * NANOS;
    Scratch sc = scratch();
    int edge = curve.survivalEdge(g);
    if (edge >= 1) {
      table.observeAll(binKeys(natKeys, edge, sc.keys), 0, natKeys.length, 1.0, 0.0, nowNanos);
      WRITES.getAndAdd(this, 1L); // after the write: see #writes
    }
  }

  /**
   * A packet was lost after a silence of {@code silenceNanos}, and with probability {@code blame}
   * the binding's expiry is why (1 when the other reachability factors are known healthy, for
   * example the rendezvous still reaches the peer). Spreads {@code blame} deaths over the bins up
   * to the silence by their posterior death probability (when read: the death is one count at the
   * edge above the silence, and the fit attributes it). Allocation-free.
   *
   * @throws IllegalArgumentException for a negative silence, blame not in [0, 1], or keys that do
   *     not fit; nothing changes
   */
  public void observeLoss(long[] natKeys, long silenceNanos, double blame, long nowNanos) {
    checkKeys(natKeys);
    checkSilence(silenceNanos);
    if (!(blame >= 0.0 && blame <= 1.0)) {
      throw new IllegalArgumentException("loss blame must lie in [0, 1], got " + blame);
    }
    double g = silenceNanos * NANOS;
    if (g <= 0.0 || blame == 0.0) {
      return;
    }
    Scratch sc = scratch();
    load(natKeys, nowNanos, sc);
    // Doubt on change: was this loss a surprise the prior would have expected?
    double unchanged = 1.0 - curve.meanSurvival(sc.alpha, sc.beta, g);
    // The prior's S(g) from its bin survivals (not LifetimePrior.survival: erfc allocates).
    double changed = 1.0 - curve.meanSurvivalOf(priorQ, g);
    double logBayes = Math.log(changed / Math.max(unchanged, 1e-12));
    if (blame * logBayes > doubtThreshold && weakestEvidence(sc, g) >= doubtMinEvidence) {
      long specific = natKeys[natKeys.length - 1];
      for (int j = 1; j <= curve.bins(); j++) {
        table.discount(binKey(specific, j), doubtKeep);
      }
      doubts.incrementAndGet();
    }
    int edge = curve.deathEdge(g);
    table.observeAll(binKeys(natKeys, edge, sc.keys), 0, natKeys.length, 0.0, blame, nowNanos);
    WRITES.getAndAdd(this, 1L); // after the writes (the discount's too): see #writes
  }

  // ---------------------------------------------------------------------------------- queries

  /** {@inheritDoc} Allocation-free: the product of the bins' posterior means. */
  @Override
  public double holeOpenProbability(long[] natKeys, long silenceNanos, long nowNanos) {
    checkKeys(natKeys);
    checkSilence(silenceNanos);
    double g = silenceNanos * NANOS;
    Scratch sc = scratch();
    load(natKeys, nowNanos, sc);
    return curve.meanSurvival(sc.alpha, sc.beta, g);
  }

  @Override
  public Belief holeOpenBelief(long[] natKeys, long silenceNanos, long nowNanos) {
    checkKeys(natKeys);
    checkSilence(silenceNanos);
    double g = silenceNanos * NANOS;
    Scratch sc = scratch();
    int last = curve.lastBin(g);
    load(natKeys, nowNanos, sc);
    curve.survivalMoments(sc.alpha, sc.beta, g, sc.moments);
    double m = Math.min(1.0 - 1e-12, Math.max(1e-12, sc.moments[0]));
    double var = Math.max(sc.moments[1] - m * m, 1e-15);
    double n = Math.max(m * (1.0 - m) / var - 1.0, 1e-6);
    double evidence = Double.MAX_VALUE;
    for (int b = 0; b <= last; b++) {
      evidence = Math.min(evidence, sc.evidence[b]);
    }
    return Belief.of(m * n, (1.0 - m) * n, last < 0 ? 0.0 : evidence);
  }

  /**
   * The one-sided credible lower bound of S(g): S(g) is at least this with probability {@code
   * confidence} (Gamma approximation of −log S; see the class docs of the internal curve).
   *
   * @throws IllegalArgumentException for a negative silence or confidence not in (0, 1)
   */
  public double survivalLowerBound(long[] natKeys, long silenceNanos, double confidence,
      long nowNanos) {
    checkKeys(natKeys);
    checkSilence(silenceNanos);
    checkOpenUnit("confidence", confidence);
    double g = silenceNanos * NANOS;
    Scratch sc = scratch();
    load(natKeys, nowNanos, sc);
    curve.logMoments(sc.alpha, sc.beta, g, sc.moments);
    return HazardCurve.survivalQuantile(sc.moments[0], sc.moments[1], 1.0 - confidence);
  }

  /**
   * The equal-tailed credible interval of S(g) at {@code level}.
   *
   * @throws IllegalArgumentException for a negative silence or level not in (0, 1)
   */
  public Interval survivalInterval(long[] natKeys, long silenceNanos, double level,
      long nowNanos) {
    checkKeys(natKeys);
    checkSilence(silenceNanos);
    checkOpenUnit("credible level", level);
    double g = silenceNanos * NANOS;
    Scratch sc = scratch();
    load(natKeys, nowNanos, sc);
    curve.logMoments(sc.alpha, sc.beta, g, sc.moments);
    double tail = (1.0 - level) / 2.0;
    return new Interval(
        HazardCurve.survivalQuantile(sc.moments[0], sc.moments[1], tail),
        HazardCurve.survivalQuantile(sc.moments[0], sc.moments[1], 1.0 - tail),
        level);
  }

  /**
   * The median lifetime: the silence at which E[S] falls to 1/2, or {@link Long#MAX_VALUE} when
   * it stays above 1/2 up to the longest modelled silence.
   */
  public long medianLifetimeNanos(long[] natKeys, long nowNanos) {
    checkKeys(natKeys);
    Scratch sc = scratch();
    load(natKeys, nowNanos, sc);
    double s = 1.0;
    for (int b = 0; b < curve.bins(); b++) {
      double q = sc.alpha[b] / (sc.alpha[b] + sc.beta[b]);
      if (s * q <= 0.5) {
        double x = Math.log(0.5 / s) / Math.log(q);
        return Math.round(curve.silenceAt(b, Math.max(0.0, Math.min(1.0, x))) * 1e9);
      }
      s *= q;
    }
    return Long.MAX_VALUE;
  }

  /**
   * The curve for plotting: {@code points} silences log-spaced over the modelled range, with
   * E[S] and the equal-tailed band at {@code level}. Allocates; not for hot paths.
   *
   * @throws IllegalArgumentException for fewer than 2 points or level not in (0, 1)
   */
  public SurvivalCurve curve(long[] natKeys, int points, double level, long nowNanos) {
    checkKeys(natKeys);
    checkOpenUnit("credible level", level);
    if (points < 2) {
      throw new IllegalArgumentException("a curve needs at least 2 points, got " + points);
    }
    Scratch sc = scratch();
    load(natKeys, nowNanos, sc);
    double[] g = new double[points];
    double[] mean = new double[points];
    double[] lo = new double[points];
    double[] hi = new double[points];
    double ratio = Math.log(curve.maxSeconds() / curve.minSeconds()) / (points - 1);
    double tail = (1.0 - level) / 2.0;
    for (int i = 0; i < points; i++) {
      g[i] = curve.minSeconds() * Math.exp(i * ratio);
      mean[i] = curve.meanSurvival(sc.alpha, sc.beta, g[i]);
      curve.logMoments(sc.alpha, sc.beta, g[i], sc.moments);
      lo[i] = HazardCurve.survivalQuantile(sc.moments[0], sc.moments[1], tail);
      hi[i] = HazardCurve.survivalQuantile(sc.moments[0], sc.moments[1], 1.0 - tail);
    }
    return new SurvivalCurve(g, mean, lo, hi, level);
  }

  /**
   * The longest silence whose credible lower bound of S stays ≥ {@code reliability}: S(g) ≥
   * reliability with probability ≥ {@code confidence}; never below {@code floorNanos} nor above
   * {@code ceilingNanos} (the floor wins when even it is not reliable enough). Allocation-free.
   *
   * @throws IllegalArgumentException for reliability or confidence not in (0, 1), a floor not
   *     &gt; 0, or floor &gt; ceiling
   */
  public long longestSilenceNanos(long[] natKeys, double reliability, double confidence,
      long floorNanos, long ceilingNanos, long nowNanos) {
    checkKeys(natKeys);
    checkPlan(reliability, confidence, floorNanos, ceilingNanos);
    Scratch sc = scratch();
    double ceiling = ceilingNanos * NANOS;
    load(natKeys, nowNanos, sc);
    double g = curve.longestSilence(sc.alpha, sc.beta, reliability, confidence,
        floorNanos * NANOS, ceiling);
    return clampNanos(g, floorNanos, ceilingNanos);
  }

  /**
   * {@link #longestSilenceNanos} through {@link HazardCurve#longestSilenceReference}: the
   * computation before the fast search, for tests and the benchmark's baseline.
   */
  long longestSilenceNanosReference(long[] natKeys, double reliability, double confidence,
      long floorNanos, long ceilingNanos, long nowNanos) {
    checkKeys(natKeys);
    checkPlan(reliability, confidence, floorNanos, ceilingNanos);
    Scratch sc = scratch();
    load(natKeys, nowNanos, sc);
    double g = curve.longestSilenceReference(sc.alpha, sc.beta, reliability, confidence,
        floorNanos * NANOS, ceilingNanos * NANOS);
    return clampNanos(g, floorNanos, ceilingNanos);
  }

  /** How many times doubt on change discounted a NAT's evidence. */
  public long doubtEvents() {
    return doubts.get();
  }

  /** The number of levels of the NAT feature chain (the length of {@code natKeys}). */
  public int levels() {
    return levels;
  }

  /**
   * The table holding the evidence. Record evidence through {@link #observeSurvival} and
   * {@link #observeLoss}: the model counts only its own writes, so a write made directly to this
   * table is not seen by a {@link KeepalivePlanner}'s remembered interval until the model's next
   * write or the end of the memo's 5-minute window.
   */
  public EvidenceTable table() {
    return table;
  }

  /** The prior. */
  public LifetimePrior prior() {
    return prior;
  }

  // --------------------------------------------------------------------- package-private core

  /** The least specific-level evidence among the bins wholly below g (+inf when none). */
  private double weakestEvidence(Scratch sc, double g) {
    double weakest = Double.POSITIVE_INFINITY;
    int last = curve.lastBin(g);
    for (int b = 0; b < last; b++) {
      weakest = Math.min(weakest, sc.evidence[b]);
    }
    return weakest;
  }

  /**
   * Decayed survivals still count as whole down to this fraction: with the 24-hour half-life a
   * survival supports its silence for 24 h · log2(1/0.9) ≈ 3.6 h, then the planner re-probes.
   * Without it the support of two probes fell below 2 at once, and only keepalives at exactly the
   * supported edge kept it; keepalives planned a re-send margin below the edge never do.
   */
  static final double SUPPORT_DECAY = 0.9;

  /**
   * The longest edge reached by at least {@code minCount} survivals of the most specific level
   * (decayed, counted whole down to {@link #SUPPORT_DECAY}), from counts loaded into {@code
   * alive}; 0 when none.
   */
  double supportedSilence(double[] alive, double minCount) {
    double reached = 0.0;
    for (int j = curve.bins(); j >= 1; j--) {
      reached += alive[j];
      if (reached >= minCount * SUPPORT_DECAY) {
        return curve.edge(j);
      }
    }
    return 0.0;
  }

  /**
   * The shortest edge by which at least {@code minCount} losses of the most specific level
   * (decayed, counted whole down to {@link #SUPPORT_DECAY}) happened, from counts loaded into
   * {@code dead}; +inf when none. The mirror of {@link #supportedSilence}.
   */
  double refutedSilence(double[] dead, double minCount) {
    double reached = 0.0;
    for (int j = 1; j <= curve.bins(); j++) {
      reached += dead[j];
      if (reached >= minCount * SUPPORT_DECAY) {
        return curve.edge(j);
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** The prior's conditional bin survivals: shared by models alike, never written. */
  double[] priorQs() {
    return priorQ;
  }

  /** The prior's conditional survival of bin b (what level 0 shrinks toward). */
  double priorQ(int b) {
    return priorQ[b];
  }

  /** Strength of the most specific level. */
  double topStrength() {
    return strengths[strengths.length - 1];
  }

  HazardCurve hazardCurve() {
    return curve;
  }

  /** This thread's scratch, sized for this model. */
  Scratch scratch() {
    Scratch sc = SCRATCH.get();
    if (sc == null || sc.bins != curve.bins() || sc.levels != strengths.length) {
      sc = new Scratch(curve.bins(), strengths.length);
      SCRATCH.set(sc);
    }
    return sc;
  }

  /**
   * The count of writes this model has made so far, or −1 when its table is shared (then rows
   * may change without this model knowing, and nothing may be remembered across calls).
   */
  long writeCount() {
    return ownsTable ? writes : -1L;
  }

  /**
   * Reads the chain's evidence and fits the bins' Betas into {@code sc.alpha/beta}: level 0 is
   * fitted with the prior's conditional survivals as prior means (strength k_0), level j with
   * level j−1's fitted means (strength k_j: Robinson's f(w), as in {@link FeatureChain}). Leaves
   * the top level's endpoint counts in {@code sc.alive/dead} and its prior means in {@code
   * sc.parentMean} for hypothetical updates. Allocation-free.
   */
  void load(long[] natKeys, long nowNanos, Scratch sc) {
    int epoch = table.epochAt(nowNanos);
    double invW = table.inverseWeightAt(nowNanos, epoch);
    int bins = curve.bins();
    double[] sf = sc.sf;
    System.arraycopy(priorQ, 0, sc.parentMean, 0, bins);
    for (int i = 0; i < natKeys.length; i++) {
      for (int j = 1; j <= bins; j++) {
        table.readAt(binKey(natKeys[i], j), epoch, invW, sf);
        sc.alive[j] = sf[0];
        sc.dead[j] = sf[1];
      }
      double k = strengths[i];
      curve.fit(sc.parentMean, k, sc.alive, sc.dead, SWEEPS, sc.alpha, sc.beta, sc.q, sc.prefix,
          sc.fitWork);
      if (i < natKeys.length - 1) {
        for (int b = 0; b < bins; b++) {
          sc.parentMean[b] = sc.alpha[b] / (sc.alpha[b] + sc.beta[b]);
        }
      } else {
        for (int b = 0; b < bins; b++) {
          sc.evidence[b] = sc.alpha[b] + sc.beta[b] - k;
        }
      }
    }
  }

  /** Fits the top level again after a hypothetical change of {@code sc.alive2/dead2}. */
  void refitHypothetical(Scratch sc) {
    curve.fit(sc.parentMean, strengths[strengths.length - 1], sc.alive2, sc.dead2, SWEEPS,
        sc.alpha2, sc.beta2, sc.q, sc.prefix, sc.fitWork);
  }

  static long binKey(long featureKey, int bin) {
    long k = FeatureKeys.fmix64(featureKey + GOLDEN * (bin + 1));
    return k == 0 ? GOLDEN : k;
  }

  private static long[] binKeys(long[] natKeys, int bin, long[] out) {
    for (int i = 0; i < natKeys.length; i++) {
      out[i] = binKey(natKeys[i], bin);
    }
    return out;
  }

  static long clampNanos(double seconds, long floorNanos, long ceilingNanos) {
    long n = (long) Math.floor(seconds * 1e9);
    return Math.max(floorNanos, Math.min(ceilingNanos, n));
  }

  void checkKeys(long[] natKeys) {
    if (natKeys == null || natKeys.length != levels) {
      throw new IllegalArgumentException("expected " + levels
          + " NAT feature keys (one per level), got "
          + (natKeys == null ? "null" : String.valueOf(natKeys.length)));
    }
    for (long k : natKeys) {
      if (k == 0) {
        throw new IllegalArgumentException(
            "NAT feature key 0 is reserved; derive keys with FeatureKeys");
      }
    }
  }

  static void checkSilence(long silenceNanos) {
    if (silenceNanos < 0) {
      throw new IllegalArgumentException("silence must be >= 0 ns, got " + silenceNanos + " ns");
    }
  }

  static void checkOpenUnit(String what, double p) {
    if (!(p > 0.0 && p < 1.0)) {
      throw new IllegalArgumentException(what + " must lie strictly between 0 and 1, got " + p);
    }
  }

  static void checkPlan(double reliability, double confidence, long floorNanos,
      long ceilingNanos) {
    checkOpenUnit("reliability", reliability);
    checkOpenUnit("confidence", confidence);
    if (floorNanos <= 0) {
      throw new IllegalArgumentException(
          "keepalive floor must be > 0 ns, got " + floorNanos + " ns");
    }
    if (floorNanos > ceilingNanos) {
      throw new IllegalArgumentException("keepalive floor " + floorNanos
          + " ns must not exceed the ceiling " + ceilingNanos + " ns");
    }
  }
}
