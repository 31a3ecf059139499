package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.netbelief.punch.wire.DropReason;

/** Prober and rendezvous on real UDP sockets, 127.0.0.1 only. */
@Timeout(30)
class LifetimeProbingLoopbackTest {
    private static final long SECOND = 1_000_000_000L;

    private static EngineSink quiet() {
        return new EngineSink() {
            @Override
            public void send(ByteBuffer d, InetSocketAddress to) {}

            @Override
            public void event(PunchEvent e) {}
        };
    }

    /** An engine that does nothing: the main loop only runs the hand-off's tasks. */
    private static final class Idle implements Engine {
        @Override
        public void onDatagram(ByteBuffer datagram, InetSocketAddress from, long nowNanos) {}

        @Override
        public void onTimer(long nowNanos) {}

        @Override
        public long nextDeadlineNanos() {
            return Long.MAX_VALUE;
        }

        @Override
        public long drops(DropReason reason) {
            return 0;
        }

        @Override
        public long totalDrops() {
            return 0;
        }
    }

    /** Tests 1 s twice, then pauses; records which thread called it. */
    private static final class TwoProbes implements LifetimeProbePolicy {
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<Long> survived = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(2);

        @Override
        public long nextProbeGapNanos(long nowNanos) {
            threads.add(Thread.currentThread().getName());
            return survived.size() < 2 ? SECOND : NO_PROBE;
        }

        @Override
        public void onProbeSurvived(long gapNanos, long nowNanos) {
            threads.add(Thread.currentThread().getName());
            survived.add(gapNanos);
            done.countDown();
        }

        @Override
        public void onProbeLost(long gapNanos, long nowNanos) {
            threads.add(Thread.currentThread().getName());
        }
    }

    @Test
    void proberNextToPeer_onLoopback_survivesOneSecondGaps_policyOnMainLoop() throws Exception {
        SecureRandom rnd = new SecureRandom();
        try (UdpDriver rvDriver = UdpDriver.open(new InetSocketAddress("127.0.0.1", 0));
                UdpDriver main = UdpDriver.open(new InetSocketAddress("127.0.0.1", 0))) {
            RendezvousEngine rv = new RendezvousEngine(rvDriver.sink(quiet()), rnd);
            rvDriver.start(rv, "rendezvous");
            main.start(new Idle(), "main-loop");
            TwoProbes policy = new TwoProbes();
            try (LifetimeProbing probing = LifetimeProbing.start(main, policy, rvDriver.localAddress(), rnd)) {
                assertThat(probing.localAddress().getAddress()).isEqualTo(main.localAddress().getAddress());
                assertThat(probing.localAddress().getPort()).isNotEqualTo(main.localAddress().getPort());
                assertThat(policy.done.await(25, TimeUnit.SECONDS)).isTrue();
                assertThat(policy.survived).containsExactly(SECOND, SECOND);
                assertThat(probing.probesSurvived()).isEqualTo(2);
                assertThat(probing.probesLost()).isZero();
                assertThat(probing.drops()).isZero();
            }
            // Every policy call ran on the main loop's thread, never on the prober's.
            assertThat(policy.threads).isNotEmpty().containsOnly("main-loop");
            assertThat(rvDriver.errors()).isZero();
        }
    }

    @Test
    void prober_rendezvousSilent_reportsLossAfterGapAndMargin() throws Exception {
        SecureRandom rnd = new SecureRandom();
        // A bound socket with nothing running on it: requests vanish, no reply ever comes.
        try (UdpDriver deaf = UdpDriver.open(new InetSocketAddress("127.0.0.1", 0));
                UdpDriver main = UdpDriver.open(new InetSocketAddress("127.0.0.1", 0))) {
            main.start(new Idle(), "main-loop");
            CountDownLatch lost = new CountDownLatch(1);
            List<Long> gaps = new CopyOnWriteArrayList<>();
            LifetimeProbePolicy policy = new LifetimeProbePolicy() {
                @Override
                public long nextProbeGapNanos(long nowNanos) {
                    return SECOND;
                }

                @Override
                public void onProbeSurvived(long gapNanos, long nowNanos) {}

                @Override
                public void onProbeLost(long gapNanos, long nowNanos) {
                    gaps.add(gapNanos);
                    lost.countDown();
                }
            };
            try (LifetimeProbing probing = LifetimeProbing.start(main, policy, deaf.localAddress(), rnd)) {
                assertThat(lost.await(25, TimeUnit.SECONDS)).isTrue();
                assertThat(gaps.get(0)).isEqualTo(SECOND);
                assertThat(probing.probesSurvived()).isZero();
            }
        }
    }
}
