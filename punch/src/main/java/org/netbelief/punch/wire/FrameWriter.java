package org.netbelief.punch.wire;

import static org.netbelief.punch.wire.Frame.*;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Encoders for every message type into a caller-provided array. Nothing here allocates; all
 * methods return the offset after what they wrote. Callers size {@code out} to at least {@link
 * Frame#MAX_DATAGRAM} bytes.
 *
 * <p>Unauthenticated messages are written whole. Authenticated frames are written in three steps:
 * {@link #beginAuth} (header, session id, counter), one body method, then {@link #endAuth} which
 * fixes the length field and returns where the caller writes the 16-byte tag over every byte
 * before it.
 *
 * <pre>{@code
 * int p = FrameWriter.beginAuth(out, 0, Frame.T_KEEPALIVE, 0, sessionId, counter);
 * p = FrameWriter.keepalive(out, p, probeId);
 * int tagAt = FrameWriter.endAuth(out, 0, p);
 * mac.tag(out, 0, tagAt, out, tagAt);           // datagram length: tagAt + Frame.TAG_LENGTH
 * }</pre>
 */
public final class FrameWriter {
    private FrameWriter() {}

    /**
     * Writes the 8-byte header.
     *
     * @param out destination
     * @param off frame start
     * @param type type code
     * @param flags flags
     * @param bodyLength bytes after the header
     * @return offset after the header
     */
    public static int header(byte[] out, int off, int type, int flags, int bodyLength) {
        Frame.putU16(out, off + MAGIC_OFFSET, MAGIC);
        out[off + VERSION_OFFSET] = (byte) VERSION;
        out[off + TYPE_OFFSET] = (byte) type;
        Frame.putU16(out, off + LENGTH_OFFSET, bodyLength);
        Frame.putU16(out, off + FLAGS_OFFSET, flags);
        return off + HEADER_LENGTH;
    }

    /**
     * REGISTER: ed25519 key | name.
     *
     * @param out destination
     * @param off frame start
     * @param edPublicKey 32-byte raw Ed25519 key
     * @param name ASCII name bytes (may be empty)
     * @return frame end
     */
    public static int register(byte[] out, int off, byte[] edPublicKey, byte[] name) {
        int p = header(out, off, T_REGISTER, 0, ED25519_KEY_LENGTH + 1 + name.length);
        System.arraycopy(edPublicKey, 0, out, p, ED25519_KEY_LENGTH);
        p += ED25519_KEY_LENGTH;
        return putName(out, p, name);
    }

    /**
     * CHALLENGE: cookie.
     *
     * @param out destination
     * @param off frame start
     * @param cookie array holding the cookie
     * @param cookieOff cookie offset
     * @return frame end
     */
    public static int challenge(byte[] out, int off, byte[] cookie, int cookieOff) {
        int p = header(out, off, T_CHALLENGE, FLAG_RESPONDER, COOKIE_LENGTH);
        System.arraycopy(cookie, cookieOff, out, p, COOKIE_LENGTH);
        return p + COOKIE_LENGTH;
    }

    /**
     * REGISTER_PROOF without its signature: the caller signs {@code [off + HEADER_LENGTH, returned)}
     * (prefixed by the domain string) and writes the 64-byte signature at the returned offset.
     *
     * @param out destination
     * @param off frame start
     * @param cookie 24-byte cookie from the CHALLENGE
     * @param edPublicKey 32-byte Ed25519 key
     * @param xPublicKey 32-byte ephemeral X25519 key
     * @param name ASCII name bytes
     * @return offset of the signature; the frame ends 64 bytes later
     */
    public static int registerProof(byte[] out, int off, byte[] cookie, byte[] edPublicKey, byte[] xPublicKey, byte[] name) {
        int body = COOKIE_LENGTH + ED25519_KEY_LENGTH + X25519_KEY_LENGTH + 1 + name.length + SIGNATURE_LENGTH;
        int p = header(out, off, T_REGISTER_PROOF, 0, body);
        System.arraycopy(cookie, 0, out, p, COOKIE_LENGTH);
        p += COOKIE_LENGTH;
        System.arraycopy(edPublicKey, 0, out, p, ED25519_KEY_LENGTH);
        p += ED25519_KEY_LENGTH;
        System.arraycopy(xPublicKey, 0, out, p, X25519_KEY_LENGTH);
        p += X25519_KEY_LENGTH;
        return putName(out, p, name);
    }

    /**
     * REJECTED: reason.
     *
     * @param out destination
     * @param off frame start
     * @param reason a {@code REASON_*} code
     * @return frame end
     */
    public static int rejected(byte[] out, int off, int reason) {
        int p = header(out, off, T_REJECTED, FLAG_RESPONDER, 1);
        out[p] = (byte) reason;
        return p + 1;
    }

    /**
     * PROBE_REQUEST: nonce | gap millis.
     *
     * @param out destination
     * @param off frame start
     * @param nonce the prober's nonce, echoed by the reply
     * @param gapMillis the silence to test, {@link Frame#MIN_PROBE_GAP_MILLIS} to {@link
     *     Frame#MAX_PROBE_GAP_MILLIS}
     * @return frame end ({@link Frame#PROBE_REQUEST_LENGTH} bytes after {@code off})
     * @throws IllegalArgumentException when the gap is outside its bounds
     */
    public static int probeRequest(byte[] out, int off, long nonce, int gapMillis) {
        if (gapMillis < MIN_PROBE_GAP_MILLIS || gapMillis > MAX_PROBE_GAP_MILLIS) {
            throw new IllegalArgumentException("probe gap " + gapMillis + " ms outside [" + MIN_PROBE_GAP_MILLIS
                    + ", " + MAX_PROBE_GAP_MILLIS + "] ms");
        }
        int p = header(out, off, T_PROBE_REQUEST, 0, 12);
        putLong(out, p, nonce);
        Frame.putI32(out, p + 8, gapMillis);
        return p + 12;
    }

    /**
     * PROBE_REPLY: the echoed nonce.
     *
     * @param out destination
     * @param off frame start
     * @param nonce the nonce of the request
     * @return frame end ({@link Frame#PROBE_REPLY_LENGTH} bytes after {@code off})
     */
    public static int probeReply(byte[] out, int off, long nonce) {
        int p = header(out, off, T_PROBE_REPLY, FLAG_RESPONDER, 8);
        putLong(out, p, nonce);
        return p + 8;
    }

    /**
     * Starts an authenticated frame; the length field is fixed by {@link #endAuth}.
     *
     * @param out destination
     * @param off frame start
     * @param type an authenticated type code
     * @param flags flags (direction)
     * @param sessionId session or registration id
     * @param counter the sender's next counter value
     * @return body offset
     */
    public static int beginAuth(byte[] out, int off, int type, int flags, long sessionId, long counter) {
        header(out, off, type, flags, 0);
        putLong(out, off + SESSION_ID_OFFSET, sessionId);
        putLong(out, off + COUNTER_OFFSET, counter);
        return off + AUTH_BODY_OFFSET;
    }

    /**
     * Ends an authenticated frame: writes the length field.
     *
     * @param out destination
     * @param off frame start
     * @param bodyEnd offset after the body
     * @return the tag offset; the frame ends {@link Frame#TAG_LENGTH} bytes later
     */
    public static int endAuth(byte[] out, int off, int bodyEnd) {
        Frame.putU16(out, off + LENGTH_OFFSET, bodyEnd + TAG_LENGTH - off - HEADER_LENGTH);
        return bodyEnd;
    }

    /**
     * REGISTERED body.
     *
     * @param out destination
     * @param p body offset
     * @param xPublicKey the rendezvous's ephemeral X25519 key
     * @param peerId the registered peer's 16-byte id
     * @param observed the source endpoint the rendezvous observed
     * @param leaseMillis how long the registration lives without a keepalive
     * @return body end
     */
    public static int registered(byte[] out, int p, byte[] xPublicKey, byte[] peerId, InetSocketAddress observed, int leaseMillis) {
        System.arraycopy(xPublicKey, 0, out, p, X25519_KEY_LENGTH);
        p += X25519_KEY_LENGTH;
        System.arraycopy(peerId, 0, out, p, PEER_ID_LENGTH);
        p += PEER_ID_LENGTH;
        p = Endpoints.write(out, p, observed);
        Frame.putI32(out, p, leaseMillis);
        return p + 4;
    }

    /**
     * CONNECT body.
     *
     * @param out destination
     * @param p body offset
     * @param requestId request id
     * @param targetKind {@link Frame#TARGET_NAME} or {@link Frame#TARGET_ID}
     * @param target name bytes or 16-byte id
     * @param candidates the requester's local candidates
     * @return body end
     */
    public static int connect(byte[] out, int p, long requestId, int targetKind, byte[] target, List<Candidate> candidates) {
        putLong(out, p, requestId);
        out[p + 8] = (byte) targetKind;
        out[p + 9] = (byte) target.length;
        System.arraycopy(target, 0, out, p + 10, target.length);
        return candidates(out, p + 10 + target.length, candidates);
    }

    /**
     * OFFER body.
     *
     * @param out destination
     * @param p body offset
     * @param requestId request id
     * @param requesterId 16-byte id of the requester
     * @param requesterName requester's name bytes
     * @return body end
     */
    public static int offer(byte[] out, int p, long requestId, byte[] requesterId, byte[] requesterName) {
        putLong(out, p, requestId);
        System.arraycopy(requesterId, 0, out, p + 8, PEER_ID_LENGTH);
        return putName(out, p + 8 + PEER_ID_LENGTH, requesterName);
    }

    /**
     * ACCEPT body.
     *
     * @param out destination
     * @param p body offset
     * @param requestId request id
     * @param candidates the target's local candidates
     * @return body end
     */
    public static int accept(byte[] out, int p, long requestId, List<Candidate> candidates) {
        putLong(out, p, requestId);
        return candidates(out, p + 8, candidates);
    }

    /**
     * DECLINE body.
     *
     * @param out destination
     * @param p body offset
     * @param requestId request id
     * @param reason a {@code REASON_*} code
     * @return body end
     */
    public static int decline(byte[] out, int p, long requestId, int reason) {
        putLong(out, p, requestId);
        out[p + 8] = (byte) reason;
        return p + 9;
    }

    /**
     * INTRODUCE body.
     *
     * @param out destination
     * @param p body offset
     * @param requestId request id
     * @param sessionId the new session's id
     * @param sealedKey 32-byte session key sealed under the registration key
     * @param role 0 initiator, 1 responder
     * @param peerId the other peer's id
     * @param peerName the other peer's name bytes
     * @param candidates the other peer's candidates
     * @return body end
     */
    public static int introduce(byte[] out, int p, long requestId, long sessionId, byte[] sealedKey, int role,
            byte[] peerId, byte[] peerName, List<Candidate> candidates) {
        putLong(out, p, requestId);
        putLong(out, p + 8, sessionId);
        System.arraycopy(sealedKey, 0, out, p + 16, SESSION_KEY_LENGTH);
        out[p + 48] = (byte) role;
        System.arraycopy(peerId, 0, out, p + 49, PEER_ID_LENGTH);
        p = putName(out, p + 49 + PEER_ID_LENGTH, peerName);
        return candidates(out, p, candidates);
    }

    /**
     * INTRODUCE body followed by the optional NAT class byte of the other peer ({@link
     * Frame#T_INTRODUCE}).
     *
     * @param natClass the other peer's class, {@code org.netbelief.punch.NatClass} (0 unknown)
     * @return body end
     */
    public static int introduce(byte[] out, int p, long requestId, long sessionId, byte[] sealedKey, int role,
            byte[] peerId, byte[] peerName, List<Candidate> candidates, int natClass) {
        p = introduce(out, p, requestId, sessionId, sealedKey, role, peerId, peerName, candidates);
        out[p] = (byte) natClass;
        return p + 1;
    }

    /**
     * INTRODUCE body followed by the other peer's NAT class and the rendezvous's network evidence
     * for the pair of classes ({@link Frame#T_INTRODUCE}).
     *
     * @param natClass the other peer's class, known ({@code org.netbelief.punch.NatClass})
     * @param successMass decayed count of the pair's sessions that connected directly
     * @param failureMass decayed count of the pair's sessions that did not
     * @return body end
     */
    public static int introduce(byte[] out, int p, long requestId, long sessionId, byte[] sealedKey, int role,
            byte[] peerId, byte[] peerName, List<Candidate> candidates, int natClass, float successMass,
            float failureMass) {
        p = introduce(out, p, requestId, sessionId, sealedKey, role, peerId, peerName, candidates, natClass);
        Frame.putI32(out, p, Float.floatToIntBits(successMass));
        Frame.putI32(out, p + 4, Float.floatToIntBits(failureMass));
        return p + 8;
    }

    /**
     * OUTCOME body ({@link Frame#T_OUTCOME}).
     *
     * @param out destination
     * @param p body offset
     * @param sessionId the introduced session's id
     * @param outcome {@link Frame#OUTCOME_DIRECT} or {@link Frame#OUTCOME_RELAYED}
     * @return body end
     */
    public static int outcome(byte[] out, int p, long sessionId, int outcome) {
        putLong(out, p, sessionId);
        out[p + 8] = (byte) outcome;
        return p + 9;
    }

    /**
     * DISCOVER body ({@link Frame#T_DISCOVER}).
     *
     * @param out destination
     * @param p body offset
     * @param transactionId echoed by the answer
     * @param answerFrom {@link Frame#DISCOVER_FROM_SAME}, {@link Frame#DISCOVER_FROM_ALT_PORT} or
     *     {@link Frame#DISCOVER_FROM_ALT_ADDRESS}
     * @param reportedClass the sender's own NAT class so far (0 unknown)
     * @return body end
     */
    public static int discover(byte[] out, int p, long transactionId, int answerFrom, int reportedClass) {
        putLong(out, p, transactionId);
        out[p + 8] = (byte) answerFrom;
        out[p + 9] = (byte) reportedClass;
        return p + 10;
    }

    /**
     * DISCOVER_ANSWER body ({@link Frame#T_DISCOVER_ANSWER}).
     *
     * @param out destination
     * @param p body offset
     * @param transactionId the request's
     * @param receivedAt the rendezvous socket the request reached ({@code Frame.SOCKET_*})
     * @param observed the request's source as that socket saw it
     * @param altPort the alternate-port endpoint, or null when the rendezvous has no alternates
     * @param altAddress the alternate-address endpoint, or null (both or neither)
     * @return body end
     */
    public static int discoverAnswer(byte[] out, int p, long transactionId, int receivedAt,
            InetSocketAddress observed, InetSocketAddress altPort, InetSocketAddress altAddress) {
        putLong(out, p, transactionId);
        out[p + 8] = (byte) receivedAt;
        boolean alternates = altPort != null && altAddress != null;
        out[p + 9] = (byte) (alternates ? 2 : 0);
        p = Endpoints.write(out, p + 10, observed);
        if (alternates) {
            p = Endpoints.write(out, p, altPort);
            p = Endpoints.write(out, p, altAddress);
        }
        return p;
    }

    /**
     * INTRO body.
     *
     * @param out destination
     * @param p body offset
     * @param probeId probe id
     * @param candidateIndex which of the receiver's candidates this was sent to
     * @return body end
     */
    public static int intro(byte[] out, int p, long probeId, int candidateIndex) {
        putLong(out, p, probeId);
        out[p + 8] = (byte) candidateIndex;
        return p + 9;
    }

    /**
     * INTRO_ACK or KEEPALIVE_ACK body.
     *
     * @param out destination
     * @param p body offset
     * @param probeId the acknowledged probe id
     * @param observed where the probe came from
     * @return body end
     */
    public static int ack(byte[] out, int p, long probeId, InetSocketAddress observed) {
        putLong(out, p, probeId);
        return Endpoints.write(out, p + 8, observed);
    }

    /**
     * KEEPALIVE body.
     *
     * @param out destination
     * @param p body offset
     * @param probeId probe id
     * @return body end
     */
    public static int keepalive(byte[] out, int p, long probeId) {
        putLong(out, p, probeId);
        return p + 8;
    }

    /**
     * DATA body: copies the payload.
     *
     * @param out destination
     * @param p body offset
     * @param payload source array
     * @param payloadOff source offset
     * @param payloadLength 0 to {@link Frame#MAX_PAYLOAD} bytes
     * @return body end
     * @throws IllegalArgumentException when the payload is too long
     */
    public static int data(byte[] out, int p, byte[] payload, int payloadOff, int payloadLength) {
        if (payloadLength > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes exceeds MAX_PAYLOAD " + MAX_PAYLOAD);
        }
        System.arraycopy(payload, payloadOff, out, p, payloadLength);
        return p + payloadLength;
    }

    /**
     * RELAY_DATA body: the session id and a complete inner frame.
     *
     * @param out destination
     * @param p body offset
     * @param sessionId the peer-to-peer session the inner frame belongs to
     * @param inner source array
     * @param innerOff inner frame offset
     * @param innerLength inner frame length
     * @return body end
     */
    public static int relay(byte[] out, int p, long sessionId, byte[] inner, int innerOff, int innerLength) {
        putLong(out, p, sessionId);
        System.arraycopy(inner, innerOff, out, p + 8, innerLength);
        return p + 8 + innerLength;
    }

    /**
     * CLOSE body.
     *
     * @param out destination
     * @param p body offset
     * @param reason a {@code REASON_*} code
     * @return body end
     */
    public static int close(byte[] out, int p, int reason) {
        out[p] = (byte) reason;
        return p + 1;
    }

    private static int putName(byte[] out, int p, byte[] name) {
        if (name.length > MAX_NAME) {
            throw new IllegalArgumentException("name of " + name.length + " bytes exceeds MAX_NAME " + MAX_NAME);
        }
        out[p] = (byte) name.length;
        System.arraycopy(name, 0, out, p + 1, name.length);
        return p + 1 + name.length;
    }

    private static int candidates(byte[] out, int p, List<Candidate> candidates) {
        int n = Math.min(candidates.size(), MAX_CANDIDATES);
        out[p++] = (byte) n;
        for (int i = 0; i < n; i++) {
            Candidate c = candidates.get(i);
            out[p] = (byte) c.kind();
            p = Endpoints.write(out, p + 1, c.endpoint());
        }
        return p;
    }
}
