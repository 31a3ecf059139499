package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.wire.DropReason;
import org.netbelief.punch.wire.Frame;
import org.netbelief.punch.wire.FrameReader;
import org.netbelief.punch.wire.FrameWriter;

/** The prober's cycle on a manual clock. */
class LifetimeProberTest {
    private static final long S = 1_000_000_000L;
    private static final InetSocketAddress RV = new InetSocketAddress("127.0.0.1", 7000);

    private final List<byte[]> sent = new ArrayList<>();
    private final List<String> outcomes = new ArrayList<>();
    private final long[] nextGap = {30 * S};
    private final LifetimeProbePolicy policy = new LifetimeProbePolicy() {
        @Override
        public long nextProbeGapNanos(long nowNanos) {
            return nextGap[0];
        }

        @Override
        public void onProbeSurvived(long gapNanos, long nowNanos) {
            outcomes.add("survived " + gapNanos / S);
        }

        @Override
        public void onProbeLost(long gapNanos, long nowNanos) {
            outcomes.add("lost " + gapNanos / S);
        }
    };
    private final LifetimeProber prober = new LifetimeProber(new EngineSink() {
        @Override
        public void send(ByteBuffer d, InetSocketAddress to) {
            assertThat(to).isEqualTo(RV);
            byte[] b = new byte[d.remaining()];
            d.get(d.position(), b);
            sent.add(b);
        }

        @Override
        public void event(PunchEvent e) {}
    }, RV, policy, new SplittableRandom(1), 0);
    private final FrameReader r = new FrameReader();
    private final byte[] buf = new byte[64];

    private long lastNonce() {
        byte[] b = sent.get(sent.size() - 1);
        assertThat(r.wrap(b, 0, b.length)).isNull();
        assertThat(r.type()).isEqualTo(Frame.T_PROBE_REQUEST);
        return r.firstLong();
    }

    private void reply(long nonce, InetSocketAddress from, long now) {
        int n = FrameWriter.probeReply(buf, 0, nonce);
        prober.onDatagram(ByteBuffer.wrap(buf, 0, n), from, now);
    }

    @Test
    void onTimer_afterStartDelay_sendsOneRequestWithTheGap_thenStaysSilent() {
        prober.onTimer(LifetimeProber.START_DELAY_NANOS - 1);
        assertThat(sent).isEmpty();
        long t = prober.nextDeadlineNanos();
        assertThat(t).isEqualTo(LifetimeProber.START_DELAY_NANOS);
        prober.onTimer(t);
        assertThat(sent).hasSize(1);
        lastNonce();
        assertThat(r.probeGapMillis()).isEqualTo(30_000);
        assertThat(prober.probing()).isTrue();
        assertThat(prober.nextDeadlineNanos()).isEqualTo(t + 30 * S + LifetimeProber.MIN_MARGIN_NANOS);
        for (long u = t; u < t + 30 * S; u += S) {
            prober.onTimer(u);
        }
        assertThat(sent).hasSize(1); // silent during the gap
    }

    @Test
    void reply_withNonceFromRendezvous_isSurvival_andWidensTheMarginByTheRtt() {
        prober.onTimer(prober.nextDeadlineNanos());
        long sentAt = LifetimeProber.START_DELAY_NANOS;
        reply(lastNonce(), RV, sentAt + 30 * S + 50_000_000L);
        assertThat(outcomes).containsExactly("survived 30");
        assertThat(prober.probesSurvived()).isEqualTo(1);
        assertThat(prober.marginNanos()).isEqualTo(LifetimeProber.MIN_MARGIN_NANOS + 4 * 50_000_000L);
        assertThat(prober.nextDeadlineNanos()).isEqualTo(sentAt + 30 * S + 50_000_000L + LifetimeProber.PAUSE_NANOS);
    }

    @Test
    void foreignReplies_areCountedDrops_notEvidence() {
        prober.onTimer(prober.nextDeadlineNanos());
        long nonce = lastNonce();
        long t = 10 * S;
        reply(nonce + 1, RV, t);
        reply(nonce, new InetSocketAddress("127.0.0.1", 7001), t);
        int n = FrameWriter.probeRequest(buf, 0, nonce, 1_000);
        prober.onDatagram(ByteBuffer.wrap(buf, 0, n), RV, t);
        prober.onDatagram(ByteBuffer.wrap(buf, 0, 3), RV, t);
        assertThat(outcomes).isEmpty();
        assertThat(prober.drops(DropReason.UNEXPECTED)).isEqualTo(1);
        assertThat(prober.drops(DropReason.UNKNOWN_SOURCE)).isEqualTo(1);
        assertThat(prober.drops(DropReason.WRONG_ROLE)).isEqualTo(1);
        assertThat(prober.drops(DropReason.TRUNCATED)).isEqualTo(1);
        assertThat(prober.probing()).isTrue();
    }

    @Test
    void noReply_isLossAfterGapAndMargin_lateReplyDropped_andLossesBackOff() {
        prober.onTimer(prober.nextDeadlineNanos());
        long nonce = lastNonce();
        long due = prober.nextDeadlineNanos();
        prober.onTimer(due);
        assertThat(outcomes).containsExactly("lost 30");
        reply(nonce, RV, due + 1);
        assertThat(prober.drops(DropReason.UNEXPECTED)).isEqualTo(1);
        assertThat(outcomes).hasSize(1);
        assertThat(prober.nextDeadlineNanos() - due).isEqualTo(2 * S); // first loss: 2^1 s
        long[] waits = new long[12];
        for (int k = 0; k < waits.length; k++) {
            prober.onTimer(prober.nextDeadlineNanos()); // request
            long lossAt = prober.nextDeadlineNanos();
            prober.onTimer(lossAt); // loss
            waits[k] = prober.nextDeadlineNanos() - lossAt;
        }
        assertThat(waits[0]).isEqualTo(4 * S);
        assertThat(waits[1]).isEqualTo(8 * S);
        assertThat(waits[waits.length - 1]).isEqualTo(LifetimeProber.RECHECK_NANOS); // capped at 5 min
    }

    @Test
    void noProbe_pausesAndReasksAfterRecheck() {
        nextGap[0] = LifetimeProbePolicy.NO_PROBE;
        long t = prober.nextDeadlineNanos();
        prober.onTimer(t);
        assertThat(sent).isEmpty();
        assertThat(prober.nextDeadlineNanos()).isEqualTo(t + LifetimeProber.RECHECK_NANOS);
        nextGap[0] = 500_000_000L; // below the wire's 1 s: clamped up
        prober.onTimer(prober.nextDeadlineNanos());
        lastNonce();
        assertThat(r.probeGapMillis()).isEqualTo(Frame.MIN_PROBE_GAP_MILLIS);
    }
}
