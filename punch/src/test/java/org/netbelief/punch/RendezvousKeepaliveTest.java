package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.wire.DropReason;

/**
 * A keepalive's ACK echoes the source the rendezvous saw. The registration keeps the encoding
 * of the last source address object; the echo must follow every change of source (another
 * port, back to an address object seen before, an equal address in a new object).
 */
class RendezvousKeepaliveTest {
    static final InetSocketAddress RV = new InetSocketAddress("192.0.2.1", 7000);
    static final InetSocketAddress A = new InetSocketAddress("198.51.100.10", 40000);
    static final InetSocketAddress A2 = new InetSocketAddress("198.51.100.10", 40001);
    static final InetSocketAddress A3 = new InetSocketAddress("198.51.100.77", 40000);
    static final long SEC = 1_000_000_000L;

    @Test
    void keepaliveAck_sourceChanges_echoesEachSource() {
        SecureRandom rnd = new SecureRandom();
        TestNet net = new TestNet();
        RendezvousEngine rv = new RendezvousEngine(net.host(RV), rnd);
        net.attach(RV, rv);
        PeerEngine a = new PeerEngine(Identity.generate(rnd), "alice", RV, List.of(A), true,
                new DefaultPunchPolicy(), PathObserver.NONE, net.host(A), rnd);
        // The same engine at every address its packets may appear from (a NAT rebinding).
        net.attach(A, a);
        net.attach(A2, a);
        net.attach(A3, a);
        a.start(net.now);
        net.runFor(SEC);
        assertThat(a.registered()).isTrue();
        net.runFor(120 * SEC); // keepalives from A: echoed from the kept encoding
        assertThat(a.publicEndpoint()).isEqualTo(A);

        InetSocketAddress[] sources = {A2, A, A3, new InetSocketAddress("198.51.100.10", 40000), A2};
        for (InetSocketAddress src : sources) {
            net.rewriteSource = from -> from.equals(A) ? src : from;
            net.runFor(120 * SEC);
            assertThat(a.publicEndpoint()).isEqualTo(src);
        }
        // A fresh but equal object per packet: the kept encoding never matches and is redone.
        net.rewriteSource = from -> from.equals(A) ? new InetSocketAddress("198.51.100.10", 40001) : from;
        net.runFor(120 * SEC);
        assertThat(a.publicEndpoint()).isEqualTo(A2);
        assertThat(a.registered()).isTrue();
        assertThat(rv.totalDrops()).isZero();
        assertThat(a.drops(DropReason.UNKNOWN_SESSION)).isZero();
    }
}
