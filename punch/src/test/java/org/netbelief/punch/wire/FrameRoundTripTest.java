package org.netbelief.punch.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.netbelief.punch.wire.Frame.*;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameRoundTripTest {
    private final byte[] out = new byte[MAX_DATAGRAM];
    private final FrameReader r = new FrameReader();
    private static final InetSocketAddress V4 = new InetSocketAddress("127.0.0.1", 40001);
    private static final InetSocketAddress V6 = new InetSocketAddress("::1", 40002);
    private static final List<Candidate> CANDS = List.of(new Candidate(CANDIDATE_PUBLIC, V4), new Candidate(CANDIDATE_LOCAL, V6));

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i);
        }
        return b;
    }

    private int auth(int type, int bodyEnd) {
        int tagAt = FrameWriter.endAuth(out, 0, bodyEnd);
        Arrays.fill(out, tagAt, tagAt + TAG_LENGTH, (byte) 0x5A);
        return tagAt + TAG_LENGTH;
    }

    private String name() {
        return new String(out, r.nameOffset(), r.nameLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void register_roundTrip_keyAndName() {
        int n = FrameWriter.register(out, 0, bytes(32, 1), "alice".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.type()).isEqualTo(T_REGISTER);
        assertThat(out[r.bodyOffset()]).isEqualTo((byte) 1);
        assertThat(name()).isEqualTo("alice");
    }

    @Test
    void challenge_roundTrip_isSmallerThanSmallestRegister() {
        int n = FrameWriter.challenge(out, 0, bytes(24, 7), 0);
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.type()).isEqualTo(T_CHALLENGE);
        assertThat(r.fromResponder()).isTrue();
        assertThat(out[r.bodyOffset() + 23]).isEqualTo((byte) 30);
        // The no-amplification rule holds by construction: CHALLENGE < smallest REGISTER.
        assertThat(n).isLessThan(HEADER_LENGTH + ED25519_KEY_LENGTH + 1);
    }

    @Test
    void registerProof_roundTrip_fieldsAndSignatureOffset() {
        int sigAt = FrameWriter.registerProof(out, 0, bytes(24, 3), bytes(32, 4), bytes(32, 5), "bob".getBytes(StandardCharsets.US_ASCII));
        System.arraycopy(bytes(64, 9), 0, out, sigAt, 64);
        assertThat(r.wrap(out, 0, sigAt + 64)).isNull();
        assertThat(r.type()).isEqualTo(T_REGISTER_PROOF);
        assertThat(r.signatureOffset()).isEqualTo(sigAt);
        assertThat(name()).isEqualTo("bob");
        assertThat(out[r.bodyOffset() + 24]).isEqualTo((byte) 4);
    }

    @Test
    void rejected_roundTrip_reason() {
        int n = FrameWriter.rejected(out, 0, REASON_NAME_TAKEN);
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.bodyByte(0)).isEqualTo(REASON_NAME_TAKEN);
    }

    @Test
    void registered_roundTrip_endpointAndLease() {
        int p = FrameWriter.beginAuth(out, 0, T_REGISTERED, FLAG_RESPONDER, 11, 12);
        p = FrameWriter.registered(out, p, bytes(32, 1), bytes(16, 2), V6, 60_000);
        int n = auth(T_REGISTERED, p);
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.sessionId()).isEqualTo(11);
        assertThat(r.counter()).isEqualTo(12);
        assertThat(r.leaseMillis()).isEqualTo(60_000);
        assertThat(Endpoints.read(out, r.bodyOffset() + 48)).isEqualTo(V6);
    }

    @Test
    void connect_roundTrip_nameTargetAndCandidates() {
        int p = FrameWriter.beginAuth(out, 0, T_CONNECT, 0, 1, 2);
        p = FrameWriter.connect(out, p, 99, TARGET_NAME, "bob".getBytes(StandardCharsets.US_ASCII), CANDS);
        int n = auth(T_CONNECT, p);
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.firstLong()).isEqualTo(99);
        assertThat(name()).isEqualTo("bob");
        assertThat(r.candidateCount()).isEqualTo(2);
        assertThat(Endpoints.read(out, r.candidatesOffset() + CANDIDATE_LENGTH + 1)).isEqualTo(V6);
    }

    @Test
    void connect_idTarget_roundTrips() {
        int p = FrameWriter.beginAuth(out, 0, T_CONNECT, 0, 1, 2);
        p = FrameWriter.connect(out, p, 5, TARGET_ID, bytes(16, 8), List.of());
        assertThat(r.wrap(out, 0, auth(T_CONNECT, p))).isNull();
        assertThat(r.nameLength()).isEqualTo(16);
        assertThat(r.candidateCount()).isZero();
    }

    @Test
    void offer_roundTrip_requesterName() {
        int p = FrameWriter.beginAuth(out, 0, T_OFFER, FLAG_RESPONDER, 1, 2);
        p = FrameWriter.offer(out, p, 77, bytes(16, 1), "alice".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.wrap(out, 0, auth(T_OFFER, p))).isNull();
        assertThat(r.firstLong()).isEqualTo(77);
        assertThat(name()).isEqualTo("alice");
    }

    @Test
    void acceptAndDecline_roundTrip() {
        int p = FrameWriter.beginAuth(out, 0, T_ACCEPT, 0, 1, 2);
        p = FrameWriter.accept(out, p, 77, CANDS);
        assertThat(r.wrap(out, 0, auth(T_ACCEPT, p))).isNull();
        assertThat(r.candidateCount()).isEqualTo(2);
        p = FrameWriter.beginAuth(out, 0, T_DECLINE, 0, 1, 3);
        p = FrameWriter.decline(out, p, 78, REASON_REFUSED);
        assertThat(r.wrap(out, 0, auth(T_DECLINE, p))).isNull();
        assertThat(r.firstLong()).isEqualTo(78);
        assertThat(r.bodyByte(8)).isEqualTo(REASON_REFUSED);
    }

    @Test
    void introduce_roundTrip_allFields() {
        int p = FrameWriter.beginAuth(out, 0, T_INTRODUCE, FLAG_RESPONDER, 1, 2);
        p = FrameWriter.introduce(out, p, 5, 6, bytes(32, 3), 1, bytes(16, 4), "carol".getBytes(StandardCharsets.US_ASCII), CANDS);
        assertThat(r.wrap(out, 0, auth(T_INTRODUCE, p))).isNull();
        assertThat(r.firstLong()).isEqualTo(5);
        assertThat(getLong(out, r.bodyOffset() + 8)).isEqualTo(6);
        assertThat(r.bodyByte(48)).isEqualTo(1);
        assertThat(name()).isEqualTo("carol");
        assertThat(Endpoints.read(out, r.candidatesOffset() + 1)).isEqualTo(V4);
    }

    @Test
    void probesAndAcks_roundTrip() {
        int p = FrameWriter.beginAuth(out, 0, T_INTRO, 0, 1, 2);
        p = FrameWriter.intro(out, p, 42, 3);
        assertThat(r.wrap(out, 0, auth(T_INTRO, p))).isNull();
        assertThat(r.firstLong()).isEqualTo(42);
        assertThat(r.bodyByte(8)).isEqualTo(3);
        for (int t : new int[] {T_INTRO_ACK, T_KEEPALIVE_ACK}) {
            p = FrameWriter.beginAuth(out, 0, t, 0, 1, 2);
            p = FrameWriter.ack(out, p, 43, V4);
            assertThat(r.wrap(out, 0, auth(t, p))).isNull();
            assertThat(r.type()).isEqualTo(t);
            assertThat(Endpoints.read(out, r.bodyOffset() + 8)).isEqualTo(V4);
        }
        p = FrameWriter.beginAuth(out, 0, T_KEEPALIVE, 0, 1, 2);
        p = FrameWriter.keepalive(out, p, 44);
        assertThat(r.wrap(out, 0, auth(T_KEEPALIVE, p))).isNull();
        assertThat(r.firstLong()).isEqualTo(44);
    }

    @Test
    void dataRelayClose_roundTrip() {
        int p = FrameWriter.beginAuth(out, 0, T_DATA, 0, 1, 2);
        p = FrameWriter.data(out, p, bytes(100, 1), 0, 100);
        int n = auth(T_DATA, p);
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.payloadLength()).isEqualTo(100);
        byte[] inner = Arrays.copyOf(out, n);
        p = FrameWriter.beginAuth(out, 0, T_RELAY_DATA, 0, 9, 10);
        p = FrameWriter.relay(out, p, 1, inner, 0, inner.length);
        assertThat(r.wrap(out, 0, auth(T_RELAY_DATA, p))).isNull();
        assertThat(r.firstLong()).isEqualTo(1);
        assertThat(Arrays.copyOfRange(out, r.payloadOffset(), r.payloadOffset() + r.payloadLength())).isEqualTo(inner);
        p = FrameWriter.beginAuth(out, 0, T_CLOSE, 0, 1, 2);
        p = FrameWriter.close(out, p, REASON_NORMAL);
        assertThat(r.wrap(out, 0, auth(T_CLOSE, p))).isNull();
        assertThat(r.bodyByte(0)).isEqualTo(REASON_NORMAL);
    }

    @Test
    void header_badFields_namedReasons() {
        int n = FrameWriter.rejected(out, 0, 1);
        assertThat(r.wrap(out, 0, 5)).isEqualTo(DropReason.TRUNCATED);
        assertThat(r.wrap(out, 0, n - 1)).isEqualTo(DropReason.TRUNCATED);
        assertThat(r.wrap(new byte[MAX_DATAGRAM + 1], 0, MAX_DATAGRAM + 1)).isEqualTo(DropReason.OVERSIZED);
        byte[] longer = Arrays.copyOf(out, n + 1);
        assertThat(r.wrap(longer, 0, n + 1)).isEqualTo(DropReason.OVERSIZED);
        out[0] = 0;
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.BAD_MAGIC);
        FrameWriter.rejected(out, 0, 1);
        out[VERSION_OFFSET] = 2;
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.BAD_VERSION);
        FrameWriter.rejected(out, 0, 1);
        out[TYPE_OFFSET] = 0x7F;
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.TRUNCATED); // authenticated range, too short
        FrameWriter.rejected(out, 0, 1);
        out[TYPE_OFFSET] = 0x09;
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.UNKNOWN_TYPE);
        FrameWriter.rejected(out, 0, 1);
        out[FLAGS_OFFSET + 1] = 2;
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.BAD_FLAGS);
        assertThat(r.type()).isEqualTo(-1);
    }

    @Test
    void body_badNameOrEndpoint_namedReasons() {
        int n = FrameWriter.register(out, 0, bytes(32, 1), "a b".replace(' ', '_').getBytes(StandardCharsets.US_ASCII));
        out[n - 2] = ' ';
        assertThat(r.wrap(out, 0, n)).isEqualTo(DropReason.MALFORMED_BODY);
        int p = FrameWriter.beginAuth(out, 0, T_KEEPALIVE_ACK, 0, 1, 2);
        p = FrameWriter.ack(out, p, 1, V4);
        out[AUTH_BODY_OFFSET + 8] = 5;
        assertThat(r.wrap(out, 0, auth(T_KEEPALIVE_ACK, p))).isEqualTo(DropReason.BAD_ENDPOINT);
        out[AUTH_BODY_OFFSET + 8] = 4;
        out[AUTH_BODY_OFFSET + 8 + 10] = 1;
        assertThat(r.wrap(out, 0, auth(T_KEEPALIVE_ACK, p))).isEqualTo(DropReason.BAD_ENDPOINT);
    }

    @Test
    void probeRequest_roundTrip_nonceAndGap() {
        int n = FrameWriter.probeRequest(out, 0, 0x0123456789ABCDEFL, 120_000);
        assertThat(n).isEqualTo(PROBE_REQUEST_LENGTH);
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.type()).isEqualTo(T_PROBE_REQUEST);
        assertThat(r.fromResponder()).isFalse();
        assertThat(r.firstLong()).isEqualTo(0x0123456789ABCDEFL);
        assertThat(r.probeGapMillis()).isEqualTo(120_000);
    }

    @Test
    void probeReply_roundTrip_isSmallerThanRequest() {
        int n = FrameWriter.probeReply(out, 0, -5L);
        assertThat(r.wrap(out, 0, n)).isNull();
        assertThat(r.type()).isEqualTo(T_PROBE_REPLY);
        assertThat(r.fromResponder()).isTrue();
        assertThat(r.firstLong()).isEqualTo(-5L);
        // No amplification by construction: the reply is smaller than the request it answers.
        assertThat(n).isEqualTo(PROBE_REPLY_LENGTH).isLessThan(PROBE_REQUEST_LENGTH);
    }

    @Test
    void probeRequest_gapOutOfBounds_dropsOrRefuses() {
        for (int gap : new int[] {MIN_PROBE_GAP_MILLIS - 1, MAX_PROBE_GAP_MILLIS + 1, 0, -1, Integer.MIN_VALUE}) {
            int n = FrameWriter.probeRequest(out, 0, 1L, 1_000);
            Frame.putI32(out, HEADER_LENGTH + 8, gap);
            assertThat(r.wrap(out, 0, n)).as("gap %d", gap).isEqualTo(DropReason.MALFORMED_BODY);
            assertThat(r.type()).isEqualTo(-1);
        }
        assertThat(r.wrap(out, 0, FrameWriter.probeRequest(out, 0, 1L, MIN_PROBE_GAP_MILLIS))).isNull();
        assertThat(r.wrap(out, 0, FrameWriter.probeRequest(out, 0, 1L, MAX_PROBE_GAP_MILLIS))).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FrameWriter.probeRequest(out, 0, 1L, 999))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("999");
    }

    @Test
    void probeFrames_wrongBodyLength_malformed() {
        FrameWriter.header(out, 0, T_PROBE_REQUEST, 0, 8);
        assertThat(r.wrap(out, 0, HEADER_LENGTH + 8)).isEqualTo(DropReason.MALFORMED_BODY);
        FrameWriter.header(out, 0, T_PROBE_REPLY, 1, 12);
        assertThat(r.wrap(out, 0, HEADER_LENGTH + 12)).isEqualTo(DropReason.MALFORMED_BODY);
    }
}
