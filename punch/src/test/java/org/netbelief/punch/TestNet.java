package org.netbelief.punch;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/** A tiny deterministic network for engine tests: fixed one-way delay, a drop predicate, NAT rewrites. */
final class TestNet {
    static final long DELAY = 1_000_000L; // 1 ms one way

    long now = 1_000_000_000L;
    private long seq;
    final Map<InetSocketAddress, Engine> hosts = new LinkedHashMap<>();
    final Map<InetSocketAddress, Host> records = new LinkedHashMap<>();
    private final PriorityQueue<Packet> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    BiPredicate<InetSocketAddress, InetSocketAddress> drop = (f, t) -> false;
    UnaryOperator<InetSocketAddress> rewriteSource = a -> a;
    int sent;

    private record Packet(long at, long seq, byte[] data, InetSocketAddress from, InetSocketAddress to) {}

    /** Everything one host's engine reported. */
    static final class Host implements EngineSink {
        final TestNet net;
        final InetSocketAddress self;
        final List<PunchEvent> events = new ArrayList<>();
        final List<String> data = new ArrayList<>();
        final List<Boolean> relayed = new ArrayList<>();

        Host(TestNet net, InetSocketAddress self) {
            this.net = net;
            this.self = self;
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) {
            byte[] b = new byte[datagram.remaining()];
            datagram.get(datagram.position(), b);
            net.enqueue(b, self, to);
        }

        @Override
        public void event(PunchEvent event) {
            events.add(event);
        }

        @Override
        public void data(String peerId, ByteBuffer payload, boolean viaRelay, long nowNanos) {
            byte[] b = new byte[payload.remaining()];
            payload.get(payload.position(), b);
            data.add(new String(b, StandardCharsets.UTF_8));
            relayed.add(viaRelay);
        }

        List<PunchEvent> of(PunchEvent.Kind kind) {
            return events.stream().filter(e -> e.kind() == kind).toList();
        }
    }

    Host host(InetSocketAddress self) {
        return records.computeIfAbsent(self, s -> new Host(this, s));
    }

    void attach(InetSocketAddress self, Engine engine) {
        hosts.put(self, engine);
    }

    void enqueue(byte[] data, InetSocketAddress from, InetSocketAddress to) {
        sent++;
        InetSocketAddress src = rewriteSource.apply(from);
        if (drop.test(src, to)) {
            return;
        }
        queue.add(new Packet(now + DELAY, seq++, data, src, to));
    }

    /** Injects raw bytes as if sent from {@code from}. */
    void inject(byte[] data, InetSocketAddress from, InetSocketAddress to) {
        queue.add(new Packet(now, seq++, data, from, to));
    }

    void runFor(long nanos) {
        long until = now + nanos;
        for (int guard = 0;; guard++) {
            if (guard > 5_000_000) {
                throw new IllegalStateException("engine timers do not advance at " + now);
            }
            long tp = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().at;
            long tt = Long.MAX_VALUE;
            for (Engine e : hosts.values()) {
                tt = Math.min(tt, e.nextDeadlineNanos());
            }
            long t = Math.max(now, Math.min(tp, tt));
            if (t > until || (tp == Long.MAX_VALUE && tt == Long.MAX_VALUE)) {
                break;
            }
            now = t;
            if (tp <= tt) {
                Packet p = queue.poll();
                Engine e = hosts.get(p.to);
                if (e != null) {
                    e.onDatagram(ByteBuffer.wrap(p.data), p.from, now);
                }
            } else {
                for (Engine e : hosts.values()) {
                    if (e.nextDeadlineNanos() <= now) {
                        e.onTimer(now);
                    }
                }
            }
        }
        now = until;
    }
}
