package org.netbelief.punch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Runs a {@link LifetimeProber} next to a peer on real UDP: a second {@link UdpDriver} (its own
 * {@code DatagramChannel}, bound to the main socket's address with port 0, so its NAT binding is
 * a second, sacrificial one of the same NAT) and a hand-off that keeps the policy on the main
 * driver's thread.
 *
 * <p>The policy (a {@code BeliefPolicy}, say) is single-threaded and owned by the peer engine's
 * loop. The prober's thread therefore never calls it: outcomes are posted to the main loop with
 * {@link UdpDriver#execute}, and the next gap is computed there right after each outcome (and
 * once at start) and read by the prober from a volatile field. The prober asks at least one
 * second after an outcome, so it reads the gap planned with that outcome.
 *
 * <pre>{@code
 * try (UdpDriver driver = UdpDriver.open(bind)) {
 *     PeerEngine engine = new PeerEngine(..., beliefs, beliefs, driver.sink(app), random);
 *     driver.start(engine, "peer");
 *     try (LifetimeProbing probing = LifetimeProbing.start(driver, beliefs, rendezvous, random)) {
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class LifetimeProbing implements AutoCloseable {
    private final UdpDriver probeDriver;
    private final LifetimeProber prober;

    private LifetimeProbing(UdpDriver probeDriver, LifetimeProber prober) {
        this.probeDriver = probeDriver;
        this.prober = prober;
    }

    /** The thread hand-off: the prober's view of a policy that lives on the main loop. */
    private static final class HandOff implements LifetimeProbePolicy {
        private final UdpDriver main;
        private final LifetimeProbePolicy policy;
        private volatile long plannedGap = NO_PROBE;

        HandOff(UdpDriver main, LifetimeProbePolicy policy) {
            this.main = main;
            this.policy = policy;
            main.execute(this::plan);
        }

        private void plan(long now) {
            plannedGap = policy.nextProbeGapNanos(now);
        }

        @Override
        public long nextProbeGapNanos(long nowNanos) {
            long g = plannedGap;
            main.execute(this::plan); // refreshed for the next question (decay, main-path evidence)
            return g;
        }

        @Override
        public void onProbeSurvived(long gapNanos, long nowNanos) {
            main.execute(now -> {
                policy.onProbeSurvived(gapNanos, now);
                plan(now);
            });
        }

        @Override
        public void onProbeLost(long gapNanos, long nowNanos) {
            main.execute(now -> {
                policy.onProbeLost(gapNanos, now);
                plan(now);
            });
        }
    }

    /**
     * Opens the probe socket and starts the prober.
     *
     * @param main the peer's running driver (its loop owns {@code policy})
     * @param policy the peer's policy, called only on {@code main}'s loop thread
     * @param rendezvous the rendezvous endpoint
     * @param random seeds the prober's nonces
     * @return the running probing, to close with the peer
     * @throws IOException when the probe socket cannot be opened
     */
    public static LifetimeProbing start(UdpDriver main, LifetimeProbePolicy policy,
            InetSocketAddress rendezvous, SecureRandom random) throws IOException {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rendezvous, "rendezvous");
        InetSocketAddress bind = new InetSocketAddress(main.localAddress().getAddress(), 0);
        UdpDriver probeDriver = UdpDriver.open(bind);
        try {
            LifetimeProber prober = new LifetimeProber(probeDriver.sink(new EngineSink() {
                @Override
                public void send(java.nio.ByteBuffer d, InetSocketAddress to) {}

                @Override
                public void event(PunchEvent e) {}
            }), rendezvous, new HandOff(main, policy), new SplittableRandom(random.nextLong()), System.nanoTime());
            probeDriver.start(prober, "lifetime-prober");
            return new LifetimeProbing(probeDriver, prober);
        } catch (RuntimeException e) {
            probeDriver.close();
            throw e;
        }
    }

    /**
     * The probe socket's address.
     *
     * @return the local address and port of the sacrificial socket
     * @throws IOException when it is closed
     */
    public InetSocketAddress localAddress() throws IOException {
        return probeDriver.localAddress();
    }

    /** @return probes answered so far (read from another thread: a snapshot) */
    public long probesSurvived() {
        return prober.probesSurvived();
    }

    /** @return probes lost so far (read from another thread: a snapshot) */
    public long probesLost() {
        return prober.probesLost();
    }

    /** @return the prober's dropped datagrams */
    public long drops() {
        return prober.totalDrops();
    }

    /** Stops the prober and closes its socket. Idempotent. */
    @Override
    public void close() {
        probeDriver.close();
    }
}
