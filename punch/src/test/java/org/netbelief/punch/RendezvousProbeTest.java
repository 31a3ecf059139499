package org.netbelief.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.wire.DropReason;
import org.netbelief.punch.wire.Frame;
import org.netbelief.punch.wire.FrameReader;
import org.netbelief.punch.wire.FrameWriter;

/** The rendezvous side of lifetime discovery, on a manual clock. */
class RendezvousProbeTest {
    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 40001);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.2", 40002);

    private record Sent(byte[] bytes, InetSocketAddress to, long at) {}

    private final List<Sent> sent = new ArrayList<>();
    private long now = 5 * SECOND;
    private final RendezvousEngine rv = new RendezvousEngine(new EngineSink() {
        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) {
            byte[] b = new byte[datagram.remaining()];
            datagram.get(datagram.position(), b);
            sent.add(new Sent(b, to, now));
        }

        @Override
        public void event(PunchEvent event) {}
    }, new SecureRandom());
    private final byte[] buf = new byte[Frame.MAX_DATAGRAM];

    private void request(long nonce, int gapMillis, InetSocketAddress from) {
        int n = FrameWriter.probeRequest(buf, 0, nonce, gapMillis);
        rv.onDatagram(ByteBuffer.wrap(buf, 0, n), from, now);
    }

    /** Advances the manual clock, running the engine's timer at each of its deadlines. */
    private void advanceTo(long t) {
        while (rv.nextDeadlineNanos() <= t) {
            now = Math.max(now, rv.nextDeadlineNanos());
            rv.onTimer(now);
        }
        now = t;
    }

    @Test
    void probeRequest_afterGap_repliesToObservedSourceWithNonce() {
        rv.onTimer(now);
        long sentAt = now;
        request(42L, 30_000, A);
        assertThat(sent).isEmpty();
        advanceTo(sentAt + 30 * SECOND - 1);
        assertThat(sent).isEmpty();
        assertThat(rv.pendingProbes()).isEqualTo(1);
        advanceTo(sentAt + 31 * SECOND);
        assertThat(sent).hasSize(1);
        Sent s = sent.get(0);
        assertThat(s.to()).isEqualTo(A);
        assertThat(s.at()).isEqualTo(sentAt + 30 * SECOND); // the deadline lands exactly on the gap
        FrameReader r = new FrameReader();
        assertThat(r.wrap(s.bytes(), 0, s.bytes().length)).isNull();
        assertThat(r.type()).isEqualTo(Frame.T_PROBE_REPLY);
        assertThat(r.firstLong()).isEqualTo(42L);
        assertThat(s.bytes().length).isLessThan(Frame.PROBE_REQUEST_LENGTH);
        assertThat(rv.pendingProbes()).isZero();
        assertThat(rv.probeRepliesSent()).isEqualTo(1);
    }

    @Test
    void probeRequests_differentGaps_repliedInDueOrder() {
        request(1L, 50_000, A);
        request(2L, 10_000, B);
        request(3L, 20_000, A);
        advanceTo(now + 60 * SECOND);
        FrameReader r = new FrameReader();
        List<Long> nonces = new ArrayList<>();
        for (Sent s : sent) {
            r.wrap(s.bytes(), 0, s.bytes().length);
            nonces.add(r.firstLong());
        }
        assertThat(nonces).containsExactly(2L, 3L, 1L);
        assertThat(sent.get(0).to()).isEqualTo(B);
    }

    @Test
    void probeRequests_beyondPerSourceLimit_droppedAndCounted() {
        int extra = 3;
        long start = now;
        for (int i = 0; i < RendezvousEngine.MAX_PENDING_PROBES_PER_SOURCE + extra; i++) {
            // Different ports of one address share the address's limit. Spaced 100 ms apart, so
            // the token bucket (20/s) never refuses and only the slot limit does.
            request(i, 60_000, new InetSocketAddress("127.0.0.1", 41000 + i));
            advanceTo(now + 100_000_000L);
        }
        request(99L, 60_000, B);
        assertThat(rv.pendingProbes()).isEqualTo(RendezvousEngine.MAX_PENDING_PROBES_PER_SOURCE + 1);
        assertThat(rv.drops(DropReason.RATE_LIMITED)).isEqualTo(extra);
        advanceTo(start + 61 * SECOND + 100_000_000L * (RendezvousEngine.MAX_PENDING_PROBES_PER_SOURCE + extra));
        assertThat(sent).hasSize(RendezvousEngine.MAX_PENDING_PROBES_PER_SOURCE + 1);
        // Once replied, the source may probe again.
        request(100L, 10_000, A);
        assertThat(rv.pendingProbes()).isEqualTo(1);
    }

    @Test
    void probeRequests_fiftyPeersBehindOneCgnAddress_allQueued() {
        // 50 peers behind one carrier-grade NAT address, one prober each with one probe
        // outstanding: none may be refused, or its prober learns a lifetime of seconds.
        for (int i = 0; i < 50; i++) {
            request(500 + i, 60_000, new InetSocketAddress("127.0.0.4", 42000 + i));
            advanceTo(now + 100_000_000L); // 10/s: within the address's token bucket
        }
        assertThat(rv.drops(DropReason.RATE_LIMITED)).isZero();
        assertThat(rv.pendingProbes()).isEqualTo(50);
    }

    @Test
    void probeRequests_beyondTokenBucket_rateLimited() {
        for (int i = 0; i < 100; i++) {
            request(i, 1_000, A);
            advanceTo(now + 1_100_000_000L); // reply sent, slot freed; the bucket refills
        }
        assertThat(rv.probeRepliesSent()).isEqualTo(100); // one per 1.1 s stays within 20/s
        for (int i = 0; i < 2 * RendezvousEngine.RATE_BURST; i++) {
            request(1000 + i, 3_600_000, new InetSocketAddress("127.0.0.3", 40000 + (i % 2)));
        }
        // The burst takes min(burst, per-source limit) pending slots for 127.0.0.3; the rest of
        // the burst is refused by the slot limit, and everything after the burst by the bucket:
        // all counted as RATE_LIMITED.
        int accepted = Math.min(RendezvousEngine.RATE_BURST, RendezvousEngine.MAX_PENDING_PROBES_PER_SOURCE);
        assertThat(rv.pendingProbes()).isEqualTo(accepted);
        assertThat(rv.drops(DropReason.RATE_LIMITED)).isEqualTo(2L * RendezvousEngine.RATE_BURST - accepted);
    }

    @Test
    void probeRequests_beyondTotalLimit_dropped() {
        for (int i = 0; i < RendezvousEngine.MAX_PENDING_PROBES + 10; i++) {
            byte[] addr = {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
            InetSocketAddress src;
            try {
                src = new InetSocketAddress(java.net.InetAddress.getByAddress(addr), 5000);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
            request(i, 3_600_000, src);
        }
        assertThat(rv.pendingProbes()).isLessThanOrEqualTo(RendezvousEngine.MAX_PENDING_PROBES);
        assertThat(rv.drops(DropReason.RATE_LIMITED)).isGreaterThanOrEqualTo(10);
        assertThat(rv.pendingProbes() + rv.drops(DropReason.RATE_LIMITED)).isEqualTo(RendezvousEngine.MAX_PENDING_PROBES + 10);
    }

    @Test
    void malformedProbeRequests_droppedAndCounted_nothingScheduled() {
        int n = FrameWriter.probeRequest(buf, 0, 7L, 10_000);
        Frame.putLong(buf, Frame.HEADER_LENGTH + 4, 0L); // gap field zeroed: below 1 s
        rv.onDatagram(ByteBuffer.wrap(buf, 0, n), A, now);
        n = FrameWriter.probeRequest(buf, 0, 7L, 10_000);
        rv.onDatagram(ByteBuffer.wrap(buf, 0, n - 1), A, now); // truncated
        n = FrameWriter.probeReply(buf, 0, 7L);
        rv.onDatagram(ByteBuffer.wrap(buf, 0, n), A, now); // a reply sent to the rendezvous
        assertThat(rv.pendingProbes()).isZero();
        assertThat(rv.drops(DropReason.MALFORMED_BODY)).isEqualTo(1);
        assertThat(rv.drops(DropReason.TRUNCATED)).isEqualTo(1);
        assertThat(rv.drops(DropReason.WRONG_ROLE)).isEqualTo(1);
        advanceTo(now + 3_700 * SECOND);
        assertThat(sent).isEmpty();
    }
}
