package org.netbelief.punch.sim;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import org.netbelief.model.AttemptBelief;
import org.netbelief.model.Interval;
import org.netbelief.punch.EngineSink;
import org.netbelief.punch.LifetimeProbePolicy;
import org.netbelief.punch.LifetimeProber;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.PeerEngine;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.PunchPolicy;
import org.netbelief.punch.RendezvousEngine;
import org.netbelief.punch.belief.BeliefPolicy;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.internal.LongMap;
import org.netbelief.punch.internal.LongTagMap;
import org.netbelief.punch.internal.PathKeys;
import org.netbelief.punch.trace.TraceWriter;

/**
 * A {@link Policy} that runs the project's real engines on the simulated network: a
 * {@link RendezvousEngine} on the population's rendezvous host and one {@link PeerEngine} per
 * peer, each with the {@link PunchPolicy} a {@link Factory} makes for it. The baselines and the
 * oracle differ only in that policy, so every figure compares like with like.
 *
 * <pre>{@code
 * Policy ice = new EnginePolicy("ice-like", (peer, pop, net, ids) -> new IceLikePolicy());
 * Simulation.run(scenario, ice, log, null);
 * }</pre>
 *
 * <p>What it records per connection request ({@link ConnectionRecord}), from the initiator's
 * events: the direct path ({@code ESTABLISHED via direct}, with its punching rounds as
 * attempts), the relay ({@code ESTABLISHED via relay}, or at {@code INTRODUCED} when the policy
 * relays while punching), giving up ({@code RELAYED} before any direct path), and holes lost
 * ({@code PATH_LOST}). From both peers' observers: packets on the peer-to-peer path
 * (introductions, keepalives, and the acknowledgements that arrived) and keepalives. At
 * {@code INTRODUCED} it records the policy's {@link PunchPolicy#successProbability} for the
 * target's public path (when the policy holds a belief) and the oracle's probability for the
 * same attempt ({@link #oracleAttemptProbability}).
 *
 * <p>Engines are deterministic: each gets a {@code SHA1PRNG} generator seeded, before its first
 * use, from the scenario seed and the peer's index, so identities, request ids and keys are the
 * same in every run of a seed. A peer whose registration fails (an outage) registers again
 * {@value #REREGISTER_MILLIS} ms later, as an application would.
 */
public final class EnginePolicy implements Policy {
  /** The port of a peer's lifetime prober (the engine is on 5000). */
  public static final int PROBER_PORT = 5001;
  /** Delay before a peer registers again after a failed registration. */
  public static final long REREGISTER_MILLIS = 5_000;

  private static final long MS = 1_000_000L;

  /** Makes the {@link PunchPolicy} of one peer; if it is also a {@link PathObserver}, it observes. */
  @FunctionalInterface
  public interface Factory {
    /**
     * @param peer the peer's index
     * @param population the population (ground truth, for an oracle)
     * @param net the network (ground truth, for an oracle)
     * @param peerIndex resolves a peer id (32 hex characters) to its index, or -1
     * @return the peer's policy
     */
    PunchPolicy create(int peer, Population population, SimNetwork net,
        ToIntFunction<String> peerIndex);
  }

  /** Samples of one path's belief against the truth (see {@link #watchOutage}). */
  public record Watch(int initiator, int target, long outageAtNanos, long outageEndNanos,
      double[] seconds, double[] belief, double[] lower, double[] upper, double[] truth) {}

  private final String name;
  private final Factory factory;
  private TraceWriter trace;
  private boolean watch;
  private Identity[] identities;

  private SimNetwork net;
  private Population pop;
  private Host[] hosts;
  private final Map<String, Integer> indexOf = new HashMap<>();
  private final LongMap<ConnectionRecord> active = new LongMap<>();
  private long[][] outages; // per peer: start, end, start, end, ... sorted
  private Watch watched;

  /**
   * @param name the policy's name in the report
   * @param factory makes each peer's policy
   */
  public EnginePolicy(String name, Factory factory) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("policy name must not be empty");
    }
    this.name = name;
    this.factory = factory;
  }

  /**
   * Uses these identities (index = peer) instead of generating them, so several policies of one
   * run share them: Ed25519 key generation is a large part of a run's set-up time.
   */
  public EnginePolicy withIdentities(Identity[] ids) {
    this.identities = ids;
    return this;
  }

  /**
   * The identities of a population of {@code n} peers, deterministic for {@code seed}. Each
   * peer's identity comes from its own seeded generator, so they are made in parallel with the
   * same result: at 10 000 peers the Ed25519 key generation took about 0.9 s of the set-up, on
   * one core while the other idled.
   */
  public static Identity[] identities(long seed, int n) {
    Identity[] ids = new Identity[n];
    IntStream.range(0, n).parallel().forEach(i -> ids[i] = Identity.generate(seeded(seed, -2 - i)));
    return ids;
  }

  /** Records every path event of every peer into {@code t} (host names are peer indices). */
  public EnginePolicy withTrace(TraceWriter t) {
    this.trace = t;
    return this;
  }

  /**
   * Samples, once a second, the policy's belief in one direct path and the truth (the hole open
   * both ways and both uplinks up) around the first uplink outage that falls inside a
   * punchable connection; read it with {@link #watched()} after the run.
   */
  public EnginePolicy watchOutage() {
    this.watch = true;
    return this;
  }

  /**
   * Lifetime probes sent by the peers' {@link LifetimeProber}s so far (0 when the policy is not
   * a {@link LifetimeProbePolicy}): the probing's cost, outside any connection's packets.
   */
  public long lifetimeProbes() {
    long n = 0;
    if (hosts != null) {
      for (Host h : hosts) {
        if (h.prober != null) {
          n += h.prober.probesSurvived() + h.prober.probesLost();
        }
      }
    }
    return n;
  }

  /** Peer {@code i}'s policy, after {@link #setUp}. */
  public PunchPolicy policy(int i) {
    return hosts[i].policy;
  }

  /** The samples of {@link #watchOutage}, or null when none were taken. */
  public Watch watched() {
    return watched;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void setUp(SimNetwork network, Population population) {
    this.net = network;
    this.pop = population;
    long seed = population.scenario().seed();
    ScenarioSchedule schedule = ScenarioSchedule.generate(population);
    outages = outageTable(schedule, population.size());

    // The rendezvous talks to every peer: 4 to 8 cache slots per peer (8n - 1 rounded down to a
    // power of two; 65 536 at 10 000 peers, 1.5 MB), so its 4-way sets hold about one peer each
    // and hardly any overflows: a peer evicted from its set converts every packet anew.
    EngineApplication rvApp = new EngineApplication(null,
        Integer.highestOneBit(Math.max(16, population.size()) * 8 - 1));
    // With its two alternate sockets for NAT behaviour discovery (RendezvousAlternates).
    RendezvousAlternates alternates = new RendezvousAlternates(rvApp);
    RendezvousEngine rvEngine = new RendezvousEngine(alternates, seeded(seed, -1),
        alternates.altPort(), alternates.altAddress());
    rvApp.attach(rvEngine, null);
    network.bind(population.rendezvousHost(), Endpoints.port(Population.RENDEZVOUS), rvApp);
    alternates.bind(network, population, rvEngine);

    InetSocketAddress rv = Endpoints.toSocketAddress(Population.RENDEZVOUS);
    int n = population.size();
    hosts = new Host[n];
    Identity[] ids = identities != null && identities.length == n ? identities : identities(seed, n);
    ToIntFunction<String> resolve = id -> {
      Integer i = indexOf.get(id);
      return i == null ? -1 : i;
    };
    for (int i = 0; i < n; i++) {
      SecureRandom rnd = seeded(seed, i);
      Identity id = ids[i];
      indexOf.put(id.peerIdHex(), i);
      Host h = new Host(i);
      h.policy = factory.create(i, population, network, resolve);
      h.model = h.policy instanceof PathObserver ? (PathObserver) h.policy : PathObserver.NONE;
      h.traced = trace == null ? PathObserver.NONE : trace.forHost(Integer.toString(i));
      h.app = new EngineApplication(h);
      h.engine = new PeerEngine(id, "", rv, List.of(), true, h.policy, h, h.app, rnd);
      h.peerId = id.peerIdHex();
      PeerEngine e = h.engine;
      h.app.attach(e, e::start);
      network.bind(population.host(i), 5000, h.app);
      if (h.policy instanceof LifetimeProbePolicy) {
        // As a deployed peer does (LifetimeProbing): a prober on a second port of the same host
        // measures its own NAT's binding lifetime on a sacrificial binding.
        EngineApplication probeApp = new EngineApplication(null);
        h.prober = new LifetimeProber(probeApp, rv, (LifetimeProbePolicy) h.policy,
            new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i), network.now());
        probeApp.attach(h.prober, null);
        network.bind(population.host(i), PROBER_PORT, probeApp);
      }
      hosts[i] = h;
    }
    if (watch) {
      planWatch(schedule);
    }
  }

  /** A deterministic generator for peer {@code i} (-1: the rendezvous) of a seed. */
  static SecureRandom seeded(long seed, int i) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      // Seeded before its first use, SHA1PRNG draws only from this seed.
      r.setSeed(("netbelief-sim " + seed + " " + i).getBytes(StandardCharsets.US_ASCII));
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG is required by the Java platform", e);
    }
  }

  private static long[][] outageTable(ScenarioSchedule s, int n) {
    List<List<long[]>> per = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      per.add(new ArrayList<>());
    }
    for (ScenarioSchedule.Outage o : s.outages()) {
      per.get(o.peer()).add(new long[] {o.atNanos(), o.atNanos() + o.durationNanos()});
    }
    long[][] t = new long[n][];
    for (int i = 0; i < n; i++) {
      List<long[]> l = per.get(i);
      l.sort((a, b) -> Long.compare(a[0], b[0]));
      t[i] = new long[2 * l.size()];
      for (int k = 0; k < l.size(); k++) {
        t[i][2 * k] = l.get(k)[0];
        t[i][2 * k + 1] = l.get(k)[1];
      }
    }
    return t;
  }

  /** Whether peer {@code i}'s uplink is up at {@code t} by the schedule. */
  boolean up(int i, long t) {
    long[] o = outages[i];
    for (int k = 0; k < o.length; k += 2) {
      if (o[k] > t) {
        return true;
      }
      if (t < o[k + 1]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The oracle's probability that an introduction attempt between {@code i} and {@code j}
   * started at {@code now} gets a direct path, under the rounds {@code policy} would send.
   *
   * <p>0 when the NATs make the pair hopeless. Otherwise each round succeeds unless both peers'
   * introductions or their acknowledgements are lost: one introduction and its acknowledgement
   * cross each peer's uplink twice, so a round trip survives with q = (1 − p)⁴ for the uplink
   * loss p, and a round (two introductions, one per side) with 1 − (1 − q)². A round sent
   * while either uplink is down (by the outage schedule) cannot succeed. The rounds are the
   * times the policy's retry delays give until its give-up rule fires (at most 64).
   */
  public double oracleAttemptProbability(int i, int j, PunchPolicy policy, long pathKey, long now) {
    String peerId = hosts[j].peerId;
    long[] paths = {pathKey};
    if (!pop.canPunch(i, j)) {
      return 0;
    }
    double p = pop.scenario().uplinkLoss();
    double q = Math.pow(1 - p, 4);
    double roundFail = (1 - q) * (1 - q);
    double fail = 1;
    long t = 0;
    for (int r = 0; r < 64; r++) {
      if (r > 0 && policy.giveUpAndRelay(peerId, paths, r, t, now)) {
        break;
      }
      if (up(i, now + t) && up(j, now + t)) {
        fail *= roundFail;
      }
      t += policy.retryDelayNanos(pathKey, r, now);
    }
    return 1 - fail;
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }

  private ConnectionRecord recordOf(int a, int b) {
    ConnectionRecord r = active.get(key(a, b));
    return r != null ? r : active.get(key(b, a));
  }

  /**
   * Every change to {@code active} goes through here and {@link #activeRemove}: each updates the
   * two hosts' per-path caches of {@link #recordOf} (see {@link Host#record}).
   */
  private void activePut(int a, int b, ConnectionRecord r) {
    active.put(key(a, b), r);
    pairChanged(a, b);
  }

  private void activeRemove(int a, int b) {
    active.remove(key(a, b));
    pairChanged(a, b);
  }

  private void pairChanged(int a, int b) {
    hosts[a].recordChanged(b, recordOf(a, b));
    hosts[b].recordChanged(a, recordOf(b, a));
  }

  @Override
  public void connect(ScenarioSchedule.ConnectionRequest c, ConnectionRecord r, long now) {
    int a = c.initiator();
    int b = c.target();
    ConnectionRecord old = recordOf(a, b);
    if (old != null) {
      // One session per pair: the older request ends here.
      old.ended(now);
      activeRemove(old.initiator(), old.target());
      closeEngines(a, b, now);
    }
    activePut(a, b, r);
    Host h = hosts[a];
    String target = hosts[b].peerId;
    h.app.call(now, () -> h.engine.connect(target, now));
  }

  @Override
  public void close(ScenarioSchedule.ConnectionRequest c, ConnectionRecord r, long now) {
    if (active.get(key(c.initiator(), c.target())) == r) {
      activeRemove(c.initiator(), c.target());
      closeEngines(c.initiator(), c.target(), now);
    }
  }

  private void closeEngines(int a, int b, long now) {
    Host ha = hosts[a];
    Host hb = hosts[b];
    ha.app.call(now, () -> ha.engine.close(hb.peerId, now));
    hb.app.call(now, () -> hb.engine.close(ha.peerId, now));
  }

  // ------------------------------------------------------------------ belief over time

  private int watchA = -1;
  private int watchB;
  private long watchFrom;
  private long watchTo;
  private long watchOutageAt;
  private long watchOutageEnd;

  private void planWatch(ScenarioSchedule s) {
    long margin = 90_000 * MS;
    for (ScenarioSchedule.Outage o : s.outages()) {
      for (ScenarioSchedule.ConnectionRequest c : s.connections()) {
        boolean involved = c.initiator() == o.peer() || c.target() == o.peer();
        if (involved && pop.canPunch(c.initiator(), c.target())
            && c.atNanos() + 60_000 * MS < o.atNanos()
            && c.atNanos() + c.holdNanos() > o.atNanos() + o.durationNanos() + margin) {
          watchA = c.initiator();
          watchB = c.target();
          watchOutageAt = o.atNanos();
          watchOutageEnd = o.atNanos() + o.durationNanos();
          watchFrom = Math.max(c.atNanos() + 5_000 * MS, o.atNanos() - margin);
          watchTo = watchOutageEnd + margin;
          int n = (int) ((watchTo - watchFrom) / (1000 * MS)) + 1;
          double[] sec = new double[n];
          double[] bel = new double[n];
          double[] tru = new double[n];
          Arrays.fill(bel, Double.NaN);
          watched = new Watch(watchA, watchB, watchOutageAt, watchOutageEnd, sec, bel,
              new double[n], new double[n], tru);
          for (int k = 0; k < n; k++) {
            final int kk = k;
            net.at(watchFrom + k * 1000 * MS, now -> sample(kk, now));
          }
          return;
        }
      }
    }
  }

  private void sample(int k, long now) {
    Host a = hosts[watchA];
    watched.seconds()[k] = now / 1e9;
    InetSocketAddress remote = a.remoteOf.get(hosts[watchB].peerId);
    if (remote == null) {
      watched.truth()[k] = 0;
      return;
    }
    long pk = PathKeys.of(hosts[watchB].peerId, remote);
    double p = a.policy.successProbability(pk, now);
    watched.belief()[k] = p;
    watched.lower()[k] = p;
    watched.upper()[k] = p;
    if (a.policy instanceof BeliefPolicy) {
      AttemptBelief ab = ((BeliefPolicy) a.policy).attempt(pk, now);
      if (ab != null) {
        Interval iv = ab.interval(0.95);
        watched.lower()[k] = iv.lower();
        watched.upper()[k] = iv.upper();
      }
    }
    long epB = Endpoints.of(remote);
    SimSocket sa = a.app.socket();
    SimSocket sb = hosts[watchB].app.socket();
    long epA = net.publicEndpoint(sa, epB);
    boolean open = epA >= 0
        && net.isLinkUp(pop.homeNat(watchA)) && net.isLinkUp(pop.homeNat(watchB))
        && net.holeRemainingNanos(sa, epB) > 0 && net.holeRemainingNanos(sb, epA) > 0;
    watched.truth()[k] = open ? 1 : 0;
  }

  // ------------------------------------------------------------------ per host

  /** One peer: its engine's event sink and its path observer (counts, then forwards). */
  private final class Host implements EngineSink, PathObserver {
    /*
     * The fields of every observer call first, so they lie next to the object header (the
     * call's dispatch reads it): model, traced, then record()'s memo and table, within bytes
     * 0..39 of the object. The JVM puts the int and the long right after the header.
     */
    final int index;
    PathObserver model;
    PathObserver traced;
    /**
     * Path key to the peer at its other end, each entry caching {@code recordOf(index, peer)}:
     * kept exact by {@link #onPathCreated} (a new entry) and {@link #recordChanged} (every
     * change to {@code active} that involves this host). One probe of this host's small table
     * replaces a boxed path-to-peer lookup and up to two probes of the run-wide {@code active}
     * table per packet (all cold at 10 000 peers).
     */
    final LongTagMap<ConnectionRecord> paths = new LongTagMap<>();
    /**
     * The last {@link #record} answer ({@code memoPath} 0: none; path key 0 is never in
     * {@code paths}, so its answer, null, is what the empty memo says). A host's packets mostly
     * go on one path at a time, and these fields share a cache line with the ones every
     * observer call reads, so a repeat costs no further line. Cleared wherever {@code paths}
     * changes.
     */
    long memoPath;
    ConnectionRecord memoRecord;
    String peerId;
    EngineApplication app;
    PeerEngine engine;
    PunchPolicy policy;
    LifetimeProber prober;
    final Map<String, Long> publicPath = new HashMap<>();
    final Map<String, InetSocketAddress> remoteOf = new HashMap<>();

    Host(int index) {
      this.index = index;
    }

    /** {@code recordOf(index, peer of the path)}, or null when the path is unknown. */
    private ConnectionRecord record(long pathKey) {
      if (pathKey == memoPath) {
        return memoRecord;
      }
      ConnectionRecord r = paths.cached(pathKey);
      memoPath = pathKey;
      memoRecord = r;
      return r;
    }

    /** The open record between this host and {@code peer} is now {@code r} (may be null). */
    void recordChanged(int peer, ConnectionRecord r) {
      paths.setCached(peer, r);
      memoPath = 0;
      memoRecord = null;
    }

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress to) {
      throw new IllegalStateException("the adapter sends");
    }

    @Override
    public void event(PunchEvent e) {
      long now = e.nowNanos();
      if (e.kind() == PunchEvent.Kind.REGISTRATION_FAILED) {
        net.at(now + REREGISTER_MILLIS * MS, t -> app.call(t, () -> engine.start(t)));
        return;
      }
      if (e.peerId() == null) {
        return;
      }
      Integer j = indexOf.get(e.peerId());
      if (j == null) {
        return;
      }
      ConnectionRecord r = active.get(key(index, j));
      if (r == null) {
        return; // not the initiator of an open request
      }
      switch (e.kind()) {
        case INTRODUCED: {
          Long pk = publicPath.get(e.peerId());
          long path = pk == null ? 0 : pk;
          double p = policy.successProbability(path, now);
          if (p >= 0 && p <= 1) {
            r.predicted(p);
            r.oracle(oracleAttemptProbability(index, j, policy, path, now));
          }
          if (policy.relayWhilePunching(path, now)) {
            r.relay(now);
          }
          break;
        }
        case ESTABLISHED:
          if ("direct".equals(e.via())) {
            if (r.directAt() < 0) {
              for (int k = 0; k < Math.max(1, e.attempts()); k++) {
                r.addAttempt();
              }
            }
            r.direct(now);
            remoteOf.put(e.peerId(), e.endpoint());
          } else {
            r.relay(now);
          }
          break;
        case PATH_MOVED:
          remoteOf.put(e.peerId(), e.endpoint());
          break;
        case RELAYED:
          if (r.directAt() < 0) {
            if (r.attempts() == 0) {
              for (int k = 0; k < Math.max(1, e.attempts()); k++) {
                r.addAttempt();
              }
            }
            r.gaveUp(now);
          }
          break;
        case PATH_LOST:
          r.addHoleLost();
          break;
        default:
          break;
      }
    }

    @Override
    public void onPathCreated(long pathKey, String peer, InetSocketAddress remote, int kind,
        boolean samePublic, int ownNat, int remoteNat) {
      Integer j = indexOf.get(peer);
      if (j != null) {
        paths.put(pathKey, j, recordOf(index, j));
        memoPath = 0;
        memoRecord = null;
        if (kind == org.netbelief.punch.wire.Frame.CANDIDATE_PUBLIC) {
          publicPath.put(peer, pathKey);
        }
      }
      model.onPathCreated(pathKey, peer, remote, kind, samePublic, ownNat, remoteNat);
      traced.onPathCreated(pathKey, peer, remote, kind, samePublic, ownNat, remoteNat);
    }

    @Override
    public void onNetworkEvidence(int ownNat, int remoteNat, double success, double failure,
        long now) {
      model.onNetworkEvidence(ownNat, remoteNat, success, failure, now);
      traced.onNetworkEvidence(ownNat, remoteNat, success, failure, now);
    }

    @Override
    public void onSend(long pathKey, int probe, long now) {
      ConnectionRecord r = record(pathKey);
      if (r != null) {
        if (probe == PROBE_KEEPALIVE) {
          r.addKeepalive();
        } else {
          r.addPackets(1);
        }
      }
      model.onSend(pathKey, probe, now);
      traced.onSend(pathKey, probe, now);
    }

    @Override
    public void onAck(long pathKey, int probe, long rtt, long now) {
      ConnectionRecord r = record(pathKey);
      if (r != null) {
        r.addPackets(1); // the acknowledgement the peer sent
      }
      model.onAck(pathKey, probe, rtt, now);
      traced.onAck(pathKey, probe, rtt, now);
    }

    @Override
    public void onTimeout(long pathKey, int probe, long now) {
      model.onTimeout(pathKey, probe, now);
      traced.onTimeout(pathKey, probe, now);
    }

    @Override
    public void onSilencePass(long pathKey, long silence, long now) {
      model.onSilencePass(pathKey, silence, now);
      traced.onSilencePass(pathKey, silence, now);
    }

    @Override
    public void onSilenceFail(long pathKey, long silence, long now) {
      model.onSilenceFail(pathKey, silence, now);
      traced.onSilenceFail(pathKey, silence, now);
    }

    @Override
    public void onRendezvousAnswer(long rtt, long now) {
      model.onRendezvousAnswer(rtt, now);
      traced.onRendezvousAnswer(rtt, now);
    }

    @Override
    public void onRendezvousTimeout(long now) {
      model.onRendezvousTimeout(now);
      traced.onRendezvousTimeout(now);
    }
  }
}
