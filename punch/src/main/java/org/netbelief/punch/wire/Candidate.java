package org.netbelief.punch.wire;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A candidate endpoint of a peer: where an introduction may reach it.
 *
 * @param kind {@link Frame#CANDIDATE_PUBLIC} (the endpoint the rendezvous observed) or {@link
 *     Frame#CANDIDATE_LOCAL} (an interface address)
 * @param endpoint the address and port
 */
public record Candidate(int kind, InetSocketAddress endpoint) {
    /**
     * Checks the fields.
     *
     * @param kind {@link Frame#CANDIDATE_PUBLIC} or {@link Frame#CANDIDATE_LOCAL}
     * @param endpoint a resolved endpoint
     * @throws IllegalArgumentException on an unknown kind or an unresolved endpoint
     */
    public Candidate {
        if (kind != Frame.CANDIDATE_PUBLIC && kind != Frame.CANDIDATE_LOCAL) {
            throw new IllegalArgumentException("candidate kind " + kind + " is neither PUBLIC(1) nor LOCAL(2)");
        }
        Objects.requireNonNull(endpoint, "endpoint");
        if (endpoint.getAddress() == null) {
            throw new IllegalArgumentException("candidate endpoint " + endpoint + " is unresolved");
        }
    }

    /** @return "public" or "local" */
    public String kindName() {
        return kind == Frame.CANDIDATE_PUBLIC ? "public" : "local";
    }
}
