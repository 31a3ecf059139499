package org.netbelief.punch;

import java.net.InetSocketAddress;

/**
 * A drop predicate the {@link UdpDriver} consults for every datagram, for tests that need a path
 * blocked or lossy (as Aeron's {@code LossGenerator}). Called on the driver thread.
 */
@FunctionalInterface
public interface LossHook {
    /** Drops nothing. */
    LossHook NONE = (outgoing, remote) -> false;

    /**
     * Whether to drop a datagram.
     *
     * @param outgoing true for a datagram about to be sent, false for one just received
     * @param remote its destination or source
     * @return true to drop it silently
     */
    boolean drop(boolean outgoing, InetSocketAddress remote);
}
