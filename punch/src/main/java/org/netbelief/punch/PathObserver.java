package org.netbelief.punch;

import java.net.InetSocketAddress;

/**
 * Where the engine reports every packet event on a path, so a model can learn from it.
 *
 * <p>A path is a (peer, remote endpoint) pair named by a 64-bit {@code pathKey}. The engine calls
 * {@link #onPathCreated} once, on the control path, with everything a model needs to derive the
 * path's features (peer, endpoint, candidate kind, both NATs' discovered classes); every later
 * call is primitive-only so the hot path neither allocates nor boxes. Only authenticated packets produce calls: a forged, replayed or
 * malformed datagram never reaches the observer.
 *
 * <p>Calls come from the engine's thread only. Implementations must not throw and should be
 * quick; the default methods do nothing.
 *
 * <pre>{@code
 * PathObserver counting = new PathObserver() {
 *     long acks;
 *     public void onAck(long pathKey, int probe, long rttNanos, long nowNanos) { acks++; }
 * };
 * }</pre>
 */
public interface PathObserver {
    /** Probe kind: an INTRO sent while punching. */
    int PROBE_INTRO = 0;
    /** Probe kind: a KEEPALIVE on an established path. */
    int PROBE_KEEPALIVE = 1;

    /** An observer that ignores everything. */
    PathObserver NONE = new PathObserver() {};

    /**
     * A path is first used.
     *
     * @param pathKey the key later calls use
     * @param peerId the remote peer's id (32 hex characters)
     * @param remote the remote endpoint
     * @param candidateKind {@code Frame.CANDIDATE_PUBLIC}, {@code CANDIDATE_LOCAL}, or 0 for a
     *     peer-reflexive endpoint learned from an incoming packet
     * @param samePublicAddress true when both peers share a public IP address (same LAN likely)
     */
    default void onPathCreated(long pathKey, String peerId, InetSocketAddress remote, int candidateKind, boolean samePublicAddress) {}

    /**
     * A path is first used, with both NATs' behaviour classes as NAT behaviour discovery found
     * them. The engine calls this one; the default forwards to the five-argument form, so an
     * observer that has no use for the classes overrides only that.
     *
     * @param pathKey the key later calls use
     * @param peerId the remote peer's id (32 hex characters)
     * @param remote the remote endpoint
     * @param candidateKind as in {@link #onPathCreated(long, String, InetSocketAddress, int, boolean)}
     * @param samePublicAddress true when both peers share a public IP address
     * @param ownNatClass our NAT's class ({@link NatClass}), {@link NatClass#UNKNOWN} when our
     *     discovery has not finished
     * @param remoteNatClass the remote peer's NAT class as the rendezvous reported it at the
     *     introduction, {@link NatClass#UNKNOWN} when it did not
     */
    default void onPathCreated(long pathKey, String peerId, InetSocketAddress remote, int candidateKind,
            boolean samePublicAddress, int ownNatClass, int remoteNatClass) {
        onPathCreated(pathKey, peerId, remote, candidateKind, samePublicAddress);
    }

    /**
     * The rendezvous's network evidence for a pair of NAT classes, from an INTRODUCE, before the
     * session's paths are created: the decayed masses of sessions between peers of these two
     * classes that connected directly ({@code successMass}) and that did not ({@code
     * failureMass}), each counted once when both peers reported the same outcome. Masses are
     * finite and in [0, {@code Frame.MAX_NETWORK_MASS}]. Default: ignored.
     *
     * @param ownNatClass our NAT's class (known)
     * @param remoteNatClass the remote peer's class (known)
     * @param successMass the pair's decayed direct sessions
     * @param failureMass the pair's decayed sessions that gave up
     * @param nowNanos time
     */
    default void onNetworkEvidence(int ownNatClass, int remoteNatClass, double successMass, double failureMass,
            long nowNanos) {}

    /**
     * A probe (INTRO or KEEPALIVE) was sent.
     *
     * @param pathKey the path
     * @param probe {@link #PROBE_INTRO} or {@link #PROBE_KEEPALIVE}
     * @param nowNanos time
     */
    default void onSend(long pathKey, int probe, long nowNanos) {}

    /**
     * A probe was acknowledged (an authenticated INTRO_ACK or KEEPALIVE_ACK).
     *
     * @param pathKey the path
     * @param probe the probe kind
     * @param rttNanos round-trip time of this probe
     * @param nowNanos time
     */
    default void onAck(long pathKey, int probe, long rttNanos, long nowNanos) {}

    /**
     * A probe was not acknowledged in time.
     *
     * @param pathKey the path
     * @param probe the probe kind
     * @param nowNanos time
     */
    default void onTimeout(long pathKey, int probe, long nowNanos) {}

    /**
     * A keepalive after a silence was answered: the hole survived that silence.
     *
     * @param pathKey the path
     * @param silenceNanos time since the last packet from the peer when the probe was sent
     * @param nowNanos time
     */
    default void onSilencePass(long pathKey, long silenceNanos, long nowNanos) {}

    /**
     * Keepalives after a silence went unanswered until the path was presumed lost.
     *
     * @param pathKey the path
     * @param silenceNanos time since the last packet from the peer when the first probe was sent
     * @param nowNanos time
     */
    default void onSilenceFail(long pathKey, long silenceNanos, long nowNanos) {}

    /**
     * The rendezvous answered us (REGISTERED or a KEEPALIVE_ACK): direct evidence that our uplink
     * works.
     *
     * @param rttNanos round-trip time
     * @param nowNanos time
     */
    default void onRendezvousAnswer(long rttNanos, long nowNanos) {}

    /**
     * A request to the rendezvous went unanswered in time.
     *
     * @param nowNanos time
     */
    default void onRendezvousTimeout(long nowNanos) {}
}
