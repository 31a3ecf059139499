package org.netbelief.punch;

import static org.netbelief.punch.wire.Frame.*;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.SplittableRandom;
import org.netbelief.punch.wire.DropReason;
import org.netbelief.punch.wire.FrameReader;
import org.netbelief.punch.wire.FrameWriter;

/**
 * Lifetime discovery (RFC 5780 §4.6 style): a sans-I/O engine for a <em>second</em>, sacrificial
 * local socket of the same host, whose NAT binding goes silent for a chosen gap while the main
 * socket keeps its safe keepalives.
 *
 * <p>Cycle: on its timer it asks the {@link LifetimeProbePolicy} for the next gap g; sends one
 * PROBE_REQUEST (nonce, g) to the rendezvous, which refreshes or creates the probe binding; stays
 * completely silent on the socket; the rendezvous answers the request's observed source after g.
 * A PROBE_REPLY with the nonce from the rendezvous within {@code g + margin} is a survival at g
 * ({@link LifetimeProbePolicy#onProbeSurvived}); none is a loss at g ({@link
 * LifetimeProbePolicy#onProbeLost}). The margin is {@link #MIN_MARGIN_NANOS} (2 s) plus four times
 * the largest round trip measured so far (reply time − request time − g). After a survival it
 * asks again {@link #PAUSE_NANOS} (1 s) later; after the k-th loss in a row it waits 2^k s,
 * at most {@link #RECHECK_NANOS} (5 min), so a policy that keeps asking for a silence the NAT
 * does not keep costs at most one request every 5 min. When the policy answers {@link
 * LifetimeProbePolicy#NO_PROBE} it re-asks every {@link #RECHECK_NANOS} (the planner may want
 * to re-check after its belief has decayed or met doubt). The first question is asked {@link
 * #START_DELAY_NANOS} (2 s) after construction, so the main socket has registered.
 *
 * <pre>{@code
 * LifetimeProber prober = new LifetimeProber(probeSink, rendezvous, beliefs, new SplittableRandom(), now);
 * probeDriver.start(prober, "prober");        // a second socket: LifetimeProbing.start does this
 * }</pre>
 *
 * <p>Unexpected datagrams (another source, another type, a stale or foreign nonce) are counted
 * drops and never reach the policy. Single-threaded; allocation-free after construction.
 */
public final class LifetimeProber implements Engine {
    /** Delay from construction to the first question. */
    public static final long START_DELAY_NANOS = 2_000_000_000L;
    /** Pause between an outcome and the next question. */
    public static final long PAUSE_NANOS = 1_000_000_000L;
    /** Re-ask period while the policy answers {@link LifetimeProbePolicy#NO_PROBE}. */
    public static final long RECHECK_NANOS = 300_000_000_000L;
    /** Smallest wait beyond the gap for the reply. */
    public static final long MIN_MARGIN_NANOS = 2_000_000_000L;
    private static final DropReason[] REASONS = DropReason.values();

    private final EngineSink sink;
    private final InetSocketAddress rendezvous;
    private final LifetimeProbePolicy policy;
    private final SplittableRandom random;
    private final byte[] in = new byte[MAX_DATAGRAM];
    private final byte[] out = new byte[PROBE_REQUEST_LENGTH];
    private final ByteBuffer outView = ByteBuffer.wrap(out);
    private final FrameReader r = new FrameReader();
    private final long[] drops = new long[REASONS.length];

    private boolean waiting;
    private long nonce;
    private long sentAt;
    private long gapNanos;
    private long deadline;
    private long maxRttNanos;
    private volatile long survived; // volatile: drivers read the counts from other threads
    private volatile long lost;
    private int lossesInRow;

    /**
     * Creates a prober; its first question is due {@link #START_DELAY_NANOS} after {@code nowNanos}.
     *
     * @param sink output: the probe socket (never the main one)
     * @param rendezvous the rendezvous endpoint
     * @param policy decides the gaps and learns the outcomes
     * @param random nonces (unpredictable to off-path senders when seeded from a secure source)
     * @param nowNanos monotonic time now
     */
    public LifetimeProber(EngineSink sink, InetSocketAddress rendezvous, LifetimeProbePolicy policy,
            SplittableRandom random, long nowNanos) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.rendezvous = Objects.requireNonNull(rendezvous, "rendezvous");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.random = Objects.requireNonNull(random, "random");
        this.deadline = nowNanos + START_DELAY_NANOS;
    }

    @Override
    public void onDatagram(ByteBuffer datagram, InetSocketAddress from, long nowNanos) {
        int n = datagram.remaining();
        if (n > MAX_DATAGRAM) {
            drop(DropReason.OVERSIZED);
            return;
        }
        datagram.get(datagram.position(), in, 0, n);
        DropReason d = r.wrap(in, 0, n);
        if (d == null) {
            d = handle(from, nowNanos);
        }
        if (d != null) {
            drop(d);
        }
    }

    private DropReason handle(InetSocketAddress from, long now) {
        if (r.type() != T_PROBE_REPLY) {
            return DropReason.WRONG_ROLE;
        }
        if (!from.equals(rendezvous)) {
            return DropReason.UNKNOWN_SOURCE;
        }
        if (!waiting || r.firstLong() != nonce) {
            return DropReason.UNEXPECTED; // a late reply after its timeout, or a guess
        }
        waiting = false;
        survived++;
        lossesInRow = 0;
        maxRttNanos = Math.max(maxRttNanos, now - sentAt - gapNanos);
        deadline = now + PAUSE_NANOS;
        try {
            policy.onProbeSurvived(gapNanos, now);
        } catch (RuntimeException e) {
            return DropReason.INTERNAL_ERROR;
        }
        return null;
    }

    @Override
    public void onTimer(long nowNanos) {
        if (nowNanos < deadline) {
            return;
        }
        try {
            if (waiting) {
                waiting = false;
                lost++;
                lossesInRow++;
                deadline = nowNanos + Math.min(RECHECK_NANOS, PAUSE_NANOS << Math.min(lossesInRow, 20));
                policy.onProbeLost(gapNanos, nowNanos);
                return;
            }
            long gap = policy.nextProbeGapNanos(nowNanos);
            if (gap < 0) {
                deadline = nowNanos + RECHECK_NANOS;
                return;
            }
            long millis = Math.max(MIN_PROBE_GAP_MILLIS, Math.min(MAX_PROBE_GAP_MILLIS, (gap + 999_999) / 1_000_000));
            nonce = random.nextLong();
            gapNanos = millis * 1_000_000L;
            sentAt = nowNanos;
            waiting = true;
            deadline = nowNanos + gapNanos + marginNanos();
            int len = FrameWriter.probeRequest(out, 0, nonce, (int) millis);
            outView.clear().limit(len);
            sink.send(outView, rendezvous);
        } catch (RuntimeException e) {
            drop(DropReason.INTERNAL_ERROR); // a policy or sink failure never stops the loop
            if (deadline <= nowNanos) {
                deadline = nowNanos + PAUSE_NANOS;
            }
        }
    }

    /** @return how long beyond the gap the prober waits for the reply */
    public long marginNanos() {
        return MIN_MARGIN_NANOS + 4 * maxRttNanos;
    }

    @Override
    public long nextDeadlineNanos() {
        return deadline;
    }

    @Override
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    @Override
    public long totalDrops() {
        long s = 0;
        for (long d : drops) {
            s += d;
        }
        return s;
    }

    /** @return probes answered (survivals reported) */
    public long probesSurvived() {
        return survived;
    }

    /** @return probes not answered in time (losses reported) */
    public long probesLost() {
        return lost;
    }

    /** @return true while a probe's gap (and margin) is running */
    public boolean probing() {
        return waiting;
    }

    private void drop(DropReason d) {
        drops[d.ordinal()]++;
    }
}
