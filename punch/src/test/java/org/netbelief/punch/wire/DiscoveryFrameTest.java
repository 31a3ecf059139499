package org.netbelief.punch.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.netbelief.punch.wire.Frame.*;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.NatClass;

/** DISCOVER, DISCOVER_ANSWER and INTRODUCE's optional NAT class byte: round trips and drops. */
class DiscoveryFrameTest {
    private final byte[] out = new byte[MAX_DATAGRAM];
    private final FrameReader r = new FrameReader();
    private static final InetSocketAddress OBSERVED = new InetSocketAddress("198.51.100.7", 40001);
    private static final InetSocketAddress ALT_PORT = new InetSocketAddress("203.0.113.1", 3479);
    private static final InetSocketAddress ALT_ADDRESS = new InetSocketAddress("203.0.113.3", 3479);

    private int seal(int bodyEnd) {
        int tagAt = FrameWriter.endAuth(out, 0, bodyEnd);
        Arrays.fill(out, tagAt, tagAt + TAG_LENGTH, (byte) 0x5A);
        return tagAt + TAG_LENGTH;
    }

    private int discover(int answerFrom, int reported) {
        int p = FrameWriter.beginAuth(out, 0, T_DISCOVER, 0, 42, 1);
        return seal(FrameWriter.discover(out, p, 99, answerFrom, reported));
    }

    @Test
    void discover_roundTrip_transactionAnswerFromAndClass() {
        int n = discover(DISCOVER_FROM_ALT_ADDRESS, NatClass.of(NatClass.EIM, NatClass.ADF));
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.type()).isEqualTo(T_DISCOVER);
        assertThat(r.firstLong()).isEqualTo(99);
        assertThat(r.bodyByte(8)).isEqualTo(DISCOVER_FROM_ALT_ADDRESS);
        assertThat(r.natClass()).isEqualTo(0x12);
    }

    @Test
    void discover_malformed_isDropped() {
        int n = discover(3, 0); // no fourth socket
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.MALFORMED_BODY);
        n = discover(DISCOVER_FROM_SAME, 0x44); // mapping 4 does not exist
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.MALFORMED_BODY);
        n = discover(DISCOVER_FROM_SAME, 0x10); // a mapping without a filtering
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.MALFORMED_BODY);
        int p = FrameWriter.beginAuth(out, 0, T_DISCOVER, 0, 42, 1);
        n = seal(FrameWriter.discover(out, p, 99, 0, 0) - 1); // one byte short
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.MALFORMED_BODY);
    }

    @Test
    void discoverAnswer_roundTrip_withAndWithoutAlternates() {
        int p = FrameWriter.beginAuth(out, 0, T_DISCOVER_ANSWER, FLAG_RESPONDER, 42, 2);
        int n = seal(FrameWriter.discoverAnswer(out, p, 7, SOCKET_ALT_PORT, OBSERVED, ALT_PORT, ALT_ADDRESS));
        assertThat(r.wrap(out, 0, n)).isNull();
        int b = r.bodyOffset();
        assertThat(r.firstLong()).isEqualTo(7);
        assertThat(r.bodyByte(8)).isEqualTo(SOCKET_ALT_PORT);
        assertThat(r.bodyByte(9)).isEqualTo(2);
        assertThat(Endpoints.read(out, b + 10)).isEqualTo(OBSERVED);
        assertThat(Endpoints.read(out, b + 10 + ENDPOINT_LENGTH)).isEqualTo(ALT_PORT);
        assertThat(Endpoints.read(out, b + 10 + 2 * ENDPOINT_LENGTH)).isEqualTo(ALT_ADDRESS);

        p = FrameWriter.beginAuth(out, 0, T_DISCOVER_ANSWER, FLAG_RESPONDER, 42, 3);
        n = seal(FrameWriter.discoverAnswer(out, p, 8, SOCKET_PRIMARY, OBSERVED, null, null));
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.bodyByte(9)).isZero();
        assertThat(r.bodyLength()).isEqualTo(10 + ENDPOINT_LENGTH);
    }

    @Test
    void discoverAnswer_malformed_isDropped() {
        int p = FrameWriter.beginAuth(out, 0, T_DISCOVER_ANSWER, FLAG_RESPONDER, 42, 2);
        int end = FrameWriter.discoverAnswer(out, p, 7, SOCKET_PRIMARY, OBSERVED, ALT_PORT, ALT_ADDRESS);
        out[p + 9] = 1; // one alternate: not a valid count
        assertThat(r.wrap(out, 0, seal(end))).isEqualTo(DropReason.MALFORMED_BODY);
        out[p + 9] = 2;
        out[p + 8] = 3; // received at a fourth socket
        assertThat(r.wrap(out, 0, seal(end))).isEqualTo(DropReason.MALFORMED_BODY);
        out[p + 8] = 0;
        out[p + 10 + ENDPOINT_LENGTH] = 9; // an alternate with address family 9
        assertThat(r.wrap(out, 0, seal(end))).isEqualTo(DropReason.BAD_ENDPOINT);
    }

    @Test
    void introduce_optionalNatClass_roundTripsAndIsAbsentForOldFrames() {
        List<Candidate> cands = List.of(new Candidate(CANDIDATE_PUBLIC, OBSERVED));
        byte[] sealed = new byte[SESSION_KEY_LENGTH];
        byte[] id = new byte[PEER_ID_LENGTH];
        int p = FrameWriter.beginAuth(out, 0, T_INTRODUCE, FLAG_RESPONDER, 42, 4);
        int n = seal(FrameWriter.introduce(out, p, 1, 2, sealed, 0, id, "bob".getBytes(), cands, 0x33));
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.natClass()).isEqualTo(0x33);
        assertThat(r.candidateCount()).isEqualTo(1);
        assertThat(r.nameLength()).isEqualTo(3);

        p = FrameWriter.beginAuth(out, 0, T_INTRODUCE, FLAG_RESPONDER, 42, 5);
        n = seal(FrameWriter.introduce(out, p, 1, 2, sealed, 0, id, "bob".getBytes(), cands));
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.natClass()).isZero();
        assertThat(r.candidateCount()).isEqualTo(1);

        p = FrameWriter.beginAuth(out, 0, T_INTRODUCE, FLAG_RESPONDER, 42, 6);
        n = seal(FrameWriter.introduce(out, p, 1, 2, sealed, 0, id, "bob".getBytes(), cands, 0x04));
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.MALFORMED_BODY);
    }
}
