package org.netbelief.bench;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.netbelief.punch.DefaultPunchPolicy;
import org.netbelief.punch.Engine;
import org.netbelief.punch.EngineSink;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.PeerEngine;
import org.netbelief.punch.PunchEvent;
import org.netbelief.punch.RendezvousEngine;
import org.netbelief.punch.crypto.Identity;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine cost per data packet on an established direct session.
 *
 * <ul>
 *   <li>{@code send}: peer A frames, counts and MACs one DATA packet (HMAC-SHA256, 16-byte tag).
 *   <li>{@code sendAndReceive}: the same packet then goes through peer B's receive path: copy,
 *       decode and bounds-check, session lookup by id, replay window, tag verification, the
 *       keepalive deadline update (the per-packet "decide"), delivery to the sink. The receive
 *       cost is the difference of the two.
 * </ul>
 *
 * <p>Both paths are meant to allocate nothing: run with {@code -prof gc} and read {@code
 * gc.alloc.rate.norm} (B/op).
 *
 * <pre>
 * ./mvnw -B -ntp -q -pl bench -am package -DskipTests
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -jar bench/target/benchmarks.jar EngineBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class EngineBenchmark {
    private static final InetSocketAddress RV = new InetSocketAddress("192.0.2.1", 7000);
    private static final InetSocketAddress A = new InetSocketAddress("198.51.100.10", 40000);
    private static final InetSocketAddress B = new InetSocketAddress("203.0.113.20", 50000);

    /** Payload size in bytes. */
    @Param({"64", "1200"})
    public int payloadSize;

    private PeerEngine a;
    private PeerEngine b;
    private ByteBuffer payload;
    private final byte[] wire = new byte[2048];
    private final ByteBuffer wireView = ByteBuffer.wrap(wire);
    private boolean capture;
    private long now = 1_000_000_000L;
    long delivered;
    long observed;

    private final ArrayDeque<Object[]> queue = new ArrayDeque<>();

    private EngineSink sink(InetSocketAddress self) {
        return new EngineSink() {
            @Override
            public void send(ByteBuffer d, InetSocketAddress to) {
                if (capture) { // steady state: keep the datagram in a reused buffer, no allocation
                    wireView.clear();
                    wireView.put(d.duplicate());
                    wireView.flip();
                    return;
                }
                byte[] copy = new byte[d.remaining()];
                d.get(d.position(), copy);
                queue.add(new Object[] {copy, self, to});
            }

            @Override
            public void event(PunchEvent event) {}

            @Override
            public void data(String peerId, ByteBuffer p, boolean relayed, long nowNanos) {
                delivered += p.remaining();
            }
        };
    }

    /** Registers both peers at an in-memory rendezvous and establishes a direct session. */
    @Setup(Level.Trial)
    public void setUp() {
        SecureRandom rnd = new SecureRandom();
        PathObserver counting = new PathObserver() {
            @Override
            public void onAck(long pathKey, int probe, long rttNanos, long nowNanos) {
                observed++;
            }
        };
        RendezvousEngine rv = new RendezvousEngine(sink(RV), rnd);
        a = new PeerEngine(Identity.generate(rnd), "a", RV, List.of(A), true, new DefaultPunchPolicy(), counting, sink(A), rnd);
        b = new PeerEngine(Identity.generate(rnd), "b", RV, List.of(B), true, new DefaultPunchPolicy(), counting, sink(B), rnd);
        java.util.Map<InetSocketAddress, Engine> hosts = java.util.Map.of(RV, rv, A, a, B, b);
        a.start(now);
        b.start(now);
        pump(hosts);
        a.connect("b", now);
        pump(hosts);
        payload = ByteBuffer.allocate(payloadSize);
        if (!a.send("b", payload, now)) {
            throw new IllegalStateException("session not established in setup");
        }
        pump(hosts);
        capture = true;
    }

    private void pump(java.util.Map<InetSocketAddress, Engine> hosts) {
        for (int i = 0; i < 100 && !queue.isEmpty(); i++) {
            while (!queue.isEmpty()) {
                Object[] p = queue.poll();
                now += 1000;
                hosts.get((InetSocketAddress) p[2]).onDatagram(ByteBuffer.wrap((byte[]) p[0]), (InetSocketAddress) p[1], now);
            }
        }
    }

    /**
     * A frames one DATA packet.
     *
     * @return bytes framed
     */
    @Benchmark
    public int send() {
        now += 1000;
        a.send("b", payload, now);
        return wireView.remaining();
    }

    /**
     * A frames one DATA packet and B receives it.
     *
     * @return bytes delivered so far
     */
    @Benchmark
    public long sendAndReceive() {
        now += 1000;
        a.send("b", payload, now);
        b.onDatagram(wireView, A, now);
        return delivered;
    }
}
