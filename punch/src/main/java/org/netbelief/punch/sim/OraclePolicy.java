package org.netbelief.punch.sim;

import java.net.InetSocketAddress;
import java.util.function.ToIntFunction;
import org.netbelief.punch.DefaultPunchPolicy;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.PunchPolicy;
import org.netbelief.punch.internal.LongMap;

/**
 * The oracle ({@code "oracle"}): one peer's policy that knows the simulator's ground truth.
 *
 * <ul>
 *   <li>It punches with the engine's own strategy and pacing ({@link DefaultPunchPolicy}'s
 *       ranking and retry delays) and never gives up on a pair that
 *       {@link Population#canPunch} says can punch (up to {@value #PATIENCE_MILLIS} ms, for
 *       outages).
 *   <li>On a hopeless pair it gives up after its first round of introductions, {@value
 *       #HOPELESS_MILLIS} ms after punching starts.
 *   <li>It keeps a direct path alive just inside the true binding lifetime: the shortest binding
 *       timeout of every NAT in front of either peer, less {@value #MARGIN_MILLIS} ms for the
 *       round trip and one lost keepalive.
 * </ul>
 *
 * <p>It is a {@link PathObserver} too, to learn which peer a path leads to; make one per peer.
 */
public final class OraclePolicy implements PunchPolicy, PathObserver {
  /** Longest punching on a punchable pair (covers uplink outages). */
  public static final long PATIENCE_MILLIS = 60_000;
  /** Punching time on a hopeless pair. */
  public static final long HOPELESS_MILLIS = 1;
  /** Margin under the true binding lifetime for keepalives. */
  public static final long MARGIN_MILLIS = 2_000;

  private static final long MS = 1_000_000L;
  private final DefaultPunchPolicy engine = new DefaultPunchPolicy();
  private final int self;
  private final Population population;
  private final SimNetwork net;
  private final ToIntFunction<String> peerIndex;
  private final LongMap<Integer> peerOfPath = new LongMap<>();

  /**
   * The oracle of peer {@code self}.
   *
   * @param self the peer's index in {@code population}
   * @param population the population (ground truth of punchability)
   * @param net the network (ground truth of binding timeouts)
   * @param peerIndex resolves a peer id (32 hex characters) to its index, or -1
   */
  public OraclePolicy(int self, Population population, SimNetwork net,
      ToIntFunction<String> peerIndex) {
    this.self = self;
    this.population = population;
    this.net = net;
    this.peerIndex = peerIndex;
  }

  /** The shortest binding timeout in front of peer {@code i}, in nanoseconds. */
  public static long lifetimeNanos(Population population, SimNetwork net, int i) {
    long t = net.natBehavior(population.homeNat(i)).bindingTimeoutNanos();
    int cgn = population.cgn(i);
    if (cgn >= 0) {
      t = Math.min(t, net.natBehavior(cgn).bindingTimeoutNanos());
    }
    return t;
  }

  @Override
  public void onPathCreated(long pathKey, String peerId, InetSocketAddress remote,
      int candidateKind, boolean samePublicAddress) {
    int j = peerIndex.applyAsInt(peerId);
    if (j >= 0) {
      peerOfPath.put(pathKey, j);
    }
  }

  private int peer(long pathKey) {
    Integer j = peerOfPath.get(pathKey);
    return j == null ? -1 : j;
  }

  private boolean hopeless(long pathKey) {
    int j = peer(pathKey);
    return j >= 0 && !population.canPunch(self, j);
  }

  @Override
  public double candidateScore(long pathKey, int kind, boolean samePublic, long nowNanos) {
    return engine.candidateScore(pathKey, kind, samePublic, nowNanos);
  }

  @Override
  public long retryDelayNanos(int round, long nowNanos) {
    return engine.retryDelayNanos(round, nowNanos);
  }

  @Override
  public long retryDelayNanos(long pathKey, int round, long nowNanos) {
    return hopeless(pathKey) ? HOPELESS_MILLIS * MS : engine.retryDelayNanos(round, nowNanos);
  }

  @Override
  public boolean giveUpAndRelay(int rounds, long elapsedNanos, long nowNanos) {
    return elapsedNanos >= PATIENCE_MILLIS * MS;
  }

  @Override
  public boolean giveUpAndRelay(String peerId, long[] pathKeys, int rounds, long elapsedNanos,
      long nowNanos) {
    int j = peerIndex.applyAsInt(peerId);
    boolean hopeless = j >= 0 && !population.canPunch(self, j);
    return hopeless || elapsedNanos >= PATIENCE_MILLIS * MS;
  }

  @Override
  public long keepaliveIntervalNanos(long pathKey, long nowNanos) {
    int j = peer(pathKey);
    if (j < 0) {
      return engine.keepaliveIntervalNanos(pathKey, nowNanos);
    }
    long life = Math.min(lifetimeNanos(population, net, self), lifetimeNanos(population, net, j));
    return Math.max(MS, life - MARGIN_MILLIS * MS);
  }

  @Override
  public long probeTimeoutNanos(long pathKey, long rttNanos, long nowNanos) {
    return engine.probeTimeoutNanos(pathKey, rttNanos, nowNanos);
  }

  @Override
  public int missesBeforeLost(long pathKey, long nowNanos) {
    return engine.missesBeforeLost(pathKey, nowNanos);
  }

  @Override
  public double successProbability(long pathKey, long nowNanos) {
    int j = peer(pathKey);
    if (j < 0) {
      return Double.NaN;
    }
    return population.canPunch(self, j) ? 1.0 : 0.0;
  }
}
