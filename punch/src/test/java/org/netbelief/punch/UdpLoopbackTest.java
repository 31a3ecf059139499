package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.netbelief.punch.crypto.Identity;

/** Real UDP on 127.0.0.1: a rendezvous and two peers, each on its own driver thread. */
@Timeout(30)
class UdpLoopbackTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private final SecureRandom rnd = new SecureRandom();
    private UdpDriver rvDriver;
    private UdpDriver aDriver;
    private UdpDriver bDriver;

    /** Collects events and data from the loop thread for the test thread. */
    static final class Inbox implements EngineSink {
        final BlockingQueue<PunchEvent> events = new LinkedBlockingQueue<>();
        final BlockingQueue<String> data = new LinkedBlockingQueue<>();

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) {}

        @Override
        public void event(PunchEvent event) {
            events.add(event);
        }

        @Override
        public void data(String peerId, ByteBuffer payload, boolean relayed, long nowNanos) {
            byte[] b = new byte[payload.remaining()];
            payload.get(payload.position(), b);
            data.add((relayed ? "relay:" : "direct:") + new String(b, StandardCharsets.UTF_8));
        }

        PunchEvent await(PunchEvent.Kind kind) throws InterruptedException {
            while (true) {
                PunchEvent e = events.poll(20, TimeUnit.SECONDS);
                assertThat(e).as("waiting for " + kind).isNotNull();
                if (e.kind() == kind) {
                    return e;
                }
            }
        }
    }

    @AfterEach
    void tearDown() {
        for (UdpDriver d : new UdpDriver[] {aDriver, bDriver, rvDriver}) {
            if (d != null) {
                d.close();
            }
        }
    }

    private PeerEngine peer(UdpDriver d, String name, InetSocketAddress rv, Inbox inbox) throws Exception {
        PeerEngine p = new PeerEngine(Identity.generate(rnd), name, rv, List.of(d.localAddress()), true,
                new DefaultPunchPolicy(1500, 15_000), PathObserver.NONE, d.sink(inbox), rnd);
        d.start(p, "peer-" + name);
        d.execute(p::start);
        return p;
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private void run(boolean blockDirect, String expectVia, String prefix) throws Exception {
        rvDriver = UdpDriver.open(ANY_LOOPBACK);
        Inbox rvInbox = new Inbox();
        RendezvousEngine rv = new RendezvousEngine(rvDriver.sink(rvInbox), rnd);
        rvDriver.start(rv, "rendezvous");
        InetSocketAddress rvAddr = rvDriver.localAddress();
        aDriver = UdpDriver.open(ANY_LOOPBACK);
        bDriver = UdpDriver.open(ANY_LOOPBACK);
        if (blockDirect) {
            LossHook onlyRendezvous = (outgoing, remote) -> !remote.equals(rvAddr);
            aDriver.lossHook(onlyRendezvous);
            bDriver.lossHook(onlyRendezvous);
        }
        Inbox ia = new Inbox();
        Inbox ib = new Inbox();
        PeerEngine a = peer(aDriver, "alice", rvAddr, ia);
        PeerEngine b = peer(bDriver, "bob", rvAddr, ib);
        ia.await(PunchEvent.Kind.REGISTERED);
        ib.await(PunchEvent.Kind.REGISTERED);
        aDriver.execute(now -> a.connect("bob", now));
        PunchEvent ea = ia.await(PunchEvent.Kind.ESTABLISHED);
        PunchEvent eb = ib.await(PunchEvent.Kind.ESTABLISHED);
        assertThat(ea.via()).isEqualTo(expectVia);
        assertThat(eb.via()).isEqualTo(expectVia);
        if (!blockDirect) {
            assertThat(ea.endpoint()).isEqualTo(bDriver.localAddress());
        }
        aDriver.execute(now -> a.send("bob", text("ping"), now));
        assertThat(ib.data.poll(10, TimeUnit.SECONDS)).isEqualTo(prefix + "ping");
        bDriver.execute(now -> b.send("alice", text("pong"), now));
        assertThat(ia.data.poll(10, TimeUnit.SECONDS)).isEqualTo(prefix + "pong");
        assertThat(aDriver.errors() + bDriver.errors() + rvDriver.errors()).isZero();
    }

    @Test
    void driver_sendFailsAndEngineThrows_errorsCountedLoopKeepsRunningAndClosesCleanly() throws Exception {
        UdpDriver d = UdpDriver.open(ANY_LOOPBACK);
        EngineSink sink = d.sink(new Inbox());
        java.util.concurrent.atomic.AtomicInteger timers = new java.util.concurrent.atomic.AtomicInteger();
        Engine failing = new Engine() {
            @Override
            public void onDatagram(ByteBuffer datagram, InetSocketAddress from, long nowNanos) {
                throw new IllegalStateException("engine bug");
            }

            @Override
            public void onTimer(long nowNanos) {
                timers.incrementAndGet();
                sink.send(ByteBuffer.wrap(new byte[8]), new InetSocketAddress("127.0.0.1", 0)); // EINVAL
            }

            @Override
            public long nextDeadlineNanos() {
                return timers.get() < 3 ? 0 : Long.MAX_VALUE;
            }

            @Override
            public long drops(org.netbelief.punch.wire.DropReason reason) {
                return 0;
            }

            @Override
            public long totalDrops() {
                return 0;
            }
        };
        d.start(failing, "failing");
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open()) {
            probe.send(ByteBuffer.wrap(new byte[8]), d.localAddress());
        }
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < 200 && d.errors() < 4; i++) {
            Thread.sleep(10);
        }
        d.execute(now -> ran.countDown());
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(d.errors()).isEqualTo(4); // three failed sends and one engine exception
        assertThat(timers.get()).isEqualTo(3);
        d.close();
        d.close(); // idempotent
        assertThat(d.lastError()).isNotNull();
    }

    @Test
    void loopback_openPath_establishesDirectAndDataFlowsBothWays() throws Exception {
        run(false, "direct", "direct:");
    }

    @Test
    void loopback_directPathBlockedByLossHook_fallsBackToRelay() throws Exception {
        run(true, "relay", "relay:");
    }
}
