package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.wire.DropReason;

/**
 * A peer with more sessions than {@link PeerEngine} finds by scanning its live array (the map
 * serves beyond eight), sessions closed from the middle of the array (the last moves into the
 * gap) and opened again. Every frame must still find its session, and every keepalive must keep
 * coming: the engine's assertions (on with surefire) check after every call that the earliest
 * session deadline it keeps equals the earliest in the array and that the scan finds what the map
 * holds.
 */
class PeerEngineSessionsTest {
    static final InetSocketAddress RV = new InetSocketAddress("192.0.2.1", 7000);
    static final InetSocketAddress A = new InetSocketAddress("198.51.100.10", 40000);
    static final long SEC = 1_000_000_000L;
    static final int PEERS = 12;

    final SecureRandom rnd = new SecureRandom();
    final TestNet net = new TestNet();

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void twelveSessions_closedFromTheMiddleAndReopened_everyFrameFindsItsSession() {
        RendezvousEngine rv = new RendezvousEngine(net.host(RV), rnd);
        net.attach(RV, rv);
        PeerEngine a = new PeerEngine(Identity.generate(rnd), "alice", RV, List.of(A), true, new DefaultPunchPolicy(),
                PathObserver.NONE, net.host(A), rnd);
        net.attach(A, a);
        a.start(net.now);
        List<PeerEngine> peers = new ArrayList<>();
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            InetSocketAddress ep = new InetSocketAddress("203.0.113." + (10 + i), 50000);
            PeerEngine p = new PeerEngine(Identity.generate(rnd), "p" + i, RV, List.of(ep), true, new DefaultPunchPolicy(),
                    PathObserver.NONE, net.host(ep), rnd);
            net.attach(ep, p);
            p.start(net.now);
            peers.add(p);
            addrs.add(ep);
        }
        net.runFor(SEC / 10);
        for (int i = 0; i < PEERS; i++) {
            a.connect("p" + i, net.now);
            net.runFor(SEC / 20); // the count passes the scan's limit on the way
        }
        net.runFor(SEC / 2);
        assertThat(a.sessions()).isEqualTo(PEERS);
        assertThat(net.host(A).of(PunchEvent.Kind.ESTABLISHED)).hasSize(PEERS);

        // Close from the middle and the front: the array's last entries move into the gaps.
        for (int i : new int[] {5, 0, 7, 3}) {
            assertThat(a.close("p" + i, net.now)).isTrue();
        }
        net.runFor(SEC / 10);
        assertThat(a.sessions()).isEqualTo(PEERS - 4);
        for (int i = 0; i < PEERS; i++) {
            boolean open = i != 5 && i != 0 && i != 7 && i != 3;
            assertThat(a.send("p" + i, text("to p" + i), net.now)).isEqualTo(open);
            assertThat(peers.get(i).sessions()).isEqualTo(open ? 1 : 0);
        }
        net.runFor(SEC / 10);
        for (int i = 0; i < PEERS; i++) {
            boolean open = i != 5 && i != 0 && i != 7 && i != 3;
            assertThat(net.host(addrs.get(i)).data).isEqualTo(open ? List.of("to p" + i) : List.of());
        }

        // Reopen two, then let keepalives run for two minutes both ways.
        a.connect("p5", net.now);
        a.connect("p0", net.now);
        net.runFor(SEC / 2);
        assertThat(a.sessions()).isEqualTo(PEERS - 2);
        net.runFor(120 * SEC);
        assertThat(net.host(A).of(PunchEvent.Kind.PATH_LOST)).isEmpty();
        for (int i = 0; i < PEERS; i++) {
            boolean open = i != 7 && i != 3;
            assertThat(peers.get(i).send("alice", text("from p" + i), net.now)).isEqualTo(open);
        }
        net.runFor(SEC / 10);
        assertThat(net.host(A).data).hasSize(PEERS - 2);
        assertThat(a.drops(DropReason.UNKNOWN_SESSION)).isZero();
        assertThat(a.drops(DropReason.INTERNAL_ERROR)).isZero();
    }
}
