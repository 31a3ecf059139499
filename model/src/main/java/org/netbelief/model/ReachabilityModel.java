package org.netbelief.model;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.netbelief.model.internal.FactorMath;

/**
 * Beliefs about whether an introduction attempt from us to a peer succeeds, as four factors
 * that must all hold ({@link Factor}): each an {@link EvidenceTable} with its own half-life and a
 * {@link FeatureChain} from general to specific features, plus a {@link ChangeDetector} per
 * factor that discounts rows whose confident belief is contradicted.
 *
 * <pre>{@code
 * ReachabilityModel model = ReachabilityModel.builder().build();
 * PeerPath path = model.path(Map.of(
 *     "localNetwork", "wlan0/192.0.2.0/24",
 *     "remotePrefix", "198.51.100.0/24",
 *     "remoteNatClass", "EIM-APDF",
 *     "remoteEndpoint", "198.51.100.7:4500"));
 * path.openedAt(now);                          // the rendezvous told the peer to punch
 * double p = model.pSuccess(path, now);        // P(attempt succeeds)
 * model.failure(path, now + rto);              // no answer: blame shared by ADF
 * model.direct(path, Factor.UPLINK, true, t);  // the rendezvous answered us
 * }</pre>
 *
 * <p><b>Outcomes.</b> A success is evidence for every factor: one success for every row of every
 * chain. A failure says only that some factor failed: its blame is shared by {@link Blame#ADF}
 * (default) or {@link Blame#EXPECTED_COUNTS}, and the resulting fractional masses are added to
 * every row of each factor's chain. Direct evidence about one factor updates that factor alone.
 *
 * <p><b>How a moment-matched marginal becomes evidence.</b> ADF yields for factor j a target
 * Beta(a', b') for the path's belief Beta(a, b) (the chain's most specific level, with its parent
 * as prior). The masses added are Δs = a' − a, Δf = b' − b when both are &ge; 0; otherwise the
 * target mean is kept exactly and only one mass is added (the result is then as little more
 * certain than the target as non-negative evidence allows: an evidence table cannot un-observe).
 * The same (Δs, Δf) goes to every level of the chain, just as a success adds (1, 0) to every
 * level, so the general rows pool blame across paths.
 *
 * <p><b>OPENED.</b> The OPENED belief of a path is the chain's learned probability times the
 * {@link HoleSurvival} curve at the silence since {@link PeerPath#openedAt(long)}. Blame
 * computations use the product, so a stale opening absorbs the blame for a failure.
 *
 * <p><b>Thread safety.</b> Thread-safe: the tables and detectors are. A failure reads the four
 * beliefs and then adds evidence; two concurrent failures on overlapping rows may compute their
 * blame from the same state (both updates land; neither is lost). Updates and {@link #pSuccess}
 * allocate nothing (scratch space is per thread).
 */
public final class ReachabilityModel {
  /** The level name whose token may be left out of a path: it is always {@code "*"}. */
  public static final String GLOBAL = "global";

  /** The deepest chain accepted (scratch space is sized for it). */
  static final int MAX_DEPTH = 16;

  private final EvidenceTable[] tables = new EvidenceTable[Factor.COUNT];
  private final FeatureChain[] chains = new FeatureChain[Factor.COUNT];
  private final ChangeDetector[] detectors;
  private final Blame blame;
  private final HoleSurvival survival;
  private final TimeWindow window;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Per-thread work space, so that updates allocate nothing. */
  private static final class Scratch {
    final double[] a = new double[Factor.COUNT];
    final double[] b = new double[Factor.COUNT];
    final double[] c = new double[Factor.COUNT];
    final double[] ta = new double[Factor.COUNT];
    final double[] tb = new double[Factor.COUNT];
    final double[] ds = new double[Factor.COUNT];
    final double[] df = new double[Factor.COUNT];
    final double[] pred = new double[Factor.COUNT * MAX_DEPTH];
    final double[] sf = new double[2];
    final double[] out = new double[2];
    final double[] ka = new double[Factor.COUNT];
    final double[] kb = new double[Factor.COUNT];
    final double[] kc = new double[Factor.COUNT];
    final int[] free = new int[Factor.COUNT];
    final int[] epoch = new int[Factor.COUNT];
    final double[] invW = new double[Factor.COUNT];
  }

  private ReachabilityModel(Builder builder) {
    for (Factor f : Factor.values()) {
      int i = f.ordinal();
      tables[i] = EvidenceTable.builder()
          .halfLifeNanos(builder.halfLives[i])
          .maxRows(builder.maxRows)
          .originNanos(builder.originNanos)
          .build();
      chains[i] = builder.chains[i];
    }
    if (builder.detect) {
      detectors = new ChangeDetector[Factor.COUNT];
      for (int i = 0; i < Factor.COUNT; i++) {
        detectors[i] = ChangeDetector.builder()
            .threshold(builder.threshold).retain(builder.retain).build();
      }
    } else {
      detectors = null;
    }
    this.blame = builder.blame;
    this.survival = builder.survival;
    this.window = new TimeWindow(builder.maxBehindNanos, builder.maxAheadNanos);
  }

  /** A builder with the defaults documented on each of its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configures a {@link ReachabilityModel}. The defaults, and where they come from, are listed
   * in {@code docs/model.md (§7)}:
   *
   * <table>
   * <caption>Defaults</caption>
   * <tr><th>factor</th><th>half-life</th><th>root prior</th><th>chain (strength)</th></tr>
   * <tr><td>UPLINK</td><td>5 min</td><td>0.95, 4</td><td>global, localNetwork (4)</td></tr>
   * <tr><td>DOWNLINK</td><td>30 min</td><td>0.9, 2</td>
   *     <td>global, remotePrefix (4), remoteEndpoint (4)</td></tr>
   * <tr><td>OPENED</td><td>2 min</td><td>0.85, 2</td>
   *     <td>global, remoteNatClass (4), remoteEndpoint (4)</td></tr>
   * <tr><td>OPENABLE</td><td>1 day</td><td>0.7, 2</td>
   *     <td>global, remoteNatClass (4), remoteEndpoint (4)</td></tr>
   * </table>
   *
   * <p>Blame {@link Blame#ADF}; hole survival exponential with a 30 s half-life; change detection
   * on (threshold 8, retain 2); 2^20 rows per table; time origin 0.
   */
  public static final class Builder {
    private final long[] halfLives = {
      Duration.ofMinutes(5).toNanos(),
      Duration.ofMinutes(30).toNanos(),
      Duration.ofMinutes(2).toNanos(),
      Duration.ofDays(1).toNanos()
    };
    private final FeatureChain[] chains = {
      FeatureChain.builder(Prior.of(0.95, 4)).level(GLOBAL, 4).level("localNetwork", 4).build(),
      FeatureChain.builder(Prior.of(0.9, 2))
          .level(GLOBAL, 2).level("remotePrefix", 4).level("remoteEndpoint", 4).build(),
      FeatureChain.builder(Prior.of(0.85, 2))
          .level(GLOBAL, 2).level("remoteNatClass", 4).level("remoteEndpoint", 4).build(),
      FeatureChain.builder(Prior.of(0.7, 2))
          .level(GLOBAL, 2).level("remoteNatClass", 4).level("remoteEndpoint", 4).build()
    };
    private int maxRows = 1 << 20;
    private long originNanos;
    private Blame blame = Blame.ADF;
    private HoleSurvival survival = HoleSurvival.exponential(Duration.ofSeconds(30).toNanos());
    private boolean detect = true;
    private double threshold = 8.0;
    private double retain = 2.0;
    private long maxBehindNanos = Duration.ofHours(1).toNanos();
    private long maxAheadNanos = Duration.ofDays(365).toNanos();

    private Builder() {}

    /**
     * The window of accepted times around the newest time seen: an update more than {@code
     * behind} older or {@code ahead} newer than it is rejected as a clock error (defaults 1 hour
     * and 365 days: late events are normal for seconds, a monotonic clock never jumps a year).
     *
     * @throws IllegalArgumentException unless both are positive
     */
    public Builder timeWindow(Duration behind, Duration ahead) {
      if (behind == null || ahead == null || behind.isNegative() || behind.isZero()
          || ahead.isNegative() || ahead.isZero()) {
        throw new IllegalArgumentException(
            "time window must be positive, got behind " + behind + ", ahead " + ahead);
      }
      this.maxBehindNanos = saturatedNanos(behind);
      this.maxAheadNanos = saturatedNanos(ahead);
      return this;
    }

    private static long saturatedNanos(Duration d) {
      try {
        return d.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }

    /**
     * The half-life of {@code factor}'s evidence.
     *
     * @throws IllegalArgumentException for a null factor or a half-life outside [1 ms, 365 d]
     */
    public Builder halfLife(Factor factor, Duration halfLife) {
      checkFactor(factor);
      if (halfLife == null) {
        throw new IllegalArgumentException("half-life of " + factor + " must not be null");
      }
      // Validated by the table builder, which names the value.
      EvidenceTable.builder().halfLife(halfLife);
      halfLives[factor.ordinal()] = halfLife.toNanos();
      return this;
    }

    /**
     * The feature chain of {@code factor} (its root prior and its levels, general first). A
     * level named {@value ReachabilityModel#GLOBAL} takes the token {@code "*"} when a path
     * leaves it out.
     *
     * @throws IllegalArgumentException for a null factor or chain, or a chain deeper than 16
     */
    public Builder chain(Factor factor, FeatureChain chain) {
      checkFactor(factor);
      if (chain == null) {
        throw new IllegalArgumentException("chain of " + factor + " must not be null");
      }
      if (chain.depth() > MAX_DEPTH) {
        throw new IllegalArgumentException(
            "chain of " + factor + " has " + chain.depth() + " levels; at most " + MAX_DEPTH);
      }
      chains[factor.ordinal()] = chain;
      return this;
    }

    /** Rows per factor table (default 2^20); see {@link EvidenceTable.Builder#maxRows}. */
    public Builder maxRows(int maxRows) {
      EvidenceTable.builder().maxRows(maxRows);
      this.maxRows = maxRows;
      return this;
    }

    /** The time origin of the tables (default 0); see {@link EvidenceTable.Builder}. */
    public Builder originNanos(long originNanos) {
      this.originNanos = originNanos;
      return this;
    }

    /** How failures are blamed (default {@link Blame#ADF}). */
    public Builder blame(Blame blame) {
      if (blame == null) {
        throw new IllegalArgumentException("blame must not be null");
      }
      this.blame = blame;
      return this;
    }

    /**
     * The curve by which OPENED decays with silence (default exponential, half-life 30 s: the
     * shortest UDP binding timeouts commonly measured on home gateways).
     */
    public Builder holeSurvival(HoleSurvival survival) {
      if (survival == null) {
        throw new IllegalArgumentException("hole survival curve must not be null");
      }
      this.survival = survival;
      return this;
    }

    /**
     * Change detection per row (default on, threshold 8, retain 2); see {@link ChangeDetector}.
     *
     * @throws IllegalArgumentException as {@link ChangeDetector.Builder}
     */
    public Builder changeDetection(boolean on, double threshold, double retain) {
      ChangeDetector.builder().threshold(threshold).retain(retain);
      this.detect = on;
      this.threshold = threshold;
      this.retain = retain;
      return this;
    }

    /** The model. */
    public ReachabilityModel build() {
      return new ReachabilityModel(this);
    }
  }

  // ------------------------------------------------------------------------------- paths

  /**
   * The path whose features are {@code tokens} (level name → token). Every level of every
   * factor's chain needs a token, except {@value #GLOBAL}, which defaults to {@code "*"}.
   *
   * @throws IllegalArgumentException naming a missing feature, or a feature no chain uses
   */
  public PeerPath path(Map<String, String> tokens) {
    if (tokens == null) {
      throw new IllegalArgumentException("path tokens must not be null");
    }
    Map<String, String> used = new LinkedHashMap<>();
    long[][] keys = new long[Factor.COUNT][];
    for (Factor f : Factor.values()) {
      FeatureChain chain = chains[f.ordinal()];
      long[] k = new long[chain.depth()];
      for (int i = 0; i < k.length; i++) {
        String level = chain.levelName(i);
        String token = tokens.get(level);
        if (token == null) {
          if (!level.equals(GLOBAL)) {
            throw new IllegalArgumentException(
                "path lacks feature '" + level + "' needed by the " + f + " chain");
          }
          token = "*";
        }
        used.put(level, token);
        k[i] = FeatureKeys.of(level, token);
      }
      keys[f.ordinal()] = k;
    }
    for (String name : tokens.keySet()) {
      if (!used.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown feature '" + name + "': no factor's chain has a level of that name");
      }
    }
    return new PeerPath(keys, Collections.unmodifiableMap(used));
  }

  // ------------------------------------------------------------------------------- updates

  /** Records a successful attempt on {@code path}: one success for every row of every chain. */
  public void success(PeerPath path, long nowNanos) {
    checkPath(path);
    Scratch s = SCRATCH.get();
    prepare(path, nowNanos, s);
    for (int j = 0; j < Factor.COUNT; j++) {
      s.ds[j] = 1.0;
      s.df[j] = 0.0;
    }
    apply(path, nowNanos, 1.0, s);
  }

  /** Records a failed attempt on {@code path}, blamed as configured (default ADF). */
  public void failure(PeerPath path, long nowNanos) {
    failure(path, blame, Collections.emptySet(), nowNanos);
  }

  /** Records a failed attempt on {@code path}, blamed by {@code how}. */
  public void failure(PeerPath path, Blame how, long nowNanos) {
    failure(path, how, Collections.emptySet(), nowNanos);
  }

  /**
   * Records a failed attempt on {@code path} in which the factors in {@code held} are known to
   * have held (for example the peer acknowledged the rendezvous and reported that it punched:
   * DOWNLINK and OPENED held). The failure likelihood is then {@code 1 − Π_{j∉held} c_j q_j}:
   * the blame is shared among the other factors only, and the held ones get no evidence from
   * the failure (record their direct evidence with {@link #direct}). When every factor is held
   * the failure contradicts the model and changes nothing. Allocation-free for a reused set.
   *
   * @throws IllegalArgumentException for a null path, blame or set, or a time out of range;
   *     nothing changes
   */
  public void failure(PeerPath path, Blame how, java.util.Set<Factor> held, long nowNanos) {
    failure(path, how, held, 1.0, nowNanos);
  }

  /**
   * As {@link #failure(PeerPath, Blame, java.util.Set, long)}, but the general rows of every
   * chain (all but the most specific level) receive the blame masses scaled by {@code
   * parentWeight} in [0, 1]; the most specific row receives them whole. For a repeated failure
   * that is not a new draw for the population the general rows describe: the second and later
   * rounds of one punching session to one endpoint fail for the same reason as the first, so
   * they tell the endpoint's row more (the failure was no accident) but the pooled rows nothing
   * new ({@code parentWeight} 0). With 1 this is the plain failure. A chain without a remote
   * level (UPLINK's, by default) has a most specific row shared by every path: it still gets
   * the whole masses, as a repeated failure is new evidence that our side is still down.
   *
   * <pre>{@code
   * model.failure(path, Blame.ADF, Set.of(), 1.0, t0);          // first round: a new draw
   * model.failure(path, Blame.ADF, Set.of(), 0.0, t0 + 500_000_000L); // its repeat
   * }</pre>
   *
   * @throws IllegalArgumentException as the plain failure, or for {@code parentWeight} outside
   *     [0, 1]; nothing changes
   */
  public void failure(PeerPath path, Blame how, java.util.Set<Factor> held, double parentWeight,
      long nowNanos) {
    checkPath(path);
    if (!(parentWeight >= 0.0 && parentWeight <= 1.0)) {
      throw new IllegalArgumentException(
          "parent weight must lie in [0, 1], got " + parentWeight);
    }
    if (how == null) {
      throw new IllegalArgumentException("blame must not be null");
    }
    if (held == null) {
      throw new IllegalArgumentException("set of held factors must not be null");
    }
    Scratch s = SCRATCH.get();
    prepare(path, nowNanos, s);
    // Compact the factors in doubt into the front of the scratch arrays (index map in free[]).
    int k = 0;
    for (int j = 0; j < Factor.COUNT; j++) {
      s.ds[j] = 0.0;
      s.df[j] = 0.0;
      if (!held.contains(Factor.of(j))) {
        s.free[k] = j;
        s.ka[k] = s.a[j];
        s.kb[k] = s.b[j];
        s.kc[k] = s.c[j];
        k++;
      }
    }
    if (k == 0) {
      return;
    }
    if (how == Blame.ADF) {
      FactorMath.adfFailure(s.ka, s.kb, s.kc, k, s.ta, s.tb);
      for (int i = 0; i < k; i++) {
        FactorMath.massesToward(s.ka[i], s.kb[i], s.ta[i], s.tb[i], s.out);
        s.ds[s.free[i]] = s.out[0];
        s.df[s.free[i]] = s.out[1];
      }
    } else {
      FactorMath.expectedCountsFailure(s.ka, s.kb, s.kc, k, s.ta, s.tb);
      for (int i = 0; i < k; i++) {
        s.ds[s.free[i]] = s.ta[i];
        s.df[s.free[i]] = s.tb[i];
      }
    }
    apply(path, nowNanos, parentWeight, s);
  }

  /** Direct evidence about one factor: one success or failure for that factor's chain alone. */
  public void direct(PeerPath path, Factor factor, boolean success, long nowNanos) {
    direct(path, factor, success ? 1.0 : 0.0, success ? 0.0 : 1.0, nowNanos);
  }

  /**
   * Direct, possibly fractional, evidence about one factor: the rendezvous answered us ({@link
   * Factor#UPLINK}), the peer acknowledged the rendezvous ({@link Factor#DOWNLINK}).
   *
   * @throws IllegalArgumentException for a null path or factor, a negative, NaN or infinite
   *     mass, or a time out of range; nothing changes
   */
  public void direct(PeerPath path, Factor factor, double successes, double failures,
      long nowNanos) {
    checkPath(path);
    checkFactor(factor);
    checkMass("success", successes);
    checkMass("failure", failures);
    int j = factor.ordinal();
    EvidenceTable t = tables[j];
    checkTime(nowNanos);
    int epoch = t.epochAt(nowNanos); // validates the time before anything changes
    double invW = t.inverseWeightAt(nowNanos, epoch);
    window.advance(nowNanos);
    Scratch s = SCRATCH.get();
    long[] keys = path.keys(factor);
    predictLevels(j, keys, epoch, invW, s);
    t.observeAll(keys, 0, keys.length, successes, failures, nowNanos);
    detect(j, keys, 0, keys.length, successes, failures, nowNanos, s);
  }

  /**
   * Scales the evidence of one feature of {@code factor}'s chain by {@code keep} in [0, 1], for
   * callers that know the network changed (for example the local network after a roam: {@code
   * discount(Factor.UPLINK, "localNetwork", "wlan0/192.0.2.0/24", 0)}).
   *
   * @throws IllegalArgumentException for a null factor, a level not in that factor's chain, a
   *     null token, or {@code keep} outside [0, 1]; nothing changes
   */
  public void discount(Factor factor, String level, String token, double keep) {
    checkFactor(factor);
    FeatureChain chain = chains[factor.ordinal()];
    boolean known = false;
    for (int i = 0; i < chain.depth(); i++) {
      known |= chain.levelName(i).equals(level);
    }
    if (!known) {
      throw new IllegalArgumentException(
          "unknown feature '" + level + "' for " + factor + ": its chain has no such level");
    }
    if (token == null) {
      throw new IllegalArgumentException("feature token must not be null");
    }
    if (!(keep >= 0.0 && keep <= 1.0)) {
      throw new IllegalArgumentException("discount keep fraction must lie in [0, 1], got " + keep);
    }
    long key = FeatureKeys.of(level, token);
    tables[factor.ordinal()].discount(key, keep);
    if (detectors != null) {
      detectors[factor.ordinal()].reset(key);
    }
  }

  // ------------------------------------------------------------------------------- queries

  /** The belief in {@code factor} for {@code path} (the learned part; OPENED without decay). */
  public Belief belief(PeerPath path, Factor factor, long nowNanos) {
    checkPath(path);
    checkFactor(factor);
    return chains[factor.ordinal()].belief(tables[factor.ordinal()], path.keys(factor), nowNanos);
  }

  /**
   * The multiplier of {@code factor}'s belief at {@code nowNanos}: the hole-survival curve at
   * the silence since {@link PeerPath#openedAt(long)} for OPENED (1 if never opened), else 1.
   */
  public double multiplier(PeerPath path, Factor factor, long nowNanos) {
    checkPath(path);
    checkFactor(factor);
    return factor == Factor.OPENED ? openedMultiplier(path, nowNanos) : 1.0;
  }

  /** P(attempt succeeds) = Π c_j E[q_j]. Allocation-free. */
  public double pSuccess(PeerPath path, long nowNanos) {
    checkPath(path);
    Scratch s = SCRATCH.get();
    prepare(path, nowNanos, s);
    double p = 1.0;
    for (int j = 0; j < Factor.COUNT; j++) {
      p *= s.c[j] * s.a[j] / (s.a[j] + s.b[j]);
    }
    return p;
  }

  /**
   * P(a new attempt succeeds): Π E[q_j] over the factors not in {@code held}, with OPENED's
   * multiplier at zero silence. A new introduction makes both peers punch at once, so the chance
   * that an old opening survived does not enter (use {@link #pSuccess} for an attempt that
   * relies on an earlier opening); a factor known to hold now (for example UPLINK while the
   * rendezvous answers) counts 1. Allocation-free for a reused set.
   *
   * <pre>{@code
   * double p = model.pSuccessFresh(path, Set.of(Factor.UPLINK), now); // rendezvous just answered
   * }</pre>
   *
   * @throws IllegalArgumentException for a null path or set, or a time out of range
   */
  public double pSuccessFresh(PeerPath path, java.util.Set<Factor> held, long nowNanos) {
    checkPath(path);
    if (held == null) {
      throw new IllegalArgumentException("set of held factors must not be null");
    }
    // As pSuccess: a path never opened has multiplier 1 (and a learned curve is not asked).
    double fresh = path.openedAtNanos() == PeerPath.NEVER ? 1.0
        : survival.survival(path, 0L, nowNanos);
    fresh = fresh >= 0.0 ? Math.min(fresh, 1.0) : 0.0;
    Scratch s = SCRATCH.get();
    prepare(path, nowNanos, s);
    double p = fresh;
    for (int j = 0; j < Factor.COUNT; j++) {
      if (!held.contains(Factor.of(j))) {
        p *= s.a[j] / (s.a[j] + s.b[j]);
      }
    }
    return p;
  }

  /** The belief about the attempt: every factor's belief and the product's distribution. */
  public AttemptBelief attempt(PeerPath path, long nowNanos) {
    checkPath(path);
    Belief[] beliefs = new Belief[Factor.COUNT];
    double[] c = new double[Factor.COUNT];
    for (Factor f : Factor.values()) {
      beliefs[f.ordinal()] = belief(path, f, nowNanos);
      c[f.ordinal()] = multiplier(path, f, nowNanos);
    }
    return new AttemptBelief(beliefs, c);
  }

  /** The number of changes the detectors found in {@code factor}'s rows so far. */
  public long detections(Factor factor) {
    checkFactor(factor);
    return detectors == null ? 0 : detectors[factor.ordinal()].detections();
  }

  /** The evidence table of {@code factor} (for tests and snapshots within the package). */
  EvidenceTable table(Factor factor) {
    return tables[factor.ordinal()];
  }

  /** The feature chain of {@code factor}. */
  public FeatureChain chain(Factor factor) {
    checkFactor(factor);
    return chains[factor.ordinal()];
  }

  // ------------------------------------------------------------------------------ internals

  /**
   * Checks the time against every table (so that nothing changes on a bad time), then reads
   * each factor's path belief Beta(a_j, b_j), its multiplier c_j and every level's prediction.
   */
  private void prepare(PeerPath path, long nowNanos, Scratch s) {
    checkTime(nowNanos);
    // The survival curve is foreign code: call it before filling the scratch space, so that a
    // curve that queries this model on the same thread cannot clobber it.
    double opened = openedMultiplier(path, nowNanos);
    for (int j = 0; j < Factor.COUNT; j++) {
      s.epoch[j] = tables[j].epochAt(nowNanos); // throws for a time out of the table's range
      s.invW[j] = tables[j].inverseWeightAt(nowNanos, s.epoch[j]);
    }
    window.advance(nowNanos);
    for (int j = 0; j < Factor.COUNT; j++) {
      predictLevels(j, path.keys(Factor.of(j)), s.epoch[j], s.invW[j], s);
      s.c[j] = j == Factor.OPENED.ordinal() ? opened : 1.0;
    }
  }

  /**
   * Walks factor j's chain: {@code s.pred[j·MAX_DEPTH + i]} gets level i's prediction m_i, and
   * {@code s.a[j], s.b[j]} the last level's Beta with its parent as prior.
   */
  private void predictLevels(int j, long[] keys, int epoch, double invW, Scratch s) {
    FeatureChain chain = chains[j];
    EvidenceTable t = tables[j];
    double m = chain.rootPrior().mean();
    int base = j * MAX_DEPTH;
    for (int i = 0; i < keys.length; i++) {
      t.readAt(keys[i], epoch, invW, s.sf);
      // A token prior (FeatureChain.tokenPrior) replaces the parent's estimate for its row.
      // It may be set at run time (FeatureChain.setTokenPrior): one read, so mean and strength
      // belong to the same value.
      int tp = chain.tokenPriorIndex(i, keys[i]);
      Prior token = tp < 0 ? null : chain.tokenPrior(tp);
      double k = tp < 0 ? chain.strength(i) : token.strength();
      double parent = tp < 0 ? m : token.mean();
      s.a[j] = k * parent + s.sf[0];
      s.b[j] = k * (1.0 - parent) + s.sf[1];
      m = s.a[j] / (s.a[j] + s.b[j]);
      s.pred[base + i] = m;
    }
  }

  /** Adds the masses in {@code s}: whole to the most specific row, × parentWeight above it. */
  private void apply(PeerPath path, long nowNanos, double parentWeight, Scratch s) {
    for (int j = 0; j < Factor.COUNT; j++) {
      double ds = s.ds[j];
      double df = s.df[j];
      if (ds == 0.0 && df == 0.0) {
        continue;
      }
      long[] keys = path.keys(Factor.of(j));
      if (parentWeight == 1.0) {
        tables[j].observeAll(keys, 0, keys.length, ds, df, nowNanos);
        detect(j, keys, 0, keys.length, ds, df, nowNanos, s);
      } else {
        int last = keys.length - 1;
        if (parentWeight > 0.0) {
          tables[j].observeAll(keys, 0, last, ds * parentWeight, df * parentWeight, nowNanos);
          detect(j, keys, 0, last, ds * parentWeight, df * parentWeight, nowNanos, s);
        }
        tables[j].observeAll(keys, last, keys.length, ds, df, nowNanos);
        detect(j, keys, last, keys.length, ds, df, nowNanos, s);
      }
    }
  }

  private void detect(int j, long[] keys, int from, int to, double ds, double df, long nowNanos,
      Scratch s) {
    if (detectors == null) {
      return;
    }
    ChangeDetector d = detectors[j];
    int base = j * MAX_DEPTH;
    for (int i = from; i < to; i++) {
      d.observe(tables[j], keys[i], s.pred[base + i], ds, df, nowNanos);
    }
  }

  /**
   * Rejects a time outside the window, before anything changes. The tables' own range check
   * happens in {@code epochAt}, which every update calls for every table it writes before
   * writing anything.
   */
  private void checkTime(long nowNanos) {
    window.check(nowNanos);
  }

  private double openedMultiplier(PeerPath path, long nowNanos) {
    long since = path.openedAtNanos();
    if (since == PeerPath.NEVER) {
      return 1.0;
    }
    long silence = nowNanos - since;
    double c = survival.survival(path, silence < 0 ? 0 : silence, nowNanos);
    // A survival curve outside [0, 1] is a bug in the curve; clamp rather than corrupt beliefs.
    return c >= 0.0 ? Math.min(c, 1.0) : 0.0;
  }

  private static void checkPath(PeerPath path) {
    if (path == null) {
      throw new IllegalArgumentException("path must not be null");
    }
  }

  private static void checkFactor(Factor factor) {
    if (factor == null) {
      throw new IllegalArgumentException("factor must not be null (unknown factor)");
    }
  }

  private static void checkMass(String what, double mass) {
    if (!(mass >= 0.0) || Double.isInfinite(mass)) {
      throw new IllegalArgumentException(what + " mass must be finite and >= 0, got " + mass);
    }
  }
}
