package org.netbelief.punch;

import org.netbelief.punch.wire.Frame;

/**
 * A fixed-value {@link PunchPolicy}, the usual constants of ICE-style stacks, so the engine runs
 * without a model:
 *
 * <ul>
 *   <li>candidates: local addresses first (score 2) when both peers share a public address,
 *       else the public endpoint first (score 1) and local addresses after (score 0.5);
 *   <li>retry pacing: {@value #FIRST_RETRY_MILLIS} ms, growing by 1.5 per round up to {@value
 *       #MAX_RETRY_MILLIS} ms;
 *   <li>give up and relay after {@value #GIVE_UP_MILLIS} ms of punching;
 *   <li>keepalive after {@value #KEEPALIVE_MILLIS} ms of silence (the fixed 15 s of common VPN
 *       meshes), acknowledgement timeout max(3 RTT, {@value #MIN_PROBE_TIMEOUT_MILLIS} ms), path
 *       lost after {@value #MISSES_BEFORE_LOST} unanswered keepalives.
 * </ul>
 *
 * <p>Immutable and thread-safe. A different give-up time or keepalive interval can be chosen with
 * {@link #DefaultPunchPolicy(long, long)}.
 */
public final class DefaultPunchPolicy implements PunchPolicy {
    /** First retry delay. */
    public static final long FIRST_RETRY_MILLIS = 200;
    /** Largest retry delay. */
    public static final long MAX_RETRY_MILLIS = 1000;
    /** Default punching time before relaying. */
    public static final long GIVE_UP_MILLIS = 3000;
    /** Default keepalive interval. */
    public static final long KEEPALIVE_MILLIS = 15_000;
    /** Smallest keepalive acknowledgement timeout. */
    public static final long MIN_PROBE_TIMEOUT_MILLIS = 500;
    /** Unanswered keepalives before a path is presumed lost. */
    public static final int MISSES_BEFORE_LOST = 3;

    private final long giveUpNanos;
    private final long keepaliveNanos;
    private final long rendezvousKeepaliveNanos;

    /** The documented defaults. */
    public DefaultPunchPolicy() {
        this(GIVE_UP_MILLIS, KEEPALIVE_MILLIS);
    }

    /**
     * Custom give-up time and keepalive intervals.
     *
     * @param giveUpMillis punching time before relaying, &gt; 0
     * @param keepaliveMillis keepalive interval of peer paths, &gt; 0
     * @param rendezvousKeepaliveMillis keepalive interval of the link to the rendezvous (path key
     *     0, also used by relayed sessions), &gt; 0
     * @throws IllegalArgumentException when a value is not positive
     */
    public DefaultPunchPolicy(long giveUpMillis, long keepaliveMillis, long rendezvousKeepaliveMillis) {
        if (giveUpMillis <= 0) {
            throw new IllegalArgumentException("giveUpMillis " + giveUpMillis + " must be > 0");
        }
        if (keepaliveMillis <= 0) {
            throw new IllegalArgumentException("keepaliveMillis " + keepaliveMillis + " must be > 0");
        }
        if (rendezvousKeepaliveMillis <= 0) {
            throw new IllegalArgumentException("rendezvousKeepaliveMillis " + rendezvousKeepaliveMillis + " must be > 0");
        }
        this.giveUpNanos = giveUpMillis * 1_000_000L;
        this.keepaliveNanos = keepaliveMillis * 1_000_000L;
        this.rendezvousKeepaliveNanos = rendezvousKeepaliveMillis * 1_000_000L;
    }

    /**
     * Custom give-up time and keepalive interval (the rendezvous link uses the same interval).
     *
     * @param giveUpMillis punching time before relaying, &gt; 0
     * @param keepaliveMillis keepalive interval, &gt; 0
     * @throws IllegalArgumentException when a value is not positive
     */
    public DefaultPunchPolicy(long giveUpMillis, long keepaliveMillis) {
        this(giveUpMillis, keepaliveMillis, keepaliveMillis);
    }

    @Override
    public double candidateScore(long pathKey, int candidateKind, boolean samePublicAddress, long nowNanos) {
        if (candidateKind == Frame.CANDIDATE_LOCAL) {
            return samePublicAddress ? 2.0 : 0.5;
        }
        return 1.0;
    }

    @Override
    public long retryDelayNanos(int round, long nowNanos) {
        double ms = FIRST_RETRY_MILLIS * Math.pow(1.5, Math.min(round, 20));
        return (long) (Math.min(ms, MAX_RETRY_MILLIS) * 1_000_000L);
    }

    @Override
    public boolean giveUpAndRelay(int rounds, long elapsedNanos, long nowNanos) {
        return elapsedNanos >= giveUpNanos;
    }

    @Override
    public long keepaliveIntervalNanos(long pathKey, long nowNanos) {
        return pathKey == 0 ? rendezvousKeepaliveNanos : keepaliveNanos;
    }

    @Override
    public long probeTimeoutNanos(long pathKey, long rttNanos, long nowNanos) {
        return Math.max(3 * rttNanos, MIN_PROBE_TIMEOUT_MILLIS * 1_000_000L);
    }

    @Override
    public int missesBeforeLost(long pathKey, long nowNanos) {
        return MISSES_BEFORE_LOST;
    }
}
