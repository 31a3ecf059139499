package org.netbelief.punch.belief;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.netbelief.model.AttemptBelief;
import org.netbelief.model.Blame;
import org.netbelief.model.Factor;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.FeatureKeys;
import org.netbelief.model.KeepalivePlanner;
import org.netbelief.model.PeerPath;
import org.netbelief.model.Prior;
import org.netbelief.model.ReachabilityModel;
import org.netbelief.model.RttModel;
import org.netbelief.model.SurvivalModel;
import org.netbelief.model.decide.Decisions;
import org.netbelief.model.decide.GiveUp;
import org.netbelief.punch.LifetimeProbePolicy;
import org.netbelief.punch.NatClass;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.PunchPolicy;
import org.netbelief.punch.config.FactorConfig;
import org.netbelief.punch.config.ModelConfig;
import org.netbelief.punch.internal.LongMap;
import org.netbelief.punch.wire.Frame;

/**
 * The engine's policy backed by netbelief's beliefs: it observes every packet event on every path
 * ({@link PathObserver}) and answers the engine's questions ({@link PunchPolicy}) from the
 * reachability, round-trip and hole-lifetime models of {@code netbelief-model}.
 *
 * <ul>
 *   <li><b>Candidate order</b>: by P(the session connects directly) from the four reachability
 *       factors ({@link #successProbability}); a LAN candidate first when both peers share a
 *       public address.
 *   <li><b>NAT classes</b>: when NAT behaviour discovery gave both peers' classes ({@link
 *       #onPathCreated(long, String, InetSocketAddress, int, boolean, int, int)}), OPENABLE
 *       starts from the class pair's compatibility prior ({@link #COMPATIBLE_PRIOR}, {@link
 *       #INCOMPATIBLE_PRIOR}; docs/model.md §7.12), learnt per pair from then on.
 *   <li><b>Retry pacing</b>: the 99th percentile of the round-trip belief, doubled per round
 *       (a Bayesian RFC 6298), between 50 ms and 2 s.
 *   <li><b>Give up and relay</b>: when the probability that a round left in the punching
 *       budget succeeds falls below a threshold, judged on the model that the pair either works
 *       (its rounds then fail only with a small, learnt ε) or never will ({@link
 *       Decisions#giveUpInSession}), or when the budget is spent.
 *   <li><b>Keepalive interval</b>: the longest silence our own NAT survives with credible
 *       reliability ({@link KeepalivePlanner}), learnt from keepalives that passed or failed
 *       after a silence and from lifetime probes ({@link LifetimeProbePolicy}).
 *   <li><b>Lifetime probes</b>: the gap the planner wants tested on a sacrificial binding
 *       ({@link KeepalivePlanner#nextProbeGapNanos}); a reply is survival evidence for our NAT,
 *       a missing one a loss with blame 1 when the rendezvous answered the main socket within
 *       the last {@link #RENDEZVOUS_RECENT_NANOS} ns, else {@link #UNCERTAIN_PROBE_BLAME}.
 *   <li><b>Keepalive answers</b>: the 99.9th percentile b of the path's round-trip belief for the
 *       first keepalive, then re-sends after 1, 3 and 8 s and a last wait of b; 5 misses lose
 *       the path (≈ 12 s), so short uplink outages and single losses keep the hole.
 * </ul>
 *
 * <p>Evidence: an acknowledged introduction is a success for every factor of its path; an
 * unanswered round a failure shared among the factors by assumed-density filtering, with
 * UPLINK held (no blame) while the rendezvous answers, and pooled into the general rows only
 * for the first failed round of a punching session (the later rounds fail for the same reason
 * and teach only the endpoint's row); a rendezvous answer (or silence) is direct UPLINK
 * evidence pooled over all paths; a keepalive
 * answered after a silence is survival evidence for both NATs of the path, an unanswered one a
 * loss shared between them. A LAN candidate of a peer behind another public address is expected
 * to fail and its failures are not counted as evidence. Only authenticated packets reach the
 * observer, so no forged packet moves a belief.
 *
 * <pre>{@code
 * BeliefPolicy beliefs = BeliefPolicy.builder().localNetwork("wlan0").build();
 * PeerEngine engine = new PeerEngine(identity, name, rendezvous, locals, accept,
 *     sink, beliefs, beliefs, random);   // the same object is policy and observer
 * }</pre>
 *
 * <p>Single-threaded, like the engine that calls it. The per-packet calls allocate nothing once a
 * path is known; {@link #onPathCreated} allocates the path's state.
 */
public final class BeliefPolicy implements PunchPolicy, PathObserver, LifetimeProbePolicy {
  /**
   * A lost lifetime probe is blamed fully on our NAT when the rendezvous answered the main socket
   * this recently (60 s: three rendezvous keepalives at the link's lease/3 cadence): the
   * rendezvous and our uplink were working, so only the silent binding can have failed.
   */
  public static final long RENDEZVOUS_RECENT_NANOS = 60_000_000_000L;
  /**
   * Blame of a lost probe when the rendezvous has not answered recently: the uplink or the
   * rendezvous may have dropped the reply, so the loss says less about the binding's lifetime.
   */
  public static final double UNCERTAIN_PROBE_BLAME = 0.25;

  /** Waits after the 1st, 2nd, 3rd (and later) unanswered keepalive, before the last re-send. */
  private static final long[] RESEND_WAITS_NANOS = {
      1_000_000_000L, 3_000_000_000L, 8_000_000_000L};

  /** Bounds of the wait b for a keepalive's answer: 100 ms and 3 s. */
  private static final long MIN_ANSWER_WAIT_NANOS = 100_000_000L;
  private static final long MAX_ANSWER_WAIT_NANOS = 3_000_000_000L;

  /** Candidate kind of a peer-reflexive endpoint (learned from an incoming packet). */
  private static final int KIND_REFLEXIVE = 0;

  private final ReachabilityModel reachability;
  private final RttModel rtt;
  private final SurvivalModel survival;
  private final KeepalivePlanner planner;
  private final String localNetwork;
  private final long punchBudgetNanos;
  private final double giveUpThreshold;
  private final int missesBeforeLost;
  private final PeerPath rendezvousPath;
  private final long[] ownNatKeys;
  private final long[] globalRttKeys;
  private final LongMap<PathState> paths = new LongMap<>();
  private long lastRendezvousAnswerNanos = Long.MIN_VALUE;
  private long lastRendezvousTimeoutNanos = Long.MIN_VALUE;
  /** Failed rounds, and all rounds, of sessions that ended in a success (the give-up's ε). */
  private double roundFailures;
  private double roundsOfWorkingPairs;
  /**
   * Prior of ε, the chance that a round of a pair that can punch fails: Beta(1, 9), mean 0.1.
   * libp2p's DCUtR measurement found 97.6 % of successes on the first attempt (ε ≈ 0.024); the
   * prior sits above that with the weight of ten rounds, so that a host's own sessions soon
   * take over and a slow start does not make it give up on working pairs.
   */
  static final double ROUND_FAILURE_A = 1.0;
  static final double ROUND_FAILURE_B = 9.0;
  /** The held set of an introduction failure while the rendezvous answers (never mutated). */
  private static final Set<Factor> UPLINK_HELD = Collections.unmodifiableSet(
      EnumSet.of(Factor.UPLINK));

  /** What the policy keeps per path. */
  private static final class PathState {
    final PeerPath path;
    final long[] rttKeys;
    final long[] remoteNatKeys;
    final boolean evidence;
    /** When the last introduction on this path was sent; a new session after a long gap. */
    long lastIntroSendNanos = Long.MIN_VALUE;
    /** Introduction rounds of the current punching session that timed out. */
    int sessionFailures;
    /** Whether an introduction of the current session was acknowledged. */
    boolean sessionSucceeded;
    /** P(a new attempt succeeds) when the current session began. */
    double sessionPrior = Double.NaN;
    /** Unanswered keepalives in a row: the re-sends are spread out. */
    int keepaliveMisses;

    PathState(PeerPath path, long[] rttKeys, long[] remoteNatKeys, boolean evidence) {
      this.path = path;
      this.rttKeys = rttKeys;
      this.remoteNatKeys = remoteNatKeys;
      this.evidence = evidence;
    }
  }

  private BeliefPolicy(Builder b) {
    this.reachability = b.reachability.build();
    this.rtt = b.rtt.build();
    this.survival = SurvivalModel.builder().levelStrengths(0.005, 0.005).build();
    this.planner = KeepalivePlanner.builder(survival).reliability(b.keepaliveReliability)
        .floor(b.keepaliveFloor).ceiling(b.keepaliveCeiling).build();
    this.localNetwork = b.localNetwork;
    this.punchBudgetNanos = b.punchBudget.toNanos();
    this.giveUpThreshold = b.giveUpThreshold;
    this.missesBeforeLost = b.missesBeforeLost;
    Map<String, String> rv = new HashMap<>();
    rv.put("localNetwork", localNetwork);
    rv.put("remotePrefix", "rendezvous");
    rv.put("remoteEndpoint", "rendezvous");
    rv.put("remoteNatClass", "rendezvous");
    this.rendezvousPath = reachability.path(rv);
    this.ownNatKeys = new long[] {
        FeatureKeys.of("global", "*"), FeatureKeys.of("nat", "self:" + localNetwork)};
    this.globalRttKeys = rtt.keys("*", "unseen", "unseen");
  }

  /** A builder with the defaults documented on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link BeliefPolicy}. */
  public static final class Builder {
    private final ReachabilityModel.Builder reachability = ReachabilityModel.builder();
    private final RttModel.Builder rtt = RttModel.builder();
    private String localNetwork = "default";
    private Duration punchBudget = Duration.ofSeconds(20);
    private double giveUpThreshold = 0.1;
    private int missesBeforeLost = 5;
    private double keepaliveReliability = 0.99;
    private Duration keepaliveFloor = Duration.ofSeconds(5);
    private Duration keepaliveCeiling = Duration.ofMinutes(10);
    private FeatureChain openable;
    private Prior compatiblePrior = COMPATIBLE_PRIOR;
    private Prior incompatiblePrior = INCOMPATIBLE_PRIOR;

    private Builder() {
      // Root priors calibrated to the field: the product of the four factor means is
      // 0.99 · 0.97 · 0.95 · 0.76 = 0.693, the direct-connection success measured by libp2p's
      // DCUtR study (70 % ± 7.1 % over 4.4 M attempts). The model's own defaults (product 0.51)
      // are deliberately more doubtful; a fitted model (--model) replaces both.
      reachability.chain(Factor.UPLINK, DefaultChains.UPLINK);
      reachability.chain(Factor.DOWNLINK, DefaultChains.DOWNLINK);
      reachability.chain(Factor.OPENED, DefaultChains.OPENED);
      openable = DefaultOpenable.PLAIN;
    }

    /**
     * The OPENABLE priors of a path whose two NAT classes discovery found: {@code compatible}
     * when {@link NatClass#compatible} says the engine's strategy opens the pair, {@code
     * incompatible} otherwise (defaults {@link #COMPATIBLE_PRIOR}, {@link #INCOMPATIBLE_PRIOR}).
     * They seed the pair's {@code remoteNatClass} row ({@link FeatureChain.Builder#tokenPrior});
     * a path with an unknown class keeps the chain's plain shrinkage.
     */
    public Builder natClassPriors(Prior compatible, Prior incompatible) {
      if (compatible == null || incompatible == null) {
        throw new IllegalArgumentException("NAT class priors must not be null");
      }
      this.compatiblePrior = compatible;
      this.incompatiblePrior = incompatible;
      return this;
    }

    /**
     * A token naming our local network (interface and subnet, say): UPLINK evidence is pooled
     * per local network, and a new one starts from the prior. Default {@code "default"}.
     */
    public Builder localNetwork(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("local network token must not be blank");
      }
      this.localNetwork = token;
      return this;
    }

    /**
     * The longest time to punch before the relay carries the session (default 20 s); the policy
     * gives up earlier when punching has become hopeless.
     */
    public Builder punchBudget(Duration budget) {
      if (budget == null || budget.isNegative() || budget.isZero()) {
        throw new IllegalArgumentException("punch budget must be > 0, got " + budget);
      }
      this.punchBudget = budget;
      return this;
    }

    /**
     * Give up when P(some attempt within the budget succeeds) is below this (default 0.1).
     */
    public Builder giveUpThreshold(double threshold) {
      if (!(threshold >= 0.0 && threshold <= 1.0)) {
        throw new IllegalArgumentException("give-up threshold must lie in [0, 1], got "
            + threshold);
      }
      this.giveUpThreshold = threshold;
      return this;
    }

    /**
     * Unanswered keepalives in a row before a path is presumed lost (default 5). The re-sends
     * are spread over about 12 s ({@link BeliefPolicy#probeTimeoutNanos}), so a short uplink
     * outage does not lose the hole. With 2 misses 100–300 ms apart (the earlier default), two
     * lost exchanges in a row (≈ 0.15 % at 1 % loss per link and direction: a keepalive and its
     * answer cross four access links) declared a live path lost about once an hour on a 5 s
     * interval, and every uplink outage that met a keepalive lost the hole.
     */
    public Builder missesBeforeLost(int misses) {
      if (misses < 1) {
        throw new IllegalArgumentException("misses before lost must be >= 1, got " + misses);
      }
      this.missesBeforeLost = misses;
      return this;
    }

    /**
     * The keepalive planner's target: the probability a hole survives the planned silence
     * (default 0.99), and the bounds of the interval (default 5 s to 10 min).
     */
    public Builder keepalive(double reliability, Duration floor, Duration ceiling) {
      if (!(reliability > 0.0 && reliability < 1.0)) {
        throw new IllegalArgumentException("keepalive reliability must lie in (0, 1), got "
            + reliability);
      }
      if (floor == null || ceiling == null || floor.isNegative() || floor.isZero()
          || floor.compareTo(ceiling) > 0) {
        throw new IllegalArgumentException("keepalive bounds must satisfy 0 < floor <= ceiling,"
            + " got floor " + floor + ", ceiling " + ceiling);
      }
      this.keepaliveReliability = reliability;
      this.keepaliveFloor = floor;
      this.keepaliveCeiling = ceiling;
      return this;
    }

    /**
     * Applies a model configuration (from {@code ModelConfigFiles.load}, e.g. fitted by {@code
     * ./netbelief fit}): for every factor it names ({@code UPLINK}, {@code DOWNLINK}, {@code
     * OPENED}, {@code OPENABLE}), its half-life and feature chain (priors and level strengths).
     *
     * @throws IllegalArgumentException naming a factor the model does not know
     */
    public Builder model(ModelConfig config) {
      for (Map.Entry<String, FactorConfig> e : config.factors().entrySet()) {
        Factor factor;
        try {
          factor = Factor.valueOf(e.getKey());
        } catch (IllegalArgumentException unknown) {
          throw new IllegalArgumentException("model configuration names unknown factor '"
              + e.getKey() + "'; known: UPLINK, DOWNLINK, OPENED, OPENABLE");
        }
        FeatureChain chain = e.getValue().chain();
        reachability.halfLife(factor, Duration.ofNanos(e.getValue().halfLifeNanos()));
        if (factor == Factor.OPENABLE) {
          openable = chain; // the NAT class priors are added at build()
        } else {
          reachability.chain(factor, chain);
        }
      }
      return this;
    }

    /** The policy. */
    public BeliefPolicy build() {
      boolean defaults = openable == DefaultOpenable.PLAIN && compatiblePrior == COMPATIBLE_PRIOR
          && incompatiblePrior == INCOMPATIBLE_PRIOR;
      // Every peer of a simulation builds one policy: the default chain's 162 token priors are
      // built once and each policy gets its own copy of their values only.
      reachability.chain(Factor.OPENABLE, defaults ? DefaultOpenable.WITH_CLASS_PRIORS.copy()
          : withNatClassPriors(openable, compatiblePrior, incompatiblePrior));
      return new BeliefPolicy(this);
    }
  }

  /**
   * OPENABLE prior of a NAT class pair the engine's strategy opens: mean 0.97, strength 20. The
   * theory (RFC 4787 and the strategy, {@link NatClass#compatible}) says 1; the 3 % leaves room
   * for discovery being wrong (a NAT whose behaviour varies with load or time, a middlebox the
   * tests do not see). Strength 20: a host needs about 20 outcomes on that pair class to
   * overturn it. Derived, not fitted (docs/model.md, "NAT class prior").
   */
  public static final Prior COMPATIBLE_PRIOR = Prior.of(0.97, 20);
  /** OPENABLE prior of a pair the strategy cannot open: mean 0.02, strength 20 (as above). */
  public static final Prior INCOMPATIBLE_PRIOR = Prior.of(0.02, 20);

  /**
   * Most strength a class pair's OPENABLE prior takes from the rendezvous's network evidence:
   * 200 pseudo-sessions. The mean keeps all of the network's evidence, (k·μ + s) / (k + s + f);
   * only its weight against this peer's own rows is capped, so that the peer's own sessions
   * still overturn it in about two of the rendezvous's half-lives: a peer makes about 4
   * sessions an hour, 4 · 2 · 24 h ≈ 200 (docs/model.md §7.13). Derived, not fitted.
   */
  public static final double NETWORK_STRENGTH_CAP = 200.0;

  /** Candidate kinds whose paths get the NAT class pair in their token (not LAN candidates). */
  private static final int[] CLASSED_KINDS = {Frame.CANDIDATE_PUBLIC, KIND_REFLEXIVE};

  /**
   * The default UPLINK, DOWNLINK and OPENED chains (see the builder), built once and shared by
   * every policy: a chain without token priors is immutable. One shared chain (its root prior,
   * strengths and level flags) stays in cache, where 10 000 alike per-peer copies were cold
   * objects on every belief read, e.g. each rendezvous answer's UPLINK evidence.
   */
  private static final class DefaultChains {
    static final FeatureChain UPLINK = FeatureChain.builder(Prior.of(0.99, 4))
        .level(ReachabilityModel.GLOBAL, 4).level("localNetwork", 4).build();
    static final FeatureChain DOWNLINK = FeatureChain.builder(Prior.of(0.97, 2))
        .level(ReachabilityModel.GLOBAL, 2).level("remotePrefix", 4).level("remoteEndpoint", 4)
        .build();
    static final FeatureChain OPENED = FeatureChain.builder(Prior.of(0.95, 2))
        .level(ReachabilityModel.GLOBAL, 2).level("remoteNatClass", 4).level("remoteEndpoint", 4)
        .build();
  }

  /** The default OPENABLE chain, built once (a holder: initialised after the constants above). */
  private static final class DefaultOpenable {
    /** Root 0.76 (see the builder), without NAT class priors; immutable, so shared. */
    static final FeatureChain PLAIN = FeatureChain.builder(Prior.of(0.76, 2))
        .level(ReachabilityModel.GLOBAL, 2).level("remoteNatClass", 4).level("remoteEndpoint", 4)
        .build();
    /** {@link #PLAIN} with the default class priors: only ever copied, never set. */
    static final FeatureChain WITH_CLASS_PRIORS =
        withNatClassPriors(PLAIN, COMPATIBLE_PRIOR, INCOMPATIBLE_PRIOR);
  }

  /**
   * {@code chain} with a token prior on its {@code remoteNatClass} level for every pair of known
   * classes and classed candidate kind; unchanged when it has no such level.
   */
  static FeatureChain withNatClassPriors(FeatureChain chain, Prior compatible,
      Prior incompatible) {
    boolean has = false;
    for (int i = 0; i < chain.depth(); i++) {
      has |= chain.levelName(i).equals("remoteNatClass");
    }
    if (!has) {
      return chain;
    }
    if (chain.tokenPriorCount() > 0) {
      // A configured chain with its own token priors: a copy, because onNetworkEvidence sets
      // them at run time and a configuration's chain may be shared by many policies.
      return chain.copy();
    }
    FeatureChain.Builder b = chain.toBuilder();
    for (int kind : CLASSED_KINDS) {
      for (int m1 = NatClass.EIM; m1 <= NatClass.APDM; m1++) {
        for (int f1 = NatClass.EIF; f1 <= NatClass.APDF; f1++) {
          for (int m2 = NatClass.EIM; m2 <= NatClass.APDM; m2++) {
            for (int f2 = NatClass.EIF; f2 <= NatClass.APDF; f2++) {
              int own = NatClass.of(m1, f1);
              int remote = NatClass.of(m2, f2);
              b.tokenPrior("remoteNatClass", natClassToken(kind, own, remote),
                  NatClass.compatible(own, remote) ? compatible : incompatible);
            }
          }
        }
      }
    }
    return b.build();
  }

  /**
   * The {@code remoteNatClass} token of a path: the candidate kind, and when both classes are
   * known and the kind is public or peer-reflexive, the pair, e.g. {@code
   * "public|EIM/APDF>APDM/APDF"} (own class first).
   */
  static String natClassToken(int kind, int ownClass, int remoteClass) {
    String k = kindName(kind);
    if (kind == Frame.CANDIDATE_LOCAL || !NatClass.isKnown(ownClass)
        || !NatClass.isKnown(remoteClass)) {
      return k;
    }
    return k + "|" + NatClass.name(ownClass) + ">" + NatClass.name(remoteClass);
  }

  // ------------------------------------------------------------------- observing the engine

  /**
   * The rendezvous's network evidence for the pair (own class, remote class): the pair's
   * OPENABLE token prior (μ, k) becomes Beta with mean (k·μ + s) / (k + s + f) and strength
   * min(k + s + f, {@link #NETWORK_STRENGTH_CAP}) for the public and peer-reflexive candidates'
   * tokens ({@link FeatureChain#setTokenPrior}); with no evidence (s = f = 0) it is exactly the
   * built prior. The latest evidence replaces the earlier (the rendezvous sends its whole
   * decayed count each time). A chain without the pair's token prior (a configured chain with
   * no {@code remoteNatClass} level) is left alone.
   */
  @Override
  public void onNetworkEvidence(int ownNatClass, int remoteNatClass, double successMass,
      double failureMass, long nowNanos) {
    if (!NatClass.isKnown(ownNatClass) || !NatClass.isKnown(remoteNatClass)
        || !(successMass >= 0.0) || !(failureMass >= 0.0) || Double.isInfinite(successMass)
        || Double.isInfinite(failureMass)) {
      return; // the decoder validated the wire values; a bad call from elsewhere is ignored
    }
    FeatureChain chain = reachability.chain(Factor.OPENABLE);
    for (int kind : CLASSED_KINDS) {
      int slot = chain.tokenPriorIndex("remoteNatClass",
          natClassToken(kind, ownNatClass, remoteNatClass));
      if (slot < 0) {
        continue;
      }
      chain.setTokenPrior(slot, withNetworkEvidence(chain.baseTokenPrior(slot), successMass,
          failureMass));
    }
  }

  /**
   * {@code base} (μ, k) with the network's (s, f): mean (k·μ + s) / (k + s + f), strength
   * min(k + s + f, {@link #NETWORK_STRENGTH_CAP}) (never below k); {@code base} itself when
   * s + f = 0.
   */
  static Prior withNetworkEvidence(Prior base, double s, double f) {
    if (s + f == 0.0) {
      return base;
    }
    double k = base.strength();
    double n = k + s + f;
    double mean = (k * base.mean() + s) / n;
    return Prior.of(mean, Math.max(k, Math.min(n, NETWORK_STRENGTH_CAP)));
  }

  @Override
  public void onPathCreated(long pathKey, String peerId, InetSocketAddress remote,
      int candidateKind, boolean samePublicAddress) {
    onPathCreated(pathKey, peerId, remote, candidateKind, samePublicAddress, NatClass.UNKNOWN,
        NatClass.UNKNOWN);
  }

  /**
   * A path with both NAT classes: when both are known, OPENABLE and OPENED pool its evidence per
   * (own class, remote class) pair, and OPENABLE starts from the pair's compatibility prior
   * ({@link Builder#natClassPriors}); otherwise per candidate kind, as without discovery.
   */
  @Override
  public void onPathCreated(long pathKey, String peerId, InetSocketAddress remote,
      int candidateKind, boolean samePublicAddress, int ownNatClass, int remoteNatClass) {
    if (paths.get(pathKey) != null) {
      return; // the same (peer, endpoint) in a new session: keep what we learnt
    }
    String host = remote.getHostString();
    String prefix = prefixOf(remote);
    String endpoint = host + ":" + remote.getPort();
    Map<String, String> tokens = new HashMap<>();
    tokens.put("localNetwork", localNetwork);
    tokens.put("remotePrefix", prefix);
    tokens.put("remoteEndpoint", endpoint);
    tokens.put("remoteNatClass", natClassToken(candidateKind, ownNatClass, remoteNatClass));
    PeerPath path = reachability.path(tokens);
    long[] rttKeys = rtt.keys("*", prefix, endpoint);
    long[] natKeys = {FeatureKeys.of("global", "*"), FeatureKeys.of("nat", host)};
    // A LAN candidate of a peer behind another public address cannot work (the address is
    // private to the peer's site): its failures are expected and say nothing about the network.
    boolean evidence = candidateKind != Frame.CANDIDATE_LOCAL || samePublicAddress;
    paths.put(pathKey, new PathState(path, rttKeys, natKeys, evidence));
  }

  @Override
  public void onSend(long pathKey, int probe, long nowNanos) {
    PathState s = paths.get(pathKey);
    if (s != null && probe == PROBE_INTRO) {
      s.path.openedAt(nowNanos); // both peers punch in the same round: the opening is fresh
      if (s.lastIntroSendNanos == Long.MIN_VALUE
          || nowNanos - s.lastIntroSendNanos > punchBudgetNanos) {
        s.sessionFailures = 0; // rounds of one session are at most a retry delay apart
        s.sessionSucceeded = false;
        s.sessionPrior = successProbability(pathKey, nowNanos);
      }
      s.lastIntroSendNanos = nowNanos;
    }
  }

  @Override
  public void onAck(long pathKey, int probe, long rttNanos, long nowNanos) {
    PathState s = paths.get(pathKey);
    if (s == null) {
      return;
    }
    if (probe == PROBE_INTRO) {
      reachability.success(s.path, nowNanos);
      if (!s.sessionSucceeded) {
        // A working pair's session: its failed rounds before this success are what a round of
        // a working pair fails with (the give-up's ε).
        roundFailures += s.sessionFailures;
        roundsOfWorkingPairs += s.sessionFailures + 1;
        s.sessionSucceeded = true; // counted once; later acks of the session are not rounds
      }
    }
    if (rttNanos > 0) {
      rtt.observe(s.rttKeys, rttNanos, nowNanos);
    }
    s.path.openedAt(nowNanos);
    s.keepaliveMisses = 0;
  }

  @Override
  public void onTimeout(long pathKey, int probe, long nowNanos) {
    PathState s = paths.get(pathKey);
    if (s != null && probe == PROBE_KEEPALIVE) {
      s.keepaliveMisses++; // the re-sends are spread out (probeTimeoutNanos)
    }
    if (s != null && s.evidence && probe == PROBE_INTRO) {
      // The rendezvous answering recently, with no miss since, is direct proof that our uplink
      // works: the round failed elsewhere, so UPLINK takes none of its blame.
      Set<Factor> held = uplinkProven(nowNanos) ? UPLINK_HELD : Collections.emptySet();
      // The first failed round of a session is a new draw for the pooled rows (every remote of
      // this NAT class, every path of our network); later rounds fail for the same reason and
      // teach only the endpoint's own row.
      double parentWeight = s.sessionFailures == 0 ? 1.0 : 0.0;
      s.sessionFailures++;
      reachability.failure(s.path, Blame.ADF, held, parentWeight, nowNanos);
    }
  }

  @Override
  public void onSilencePass(long pathKey, long silenceNanos, long nowNanos) {
    PathState s = paths.get(pathKey);
    if (s != null) {
      survival.observeSurvival(ownNatKeys, silenceNanos, nowNanos);
      survival.observeSurvival(s.remoteNatKeys, silenceNanos, nowNanos);
    }
  }

  @Override
  public void onSilenceFail(long pathKey, long silenceNanos, long nowNanos) {
    PathState s = paths.get(pathKey);
    if (s != null) {
      s.keepaliveMisses = 0;
      // Either NAT's binding may have expired: half the blame each.
      survival.observeLoss(ownNatKeys, silenceNanos, 0.5, nowNanos);
      survival.observeLoss(s.remoteNatKeys, silenceNanos, 0.5, nowNanos);
    }
  }

  @Override
  public void onRendezvousAnswer(long rttNanos, long nowNanos) {
    lastRendezvousAnswerNanos = nowNanos;
    reachability.direct(rendezvousPath, Factor.UPLINK, true, nowNanos);
  }

  @Override
  public void onRendezvousTimeout(long nowNanos) {
    lastRendezvousTimeoutNanos = nowNanos;
    reachability.direct(rendezvousPath, Factor.UPLINK, false, nowNanos);
  }

  /**
   * Whether the rendezvous answered within {@link #RENDEZVOUS_RECENT_NANOS} and has not missed
   * an answer since: our packets got out and back, so our uplink worked.
   */
  private boolean uplinkProven(long nowNanos) {
    return lastRendezvousAnswerNanos != Long.MIN_VALUE
        && nowNanos - lastRendezvousAnswerNanos <= RENDEZVOUS_RECENT_NANOS
        && lastRendezvousAnswerNanos > lastRendezvousTimeoutNanos;
  }

  // ------------------------------------------------------------------ answering the engine

  @Override
  public double candidateScore(long pathKey, int candidateKind, boolean samePublicAddress,
      long nowNanos) {
    double p = successProbability(pathKey, nowNanos);
    if (Double.isNaN(p)) {
      p = 0.0;
    }
    // Behind the same public address the LAN path is the likely one and the cheapest.
    return candidateKind == Frame.CANDIDATE_LOCAL && samePublicAddress ? 1.0 + p : p;
  }

  @Override
  public long retryDelayNanos(int round, long nowNanos) {
    // Decisions.pace(rtt.belief(..), ..).delayNanos() without its belief, reasons and read
    // buffers: the same timer (RttModel#quantileNanos) and the same backoff arithmetic.
    return Decisions.paceNanos(rtt.quantileNanos(globalRttKeys, 0.99, nowNanos), round,
        50_000_000L, MAX_RETRY_NANOS);
  }

  @Override
  public boolean giveUpAndRelay(int rounds, long elapsedNanos, long nowNanos) {
    return elapsedNanos >= punchBudgetNanos;
  }

  @Override
  public boolean giveUpAndRelay(String peerId, long[] pathKeys, int rounds, long elapsedNanos,
      long nowNanos) {
    if (elapsedNanos >= punchBudgetNanos) {
      return true;
    }
    GiveUp g = giveUpDecision(pathKeys, rounds, elapsedNanos, nowNanos);
    return g != null && g.relay();
  }

  /**
   * The give-up decision with its reasons, for the most promising path of {@code pathKeys}
   * ({@link Decisions#giveUpInSession} with the session's failed rounds and the prediction at
   * its start); null when none of the paths is known.
   */
  public GiveUp giveUpDecision(long[] pathKeys, int rounds, long elapsedNanos, long nowNanos) {
    PathState best = null;
    long bestKey = 0;
    double bestP = -1.0;
    for (long k : pathKeys) {
      PathState s = paths.get(k);
      if (s != null && s.evidence) {
        double p = reachability.pSuccess(s.path, nowNanos);
        if (p > bestP) {
          bestP = p;
          best = s;
          bestKey = k;
        }
      }
    }
    if (best == null) {
      return null;
    }
    long remaining = Math.max(0, punchBudgetNanos - elapsedNanos);
    // The session's failed rounds on the most promising path, judged on the model that the
    // pair either works (its rounds fail only with ε) or never will (Decisions.giveUpInSession).
    int failed = best.sessionSucceeded ? 0 : best.sessionFailures;
    double prior = failed > 0 && !Double.isNaN(best.sessionPrior) ? best.sessionPrior
        : successProbability(bestKey, nowNanos);
    return Decisions.giveUpInSession(prior, failed, ROUND_FAILURE_A + roundFailures,
        ROUND_FAILURE_B + roundsOfWorkingPairs - roundFailures, remaining,
        retryDelayNanos(rounds, nowNanos), giveUpThreshold);
  }

  /**
   * Our own NAT's planned interval, for every path and the rendezvous link alike. Each side keeps
   * its own NAT open: a binding is refreshed by outbound packets, and both our keepalives and our
   * keepalive-acks are outbound, so the peer's NAT is the peer's to keep with its own planned
   * interval. Taking the minimum with the remote NAT's belief would tie our cost to a prior we
   * cannot probe (only the peer can), and pin the interval at that prior for ever.
   */
  @Override
  public long keepaliveIntervalNanos(long pathKey, long nowNanos) {
    // No margin for re-sends: a keepalive refreshes our binding on its way out whether or not
    // it or its answer is lost later, and each re-send refreshes it again, so re-sends never
    // lengthen our own binding's silence. The peer's binding is the peer's to keep (above).
    return planner.keepaliveIntervalNanos(ownNatKeys, nowNanos);
  }

  // ------------------------------------------------------------------ lifetime discovery

  /** The gap the planner wants tested on our NAT, or {@link #NO_PROBE}. */
  @Override
  public long nextProbeGapNanos(long nowNanos) {
    long gap = planner.nextProbeGapNanos(ownNatKeys, nowNanos);
    return gap == KeepalivePlanner.NO_PROBE ? NO_PROBE : gap;
  }

  /** Survival evidence for our NAT at the probe's gap. */
  @Override
  public void onProbeSurvived(long gapNanos, long nowNanos) {
    survival.observeSurvival(ownNatKeys, gapNanos, nowNanos);
  }

  /**
   * A loss for our NAT at the probe's gap: blame 1 when the rendezvous answered the main socket
   * within {@link #RENDEZVOUS_RECENT_NANOS}, else {@link #UNCERTAIN_PROBE_BLAME}.
   */
  @Override
  public void onProbeLost(long gapNanos, long nowNanos) {
    boolean recent = lastRendezvousAnswerNanos != Long.MIN_VALUE
        && nowNanos - lastRendezvousAnswerNanos <= RENDEZVOUS_RECENT_NANOS;
    survival.observeLoss(ownNatKeys, gapNanos, recent ? 1.0 : UNCERTAIN_PROBE_BLAME, nowNanos);
  }

  /**
   * How long to wait for a keepalive's answer. The first keepalive after a silence and the last
   * re-send wait the 99.9th percentile b of the path's round-trip belief (100 ms to 3 s); the
   * re-sends between wait {@link #RESEND_WAITS_NANOS} (1, 3, 8 s; at least b). With the default
   * 5 misses and b ≤ 1 s the keepalives go out at 0, b, b + 1, b + 4 and b + 12 s after the
   * first unanswered one and the path is declared lost at b + 12 s + b (at most 20 s for
   * b = 3 s): an uplink outage that ends before the last re-send (≈ 12 s) is ridden out, because both bindings stay refreshed meanwhile (each
   * side's keepalives pass its own NAT even while the uplink beyond it is down), and a dead hole
   * is still found in about 12 s (ICE's consent freshness takes 30 s). The last wait is short
   * because waiting longer for a packet sent into an outage rides out nothing.
   */
  @Override
  public long probeTimeoutNanos(long pathKey, long rttNanos, long nowNanos) {
    PathState s = paths.get(pathKey);
    long[] keys = s == null ? globalRttKeys : s.rttKeys;
    int misses = s == null ? 0 : s.keepaliveMisses;
    // b = clamp(q, 100 ms, 3 s); a re-send between waits max(b, w) = clamp(q, max(100 ms, w),
    // 3 s) for w <= 3 s, and w itself for w >= 3 s (no quantile needed). The clamped quantile
    // skips the t inversion when a bound proves the clamp (RttModel#clampedQuantileNanos): the
    // same nanoseconds as before, without a Brent search on about a third of the calls.
    long floor = MIN_ANSWER_WAIT_NANOS;
    if (misses != 0 && misses < missesBeforeLost - 1) {
      floor = Math.max(floor, RESEND_WAITS_NANOS[Math.min(misses, RESEND_WAITS_NANOS.length) - 1]);
      if (floor >= MAX_ANSWER_WAIT_NANOS) {
        return floor;
      }
    }
    return rtt.clampedQuantileNanos(keys, 0.999, floor, MAX_ANSWER_WAIT_NANOS, nowNanos);
  }

  @Override
  public int missesBeforeLost(long pathKey, long nowNanos) {
    return missesBeforeLost;
  }

  /**
   * P(a new introduction on the path gives a direct connection within the punching budget):
   *
   * <pre>
   *   P = m_UPLINK · m_OPENABLE · (1 − (1 − m_DOWNLINK · m_OPENED)^n)
   * </pre>
   *
   * at a fresh opening ({@link ReachabilityModel#pSuccessFresh}), with UPLINK counted 1 while the
   * rendezvous answers; NaN for an unknown path. OPENABLE is the pair's property and UPLINK
   * fails by outages that outlast a session, so both hold or fail for the whole session. DOWNLINK
   * and OPENED fail at a fresh introduction by single lost packets or a late punch (the
   * rendezvous has just reached the peer, which accepted and punches at once), which the next
   * round repairs: each of the n rounds the retry pacing sends within the budget is a new try
   * ({@link #roundsInBudget}). This is the probability of the whole session, the quantity the
   * give-up decision's "the pair works" is ({@link Decisions#giveUpInSession}); docs/model.md
   * §7.3 derives it.
   */
  @Override
  public double successProbability(long pathKey, long nowNanos) {
    PathState s = paths.get(pathKey);
    if (s == null) {
      return Double.NaN;
    }
    // A new attempt makes both peers punch afresh: an old opening's decay does not enter. While
    // the rendezvous answers, our uplink is known to work: UPLINK counts 1, not its pooled mean,
    // which still remembers an outage that is over.
    boolean proven = uplinkProven(nowNanos);
    double session = reachability.pSuccessFresh(s.path,
        proven ? PER_ROUND_AND_UPLINK : PER_ROUND, nowNanos);
    double round = reachability.pSuccessFresh(s.path, SESSION_FACTORS, nowNanos);
    return session * (1.0 - Math.pow(1.0 - round, roundsInBudget(nowNanos)));
  }

  /**
   * The punching rounds the retry pacing sends within the budget: delays from {@link
   * #retryDelayNanos}, doubling per round up to its 2 s cap, summed until they pass the budget
   * (at most 64).
   */
  int roundsInBudget(long nowNanos) {
    long d = retryDelayNanos(0, nowNanos);
    long spent = 0;
    int n = 0;
    while (spent < punchBudgetNanos && n < 64) {
      spent += Math.min(MAX_RETRY_NANOS, d << Math.min(n, 20));
      n++;
    }
    return n;
  }

  /** The factors held for the session part of {@link #successProbability}. */
  private static final Set<Factor> PER_ROUND = Collections.unmodifiableSet(
      EnumSet.of(Factor.DOWNLINK, Factor.OPENED));
  private static final Set<Factor> PER_ROUND_AND_UPLINK = Collections.unmodifiableSet(
      EnumSet.of(Factor.DOWNLINK, Factor.OPENED, Factor.UPLINK));
  /** The factors held for the per-round part of {@link #successProbability}. */
  private static final Set<Factor> SESSION_FACTORS = Collections.unmodifiableSet(
      EnumSet.of(Factor.UPLINK, Factor.OPENABLE));
  /** The retry pacing's cap (2 s). */
  private static final long MAX_RETRY_NANOS = 2_000_000_000L;

  // ------------------------------------------------------------------------- for reports

  /** The reachability model (for reports and snapshots). */
  public ReachabilityModel reachability() {
    return reachability;
  }

  /** The hole-lifetime model. */
  public SurvivalModel survival() {
    return survival;
  }

  /** The keepalive planner over {@link #survival()}. */
  public KeepalivePlanner planner() {
    return planner;
  }

  /** Our own NAT's feature keys in the survival model. */
  public long[] ownNatKeys() {
    return ownNatKeys.clone();
  }

  /** The attempt belief of a known path, or null. */
  public AttemptBelief attempt(long pathKey, long nowNanos) {
    PathState s = paths.get(pathKey);
    return s == null ? null : reachability.attempt(s.path, nowNanos);
  }

  /** The path model of a known path, or null. */
  public PeerPath path(long pathKey) {
    PathState s = paths.get(pathKey);
    return s == null ? null : s.path;
  }

  /** The number of paths known. */
  public int pathCount() {
    return paths.size();
  }

  static String kindName(int kind) {
    return switch (kind) {
      case Frame.CANDIDATE_PUBLIC -> "public";
      case Frame.CANDIDATE_LOCAL -> "local";
      case KIND_REFLEXIVE -> "reflexive";
      default -> "kind" + kind;
    };
  }

  /** The /24 of an IPv4 address or the /48 of an IPv6 one; the host string when unresolved. */
  static String prefixOf(InetSocketAddress remote) {
    InetAddress a = remote.getAddress();
    if (a == null) {
      return remote.getHostString();
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + ".0/24";
    }
    return String.format("%02x%02x:%02x%02x:%02x%02x::/48", b[0], b[1], b[2], b[3], b[4], b[5]);
  }
}
