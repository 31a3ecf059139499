package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.wire.Frame;

/**
 * Network evidence end to end between real engines on an in-memory wire without NAT (every class
 * EIM/EIF): both peers of a direct session report it, the rendezvous counts it once, and the next
 * introduction of that pair of classes carries it to the peers' observers.
 */
class NetworkEvidenceEngineTest {
    static final InetSocketAddress RV = new InetSocketAddress("203.0.113.1", 3478);
    static final InetSocketAddress ALT_PORT = new InetSocketAddress("203.0.113.1", 3479);
    static final InetSocketAddress ALT_ADDRESS = new InetSocketAddress("203.0.113.3", 3479);
    static final InetSocketAddress[] SOCKETS = {RV, ALT_PORT, ALT_ADDRESS};
    static final String[] NAMES = {"alice", "bob", "carol"};

    record Packet(byte[] bytes, InetSocketAddress from, InetSocketAddress to) {}

    /** What an observer was told by onNetworkEvidence. */
    static final class Seen implements PathObserver {
        final List<double[]> evidence = new ArrayList<>();

        @Override
        public void onNetworkEvidence(int own, int remote, double s, double f, long now) {
            evidence.add(new double[] {own, remote, s, f});
        }
    }

    final ArrayDeque<Packet> wire = new ArrayDeque<>();
    final SecureRandom rnd = new SecureRandom(new byte[] {7});
    final InetSocketAddress[] addrs = new InetSocketAddress[NAMES.length];
    final PeerEngine[] peers = new PeerEngine[NAMES.length];
    final Seen[] seen = new Seen[NAMES.length];
    long now = 1_000_000_000L;
    int outcomeFrames;

    EngineSink sinkFor(InetSocketAddress self) {
        return new EngineSink() {
            @Override
            public void send(ByteBuffer d, InetSocketAddress to) {
                send(d, to, Frame.SOCKET_PRIMARY);
            }

            @Override
            public void send(ByteBuffer d, InetSocketAddress to, int fromSocket) {
                byte[] b = new byte[d.remaining()];
                d.get(d.position(), b);
                wire.add(new Packet(b, self == null ? SOCKETS[fromSocket] : self, to));
            }

            @Override
            public void event(PunchEvent e) {}
        };
    }

    final RendezvousEngine rv = new RendezvousEngine(sinkFor(null), rnd, ALT_PORT, ALT_ADDRESS);

    NetworkEvidenceEngineTest() {
        for (int i = 0; i < NAMES.length; i++) {
            addrs[i] = new InetSocketAddress("198.51.100." + (10 + i), 5000);
            seen[i] = new Seen();
            peers[i] = new PeerEngine(Identity.generate(rnd), NAMES[i], RV, List.of(), true,
                    new DefaultPunchPolicy(), seen[i], sinkFor(addrs[i]), rnd);
        }
    }

    void run(long millis) {
        long end = now + millis * 1_000_000L;
        while (now < end) {
            while (!wire.isEmpty()) {
                Packet p = wire.poll();
                int socket = Arrays.asList(SOCKETS).indexOf(p.to());
                if (socket >= 0) {
                    if ((p.bytes()[Frame.TYPE_OFFSET] & 0xFF) == Frame.T_OUTCOME) {
                        outcomeFrames++;
                    }
                    rv.onDatagram(ByteBuffer.wrap(p.bytes()), p.from(), socket, now);
                } else {
                    int i = Arrays.asList(addrs).indexOf(p.to());
                    peers[i].onDatagram(ByteBuffer.wrap(p.bytes()), p.from(), now);
                }
            }
            now += 10_000_000L;
            for (PeerEngine e : peers) {
                if (e.nextDeadlineNanos() <= now) {
                    e.onTimer(now);
                }
            }
            if (rv.nextDeadlineNanos() <= now) {
                rv.onTimer(now);
            }
        }
    }

    @Test
    void directSession_isReportedByBoth_countedOnce_andDeliveredAtTheNextIntroduction() {
        for (PeerEngine e : peers) {
            e.start(now);
        }
        run(5_000); // registration and discovery
        assertThat(peers[0].natClass()).isEqualTo(NatClass.of(NatClass.EIM, NatClass.EIF));
        peers[0].connect("bob", now);
        run(5_000);
        assertThat(outcomeFrames).isEqualTo(2); // one per side, once
        assertThat(rv.outcomesCounted()).isEqualTo(1);
        // The first introduction of the pair carried zero evidence ("none yet").
        assertThat(seen[0].evidence).hasSize(1);
        assertThat(seen[0].evidence.get(0)[2]).isZero();
        int c = NatClass.of(NatClass.EIM, NatClass.EIF);
        assertThat(rv.networkEvidence(c, c, now)[0]).isBetween(0.999, 1.0);

        peers[2].connect("alice", now);
        run(5_000);
        double[] carol = seen[2].evidence.get(seen[2].evidence.size() - 1);
        assertThat(carol[0]).isEqualTo(c);
        assertThat(carol[1]).isEqualTo(c);
        assertThat(carol[2]).isBetween(0.999, 1.0); // float32 on the wire, seconds of decay
        assertThat(carol[3]).isZero();
        assertThat(rv.outcomesCounted()).isEqualTo(2);
        assertThat(rv.totalDrops()).isZero();
        for (OutcomeDropCheck d : OutcomeDropCheck.values()) {
            assertThat(rv.outcomeDrops(d.reason)).as(d.name()).isZero();
        }
    }

    private enum OutcomeDropCheck {
        UNKNOWN(RendezvousEngine.OutcomeDrop.UNKNOWN_SESSION),
        PARTY(RendezvousEngine.OutcomeDrop.NOT_A_PARTY),
        DUPLICATE(RendezvousEngine.OutcomeDrop.DUPLICATE),
        DISAGREED(RendezvousEngine.OutcomeDrop.DISAGREED),
        ONE_SIDED(RendezvousEngine.OutcomeDrop.ONE_SIDED),
        UNTRACKED(RendezvousEngine.OutcomeDrop.UNTRACKED);

        final RendezvousEngine.OutcomeDrop reason;

        OutcomeDropCheck(RendezvousEngine.OutcomeDrop reason) {
            this.reason = reason;
        }
    }

    @Test
    void oldRendezvous_withoutDiscovery_getsNoOutcomes_andSendsNoEvidence() {
        // A rendezvous without alternates: discovery finds nothing, so no class, no OUTCOME.
        RendezvousEngine old = new RendezvousEngine(sinkFor(null), rnd);
        PeerEngine a = new PeerEngine(Identity.generate(rnd), "dave", RV, List.of(), true,
                new DefaultPunchPolicy(), seen[0], sinkFor(addrs[0]), rnd);
        PeerEngine b = new PeerEngine(Identity.generate(rnd), "erin", RV, List.of(), true,
                new DefaultPunchPolicy(), seen[1], sinkFor(addrs[1]), rnd);
        PeerEngine[] two = {a, b};
        a.start(now);
        b.start(now);
        for (int step = 0; step < 1500; step++) {
            if (step == 500) {
                a.connect("erin", now);
            }
            while (!wire.isEmpty()) {
                Packet p = wire.poll();
                if (Arrays.asList(SOCKETS).contains(p.to())) {
                    if ((p.bytes()[Frame.TYPE_OFFSET] & 0xFF) == Frame.T_OUTCOME) {
                        outcomeFrames++;
                    }
                    if (p.to().equals(RV)) {
                        old.onDatagram(ByteBuffer.wrap(p.bytes()), p.from(), now);
                    }
                } else {
                    two[Arrays.asList(addrs).indexOf(p.to())].onDatagram(ByteBuffer.wrap(p.bytes()), p.from(), now);
                }
            }
            now += 10_000_000L;
            for (PeerEngine e : two) {
                if (e.nextDeadlineNanos() <= now) {
                    e.onTimer(now);
                }
            }
            if (old.nextDeadlineNanos() <= now) {
                old.onTimer(now);
            }
        }
        assertThat(a.natClass()).isEqualTo(NatClass.UNKNOWN);
        assertThat(outcomeFrames).isZero();
        assertThat(seen[0].evidence).isEmpty();
        assertThat(seen[1].evidence).isEmpty();
    }
}
