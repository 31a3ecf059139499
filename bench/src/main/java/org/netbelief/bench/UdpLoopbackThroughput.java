package org.netbelief.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.netbelief.punch.DefaultPunchPolicy;
import org.netbelief.punch.EngineSink;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.PeerEngine;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.RendezvousEngine;
import org.netbelief.punch.UdpDriver;
import org.netbelief.punch.crypto.Identity;

/**
 * UDP loopback throughput of the real driver: a rendezvous and two peers on 127.0.0.1, a direct
 * session, then peer A sends authenticated DATA packets as fast as its loop thread can for a few
 * seconds while peer B's loop receives, authenticates and delivers them. Prints packets per
 * second sent and delivered (the difference is loss in the kernel's socket buffers: UDP has no
 * flow control).
 *
 * <pre>
 * ./mvnw -B -ntp -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar org.netbelief.bench.UdpLoopbackThroughput [seconds] [payloadBytes]
 * </pre>
 */
public final class UdpLoopbackThroughput {
    private UdpLoopbackThroughput() {}

    /**
     * Runs the measurement.
     *
     * @param args optional seconds (default 3) and payload size (default 64)
     * @throws Exception on socket errors
     */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        SecureRandom rnd = new SecureRandom();
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        AtomicLong delivered = new AtomicLong();
        CountDownLatch established = new CountDownLatch(2);
        EngineSink app = new EngineSink() {
            @Override
            public void send(ByteBuffer d, InetSocketAddress to) {}

            @Override
            public void event(PunchEvent e) {
                if (e.kind() == PunchEvent.Kind.ESTABLISHED) {
                    established.countDown();
                }
            }

            @Override
            public void data(String peerId, ByteBuffer payload, boolean relayed, long nowNanos) {
                delivered.incrementAndGet();
            }
        };
        try (UdpDriver rvd = UdpDriver.open(any); UdpDriver ad = UdpDriver.open(any); UdpDriver bd = UdpDriver.open(any)) {
            RendezvousEngine rv = new RendezvousEngine(rvd.sink(app), rnd);
            rvd.start(rv, "rendezvous");
            PeerEngine a = new PeerEngine(Identity.generate(rnd), "a", rvd.localAddress(), List.of(ad.localAddress()), true,
                    new DefaultPunchPolicy(), PathObserver.NONE, ad.sink(app), rnd);
            PeerEngine b = new PeerEngine(Identity.generate(rnd), "b", rvd.localAddress(), List.of(bd.localAddress()), true,
                    new DefaultPunchPolicy(), PathObserver.NONE, bd.sink(app), rnd);
            ad.start(a, "peer-a");
            bd.start(b, "peer-b");
            ad.execute(a::start);
            bd.execute(b::start);
            Thread.sleep(500);
            ad.execute(now -> a.connect("b", now));
            if (!established.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no direct session within 10 s");
            }
            ByteBuffer payload = ByteBuffer.allocate(size);
            AtomicLong sent = new AtomicLong();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            CountDownLatch done = new CountDownLatch(1);
            // Batches of 256 sends per loop task; the task re-submits itself so the loop still
            // drains its socket and runs timers between batches.
            LongConsumer[] batch = new LongConsumer[1];
            batch[0] = now -> {
                for (int i = 0; i < 256; i++) {
                    if (a.send("b", payload, now)) {
                        sent.incrementAndGet();
                    }
                }
                if (System.nanoTime() < end) {
                    ad.execute(batch[0]);
                } else {
                    done.countDown();
                }
            };
            long d0 = delivered.get();
            long t0 = System.nanoTime();
            ad.execute(batch[0]);
            done.await();
            Thread.sleep(200); // let in-flight datagrams arrive
            double secs = (System.nanoTime() - t0 - 200_000_000L) / 1e9;
            long got = delivered.get() - d0;
            System.out.printf("payload %d B, %.1f s: sent %.0f packets/s, delivered %.0f packets/s (%.1f%% lost in socket buffers), "
                    + "errors a=%d b=%d, drops b=%d%n", size, secs, sent.get() / secs, got / secs,
                    100.0 * (sent.get() - got) / Math.max(1, sent.get()), ad.errors(), bd.errors(), b.totalDrops());
        }
    }
}
