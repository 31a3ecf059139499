package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.wire.DropReason;

/**
 * The rendezvous relay keeps each relay's peers' registrations between frames: a relayed
 * frame must still go to the registration the peer holds now, after it registered again.
 */
class RendezvousRelayTest {
    static final InetSocketAddress RV = new InetSocketAddress("192.0.2.1", 7000);
    static final InetSocketAddress A = new InetSocketAddress("198.51.100.10", 40000);
    static final InetSocketAddress B = new InetSocketAddress("203.0.113.20", 50000);
    static final InetSocketAddress B2 = new InetSocketAddress("203.0.113.21", 50000);
    static final long SEC = 1_000_000_000L;

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void relay_targetRegistersAgainElsewhere_framesGoToTheNewRegistration() {
        SecureRandom rnd = new SecureRandom();
        TestNet net = new TestNet();
        net.drop = (f, t) -> !f.equals(RV) && !t.equals(RV); // no direct path: relay
        RendezvousEngine rv = new RendezvousEngine(net.host(RV), rnd);
        net.attach(RV, rv);
        Identity bob = Identity.generate(rnd);
        PeerEngine a = new PeerEngine(Identity.generate(rnd), "alice", RV, List.of(A), true,
                new DefaultPunchPolicy(), PathObserver.NONE, net.host(A), rnd);
        PeerEngine b = new PeerEngine(bob, "bob", RV, List.of(B), true, new DefaultPunchPolicy(),
                PathObserver.NONE, net.host(B), rnd);
        net.attach(A, a);
        net.attach(B, b);
        a.start(net.now);
        b.start(net.now);
        net.runFor(SEC / 10);
        a.connect("bob", net.now);
        net.runFor(5 * SEC);
        assertThat(a.send("bob", text("first"), net.now)).isTrue();
        net.runFor(SEC / 100);
        assertThat(net.host(B).data).containsExactly("first"); // relayed; the relay now holds bob's registration

        // Bob's host goes away and bob registers again from another address with a new engine:
        // the new registration replaces the old one at the rendezvous.
        net.hosts.remove(B);
        PeerEngine b2 = new PeerEngine(bob, "bob", RV, List.of(B2), true, new DefaultPunchPolicy(),
                PathObserver.NONE, net.host(B2), rnd);
        net.attach(B2, b2);
        b2.start(net.now);
        net.runFor(SEC / 10);
        assertThat(b2.registered()).isTrue();
        long before = b2.drops(DropReason.UNKNOWN_SESSION);

        assertThat(a.send("bob", text("second"), net.now)).isTrue();
        net.runFor(SEC / 100);
        // The frame went to the new registration (sealed for its link, so b2 opens it and finds
        // no such session), not to the old endpoint with the old registration's key.
        assertThat(b2.drops(DropReason.UNKNOWN_SESSION)).isEqualTo(before + 1);
        assertThat(net.host(B).data).containsExactly("first");
        assertThat(rv.drops(DropReason.UNKNOWN_SESSION)).isZero();
    }
}
