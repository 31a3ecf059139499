package org.netbelief.punch.sim;

import org.netbelief.punch.DefaultPunchPolicy;
import org.netbelief.punch.PunchPolicy;

/**
 * The mesh-VPN-like baseline ({@code "mesh-like"}): fixed timers with the constants of
 * Tailscale's disco protocol ({@code wgengine/magicsock}).
 *
 * <ul>
 *   <li>The relay (DERP) carries the session from the first packet while punching goes on
 *       ({@link #relayWhilePunching} is true).
 *   <li>Disco pings to the peer's endpoints at most every {@value #PING_INTERVAL_MILLIS} ms
 *       ({@code discoPingInterval}); punching stops after {@value #ACTIVE_MILLIS} ms
 *       ({@code sessionActiveTimeout}), after which the relay alone carries the session.
 *   <li>Heartbeat on a direct path every {@value #HEARTBEAT_MILLIS} ms of silence
 *       ({@code heartbeatInterval}); a direct path is trusted for {@value #TRUST_MILLIS} ms after
 *       the last answer ({@code trustUDPAddrDuration}): a heartbeat unanswered when the trust
 *       window ends (3.5 s after it) is sent again, and a second miss loses the path (10 s of
 *       silence). One lost heartbeat or answer therefore does not count as a lost hole.
 * </ul>
 *
 * <p>Immutable; one instance can serve every peer.
 */
public final class MeshLikePolicy implements PunchPolicy {
  /** Heartbeat on an active direct path ({@code heartbeatInterval} = 3 s). */
  public static final long HEARTBEAT_MILLIS = 3_000;
  /** How long a direct path is trusted after an answer ({@code trustUDPAddrDuration} = 6.5 s). */
  public static final long TRUST_MILLIS = 6_500;
  /** Least time between pings to one endpoint ({@code discoPingInterval} = 5 s). */
  public static final long PING_INTERVAL_MILLIS = 5_000;
  /** A session counts as active this long ({@code sessionActiveTimeout} = 45 s). */
  public static final long ACTIVE_MILLIS = 45_000;

  private static final long MS = 1_000_000L;
  private final DefaultPunchPolicy ranking = new DefaultPunchPolicy();

  @Override
  public double candidateScore(long pathKey, int kind, boolean samePublic, long nowNanos) {
    return ranking.candidateScore(pathKey, kind, samePublic, nowNanos);
  }

  @Override
  public long retryDelayNanos(int round, long nowNanos) {
    return PING_INTERVAL_MILLIS * MS;
  }

  @Override
  public boolean giveUpAndRelay(int rounds, long elapsedNanos, long nowNanos) {
    return elapsedNanos >= ACTIVE_MILLIS * MS;
  }

  @Override
  public boolean relayWhilePunching(long pathKey, long nowNanos) {
    return true;
  }

  @Override
  public long keepaliveIntervalNanos(long pathKey, long nowNanos) {
    if (pathKey == 0) {
      // Path key 0 is the engine's rendezvous link; DERP keeps its own connection alive on a
      // much longer timer, so the heartbeat does not apply there.
      return DefaultPunchPolicy.KEEPALIVE_MILLIS * MS;
    }
    return HEARTBEAT_MILLIS * MS;
  }

  @Override
  public long probeTimeoutNanos(long pathKey, long rttNanos, long nowNanos) {
    return (TRUST_MILLIS - HEARTBEAT_MILLIS) * MS;
  }

  @Override
  public int missesBeforeLost(long pathKey, long nowNanos) {
    return 2;
  }
}
