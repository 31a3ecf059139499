package org.netbelief.punch.sim;

import org.netbelief.punch.DefaultPunchPolicy;
import org.netbelief.punch.PunchPolicy;

/**
 * The ICE-like baseline ({@code "ice-like"}): fixed timers with the published constants of ICE
 * (RFC 8445), its STUN transactions (RFC 5389 §7.2.1) and consent freshness (RFC 7675), as
 * libjuice uses them.
 *
 * <ul>
 *   <li>Connectivity checks are retransmitted with RTO = {@value #RTO_MILLIS} ms, doubling,
 *       {@value #RC} transmissions (at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s), and the transaction
 *       fails {@value #RM} × RTO = 8 s after the last one: give up and relay at 39.5 s.
 *   <li>Checks are paced by Ta = {@value #TA_MILLIS} ms; the engine sends one check per candidate
 *       per round, and in the simulation each peer has one (server-reflexive) candidate, so the
 *       pacing never delays a check.
 *   <li>Keepalive after {@value #KEEPALIVE_MILLIS} ms of silence (RFC 8445 §11, Tr ≥ 15 s).
 *   <li>Consent is lost after 30 s without an answer (RFC 7675 §5.1): keepalive probes are
 *       answered within {@value #PROBE_TIMEOUT_MILLIS} ms, and {@value #MISSES} misses in a row
 *       (15 s after the first probe) make the path lost.
 * </ul>
 *
 * <p>Immutable; one instance can serve every peer.
 */
public final class IceLikePolicy implements PunchPolicy {
  /** Initial STUN retransmission timeout (RFC 5389 §7.2.1: RTO ≥ 500 ms). */
  public static final long RTO_MILLIS = 500;
  /** STUN transmissions before failure (RFC 5389 Rc = 7). */
  public static final int RC = 7;
  /** Wait after the last transmission, in RTOs (RFC 5389 Rm = 16). */
  public static final int RM = 16;
  /** Check pacing (RFC 8445 §14.2: Ta = 50 ms). */
  public static final long TA_MILLIS = 50;
  /** Keepalive interval (RFC 8445 §11: Tr, 15 s by default). */
  public static final long KEEPALIVE_MILLIS = 15_000;
  /** Consent check answer timeout (RFC 7675: checks every 5 s). */
  public static final long PROBE_TIMEOUT_MILLIS = 5_000;
  /** Unanswered checks that lose the path (3 × 5 s after 15 s of silence = 30 s, RFC 7675). */
  public static final int MISSES = 3;

  private static final long MS = 1_000_000L;
  private final DefaultPunchPolicy ranking = new DefaultPunchPolicy();

  /** The total time to failure of a check transaction: 39.5 s. */
  public static long failureNanos() {
    long t = 0;
    for (int r = 0; r < RC; r++) {
      t += retryDelay(r);
    }
    return t;
  }

  private static long retryDelay(int round) {
    if (round >= RC - 1) {
      return RM * RTO_MILLIS * MS;
    }
    return (RTO_MILLIS << round) * MS;
  }

  @Override
  public double candidateScore(long pathKey, int kind, boolean samePublic, long nowNanos) {
    return ranking.candidateScore(pathKey, kind, samePublic, nowNanos);
  }

  @Override
  public long retryDelayNanos(int round, long nowNanos) {
    return retryDelay(round);
  }

  @Override
  public boolean giveUpAndRelay(int rounds, long elapsedNanos, long nowNanos) {
    return rounds >= RC;
  }

  @Override
  public long keepaliveIntervalNanos(long pathKey, long nowNanos) {
    return KEEPALIVE_MILLIS * MS;
  }

  @Override
  public long probeTimeoutNanos(long pathKey, long rttNanos, long nowNanos) {
    return PROBE_TIMEOUT_MILLIS * MS;
  }

  @Override
  public int missesBeforeLost(long pathKey, long nowNanos) {
    return MISSES;
  }
}
