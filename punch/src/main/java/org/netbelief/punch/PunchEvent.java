package org.netbelief.punch;

import java.net.InetSocketAddress;

/**
 * A control event of an engine. Immutable. Fields that do not apply to a kind are null, 0 or NaN.
 *
 * @param kind what happened
 * @param nowNanos when (engine time)
 * @param peerId the other peer's id, or our own for {@link Kind#REGISTERED}
 * @param peerName the other peer's name (or ours for REGISTERED), may be empty
 * @param via {@code "direct"} or {@code "relay"} for ESTABLISHED and RELAYED
 * @param endpoint the path's remote endpoint, or our observed public endpoint for REGISTERED
 * @param rttNanos round-trip time behind the event, 0 when unknown
 * @param attempts punching rounds sent before the event
 * @param successProbability the policy's belief in the chosen path, NaN when it holds none
 * @param keepaliveNanos the keepalive interval the policy chose for the path, 0 when none
 * @param reason a short reason for failures and closes, else null
 */
public record PunchEvent(Kind kind, long nowNanos, String peerId, String peerName, String via, InetSocketAddress endpoint,
        long rttNanos, int attempts, double successProbability, long keepaliveNanos, String reason) {

    /** Event kinds. */
    public enum Kind {
        /** We are registered at the rendezvous; {@code endpoint} is our public mapping. */
        REGISTERED,
        /** The rendezvous did not answer; {@code reason} says what. */
        REGISTRATION_FAILED,
        /** The rendezvous refused our registration ({@code reason}: name-taken). */
        REJECTED,
        /** A peer asked the rendezvous to introduce it to us. */
        OFFERED,
        /** The rendezvous introduced a peer; punching starts. */
        INTRODUCED,
        /** The target declined or is unknown; {@code reason} says which. */
        DECLINED,
        /** A path to the peer works; {@code via} says which. */
        ESTABLISHED,
        /** Punching was given up; the relay carries the session. */
        RELAYED,
        /** The direct path stopped answering keepalives. */
        PATH_LOST,
        /** The peer's endpoint changed (NAT rebinding) with a valid tag; {@code endpoint} is new. */
        PATH_MOVED,
        /** The session ended. */
        CLOSED,
        /**
         * NAT behaviour discovery finished; {@code reason} is our NAT's class ({@code
         * NatClass.name}, e.g. {@code "EIM/APDF"}), {@code endpoint} our public mapping.
         */
        NAT_DISCOVERED
    }

    static PunchEvent simple(Kind kind, long now, String peerId, String peerName, InetSocketAddress endpoint, String reason) {
        return new PunchEvent(kind, now, peerId, peerName, null, endpoint, 0, 0, Double.NaN, 0, reason);
    }
}
