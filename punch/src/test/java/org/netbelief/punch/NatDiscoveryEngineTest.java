package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.wire.DropReason;
import org.netbelief.punch.wire.Frame;
import org.netbelief.punch.wire.FrameWriter;

/**
 * Discovery between a real {@link PeerEngine} and {@link RendezvousEngine} over an in-memory wire
 * without NAT (so the class is EIM/EIF): forged and malformed answers are counted drops that do
 * not move the class, and the alternate sockets serve discovery only.
 */
class NatDiscoveryEngineTest {
    static final InetSocketAddress RV = new InetSocketAddress("203.0.113.1", 3478);
    static final InetSocketAddress ALT_PORT = new InetSocketAddress("203.0.113.1", 3479);
    static final InetSocketAddress ALT_ADDRESS = new InetSocketAddress("203.0.113.3", 3479);
    static final InetSocketAddress PEER = new InetSocketAddress("198.51.100.7", 5000);
    static final InetSocketAddress[] SOCKETS = {RV, ALT_PORT, ALT_ADDRESS};

    /** A datagram in flight. */
    record Packet(byte[] bytes, InetSocketAddress from, InetSocketAddress to) {}

    final ArrayDeque<Packet> wire = new ArrayDeque<>();
    final SecureRandom rnd = new SecureRandom(new byte[] {3});
    long now = 1_000_000_000L;

    final EngineSink rvSink = new EngineSink() {
        @Override
        public void send(ByteBuffer d, InetSocketAddress to) {
            send(d, to, Frame.SOCKET_PRIMARY);
        }

        @Override
        public void send(ByteBuffer d, InetSocketAddress to, int fromSocket) {
            byte[] b = new byte[d.remaining()];
            d.get(d.position(), b);
            wire.add(new Packet(b, SOCKETS[fromSocket], to));
        }

        @Override
        public void event(PunchEvent e) {}
    };
    final EngineSink peerSink = new EngineSink() {
        @Override
        public void send(ByteBuffer d, InetSocketAddress to) {
            byte[] b = new byte[d.remaining()];
            d.get(d.position(), b);
            wire.add(new Packet(b, PEER, to));
        }

        @Override
        public void event(PunchEvent e) {}
    };

    final RendezvousEngine rv = new RendezvousEngine(rvSink, rnd, ALT_PORT, ALT_ADDRESS);
    final PeerEngine peer = new PeerEngine(Identity.generate(rnd), "alice", RV, List.of(), true,
            new DefaultPunchPolicy(), PathObserver.NONE, peerSink, rnd);

    /** Delivers packets and runs timers for {@code millis}; {@code tamper} may replace a packet. */
    void run(long millis, java.util.function.UnaryOperator<Packet> tamper) {
        long end = now + millis * 1_000_000L;
        while (now < end) {
            while (!wire.isEmpty()) {
                Packet p = tamper.apply(wire.poll());
                if (p == null) {
                    continue;
                }
                int socket = Arrays.asList(SOCKETS).indexOf(p.to());
                if (socket >= 0) {
                    rv.onDatagram(ByteBuffer.wrap(p.bytes()), p.from(), socket, now);
                } else {
                    peer.onDatagram(ByteBuffer.wrap(p.bytes()), p.from(), now);
                }
            }
            now += 10_000_000L;
            if (peer.nextDeadlineNanos() <= now) {
                peer.onTimer(now);
            }
            if (rv.nextDeadlineNanos() <= now) {
                rv.onTimer(now);
            }
        }
    }

    static Predicate<Packet> answer() {
        return p -> (p.bytes()[Frame.TYPE_OFFSET] & 0xFF) == Frame.T_DISCOVER_ANSWER;
    }

    @Test
    void discovery_withoutNat_isEimEif_andTheRendezvousKnowsIt() {
        peer.start(now);
        run(5_000, p -> p);
        assertThat(NatClass.name(peer.natClass())).isEqualTo("EIM/EIF");
        assertThat(peer.totalDrops()).isZero();
        assertThat(rv.totalDrops()).isZero();
    }

    @Test
    void forgedAndMalformedAnswers_areCountedDrops_andDoNotMoveTheClass() {
        peer.start(now);
        int[] tampered = {0};
        long[] lastTxn = {0};
        run(5_000, p -> {
            long txn = Frame.getLong(p.bytes(), Frame.AUTH_BODY_OFFSET);
            if (answer().test(p) && tampered[0] < 3 && txn != lastTxn[0]) {
                // The first answer of each of three steps is altered: a flipped tag bit
                // (forgery), a random session id (unknown), a wrong length (malformed).
                lastTxn[0] = txn;
                byte[] b = p.bytes().clone();
                switch (tampered[0]++) {
                    case 0 -> b[b.length - 1] ^= 1;
                    case 1 -> Frame.putLong(b, Frame.SESSION_ID_OFFSET, 12345L);
                    default -> b = Arrays.copyOf(b, b.length - 1);
                }
                return new Packet(b, p.from(), p.to());
            }
            return p;
        });
        assertThat(peer.drops(DropReason.BAD_TAG)).isEqualTo(1);
        assertThat(peer.drops(DropReason.UNKNOWN_SESSION)).isEqualTo(1);
        assertThat(peer.drops(DropReason.TRUNCATED) + peer.drops(DropReason.OVERSIZED)
                + peer.drops(DropReason.MALFORMED_BODY)).isEqualTo(1);
        // The steps were retried and the class is the true one.
        assertThat(NatClass.name(peer.natClass())).isEqualTo("EIM/EIF");
    }

    @Test
    void forgedPositiveFilteringAnswer_cannotFakeEndpointIndependentFiltering() {
        // An attacker who sees the peer's requests answers the EIF test itself with a frame it
        // cannot tag, while the real answers from the alternates are filtered (dropped here as an
        // APDF NAT would): the peer must conclude APDF, not EIF.
        peer.start(now);
        run(5_000, p -> {
            boolean changed = answer().test(p)
                    && p.bytes()[Frame.AUTH_BODY_OFFSET + 8] == Frame.SOCKET_PRIMARY && !p.from().equals(RV);
            if (changed) {
                byte[] b = p.bytes().clone();
                b[b.length - 2] ^= 0x40; // the forgery: same bytes, wrong tag
                return new Packet(b, p.from(), p.to());
            }
            return p;
        });
        assertThat(peer.drops(DropReason.BAD_TAG)).isEqualTo(2L * PeerEngine.DISCOVER_TRIES);
        assertThat(NatClass.filtering(peer.natClass())).isEqualTo(NatClass.APDF);
    }

    @Test
    void natClassOf_mappingFromTheThreeObservations_andTheReportedFiltering() {
        InetSocketAddress x = new InetSocketAddress("198.51.100.7", 40000);
        InetSocketAddress y = new InetSocketAddress("198.51.100.7", 40001);
        InetSocketAddress z = new InetSocketAddress("198.51.100.7", 40002);
        assertThat(NatClass.name(RendezvousEngine.natClassOf(new InetSocketAddress[] {x, x, x}, NatClass.APDF)))
                .isEqualTo("EIM/APDF");
        assertThat(NatClass.name(RendezvousEngine.natClassOf(new InetSocketAddress[] {x, x, y}, NatClass.EIF)))
                .isEqualTo("ADM/EIF");
        assertThat(NatClass.name(RendezvousEngine.natClassOf(new InetSocketAddress[] {x, y, z}, NatClass.ADF)))
                .isEqualTo("APDM/ADF");
        assertThat(RendezvousEngine.natClassOf(new InetSocketAddress[] {x, x, x}, 0)).isEqualTo(NatClass.UNKNOWN);
        assertThat(RendezvousEngine.natClassOf(new InetSocketAddress[] {x, null, x}, NatClass.EIF))
                .isEqualTo(NatClass.UNKNOWN);
    }

    @Test
    void alternateSockets_serveDiscoveryOnly() {
        byte[] register = new byte[Frame.MAX_DATAGRAM];
        int n = FrameWriter.register(register, 0, new byte[32], new byte[0]);
        rv.onDatagram(ByteBuffer.wrap(register, 0, n), PEER, Frame.SOCKET_ALT_ADDRESS, now);
        assertThat(rv.drops(DropReason.WRONG_ROLE)).isEqualTo(1);
        // A rendezvous without alternates refuses datagrams said to come from them.
        RendezvousEngine old = new RendezvousEngine(rvSink, rnd);
        old.onDatagram(ByteBuffer.wrap(register, 0, n), PEER, Frame.SOCKET_ALT_PORT, now);
        assertThat(old.drops(DropReason.WRONG_ROLE)).isEqualTo(1);
        assertThat(wire).isEmpty();
    }
}
