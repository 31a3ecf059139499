package org.netbelief.model;

import java.util.OptionalLong;
import org.apache.commons.math3.special.Erf;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.netbelief.model.internal.GaussHermite;
import org.netbelief.model.internal.LogitNormal;

/**
 * A joint Gaussian belief over the log-odds that each shared segment of the network passes a
 * packet, learnt from path outcomes: which segment failed, when many paths share parts.
 *
 * <p>Model. Segment {@code i} passes a packet with probability {@code σ(x_i)}; the vector
 * {@code x} of log-odds has the belief {@code N(μ, Σ)}. An attempt over a path that crosses the
 * segments {@code P} succeeds with probability {@code h(x) = Π_{i∈P} σ(x_i)}. Between observations
 * every {@code x_i} drifts back to its prior {@code N(μ0_i, v0_i)} as an Ornstein–Uhlenbeck process
 * whose mean-reversion half-life is the segment's half-life: uncertainty grows while nothing is
 * observed, up to the prior's, which is where doubt goes back to.
 *
 * <p>Update. Each observation is folded in by assumed-density filtering: the tilted distribution
 * {@code N(x; μ, Σ)·ℓ(x_P)} is projected back onto a Gaussian by matching its mean and covariance
 * exactly on the path's block (tensor Gauss–Hermite quadrature in the path's {@code k ≤ 8}
 * dimensions) and carrying the change to every other segment through the Gaussian conditional
 * (the rest depends on the path only through the covariance column). That is a rank-{@code k}
 * update, {@code O(k n²)}; an extended-Kalman step (rank one) was measured and rejected: it misses
 * the exact posterior by far more than the accuracy target (see {@code docs/model.md (§9)}).
 * Matrices are preallocated at the capacity and reused: {@link #observe} allocates nothing.
 *
 * <p>Two kinds of segment. An ordinary segment ({@link #addSegment}) has a belief over its pass
 * rate {@code σ(x_i)}, the parameter of independent per-packet draws. A
 * {@linkplain #addTwoStateSegment two-state segment} is working or broken, with known pass rates
 * in each state, and stays in its state between attempts; {@code x_i} is the log-odds that it
 * works, and each outcome moves it by the outcome's likelihood ratio between the states, so a run
 * of failures convicts it as Bayes' rule on the states does (against exact posteriors over binary
 * segments: mean error 0.0025, max 0.088, where ordinary segments reach 0.027 and 0.181; see
 * {@code docs/model.md} §9). Paths may mix both kinds.
 *
 * <p>Example:
 *
 * <pre>{@code
 * SegmentBelief belief = new SegmentBelief(64);
 * long halfLife = 600_000_000_000L;                       // 10 min
 * belief.addSegment(OUR_UPLINK, 0.99, 1.5, halfLife, now);
 * belief.addSegment(CGNAT, 0.97, 1.5, halfLife, now);
 * belief.addSegment(PEER_7, 0.9, 1.5, halfLife, now);
 * belief.addPath(PATH_TO_7, new long[] {OUR_UPLINK, CGNAT, PEER_7});
 * belief.observe(PATH_TO_7, false, now);                  // the attempt failed
 * double p = belief.probabilityWorks(CGNAT, now);         // P(the CGNAT passes packets)
 * OptionalLong culprit = belief.mostLikelyAtFault(now);
 * }</pre>
 *
 * <p>Bad input is refused with {@link IllegalArgumentException} before anything changes: unknown
 * segments or paths, NaN or out-of-range outcomes and priors, non-finite, asymmetric or
 * non-positive-definite covariances handed to {@link #replaceJointBelief}. Numerical trouble the
 * caller cannot see is handled by documented fallbacks, never by a poisoned belief: a path block
 * whose covariance is no longer positive definite is reset to its prior ({@link #resetCount()});
 * an outcome so surprising that the quadrature cannot resolve it even when split into 64 tempered
 * pieces is dropped ({@link #droppedCount()}).
 *
 * <p>Not thread-safe: one writer, and queries from the same thread (queries reuse scratch
 * space).
 */
public final class SegmentBelief implements SegmentReadout {
  /** How many of the latest observations {@link #mostLikelyAtFault} looks at. */
  public static final int RECENT_OBSERVATIONS = 32;

  // Under "segment c is down", an attempt over c that succeeded has this probability (a hard
  // break passes nothing; the floor keeps one mislabelled success from vetoing a diagnosis).
  private static final double SUCCESS_THROUGH_BROKEN = 0.01;
  // Default prior odds that a segment went down just before a given recent observation, as a
  // fraction of its prior failure probability: a break is rarer than a lost packet. With typical
  // predictive failure probabilities of ~0.1, a shared segment with prior P(works) = 0.98 needs
  // 3–4 unexplained failures and no success in between before a break is preferred over chance.
  // Callers who know better set it per segment with setBreakPrior.
  private static final double BREAK_PRIOR_SCALE = 0.05;

  // Quadrature points per dimension by path length k: p^k points in all (16, 100, 343, 625, 1024,
  // 729, 2187, 6561). The end-to-end accuracy (projection and quadrature together) is measured
  // against exact posteriors in SegmentBeliefAccuracyTest; the 2-D rule's error on a product of
  // two independent factors is ~2e-6 (SegmentBeliefTest).
  private static final int[] POINTS_FOR_LENGTH = {0, 16, 10, 7, 5, 4, 3, 3, 3};
  private static final int MAX_TEMPERING = 64;
  // Below this normaliser the tilted mass sits too far in the tail for the grid: temper.
  private static final double MIN_NORMALISER = 1e-6;
  private static final double MIN_TILTED_VARIANCE = 1e-10;
  private static final int SYMMETRISE_EVERY = 256;
  private static final double MAX_MESSAGE = 20;

  private final SegmentGraph graph;
  private final int capacity;
  // n×n covariance and n×1 mean over live segments; data arrays sized for the capacity, so
  // reshaping within the capacity never allocates.
  private final DMatrixRMaj covariance;
  private final DMatrixRMaj mean;
  private final double[] priorMean;
  private final double[] priorVariance;
  // Pass probability of segment i given its log-odds x: passFloor + passSpan·σ(x). The default
  // (0, 1) makes x the log-odds of passing a packet; a range (d, u) makes x the log-odds that the
  // segment is "working" (passes u) rather than "broken" (passes d).
  private final double[] passFloor;
  private final double[] passSpan;
  // Two-state segments: x is the log-odds of a persistent working state (see addTwoStateSegment).
  private final boolean[] twoState;
  private final double[] successMessage;
  private final double[] reversionPerSecond;
  private final double[] breakPrior;
  private final double[] decay;
  private long clockNanos;
  private boolean clockStarted;

  // Scratch for the per-observation update (sized for the longest path), reused every time.
  private final DMatrixRMaj columns; // Bᵀ = Σ[P, :], k×n
  private final DMatrixRMaj columnsTimesGain; // W·Bᵀ, k×n
  private final DMatrixRMaj gain; // W, k×k
  private final DMatrixRMaj shift; // a, k×1
  private final double[] blockCov = new double[SegmentGraph.MAX_PATH_SEGMENTS * SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] blockChol = new double[blockCov.length];
  private final double[] blockMean = new double[SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] blockFloor = new double[SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] blockSpan = new double[SegmentGraph.MAX_PATH_SEGMENTS];
  private final boolean[] blockTwoState = new boolean[SegmentGraph.MAX_PATH_SEGMENTS];
  // Whether the loaded block has a two-state segment (pass = d + (u−d)σ rather than σ): the
  // ordinary quadrature skips the affine map.
  private boolean blockAffine;
  private final double[] blockSuccessMessage = new double[SegmentGraph.MAX_PATH_SEGMENTS];
  // Two-state update scratch: per grid node x − μ and pass probabilities; tilted E[t], E[z tᵀ],
  // E[t tᵀ] of the transformed block t = T(x) − μ_P.
  private final double[] gridOffset = new double[SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] gridPass = new double[SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] gridMessage = new double[SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] tiltedT = new double[SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] tiltedZT = new double[SegmentGraph.MAX_PATH_SEGMENTS * SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] tiltedTT = new double[SegmentGraph.MAX_PATH_SEGMENTS * SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] crossGain = new double[SegmentGraph.MAX_PATH_SEGMENTS * SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] tiltedMean = new double[SegmentGraph.MAX_PATH_SEGMENTS];
  private final double[] tiltedSecond = new double[blockCov.length];
  private final double[] tiltedChol = new double[blockCov.length];
  private final double[] work = new double[blockCov.length];
  private final double[] gridPoint = new double[SegmentGraph.MAX_PATH_SEGMENTS];
  private final int[] gridDigits = new int[SegmentGraph.MAX_PATH_SEGMENTS];
  private final int[] querySlots = new int[SegmentGraph.MAX_PATH_SEGMENTS];
  private double normaliser;
  private int updatesSinceSymmetrise;
  private final double[] sigmoidPrefix = new double[SegmentGraph.MAX_PATH_SEGMENTS + 1];
  private final double[] weightPrefix = new double[SegmentGraph.MAX_PATH_SEGMENTS + 1];

  // Ring of the latest observations for the fault diagnosis: path, outcome, and the probability
  // the belief gave that outcome just before folding it in (the ADF normaliser, free).
  private final long[] recentPath = new long[RECENT_OBSERVATIONS];
  private final double[] recentOutcome = new double[RECENT_OBSERVATIONS];
  private final double[] recentPredictive = new double[RECENT_OBSERVATIONS];
  private int recentCount;
  private int recentNext;
  private double lastPredictive;

  private long observationCount;
  private long resetCount;
  private long droppedCount;

  /**
   * Creates an empty belief that can hold up to {@code capacity} segments. Memory is
   * {@code 8·capacity²} bytes for the covariance, allocated now.
   *
   * @param capacity the most live segments, 1..4096
   */
  public SegmentBelief(int capacity) {
    if (capacity < 1 || capacity > 4096) {
      throw new IllegalArgumentException("capacity must be in 1..4096, was " + capacity);
    }
    this.capacity = capacity;
    this.graph = new SegmentGraph(capacity);
    this.covariance = new DMatrixRMaj(capacity, capacity);
    this.covariance.reshape(0, 0, false);
    this.mean = new DMatrixRMaj(capacity, 1);
    this.mean.reshape(0, 1, false);
    this.priorMean = new double[capacity];
    this.priorVariance = new double[capacity];
    this.passFloor = new double[capacity];
    this.passSpan = new double[capacity];
    this.twoState = new boolean[capacity];
    this.successMessage = new double[capacity];
    this.reversionPerSecond = new double[capacity];
    this.breakPrior = new double[capacity];
    this.decay = new double[capacity];
    int k = SegmentGraph.MAX_PATH_SEGMENTS;
    this.columns = new DMatrixRMaj(k, capacity);
    this.columnsTimesGain = new DMatrixRMaj(k, capacity);
    this.gain = new DMatrixRMaj(k, k);
    this.shift = new DMatrixRMaj(k, 1);
  }

  /**
   * Returns the topology (read-only; change it through this belief).
   *
   * @return the graph
   */
  public SegmentGraph graph() {
    return graph;
  }

  // ------------------------------------------------------------------ topology

  /**
   * Registers a segment with its prior. The prior is a logit-normal: log-odds
   * {@code N(μ0, sd²)} with {@code μ0} chosen so that the prior probability of passing a packet is
   * {@code priorProbability}. The same prior is where the belief returns while the segment is not
   * observed, with the given half-life.
   *
   * @param segmentKey the segment's feature key (unique)
   * @param priorProbability prior P(segment passes a packet), in (0, 1)
   * @param priorLogOddsSd prior standard deviation of the log-odds, in (0, 10]; 1.5 is a vague
   *     but not U-shaped prior
   * @param halfLifeNanos half-life of the drift back to the prior, {@code > 0}
   * @param nowNanos monotonic time
   * @throws IllegalArgumentException on a duplicate key, a full graph or an out-of-range prior
   */
  public void addSegment(
      long segmentKey,
      double priorProbability,
      double priorLogOddsSd,
      long halfLifeNanos,
      long nowNanos) {
    if (!(priorProbability > 0 && priorProbability < 1)) {
      throw new IllegalArgumentException(
          "priorProbability must be in (0, 1), was " + priorProbability);
    }
    register(segmentKey, priorProbability, priorLogOddsSd, halfLifeNanos, 0.0, 1.0, false,
        nowNanos);
  }

  /**
   * Registers a <em>two-state</em> segment: at any time it is either working (it passes a packet
   * with probability {@code passWhenWorking}) or broken (it passes with probability
   * {@code passWhenBroken}), and it stays in its state from one attempt to the next. The belief
   * is then over the log-odds {@code x} that it works, {@code P(working) = E[σ(x)]}, and it passes
   * a packet with probability {@code passWhenBroken + (passWhenWorking − passWhenBroken)·P(working)}
   * ({@link #probabilityWorks}). Use it when a segment's loss rates in both states are known (a
   * working link still loses 1% of packets; a broken relay still answers 20% of probes): every
   * outcome then moves the log-odds by its exact likelihood ratio, so a run of failures through a
   * segment convicts it as fast as Bayes' rule on the two states does, which a belief over a
   * continuous pass rate cannot ({@code docs/model.md} §9, accuracy figures). The update is exact
   * for each point of the Gaussian and projected back onto a Gaussian by moment matching, as for
   * {@link #addSegment(long, double, double, long, long) ordinary segments}; paths may mix both
   * kinds. Two-state and ordinary segments drift back to their priors alike.
   *
   * <pre>{@code
   * belief.addTwoStateSegment(RELAY, 0.95, 1.5, halfLife, 0.2, 0.99, now);
   * double pWorking = belief.probabilityWorking(RELAY, now);
   * }</pre>
   *
   * @param segmentKey the segment's feature key (unique)
   * @param priorWorking prior P(segment is working), in (0, 1)
   * @param priorLogOddsSd prior standard deviation of the log-odds, in (0, 10]; the prior of the
   *     state depends only on {@code priorWorking}, the spread is what lets the belief carry
   *     correlations between segments (1.5 is a good default)
   * @param halfLifeNanos half-life of the drift back to the prior, {@code > 0}
   * @param passWhenBroken pass probability of a broken segment, in [0, 1)
   * @param passWhenWorking pass probability of a working segment, in (passWhenBroken, 1]
   * @param nowNanos monotonic time
   * @throws IllegalArgumentException on a duplicate key, a full graph or an out-of-range value
   */
  public void addTwoStateSegment(
      long segmentKey,
      double priorWorking,
      double priorLogOddsSd,
      long halfLifeNanos,
      double passWhenBroken,
      double passWhenWorking,
      long nowNanos) {
    if (!(priorWorking > 0 && priorWorking < 1)) {
      throw new IllegalArgumentException("priorWorking must be in (0, 1), was " + priorWorking);
    }
    if (!(passWhenBroken >= 0 && passWhenBroken < 1)) {
      throw new IllegalArgumentException(
          "passWhenBroken must be in [0, 1), was " + passWhenBroken);
    }
    if (!(passWhenWorking > passWhenBroken && passWhenWorking <= 1)) {
      throw new IllegalArgumentException(
          "passWhenWorking must be in (passWhenBroken = " + passWhenBroken + ", 1], was "
              + passWhenWorking);
    }
    register(segmentKey, priorWorking, priorLogOddsSd, halfLifeNanos, passWhenBroken,
        passWhenWorking, true, nowNanos);
  }

  private void register(
      long segmentKey,
      double priorMeanSigmoid,
      double priorLogOddsSd,
      long halfLifeNanos,
      double passWhenBroken,
      double passWhenWorking,
      boolean isTwoState,
      long nowNanos) {
    if (!(priorLogOddsSd > 0 && priorLogOddsSd <= 10)) {
      throw new IllegalArgumentException(
          "priorLogOddsSd must be in (0, 10], was " + priorLogOddsSd);
    }
    if (halfLifeNanos <= 0) {
      throw new IllegalArgumentException("halfLifeNanos must be > 0, was " + halfLifeNanos);
    }
    if (graph.containsSegment(segmentKey)) {
      throw new IllegalArgumentException("segment key " + segmentKey + " is already registered");
    }
    if (graph.segmentCount() == capacity) {
      throw new IllegalArgumentException(
          "segment belief is full (capacity " + capacity + "); retire a segment first");
    }
    advance(nowNanos);
    double variance = priorLogOddsSd * priorLogOddsSd;
    double mu0 = LogitNormal.logOddsMeanFor(priorMeanSigmoid, variance);
    int n = graph.segmentCount();
    int slot = graph.addSegment(segmentKey);
    restride(n, n + 1);
    double[] c = covariance.data;
    for (int j = 0; j <= n; j++) {
      c[slot * (n + 1) + j] = 0;
      c[j * (n + 1) + slot] = 0;
    }
    c[slot * (n + 1) + slot] = variance;
    mean.reshape(n + 1, 1, false);
    mean.data[slot] = mu0;
    priorMean[slot] = mu0;
    priorVariance[slot] = variance;
    passFloor[slot] = passWhenBroken;
    passSpan[slot] = passWhenWorking - passWhenBroken;
    twoState[slot] = isTwoState;
    // Log-likelihood ratios working:broken of a success; failures depend on the other segments.
    successMessage[slot] = isTwoState
        ? clampMessage(Math.log(passWhenWorking) - Math.log(passWhenBroken))
        : 0;
    reversionPerSecond[slot] = Math.log(2) / (halfLifeNanos * 1e-9);
    breakPrior[slot] = BREAK_PRIOR_SCALE
        * (1 - (passWhenBroken + (passWhenWorking - passWhenBroken) * priorMeanSigmoid));
  }

  /**
   * Sets the prior probability that the segment breaks (goes down and passes nothing) at any one
   * recent observation, used by {@link #mostLikelyAtFault}. The default is
   * {@code 0.05 × (1 − priorProbability)}. Set it from what you know of how often such segments
   * break: remote peers come and go often (e.g. 1e-2), our own interface or a carrier-grade NAT
   * rarely (e.g. 1e-4).
   *
   * @param segmentKey a registered segment
   * @param probability in (0, 1)
   * @throws IllegalArgumentException if the segment is unknown or the probability out of range
   */
  public void setBreakPrior(long segmentKey, double probability) {
    if (!(probability > 0 && probability < 1)) {
      throw new IllegalArgumentException("break prior must be in (0, 1), was " + probability);
    }
    breakPrior[graph.segmentSlot(segmentKey)] = probability;
  }

  /**
   * Retires a segment and every path that crosses it; its row and column leave the matrices.
   *
   * @param segmentKey a registered segment
   * @throws IllegalArgumentException if the segment is unknown
   */
  public void retireSegment(long segmentKey) {
    int n = graph.segmentCount();
    int slot = graph.segmentSlot(segmentKey);
    int last = n - 1;
    if (slot != last) {
      // Mirror the graph's move of the last segment into the freed slot.
      double[] c = covariance.data;
      for (int i = 0; i < n; i++) {
        double t = c[i * n + slot];
        c[i * n + slot] = c[i * n + last];
        c[i * n + last] = t;
      }
      for (int j = 0; j < n; j++) {
        double t = c[slot * n + j];
        c[slot * n + j] = c[last * n + j];
        c[last * n + j] = t;
      }
      mean.data[slot] = mean.data[last];
      priorMean[slot] = priorMean[last];
      priorVariance[slot] = priorVariance[last];
      passFloor[slot] = passFloor[last];
      passSpan[slot] = passSpan[last];
      twoState[slot] = twoState[last];
      successMessage[slot] = successMessage[last];
      reversionPerSecond[slot] = reversionPerSecond[last];
      breakPrior[slot] = breakPrior[last];
    }
    graph.retireSegment(segmentKey);
    restride(n, n - 1);
    mean.reshape(n - 1, 1, false);
  }

  /**
   * Registers a path: the set of segments an attempt crosses.
   *
   * @param pathKey the path's key (unique)
   * @param segmentKeys the registered segments it crosses, distinct, 1..{@link
   *     SegmentGraph#MAX_PATH_SEGMENTS}
   * @throws IllegalArgumentException on a duplicate path key, an unknown or repeated segment
   */
  public void addPath(long pathKey, long[] segmentKeys) {
    graph.addPath(pathKey, segmentKeys);
  }

  /**
   * Retires a path. The segments stay.
   *
   * @param pathKey a registered path
   * @throws IllegalArgumentException if the path is unknown
   */
  public void retirePath(long pathKey) {
    graph.retirePath(pathKey);
  }

  // ------------------------------------------------------------------ evidence

  /**
   * Folds in one attempt over a registered path. Allocation-free.
   *
   * @param pathKey a registered path
   * @param succeeded whether the attempt succeeded
   * @param nowNanos monotonic time of the outcome; earlier than the belief's clock counts as now
   * @throws IllegalArgumentException if the path is unknown
   */
  public void observe(long pathKey, boolean succeeded, long nowNanos) {
    observe(pathKey, succeeded ? 1.0 : 0.0, nowNanos);
  }

  /**
   * Folds in one attempt whose outcome is itself uncertain: {@code successProbability} is the
   * probability that the attempt succeeded (1 a success, 0 a failure; in between, e.g., an
   * acknowledgement that may belong to an earlier attempt). The likelihood is
   * {@code s·h(x) + (1−s)·(1−h(x))}. Allocation-free.
   *
   * @param pathKey a registered path
   * @param successProbability in [0, 1]
   * @param nowNanos monotonic time of the outcome
   * @throws IllegalArgumentException if the path is unknown or the probability NaN or out of
   *     range
   */
  public void observe(long pathKey, double successProbability, long nowNanos) {
    if (!(successProbability >= 0 && successProbability <= 1)) {
      throw new IllegalArgumentException(
          "successProbability must be in [0, 1], was " + successProbability);
    }
    int pathSlot = graph.pathSlot(pathKey);
    advance(nowNanos);
    update(graph.pathSegmentSlots(pathSlot), successProbability);
    observationCount++;
    recentPath[recentNext] = pathKey;
    recentOutcome[recentNext] = successProbability;
    recentPredictive[recentNext] = lastPredictive;
    recentNext = (recentNext + 1) % RECENT_OBSERVATIONS;
    recentCount = Math.min(RECENT_OBSERVATIONS, recentCount + 1);
  }

  /**
   * Moves the belief's clock to {@code nowNanos}: every log-odds drifts toward its prior (an
   * Ornstein–Uhlenbeck step, {@code O(n²)}). Queries and observations do this themselves; call it
   * only to make a later snapshot reflect the time. Allocation-free.
   *
   * @param nowNanos monotonic time; earlier than the clock is ignored
   */
  public void advance(long nowNanos) {
    if (!clockStarted) {
      clockStarted = true;
      clockNanos = nowNanos;
      return;
    }
    long elapsed = nowNanos - clockNanos;
    if (elapsed <= 0) {
      return;
    }
    clockNanos = nowNanos;
    double seconds = elapsed * 1e-9;
    int n = graph.segmentCount();
    double[] m = mean.data;
    for (int i = 0; i < n; i++) {
      double f = Math.exp(-reversionPerSecond[i] * seconds);
      decay[i] = f;
      m[i] = priorMean[i] + (m[i] - priorMean[i]) * f;
    }
    // Σ ← F Σ F + diag(v0 (1 − f²)), row by row (sequential memory access; mirroring each entry
    // into its transpose costs a cache miss per entry at n = 256). f_i·f_j is computed first, and
    // IEEE multiplication commutes, so a symmetric Σ stays bitwise symmetric.
    double[] c = covariance.data;
    for (int i = 0; i < n; i++) {
      double fi = decay[i];
      int row = i * n;
      for (int j = 0; j < n; j++) {
        c[row + j] *= fi * decay[j];
      }
      c[row + i] += priorVariance[i] * (1 - fi * fi);
    }
  }

  // ------------------------------------------------------------------ queries

  @Override
  public boolean knowsSegment(long segmentKey) {
    return graph.containsSegment(segmentKey);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Computed as {@code E[σ(x_i)]} under the segment's marginal at {@code nowNanos}, by a
   * 24-point Gauss–Hermite rule; for a two-state segment {@code d + (u − d)·E[σ(x_i)]} (the pass
   * rates when broken and working). Allocation-free; does not move the clock.
   */
  @Override
  public double probabilityWorks(long segmentKey, long nowNanos) {
    return passProbability(graph.segmentSlot(segmentKey), nowNanos);
  }

  /**
   * Returns {@code E[σ(x)]} for the segment: for a {@linkplain #addTwoStateSegment two-state
   * segment} the probability that it is working; for an ordinary segment the same as
   * {@link #probabilityWorks}. Allocation-free; does not move the clock.
   *
   * @param segmentKey a registered segment
   * @param nowNanos monotonic time of the question
   * @return a probability in [0, 1]
   * @throws IllegalArgumentException if the segment is unknown
   */
  public double probabilityWorking(long segmentKey, long nowNanos) {
    int slot = graph.segmentSlot(segmentKey);
    return LogitNormal.meanProbability(meanAt(slot, nowNanos), varianceAt(slot, nowNanos));
  }

  /** E[pass_i] = d_i + s_i·E[σ(x_i)] under the marginal at {@code nowNanos}. */
  private double passProbability(int slot, long nowNanos) {
    double p = LogitNormal.meanProbability(meanAt(slot, nowNanos), varianceAt(slot, nowNanos));
    return passFloor[slot] + passSpan[slot] * p;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The interval is exact for the Gaussian marginal: {@code σ(μ ± z√v)} with {@code z} the
   * standard normal quantile of {@code (1 + credibility)/2} (mapped through
   * {@code d + (u − d)·σ} for a two-state segment: an interval for its pass probability).
   */
  @Override
  public SegmentEstimate estimate(long segmentKey, double credibility, long nowNanos) {
    if (!(credibility > 0 && credibility < 1)) {
      throw new IllegalArgumentException("credibility must be in (0, 1), was " + credibility);
    }
    int slot = graph.segmentSlot(segmentKey);
    double m = meanAt(slot, nowNanos);
    double v = varianceAt(slot, nowNanos);
    double z = Math.sqrt(2) * Erf.erfInv(credibility);
    double sd = Math.sqrt(v);
    return new SegmentEstimate(
        segmentKey,
        passFloor[slot] + passSpan[slot] * LogitNormal.meanProbability(m, v),
        passFloor[slot] + passSpan[slot] * LogitNormal.sigmoid(m - z * sd),
        passFloor[slot] + passSpan[slot] * LogitNormal.sigmoid(m + z * sd),
        credibility);
  }

  @Override
  public double probabilityAllWork(long[] segmentKeys, long nowNanos) {
    int[] slots = graph.resolveSegments(segmentKeys);
    return probabilityAllWork(slots, slots.length, nowNanos);
  }

  /**
   * Returns the probability that an attempt over a registered path succeeds now.
   *
   * @param pathKey a registered path
   * @param nowNanos monotonic time of the question
   * @return a probability in [0, 1]
   * @throws IllegalArgumentException if the path is unknown
   */
  public double probabilityPathSucceeds(long pathKey, long nowNanos) {
    int[] slots = graph.pathSegmentSlots(graph.pathSlot(pathKey));
    return probabilityAllWork(slots, slots.length, nowNanos);
  }

  /**
   * Returns the segment most likely at fault given the recent failures, looking at the last
   * {@link #RECENT_OBSERVATIONS} observations.
   *
   * <p>First a single-fault change-point diagnosis. Hypothesis {@code H(c, τ)}: segment {@code c}
   * went down just before observation {@code τ} and passes nothing since. Against "nothing
   * changed" (each outcome had the probability {@code q_t} the belief gave it when it arrived) its
   * likelihood ratio is {@code Π_{t ≥ τ, t crosses c} ℓ_c(y_t)/q_t} with {@code ℓ_c(failure) = 1}
   * and {@code ℓ_c(success) = 0.01}; its prior odds are the segment's break prior
   * ({@link #setBreakPrior}; by default {@code 0.05 × (1 − prior P(c works))}).
   * If the best hypothesis has posterior odds above 1, its segment is the answer: a shared segment
   * crossed by several surprising failures and no success since beats each failing path's private
   * segments, whose hypotheses explain one failure each.
   *
   * <p>Otherwise the failures are chance losses, and the answer is the segment with the largest
   * expected number of them: failure {@code t} over path {@code P} is charged to segment
   * {@code i ∈ P} with weight {@code (1 − p_i)/(1 − Π_{j∈P} p_j)} (the expected-count blame of the
   * reachability factors), with {@code p} the current {@link #probabilityWorks}. A remote that is
   * down keeps the blame: the shared segments in front of it keep passing packets to other remotes.
   *
   * <p>Allocation-free apart from the returned value; {@code O(R² k)} for {@code R} recent
   * observations over paths of {@code k} segments.
   *
   * @param nowNanos monotonic time of the question
   * @return the segment key, or empty if no recent observation failed
   */
  public OptionalLong mostLikelyAtFault(long nowNanos) {
    long bestKey = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    boolean found = false;
    for (int r = 0; r < recentCount; r++) {
      int index = Math.floorMod(recentNext - 1 - r, RECENT_OBSERVATIONS);
      if (recentOutcome[index] >= 0.5) {
        continue;
      }
      int pathSlot = graph.pathSlotOrAbsent(recentPath[index]);
      if (pathSlot < 0) {
        continue;
      }
      for (int slot : graph.pathSegmentSlots(pathSlot)) {
        double score = changePointScore(slot);
        if (!found || score > bestScore) {
          found = true;
          bestScore = score;
          bestKey = graph.segmentKeyAt(slot);
        }
      }
    }
    if (!found) {
      return OptionalLong.empty();
    }
    if (bestScore > 0) {
      return OptionalLong.of(bestKey);
    }
    // No break is more likely than chance: charge each recent failure to its segments by their
    // expected share and answer the segment charged most.
    double bestCharge = -1;
    for (int r = 0; r < recentCount; r++) {
      int index = Math.floorMod(recentNext - 1 - r, RECENT_OBSERVATIONS);
      if (recentOutcome[index] >= 0.5) {
        continue;
      }
      int pathSlot = graph.pathSlotOrAbsent(recentPath[index]);
      if (pathSlot < 0) {
        continue;
      }
      for (int slot : graph.pathSegmentSlots(pathSlot)) {
        double charge = expectedFailureCharge(slot, nowNanos);
        if (charge > bestCharge) {
          bestCharge = charge;
          bestKey = graph.segmentKeyAt(slot);
        }
      }
    }
    return OptionalLong.of(bestKey);
  }

  /** Σ over recent failures crossing the segment of (1 − p_i)/(1 − Π_P p_j). */
  private double expectedFailureCharge(int slot, long nowNanos) {
    double pSlot = passProbability(slot, nowNanos);
    double charge = 0;
    for (int r = 0; r < recentCount; r++) {
      int index = Math.floorMod(recentNext - 1 - r, RECENT_OBSERVATIONS);
      double failed = 1 - recentOutcome[index];
      if (failed <= 0) {
        continue;
      }
      int pathSlot = graph.pathSlotOrAbsent(recentPath[index]);
      if (pathSlot < 0 || !crosses(graph.pathSegmentSlots(pathSlot), slot)) {
        continue;
      }
      double product = 1;
      for (int s : graph.pathSegmentSlots(pathSlot)) {
        product *= passProbability(s, nowNanos);
      }
      charge += failed * (1 - pSlot) / Math.max(1 - product, 1e-12);
    }
    return charge;
  }

  /** log prior(c fails) + max over τ of the log likelihood ratio of "c went down before τ". */
  private double changePointScore(int slot) {
    double cumulative = 0;
    double best = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < recentCount; r++) {
      int index = Math.floorMod(recentNext - 1 - r, RECENT_OBSERVATIONS);
      int pathSlot = graph.pathSlotOrAbsent(recentPath[index]);
      if (pathSlot < 0 || !crosses(graph.pathSegmentSlots(pathSlot), slot)) {
        continue;
      }
      double s = recentOutcome[index];
      double underBreak = (1 - s) + s * SUCCESS_THROUGH_BROKEN;
      cumulative += Math.log(underBreak) - Math.log(Math.max(recentPredictive[index], 1e-12));
      if (s < 0.5) {
        best = Math.max(best, cumulative);
      }
    }
    return Math.log(breakPrior[slot]) + best;
  }

  private static boolean crosses(int[] slots, int slot) {
    for (int s : slots) {
      if (s == slot) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the posterior mean of a segment's log-odds at {@code nowNanos}.
   *
   * @param segmentKey a registered segment
   * @param nowNanos monotonic time
   * @return the log-odds mean
   */
  public double logOddsMean(long segmentKey, long nowNanos) {
    return meanAt(graph.segmentSlot(segmentKey), nowNanos);
  }

  /**
   * Returns the posterior covariance of two segments' log-odds at {@code nowNanos}.
   *
   * @param segmentKeyA a registered segment
   * @param segmentKeyB a registered segment (may equal A: the variance)
   * @param nowNanos monotonic time
   * @return the covariance
   */
  public double logOddsCovariance(long segmentKeyA, long segmentKeyB, long nowNanos) {
    int a = graph.segmentSlot(segmentKeyA);
    int b = graph.segmentSlot(segmentKeyB);
    if (a == b) {
      return varianceAt(a, nowNanos);
    }
    double seconds = elapsedSeconds(nowNanos);
    return covariance.data[a * graph.segmentCount() + b]
        * Math.exp(-(reversionPerSecond[a] + reversionPerSecond[b]) * seconds);
  }

  /** Returns the number of observations folded in. */
  public long observationCount() {
    return observationCount;
  }

  /** Returns how many times a path block was reset to its prior after numerical breakdown. */
  public long resetCount() {
    return resetCount;
  }

  /** Returns how many observations were dropped as too surprising to resolve numerically. */
  public long droppedCount() {
    return droppedCount;
  }

  // ------------------------------------------------------------------ researchers

  /**
   * Replaces the joint belief of some segments (for example with a refit, or a belief restored
   * from elsewhere). Their covariance with all other segments is set to zero.
   *
   * @param segmentKeys distinct registered segments, {@code k} of them
   * @param logOddsMean their log-odds means, length {@code k}, finite
   * @param logOddsCovariance their covariance, row-major {@code k×k}, finite, symmetric and
   *     positive definite
   * @param nowNanos monotonic time the belief refers to
   * @throws IllegalArgumentException on unknown keys, wrong lengths, non-finite values, or a
   *     covariance that is asymmetric, singular or not positive definite
   */
  public void replaceJointBelief(
      long[] segmentKeys, double[] logOddsMean, double[] logOddsCovariance, long nowNanos) {
    int k = segmentKeys.length;
    if (k == 0) {
      throw new IllegalArgumentException("replaceJointBelief needs at least one segment");
    }
    int[] slots = new int[k];
    for (int i = 0; i < k; i++) {
      slots[i] = graph.segmentSlot(segmentKeys[i]);
      for (int j = 0; j < i; j++) {
        if (slots[j] == slots[i]) {
          throw new IllegalArgumentException("segment key " + segmentKeys[i] + " listed twice");
        }
      }
    }
    if (logOddsMean.length != k || logOddsCovariance.length != k * k) {
      throw new IllegalArgumentException(
          "need " + k + " means and " + (k * k) + " covariance entries, got "
              + logOddsMean.length + " and " + logOddsCovariance.length);
    }
    for (int i = 0; i < k; i++) {
      if (!Double.isFinite(logOddsMean[i])) {
        throw new IllegalArgumentException("logOddsMean[" + i + "] is " + logOddsMean[i]);
      }
    }
    DMatrixRMaj block = new DMatrixRMaj(k, k);
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double v = logOddsCovariance[i * k + j];
        double t = logOddsCovariance[j * k + i];
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("logOddsCovariance[" + i + "," + j + "] is " + v);
        }
        if (Math.abs(v - t) > 1e-9 * (1 + Math.abs(v))) {
          throw new IllegalArgumentException(
              "logOddsCovariance is not symmetric at [" + i + "," + j + "]: " + v + " vs " + t);
        }
        block.set(i, j, v);
      }
    }
    LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(k);
    if (!chol.setA(block.copy()) || chol.quality() < 1e-12) {
      throw new IllegalArgumentException(
          "logOddsCovariance is singular or not positive definite");
    }
    advance(nowNanos);
    int n = graph.segmentCount();
    double[] c = covariance.data;
    for (int a = 0; a < k; a++) {
      int s = slots[a];
      for (int j = 0; j < n; j++) {
        c[s * n + j] = 0;
        c[j * n + s] = 0;
      }
      mean.data[s] = logOddsMean[a];
    }
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        c[slots[a] * n + slots[b]] = block.get(a, b);
      }
    }
  }

  /**
   * Batch refit for researchers: replaces the belief over all live segments with the Laplace
   * approximation of the posterior given the segment priors and a batch of outcomes, ignoring
   * time (no drift between the outcomes). The mode is found by iteratively reweighted least
   * squares (Fisher scoring: each outcome contributes the information {@code g gᵀ/(h(1−h))} with
   * {@code g = ∇h}), with step halving; the covariance is the inverse of the information at the
   * mode. Allocates; not for the hot path.
   *
   * @param pathKeys registered paths, one per outcome
   * @param successProbabilities the outcomes in [0, 1] (1 success, 0 failure), same length
   * @param nowNanos monotonic time the refitted belief refers to
   * @return the number of iterations used
   * @throws IllegalArgumentException on unknown paths, NaN outcomes or mismatched lengths
   */
  public int refit(long[] pathKeys, double[] successProbabilities, long nowNanos) {
    if (pathKeys.length != successProbabilities.length) {
      throw new IllegalArgumentException(
          "pathKeys and successProbabilities differ in length: "
              + pathKeys.length + " vs " + successProbabilities.length);
    }
    int[][] paths = new int[pathKeys.length][];
    for (int t = 0; t < pathKeys.length; t++) {
      double s = successProbabilities[t];
      if (!(s >= 0 && s <= 1)) {
        throw new IllegalArgumentException(
            "successProbabilities[" + t + "] must be in [0, 1], was " + s);
      }
      paths[t] = graph.pathSegmentSlots(graph.pathSlot(pathKeys[t])).clone();
    }
    int n = graph.segmentCount();
    for (int i = 0; i < n; i++) {
      if (twoState[i]) {
        throw new IllegalArgumentException(
            "refit supports ordinary segments only; segment " + graph.segmentKeyAt(i)
                + " is two-state (its log-odds are not the parameter of an i.i.d. pass rate)");
      }
    }
    double[] x = new double[n];
    System.arraycopy(priorMean, 0, x, 0, n);
    DMatrixRMaj information = new DMatrixRMaj(n, n);
    DMatrixRMaj gradient = new DMatrixRMaj(n, 1);
    DMatrixRMaj step = new DMatrixRMaj(n, 1);
    LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(n);
    double objective = refitObjective(x, paths, successProbabilities);
    int iterations = 0;
    for (; iterations < 100; iterations++) {
      refitInformation(x, paths, successProbabilities, information, gradient);
      if (!solver.setA(information.copy())) {
        throw new IllegalStateException("refit information matrix is not positive definite");
      }
      solver.solve(gradient, step);
      double scale = 1;
      double[] candidate = new double[n];
      double next = Double.NEGATIVE_INFINITY;
      for (int halving = 0; halving < 30; halving++) {
        for (int i = 0; i < n; i++) {
          candidate[i] = x[i] + scale * step.data[i];
        }
        next = refitObjective(candidate, paths, successProbabilities);
        if (next >= objective - 1e-12) {
          break;
        }
        scale *= 0.5;
      }
      double moved = 0;
      for (int i = 0; i < n; i++) {
        moved = Math.max(moved, Math.abs(candidate[i] - x[i]));
      }
      x = candidate;
      objective = next;
      if (moved < 1e-9) {
        break;
      }
    }
    refitInformation(x, paths, successProbabilities, information, gradient);
    DMatrixRMaj inverse = new DMatrixRMaj(n, n);
    if (!solver.setA(information.copy())) {
      throw new IllegalStateException("refit information matrix is not positive definite");
    }
    solver.invert(inverse);
    advance(nowNanos);
    double[] c = covariance.data;
    for (int i = 0; i < n; i++) {
      mean.data[i] = x[i];
      for (int j = 0; j < n; j++) {
        c[i * n + j] = 0.5 * (inverse.get(i, j) + inverse.get(j, i));
      }
    }
    return iterations + 1;
  }

  private double refitObjective(double[] x, int[][] paths, double[] outcomes) {
    double sum = 0;
    int n = graph.segmentCount();
    for (int i = 0; i < n; i++) {
      double d = x[i] - priorMean[i];
      sum -= 0.5 * d * d / priorVariance[i];
    }
    for (int t = 0; t < paths.length; t++) {
      double logH = 0;
      for (int s : paths[t]) {
        logH += -Math.log1p(Math.exp(-x[s]));
      }
      double h = Math.min(Math.exp(logH), 1 - 1e-15);
      double y = outcomes[t];
      sum += y * logH + (1 - y) * Math.log1p(-h);
    }
    return sum;
  }

  private void refitInformation(
      double[] x, int[][] paths, double[] outcomes, DMatrixRMaj information,
      DMatrixRMaj gradient) {
    int n = graph.segmentCount();
    information.zero();
    for (int i = 0; i < n; i++) {
      information.set(i, i, 1 / priorVariance[i]);
      gradient.set(i, 0, -(x[i] - priorMean[i]) / priorVariance[i]);
    }
    for (int t = 0; t < paths.length; t++) {
      int[] p = paths[t];
      double h = 1;
      for (int s : p) {
        h *= LogitNormal.sigmoid(x[s]);
      }
      h = Math.min(Math.max(h, 1e-300), 1 - 1e-12);
      double y = outcomes[t];
      // g_i = ∂h/∂x_i = h (1 − σ_i); score = g (y − h)/(h(1−h)); information = g gᵀ/(h(1−h)).
      for (int a = 0; a < p.length; a++) {
        double ga = 1 - LogitNormal.sigmoid(x[p[a]]);
        gradient.data[p[a]] += ga * (y - h) / (1 - h);
        for (int b = 0; b < p.length; b++) {
          double gb = 1 - LogitNormal.sigmoid(x[p[b]]);
          information.data[p[a] * n + p[b]] += h * ga * gb / (1 - h);
        }
      }
    }
  }

  /** A log-likelihood-ratio message, kept finite (|m| ≤ 20: P within 2e-9 of 0 or 1). */
  private static double clampMessage(double message) {
    if (!(message > -MAX_MESSAGE)) {
      return -MAX_MESSAGE; // also NaN, from 0/0 when both states pass nothing or everything
    }
    return Math.min(message, MAX_MESSAGE);
  }

  // ------------------------------------------------------------------ internals

  private double elapsedSeconds(long nowNanos) {
    if (!clockStarted || nowNanos <= clockNanos) {
      return 0;
    }
    return (nowNanos - clockNanos) * 1e-9;
  }

  private double meanAt(int slot, long nowNanos) {
    double f = Math.exp(-reversionPerSecond[slot] * elapsedSeconds(nowNanos));
    return priorMean[slot] + (mean.data[slot] - priorMean[slot]) * f;
  }

  private double varianceAt(int slot, long nowNanos) {
    double f = Math.exp(-reversionPerSecond[slot] * elapsedSeconds(nowNanos));
    int n = graph.segmentCount();
    return covariance.data[slot * n + slot] * f * f + priorVariance[slot] * (1 - f * f);
  }

  /** Changes the row stride of the covariance between n×n layouts in place. */
  private void restride(int from, int to) {
    double[] c = covariance.data;
    int common = Math.min(from, to);
    if (to > from) {
      for (int i = common - 1; i >= 0; i--) {
        for (int j = common - 1; j >= 0; j--) {
          c[i * to + j] = c[i * from + j];
        }
      }
    } else {
      for (int i = 0; i < common; i++) {
        for (int j = 0; j < common; j++) {
          c[i * to + j] = c[i * from + j];
        }
      }
    }
    covariance.reshape(to, to, false);
  }

  /**
   * The hot path: assumed-density filtering step for one outcome over the segments {@code slots}.
   * No allocation: all scratch is preallocated at the capacity and the longest path.
   */
  private void update(int[] slots, double successProbability) {
    int k = slots.length;
    if (!loadBlock(slots)) {
      resetBlock(slots);
      loadBlock(slots);
    }
    if (blockAffine) {
      // No tempering: the transformed update is exact at every grid node, and a two-state
      // likelihood is smooth in x (a mixture of the two states' rates), so a small normaliser
      // only means a surprising outcome, not an unresolved one.
      tiltedMomentsTwoState(k, successProbability);
      lastPredictive = normaliser;
      if (!(normaliser > 0) || !applyTransformedMoments(slots)) {
        droppedCount++;
      }
      return;
    }
    // A very surprising outcome leaves almost no tilted mass on the grid; split the likelihood
    // into T tempered pieces ℓ^(1/T), each moment-matched in turn (ADF on ℓ = Π ℓ^(1/T)).
    int pieces = 1;
    while (true) {
      tiltedMoments(k, successProbability, 1.0 / pieces);
      if (pieces == 1) {
        lastPredictive = normaliser; // P(this outcome) under the belief before it
      }
      if (normaliser >= MIN_NORMALISER || pieces >= MAX_TEMPERING) {
        break;
      }
      pieces *= 2;
    }
    if (!(normaliser >= MIN_NORMALISER * 1e-6)) {
      droppedCount++;
      return;
    }
    for (int piece = 0; piece < pieces; piece++) {
      if (piece > 0) {
        if (!loadBlock(slots)) {
          resetBlock(slots);
          return;
        }
        tiltedMoments(k, successProbability, 1.0 / pieces);
        if (!(normaliser > 0)) {
          droppedCount++;
          return;
        }
      }
      if (!applyMoments(slots)) {
        droppedCount++;
        return;
      }
    }
  }

  /** Loads Σ_PP, its Cholesky factor and μ_P. Returns false if Σ_PP is not positive definite. */
  private boolean loadBlock(int[] slots) {
    int k = slots.length;
    int n = graph.segmentCount();
    double[] c = covariance.data;
    blockAffine = false;
    for (int a = 0; a < k; a++) {
      blockAffine |= twoState[slots[a]];
      blockMean[a] = mean.data[slots[a]];
      blockFloor[a] = passFloor[slots[a]];
      blockSpan[a] = passSpan[slots[a]];
      blockTwoState[a] = twoState[slots[a]];
      blockSuccessMessage[a] = successMessage[slots[a]];
      for (int b = 0; b < k; b++) {
        blockCov[a * k + b] = c[slots[a] * n + slots[b]];
      }
      if (!Double.isFinite(blockMean[a])) {
        return false;
      }
    }
    return cholesky(blockCov, blockChol, k);
  }

  /** Documented fallback: the segments of a broken block go back to their priors, uncorrelated. */
  private void resetBlock(int[] slots) {
    resetCount++;
    int n = graph.segmentCount();
    double[] c = covariance.data;
    for (int s : slots) {
      for (int j = 0; j < n; j++) {
        c[s * n + j] = 0;
        c[j * n + s] = 0;
      }
      c[s * n + s] = priorVariance[s];
      mean.data[s] = priorMean[s];
    }
  }

  /**
   * Moments of the tilted distribution in whitened coordinates {@code z} (with
   * {@code x_P = μ_P + L z}, {@code z ~ N(0, I)}): normaliser {@code Z = E[ℓ]}, {@code E_t[z]} into
   * {@code tiltedMean}, {@code E_t[z zᵀ]} into {@code tiltedSecond}.
   */
  private void tiltedMoments(int k, double successProbability, double exponent) {
    int p = POINTS_FOR_LENGTH[k];
    double[] nodes = GaussHermite.nodes(p);
    double[] weights = GaussHermite.weights(p);
    for (int a = 0; a < k; a++) {
      gridDigits[a] = 0;
      tiltedMean[a] = 0;
    }
    for (int a = 0; a < k * k; a++) {
      tiltedSecond[a] = 0;
    }
    sigmoidPrefix[0] = 1;
    weightPrefix[0] = 1;
    double z0 = 0;
    // Odometer with the last dimension fastest. x_a depends on z_0..z_a only (L is lower
    // triangular), so when digit j changes only x_j..x_{k−1} and their prefix products of σ and of
    // the weights are recomputed: about one σ per grid point instead of k.
    int changedFrom = 0;
    while (changedFrom >= 0) {
      for (int a = changedFrom; a < k; a++) {
        double z = nodes[gridDigits[a]];
        gridPoint[a] = z;
        double x = blockMean[a];
        int row = a * k;
        for (int b = 0; b <= a; b++) {
          x += blockChol[row + b] * gridPoint[b];
        }
        double pass = LogitNormal.sigmoid(x);
        if (blockAffine) {
          pass = blockFloor[a] + blockSpan[a] * pass; // a two-state segment's pass probability
        }
        sigmoidPrefix[a + 1] = sigmoidPrefix[a] * pass;
        weightPrefix[a + 1] = weightPrefix[a] * weights[gridDigits[a]];
      }
      double h = sigmoidPrefix[k];
      double likelihood = successProbability * h + (1 - successProbability) * (1 - h);
      if (exponent != 1.0) {
        likelihood = Math.pow(likelihood, exponent);
      }
      double wl = weightPrefix[k] * likelihood;
      z0 += wl;
      for (int a = 0; a < k; a++) {
        double za = wl * gridPoint[a];
        tiltedMean[a] += za;
        int row = a * k;
        for (int b = 0; b <= a; b++) {
          tiltedSecond[row + b] += za * gridPoint[b];
        }
      }
      changedFrom = nextGridPoint(gridDigits, k, p);
    }
    normaliser = z0;
    if (z0 > 0) {
      for (int a = 0; a < k; a++) {
        tiltedMean[a] /= z0;
      }
      for (int a = 0; a < k; a++) {
        for (int b = 0; b <= a; b++) {
          double v = tiltedSecond[a * k + b] / z0;
          tiltedSecond[a * k + b] = v;
          tiltedSecond[b * k + a] = v;
        }
      }
    }
  }

  /**
   * Tilted moments for a block with two-state segments. For a two-state segment the Gaussian is
   * over the log-odds {@code x_i} that it works; given {@code x_P} the states are independent
   * Bernoullis, segment {@code i} passes with {@code m_i = d_i + (u_i − d_i) σ(x_i)} (an ordinary
   * segment with {@code m_i = σ(x_i)}), and the outcome has the likelihood
   * {@code ℓ(x) = s Π m + (1 − s)(1 − Π m)}. Bayes' rule on the states at that {@code x} gives
   * the joint over (x, states) ∝ N(x)·ℓ(x)·[state posterior given x]; the state posterior is
   * projected on independent Bernoullis (its exact marginals), whose log-odds are
   * {@code T_i(x) = x_i + g_i(x)} with the message
   * {@code g_i = log(s u_i R_i + (1−s)(1 − u_i R_i)) − log(s d_i R_i + (1−s)(1 − d_i R_i))},
   * {@code R_i = Π_{j≠i} m_j} (for a success {@code g_i = log(u_i/d_i)}: exact, a success
   * factorises). Ordinary segments keep {@code T_i = x_i}. Accumulates, against
   * {@code N(0, I)} with {@code x_P = μ_P + L z}: {@code Z = E[ℓ]}, {@code E_t[z]},
   * {@code E_t[z zᵀ]} (as {@link #tiltedMoments}) and, for {@code t = T(x) − μ_P},
   * {@code E_t[t]}, {@code E_t[z tᵀ]}, {@code E_t[t tᵀ]}.
   */
  private void tiltedMomentsTwoState(int k, double s) {
    int p = POINTS_FOR_LENGTH[k];
    double[] nodes = GaussHermite.nodes(p);
    double[] weights = GaussHermite.weights(p);
    for (int a = 0; a < k; a++) {
      gridDigits[a] = 0;
      tiltedMean[a] = 0;
      tiltedT[a] = 0;
    }
    for (int a = 0; a < k * k; a++) {
      tiltedSecond[a] = 0;
      tiltedZT[a] = 0;
      tiltedTT[a] = 0;
    }
    sigmoidPrefix[0] = 1;
    weightPrefix[0] = 1;
    double z0 = 0;
    int changedFrom = 0;
    while (changedFrom >= 0) {
      for (int a = changedFrom; a < k; a++) {
        double z = nodes[gridDigits[a]];
        gridPoint[a] = z;
        double offset = 0;
        int row = a * k;
        for (int b = 0; b <= a; b++) {
          offset += blockChol[row + b] * gridPoint[b];
        }
        gridOffset[a] = offset;
        gridPass[a] = blockFloor[a] + blockSpan[a] * LogitNormal.sigmoid(blockMean[a] + offset);
        sigmoidPrefix[a + 1] = sigmoidPrefix[a] * gridPass[a];
        weightPrefix[a + 1] = weightPrefix[a] * weights[gridDigits[a]];
      }
      double h = sigmoidPrefix[k];
      double likelihood = s * h + (1 - s) * (1 - h);
      double wl = weightPrefix[k] * likelihood;
      // Messages: R_a = prefix(a) · suffix(a+1), the suffix built from the back (O(k) per node).
      double suffix = 1;
      for (int a = k - 1; a >= 0; a--) {
        double message = 0;
        if (blockTwoState[a]) {
          if (s == 1.0) {
            message = blockSuccessMessage[a];
          } else {
            double r = sigmoidPrefix[a] * suffix;
            double up = blockFloor[a] + blockSpan[a];
            double down = blockFloor[a];
            message = clampMessage(Math.log(s * up * r + (1 - s) * (1 - up * r))
                - Math.log(s * down * r + (1 - s) * (1 - down * r)));
          }
        }
        gridMessage[a] = gridOffset[a] + message; // t_a = T_a(x) − μ_a
        suffix *= gridPass[a];
      }
      z0 += wl;
      for (int a = 0; a < k; a++) {
        double za = wl * gridPoint[a];
        double ta = wl * gridMessage[a];
        tiltedMean[a] += za;
        tiltedT[a] += ta;
        int row = a * k;
        for (int b = 0; b <= a; b++) {
          tiltedSecond[row + b] += za * gridPoint[b];
          tiltedTT[row + b] += ta * gridMessage[b];
        }
        for (int b = 0; b < k; b++) {
          tiltedZT[row + b] += za * gridMessage[b];
        }
      }
      changedFrom = nextGridPoint(gridDigits, k, p);
    }
    normaliser = z0;
    if (z0 > 0) {
      for (int a = 0; a < k; a++) {
        tiltedMean[a] /= z0;
        tiltedT[a] /= z0;
      }
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          tiltedZT[a * k + b] /= z0;
        }
        for (int b = 0; b <= a; b++) {
          double v = tiltedSecond[a * k + b] / z0;
          tiltedSecond[a * k + b] = v;
          tiltedSecond[b * k + a] = v;
          double w = tiltedTT[a * k + b] / z0;
          tiltedTT[a * k + b] = w;
          tiltedTT[b * k + a] = w;
        }
      }
    }
  }

  /**
   * The two-state update. The other segments {@code x_R} depend on the block only through the
   * Gaussian conditional {@code x_R | x_P}, which the update leaves alone, while the block itself
   * is replaced by {@code T(x_P)}. Matching the moments of {@code (x_R, T(x_P))} under the tilted
   * measure:
   *
   * <pre>
   * μ_R' = μ_R + Σ_RP S⁻¹ (E_t[x_P] − μ_P),  Σ_RR' = Σ_RR + Σ_RP S⁻¹ (Cov_t[x_P] − S) S⁻¹ Σ_PR
   * Σ_RP' = Σ_RP S⁻¹ Cov_t[x_P, T]  = B L⁻ᵀ Cov_t[z, t]    (B = Σ[:, P], S = L Lᵀ)
   * μ_P'  = μ_P + E_t[t],             Σ_PP' = Cov_t[t]
   * </pre>
   *
   * The first line is exactly the ordinary ADF step ({@link #applyMoments}); the block's rows and
   * columns are then overwritten. The result is the covariance of a real joint distribution
   * (Gaussian conditional over a positive-weight grid), so it stays positive semi-definite; a
   * floor on the block's diagonal keeps it definite. O(k n²) like the ordinary step.
   */
  private boolean applyTransformedMoments(int[] slots) {
    int k = slots.length;
    if (!applyMoments(slots)) {
      return false;
    }
    int n = graph.segmentCount();
    double[] c = covariance.data;
    // crossGain = L⁻ᵀ Cov_t[z, t] (k×k), column by column.
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        crossGain[a * k + b] = tiltedZT[a * k + b] - tiltedMean[a] * tiltedT[b];
      }
    }
    for (int col = 0; col < k; col++) {
      solveUpperTransposed(blockChol, crossGain, col, k, k);
    }
    for (int a = 0; a < k * k; a++) {
      if (!Double.isFinite(crossGain[a]) || !Double.isFinite(tiltedTT[a])) {
        resetBlock(slots);
        return true;
      }
    }
    // Σ[j, P_b] = Σ_a B[j, a] crossGain[a, b]; columns holds the old rows Σ[P_a, :].
    double[] old = columns.data;
    for (int b = 0; b < k; b++) {
      int sb = slots[b];
      for (int j = 0; j < n; j++) {
        double v = 0;
        for (int a = 0; a < k; a++) {
          v += old[a * n + j] * crossGain[a * k + b];
        }
        c[j * n + sb] = v;
        c[sb * n + j] = v;
      }
    }
    for (int a = 0; a < k; a++) {
      int sa = slots[a];
      mean.data[sa] = blockMean[a] + tiltedT[a];
      for (int b = 0; b < k; b++) {
        double v = tiltedTT[a * k + b] - tiltedT[a] * tiltedT[b];
        if (a == b) {
          v = Math.max(v, MIN_TILTED_VARIANCE);
        }
        c[sa * n + slots[b]] = v;
      }
    }
    return true;
  }

  /**
   * Applies the moment-matched block to the whole belief. With whitened tilted mean {@code e} and
   * covariance {@code C_z}: {@code a = L⁻ᵀ e}, {@code W = L⁻ᵀ (C_z − I) L⁻¹}; then
   * {@code μ += B a} and {@code Σ += B W Bᵀ} with {@code B = Σ[:, P]}. Returns false (and changes
   * nothing) if the new block would not be positive definite or anything is non-finite.
   */
  private boolean applyMoments(int[] slots) {
    int k = slots.length;
    // C_z = E[z zᵀ] − e eᵀ, checked positive definite (so the new block L C_z Lᵀ is too).
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        work[a * k + b] = tiltedSecond[a * k + b] - tiltedMean[a] * tiltedMean[b];
      }
      work[a * k + a] = Math.max(work[a * k + a], MIN_TILTED_VARIANCE);
    }
    if (!cholesky(work, tiltedChol, k)) {
      return false;
    }
    for (int a = 0; a < k; a++) {
      work[a * k + a] -= 1.0;
    }
    // shift = L⁻ᵀ e
    for (int a = 0; a < k; a++) {
      shift.data[a] = tiltedMean[a];
    }
    solveUpperTransposed(blockChol, shift.data, 0, 1, k);
    // W = L⁻ᵀ G L⁻¹: first columns Y = L⁻ᵀ G, then W = (L⁻ᵀ Yᵀ)ᵀ.
    for (int col = 0; col < k; col++) {
      solveUpperTransposed(blockChol, work, col, k, k);
    }
    transposeInPlace(work, k);
    for (int col = 0; col < k; col++) {
      solveUpperTransposed(blockChol, work, col, k, k);
    }
    gain.reshape(k, k, false);
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double v = 0.5 * (work[a * k + b] + work[b * k + a]);
        if (!Double.isFinite(v)) {
          return false;
        }
        gain.data[a * k + b] = v;
      }
      if (!Double.isFinite(shift.data[a])) {
        return false;
      }
    }
    int n = graph.segmentCount();
    double[] c = covariance.data;
    // Bᵀ (k×n): the path's covariance columns are its rows, Σ being symmetric, so each is one
    // contiguous copy instead of n strided reads.
    columns.reshape(k, n, false);
    for (int a = 0; a < k; a++) {
      System.arraycopy(c, slots[a] * n, columns.data, a * n, n);
    }
    shift.reshape(k, 1, false);
    columnsTimesGain.reshape(k, n, false);
    // μ += B a = (Bᵀ)ᵀ a;  Σ += B W Bᵀ = (W Bᵀ)ᵀ Bᵀ. EJML's row-major kernels on preallocated
    // matrices; for n ≥ 15 multAddTransA takes its "reorder" form, a row-wise axpy over
    // contiguous memory that the JIT vectorises, with no allocation. B W Bᵀ is symmetric up to
    // round-off; symmetrise() removes the asymmetry every SYMMETRISE_EVERY observations (the
    // Cholesky of a path block reads one triangle meanwhile).
    CommonOps_DDRM.multAddTransA(columns, shift, mean);
    CommonOps_DDRM.mult(gain, columns, columnsTimesGain);
    CommonOps_DDRM.multAddTransA(columnsTimesGain, columns, covariance);
    if (++updatesSinceSymmetrise >= SYMMETRISE_EVERY) {
      symmetrise();
    }
    return true;
  }

  private void symmetrise() {
    updatesSinceSymmetrise = 0;
    int n = graph.segmentCount();
    double[] c = covariance.data;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double v = 0.5 * (c[i * n + j] + c[j * n + i]);
        c[i * n + j] = v;
        c[j * n + i] = v;
      }
    }
  }

  private double probabilityAllWork(int[] slots, int k, long nowNanos) {
    int n = graph.segmentCount();
    double seconds = elapsedSeconds(nowNanos);
    double[] c = covariance.data;
    for (int a = 0; a < k; a++) {
      querySlots[a] = slots[a];
    }
    blockAffine = false;
    for (int a = 0; a < k; a++) {
      int sa = querySlots[a];
      double fa = Math.exp(-reversionPerSecond[sa] * seconds);
      blockMean[a] = priorMean[sa] + (mean.data[sa] - priorMean[sa]) * fa;
      blockFloor[a] = passFloor[sa];
      blockSpan[a] = passSpan[sa];
      blockAffine |= twoState[sa];
      for (int b = 0; b < k; b++) {
        int sb = querySlots[b];
        double fb = Math.exp(-reversionPerSecond[sb] * seconds);
        double v = c[sa * n + sb] * fa * fb;
        if (a == b) {
          v += priorVariance[sa] * (1 - fa * fa);
        }
        blockCov[a * k + b] = v;
      }
    }
    if (!cholesky(blockCov, blockChol, k)) {
      // Fall back to independent marginals rather than answer from a broken block.
      double product = 1;
      for (int a = 0; a < k; a++) {
        product *= probabilityWorks(graph.segmentKeyAt(querySlots[a]), nowNanos);
      }
      return product;
    }
    tiltedMoments(k, 1.0, 1.0);
    return Math.min(1.0, Math.max(0.0, normaliser));
  }

  /** Cholesky of a k×k row-major matrix into the lower factor; false if not positive definite. */
  private static boolean cholesky(double[] a, double[] l, int k) {
    for (int i = 0; i < k; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i * k + j];
        for (int p = 0; p < j; p++) {
          sum -= l[i * k + p] * l[j * k + p];
        }
        if (i == j) {
          if (!(sum > 0) || !Double.isFinite(sum)) {
            return false;
          }
          l[i * k + i] = Math.sqrt(sum);
        } else {
          l[i * k + j] = sum / l[j * k + j];
        }
      }
      for (int j = i + 1; j < k; j++) {
        l[i * k + j] = 0;
      }
    }
    return true;
  }

  /** Solves Lᵀ y = v in place for column {@code col} of a row-major array with row stride. */
  private static void solveUpperTransposed(double[] l, double[] v, int col, int stride, int k) {
    for (int i = k - 1; i >= 0; i--) {
      double sum = v[i * stride + col];
      for (int p = i + 1; p < k; p++) {
        sum -= l[p * k + i] * v[p * stride + col];
      }
      v[i * stride + col] = sum / l[i * k + i];
    }
  }

  private static void transposeInPlace(double[] m, int k) {
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < i; j++) {
        double t = m[i * k + j];
        m[i * k + j] = m[j * k + i];
        m[j * k + i] = t;
      }
    }
  }

  /**
   * Advances the grid odometer {@code digits[0..k)} (base {@code p}) to the next tensor-grid
   * point and returns the lowest digit that changed (-1 after the last point), so the caller
   * recomputes only the products from that digit on.
   */
  private static int nextGridPoint(int[] digits, int k, int p) {
    int a = k - 1;
    while (a >= 0 && ++digits[a] == p) {
      digits[a] = 0;
      a--;
    }
    return a;
  }
}
