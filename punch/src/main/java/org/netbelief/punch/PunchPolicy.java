package org.netbelief.punch;

/**
 * The decisions the engine asks for: which candidates first, how fast to retry, when to give up
 * and relay, how often to keep a hole open and when a silent path is lost.
 *
 * <p>All methods are primitive-only and called on the engine's thread; the per-candidate ones get
 * the {@code pathKey} announced to {@link PathObserver#onPathCreated}, so a model behind both
 * interfaces can answer from its beliefs about that path. Path key 0 names the link to the
 * rendezvous (its keepalive interval is asked with key 0). {@link DefaultPunchPolicy} answers with
 * fixed values.
 */
public interface PunchPolicy {
    /**
     * A candidate's priority; candidates are tried in descending score order in every round.
     *
     * @param pathKey the path to the candidate
     * @param candidateKind {@code Frame.CANDIDATE_PUBLIC} or {@code CANDIDATE_LOCAL}
     * @param samePublicAddress whether both peers share a public IP address
     * @param nowNanos time
     * @return a score; higher is tried first
     */
    double candidateScore(long pathKey, int candidateKind, boolean samePublicAddress, long nowNanos);

    /**
     * Delay from the start of punching round {@code round} to the next round.
     *
     * @param round 0 for the first round
     * @param nowNanos time
     * @return nanoseconds, &gt; 0
     */
    long retryDelayNanos(int round, long nowNanos);

    /**
     * Whether to stop punching and carry the session over the relay.
     *
     * @param rounds rounds sent so far
     * @param elapsedNanos time since punching started
     * @param nowNanos time
     * @return true to give up and relay
     */
    boolean giveUpAndRelay(int rounds, long elapsedNanos, long nowNanos);

    /**
     * Whether to stop punching toward one peer and carry the session over the relay, knowing
     * which paths were tried. The engine calls this overload; by default it asks {@link
     * #giveUpAndRelay(int, long, long)}.
     *
     * @param peerId the peer (32 hex characters)
     * @param pathKeys the paths being punched (the engine's array: read, do not keep or modify)
     * @param rounds rounds sent so far
     * @param elapsedNanos time since punching started
     * @param nowNanos time
     * @return true to give up and relay
     */
    default boolean giveUpAndRelay(String peerId, long[] pathKeys, int rounds, long elapsedNanos,
            long nowNanos) {
        return giveUpAndRelay(rounds, elapsedNanos, nowNanos);
    }

    /**
     * The longest silence (no packet from the peer) before a keepalive is sent on a path.
     *
     * @param pathKey the path
     * @param nowNanos time
     * @return nanoseconds, &gt; 0
     */
    long keepaliveIntervalNanos(long pathKey, long nowNanos);

    /**
     * How long to wait for a keepalive's acknowledgement.
     *
     * @param pathKey the path
     * @param rttNanos the path's last measured round-trip time (0 when unknown)
     * @param nowNanos time
     * @return nanoseconds, &gt; 0
     */
    long probeTimeoutNanos(long pathKey, long rttNanos, long nowNanos);

    /**
     * How many unanswered keepalives in a row make the path presumed lost (then it is punched
     * again, with the relay carrying data meanwhile).
     *
     * @param pathKey the path
     * @param nowNanos time
     * @return at least 1
     */
    int missesBeforeLost(long pathKey, long nowNanos);

    /**
     * The belief behind the choice of a path, for reports: the probability that a probe on it
     * succeeds now. {@link Double#NaN} when the policy holds no belief.
     *
     * @param pathKey the path
     * @param nowNanos time
     * @return a probability or NaN
     */
    default double successProbability(long pathKey, long nowNanos) {
        return Double.NaN;
    }

    /**
     * {@link #retryDelayNanos(int, long)} for the punching of one session; {@code pathKey} is
     * the session's best-ranked candidate path, so a policy can pace per peer. The default
     * ignores the path.
     *
     * @param pathKey the session's first-ranked path
     * @param round 0 for the first round
     * @param nowNanos time
     * @return nanoseconds, &gt; 0
     */
    default long retryDelayNanos(long pathKey, int round, long nowNanos) {
        return retryDelayNanos(round, nowNanos);
    }

    /**
     * Whether the relay carries the session's data from the start, while punching goes on (as
     * mesh VPNs do), instead of only after giving up. The default is false.
     *
     * @param pathKey the session's first-ranked path
     * @param nowNanos time
     * @return true to make the relay usable as soon as punching starts
     */
    default boolean relayWhilePunching(long pathKey, long nowNanos) {
        return false;
    }
}
