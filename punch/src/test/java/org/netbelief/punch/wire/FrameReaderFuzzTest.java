package org.netbelief.punch.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameReaderFuzzTest {

    @Test
    void wrap_randomBytes_neverThrowsAndAlwaysNamesAReason() {
        SplittableRandom rnd = new SplittableRandom(20261125L);
        FrameReader r = new FrameReader();
        byte[] buf = new byte[Frame.MAX_DATAGRAM + 16];
        Map<DropReason, Integer> seen = new EnumMap<>(DropReason.class);
        int ok = 0;
        for (int i = 0; i < 200_000; i++) {
            int n = rnd.nextInt(buf.length + 1);
            for (int j = 0; j < n; j++) {
                buf[j] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextInt(4) > 0 && n >= Frame.HEADER_LENGTH) {
                // Three quarters of the inputs get a plausible header so the body parsers are reached.
                FrameWriter.header(buf, 0, rnd.nextInt(0x30), rnd.nextInt(2), n - Frame.HEADER_LENGTH);
            }
            DropReason reason = r.wrap(buf, 0, n);
            if (reason == null) {
                ok++;
                assertThat(r.type()).isBetween(1, 0x26);
            } else {
                seen.merge(reason, 1, Integer::sum);
                assertThat(r.type()).isEqualTo(-1);
            }
        }
        assertThat(seen).containsKeys(DropReason.TRUNCATED, DropReason.OVERSIZED, DropReason.BAD_MAGIC,
                DropReason.UNKNOWN_TYPE, DropReason.MALFORMED_BODY);
        assertThat(ok).isPositive(); // random DATA bodies are well-formed frames
    }

    @Test
    void wrap_mutatedValidFrames_neverThrow() {
        SplittableRandom rnd = new SplittableRandom(7L);
        FrameReader r = new FrameReader();
        byte[] out = new byte[Frame.MAX_DATAGRAM];
        int p = FrameWriter.beginAuth(out, 0, Frame.T_INTRODUCE, 1, 1, 2);
        p = FrameWriter.introduce(out, p, 1, 2, new byte[32], 0, new byte[16], "x".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                java.util.List.of(new Candidate(Frame.CANDIDATE_PUBLIC, new java.net.InetSocketAddress("127.0.0.1", 9))));
        int n = FrameWriter.endAuth(out, 0, p) + Frame.TAG_LENGTH;
        assertThat(r.wrap(out, 0, n)).isNull();
        byte[] copy = new byte[n];
        int rejected = 0;
        for (int i = 0; i < 100_000; i++) {
            System.arraycopy(out, 0, copy, 0, n);
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                copy[Frame.HEADER_LENGTH + rnd.nextInt(n - Frame.HEADER_LENGTH)] = (byte) rnd.nextInt(256);
            }
            if (r.wrap(copy, 0, rnd.nextInt(n + 1)) != null) {
                rejected++;
            }
        }
        assertThat(rejected).isPositive();
    }

    @Test
    void wrap_mutatedProbeFrames_neverThrowAndKeepGapBounds() {
        SplittableRandom rnd = new SplittableRandom(11L);
        FrameReader r = new FrameReader();
        byte[] out = new byte[Frame.MAX_DATAGRAM];
        byte[] copy = new byte[Frame.PROBE_REQUEST_LENGTH];
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            int n = rnd.nextBoolean() ? FrameWriter.probeRequest(out, 0, rnd.nextLong(), 1_000 + rnd.nextInt(1_000_000))
                    : FrameWriter.probeReply(out, 0, rnd.nextLong());
            System.arraycopy(out, 0, copy, 0, n);
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                copy[rnd.nextInt(n)] = (byte) rnd.nextInt(256);
            }
            int len = rnd.nextInt(4) == 0 ? rnd.nextInt(n + 1) : n;
            if (r.wrap(copy, 0, len) == null) {
                accepted++;
                if (r.type() == Frame.T_PROBE_REQUEST) {
                    assertThat(r.probeGapMillis()).isBetween(Frame.MIN_PROBE_GAP_MILLIS, Frame.MAX_PROBE_GAP_MILLIS);
                }
            }
        }
        assertThat(accepted).isPositive(); // flips inside the nonce keep frames valid
    }
}
