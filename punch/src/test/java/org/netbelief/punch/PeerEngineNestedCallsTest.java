package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.crypto.Identity;
import org.netbelief.punch.wire.DropReason;

/**
 * The buffer contract of {@link PeerEngine} (see its class comment): the datagram an engine
 * hands its sink is the thread's, not the engine's, yet a sink may call into any engine of the
 * thread before {@code send} returns. Here every datagram between the peers is delivered at once
 * and in place (the very buffer the sender handed its sink) to the receiving engine, whose
 * answers are delivered at once in turn, nesting calls into both engines, and a peer answers
 * data by sending from inside {@code data}. After every delivery the sender's datagram must be
 * byte for byte what it was. (The rendezvous builds its answers in an array of its own, so
 * datagrams to it are queued as copies; its answers to the peers are delivered in place.)
 */
class PeerEngineNestedCallsTest {
    static final InetSocketAddress RV = new InetSocketAddress("192.0.2.1", 7000);
    static final InetSocketAddress A = new InetSocketAddress("198.51.100.10", 40000);
    static final InetSocketAddress B = new InetSocketAddress("203.0.113.20", 50000);
    static final long SEC = 1_000_000_000L;

    final SecureRandom rnd = new SecureRandom();
    long now = SEC;
    final ArrayDeque<Object[]> toRendezvous = new ArrayDeque<>();
    final List<String> corrupted = new ArrayList<>();
    int depth;
    int maxDepth;
    RendezvousEngine rv;
    PeerEngine a;
    PeerEngine b;
    Map<InetSocketAddress, Engine> hosts;

    /** A peer's sink: delivers at once, in place, and checks the datagram afterwards. */
    final class Sink implements EngineSink {
        final InetSocketAddress self;
        final List<String> data = new ArrayList<>();
        final List<PunchEvent> events = new ArrayList<>();
        /** Sends every received payload back, from inside {@link #data}. */
        boolean echo;

        Sink(InetSocketAddress self) {
            this.self = self;
        }

        @Override
        public void send(ByteBuffer d, InetSocketAddress to) {
            if (to.equals(RV)) {
                byte[] copy = new byte[d.remaining()];
                d.get(d.position(), copy);
                toRendezvous.add(new Object[] {copy, self});
                return;
            }
            byte[] before = new byte[d.remaining()];
            d.get(d.position(), before);
            int position = d.position();
            int limit = d.limit();
            maxDepth = Math.max(maxDepth, ++depth);
            hosts.get(to).onDatagram(d, self, now);
            depth--;
            byte[] after = new byte[limit - position];
            d.get(position, after);
            if (d.position() != position || d.limit() != limit || !Arrays.equals(before, after)) {
                corrupted.add(self + " -> " + to + " at depth " + depth);
            }
        }

        @Override
        public void event(PunchEvent event) {
            events.add(event);
        }

        @Override
        public void data(String peerId, ByteBuffer payload, boolean relayed, long nowNanos) {
            byte[] p = new byte[payload.remaining()];
            payload.get(payload.position(), p);
            data.add(new String(p, StandardCharsets.UTF_8));
            if (echo) {
                PeerEngine e = self.equals(A) ? a : b;
                assertThat(e.send(peerId, ByteBuffer.wrap(("echo " + new String(p, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8)), nowNanos)).isTrue();
            }
        }
    }

    final Sink sinkA = new Sink(A);
    final Sink sinkB = new Sink(B);

    /** The rendezvous's sink: its answers to the peers are delivered at once, in place. */
    final EngineSink rvSink = new EngineSink() {
        @Override
        public void send(ByteBuffer d, InetSocketAddress to) {
            maxDepth = Math.max(maxDepth, ++depth);
            hosts.get(to).onDatagram(d, RV, now);
            depth--;
        }

        @Override
        public void event(PunchEvent event) {}
    };

    /** Runs queued datagrams to the rendezvous and every due timer until {@code until}. */
    void runUntil(long until) {
        while (true) {
            Object[] p = toRendezvous.poll();
            if (p != null) {
                rv.onDatagram(ByteBuffer.wrap((byte[]) p[0]), (InetSocketAddress) p[1], now);
                continue;
            }
            long t = Math.min(rv.nextDeadlineNanos(), Math.min(a.nextDeadlineNanos(), b.nextDeadlineNanos()));
            if (t > until) {
                break;
            }
            now = Math.max(now, t);
            for (Engine e : List.of(rv, a, b)) {
                if (e.nextDeadlineNanos() <= now) {
                    e.onTimer(now);
                }
            }
        }
        now = until;
    }

    @Test
    void nestedInPlaceDeliveries_neverOverwriteTheDatagramOfAnOuterCall() {
        rv = new RendezvousEngine(rvSink, rnd);
        a = new PeerEngine(Identity.generate(rnd), "alice", RV, List.of(A), true, new DefaultPunchPolicy(), PathObserver.NONE,
                sinkA, rnd);
        b = new PeerEngine(Identity.generate(rnd), "bob", RV, List.of(B), true, new DefaultPunchPolicy(), PathObserver.NONE,
                sinkB, rnd);
        hosts = Map.of(RV, rv, A, a, B, b);
        a.start(now);
        b.start(now);
        runUntil(now + SEC / 10);
        assertThat(a.registered()).isTrue();
        assertThat(b.registered()).isTrue();

        a.connect("bob", now);
        runUntil(now + SEC / 2);
        assertThat(sinkA.events).filteredOn(e -> e.kind() == PunchEvent.Kind.ESTABLISHED).singleElement()
                .satisfies(e -> assertThat(e.via()).isEqualTo("direct"));
        assertThat(sinkB.events).filteredOn(e -> e.kind() == PunchEvent.Kind.ESTABLISHED).singleElement()
                .satisfies(e -> assertThat(e.via()).isEqualTo("direct"));

        sinkB.echo = true; // b answers from inside data(): a send nested in b's receive
        for (int i = 0; i < 20; i++) {
            assertThat(a.send("bob", ByteBuffer.wrap(("hi " + i).getBytes(StandardCharsets.UTF_8)), now)).isTrue();
        }
        runUntil(now + 120 * SEC); // session keepalives, answered at once, nested
        assertThat(sinkB.data).hasSize(20).allSatisfy(s -> assertThat(s).startsWith("hi "));
        assertThat(sinkA.data).hasSize(20).allSatisfy(s -> assertThat(s).startsWith("echo hi "));
        for (int i = 0; i < 20; i++) {
            assertThat(sinkB.data.get(i)).isEqualTo("hi " + i);
            assertThat(sinkA.data.get(i)).isEqualTo("echo hi " + i);
        }

        assertThat(corrupted).isEmpty();
        assertThat(maxDepth).isGreaterThanOrEqualTo(3); // rendezvous -> peer -> peer -> peer
        for (PeerEngine e : List.of(a, b)) {
            assertThat(e.drops(DropReason.BAD_TAG)).isZero();
            assertThat(e.drops(DropReason.MALFORMED_BODY)).isZero();
            assertThat(e.drops(DropReason.INTERNAL_ERROR)).isZero();
            assertThat(e.sessions()).isEqualTo(1);
        }
        assertThat(sinkA.events).noneMatch(e -> e.kind() == PunchEvent.Kind.PATH_LOST || e.kind() == PunchEvent.Kind.CLOSED);
    }
}
