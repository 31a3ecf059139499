package org.netbelief.punch.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.netbelief.punch.wire.Frame.*;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OUTCOME and INTRODUCE's optional network evidence: round trips and malformed drops. */
class OutcomeFrameTest {
    private final byte[] out = new byte[MAX_DATAGRAM];
    private final FrameReader r = new FrameReader();
    private static final InetSocketAddress EP = new InetSocketAddress("198.51.100.7", 40001);
    private final List<Candidate> cands = List.of(new Candidate(CANDIDATE_PUBLIC, EP));
    private final byte[] sealed = new byte[SESSION_KEY_LENGTH];
    private final byte[] id = new byte[PEER_ID_LENGTH];

    private int seal(int bodyEnd) {
        int tagAt = FrameWriter.endAuth(out, 0, bodyEnd);
        Arrays.fill(out, tagAt, tagAt + TAG_LENGTH, (byte) 0x5A);
        return tagAt + TAG_LENGTH;
    }

    private int introduce(int natClass, float s, float f) {
        int p = FrameWriter.beginAuth(out, 0, T_INTRODUCE, FLAG_RESPONDER, 42, 4);
        return seal(FrameWriter.introduce(out, p, 1, 2, sealed, 0, id, "bob".getBytes(), cands, natClass, s, f));
    }

    @Test
    void outcome_roundTrip_sessionAndOutcome() {
        int p = FrameWriter.beginAuth(out, 0, T_OUTCOME, 0, 42, 1);
        int n = seal(FrameWriter.outcome(out, p, 0x1122334455667788L, OUTCOME_DIRECT));
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.type()).isEqualTo(T_OUTCOME);
        assertThat(r.firstLong()).isEqualTo(0x1122334455667788L);
        assertThat(r.bodyByte(8)).isEqualTo(OUTCOME_DIRECT);
        p = FrameWriter.beginAuth(out, 0, T_OUTCOME, 0, 42, 2);
        n = seal(FrameWriter.outcome(out, p, 7, OUTCOME_RELAYED));
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.bodyByte(8)).isEqualTo(OUTCOME_RELAYED);
    }

    @Test
    void outcome_malformed_isDropped() {
        int p = FrameWriter.beginAuth(out, 0, T_OUTCOME, 0, 42, 1);
        int n = seal(FrameWriter.outcome(out, p, 7, 2)); // no outcome 2
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.MALFORMED_BODY);
        p = FrameWriter.beginAuth(out, 0, T_OUTCOME, 0, 42, 2);
        n = seal(FrameWriter.outcome(out, p, 7, OUTCOME_DIRECT) - 1); // one byte short
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.MALFORMED_BODY);
        p = FrameWriter.beginAuth(out, 0, T_OUTCOME, 0, 42, 3);
        n = seal(FrameWriter.outcome(out, p, 7, OUTCOME_DIRECT) + 1); // one byte long
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.MALFORMED_BODY);
    }

    @Test
    void introduce_networkEvidence_roundTrips() {
        int n = introduce(0x33, 123.25f, 0.5f);
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.natClass()).isEqualTo(0x33);
        assertThat(r.hasNetworkEvidence()).isTrue();
        assertThat(r.networkSuccess()).isEqualTo(123.25f);
        assertThat(r.networkFailure()).isEqualTo(0.5f);
        assertThat(r.candidateCount()).isEqualTo(1);
        assertThat(r.nameLength()).isEqualTo(3);
        // Zero evidence is still evidence ("none seen yet").
        assertThat(r.wrap(out, 0, introduce(0x11, 0f, 0f))).isNull();
        assertThat(r.hasNetworkEvidence()).isTrue();
        assertThat(r.networkSuccess()).isZero();
    }

    @Test
    void introduce_withoutEvidence_hasNone() {
        int p = FrameWriter.beginAuth(out, 0, T_INTRODUCE, FLAG_RESPONDER, 42, 5);
        int n = seal(FrameWriter.introduce(out, p, 1, 2, sealed, 0, id, "bob".getBytes(), cands, 0x33));
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.hasNetworkEvidence()).isFalse();
        assertThat(r.networkSuccess()).isZero();
        assertThat(r.networkFailure()).isZero();
        // A reader reused after an evidence frame forgets it.
        r.wrap(out, 0, introduce(0x33, 5f, 5f));
        p = FrameWriter.beginAuth(out, 0, T_INTRODUCE, FLAG_RESPONDER, 42, 6);
        n = seal(FrameWriter.introduce(out, p, 1, 2, sealed, 0, id, "bob".getBytes(), cands));
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.hasNetworkEvidence()).isFalse();
        assertThat(r.natClass()).isZero();
    }

    @Test
    void introduce_badEvidence_isDropped() {
        float[] bad = {-1f, Float.NaN, Float.POSITIVE_INFINITY, MAX_NETWORK_MASS * 2};
        for (float b : bad) {
            assertThat(r.wrap(out, 0, introduce(0x33, b, 1f))).as("success %s", b)
                    .isEqualTo(DropReason.MALFORMED_BODY);
            assertThat(r.wrap(out, 0, introduce(0x33, 1f, b))).as("failure %s", b)
                    .isEqualTo(DropReason.MALFORMED_BODY);
        }
        // Evidence needs a known class; an invalid class byte is refused as before.
        assertThat(r.wrap(out, 0, introduce(0x00, 1f, 1f))).isEqualTo(DropReason.MALFORMED_BODY);
        assertThat(r.wrap(out, 0, introduce(0x04, 1f, 1f))).isEqualTo(DropReason.MALFORMED_BODY);
        // Trailing lengths other than 0, 1 and 9 are malformed (here 5: class and one mass).
        int p = FrameWriter.beginAuth(out, 0, T_INTRODUCE, FLAG_RESPONDER, 42, 7);
        int end = FrameWriter.introduce(out, p, 1, 2, sealed, 0, id, "bob".getBytes(), cands, 0x33, 1f, 1f);
        assertThat(r.wrap(out, 0, seal(end - 4))).isEqualTo(DropReason.MALFORMED_BODY);
    }
}
