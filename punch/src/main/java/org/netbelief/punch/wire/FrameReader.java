package org.netbelief.punch.wire;

import static org.netbelief.punch.wire.Frame.*;

import java.nio.ByteBuffer;

/**
 * A reusable flyweight that validates one datagram and exposes its fields in place.
 *
 * <p>{@link #wrap} checks the header and the complete body layout of the frame's type with strict
 * bounds (every length, count and name byte) and returns {@code null} when the frame is
 * well-formed or the {@link DropReason} when it is not. It never throws on any input and never
 * allocates: accessors read the wrapped array. Authenticity is not checked here; engines verify
 * the tag of authenticated frames before trusting any field but the session id.
 *
 * <p>Not thread-safe: one instance per event loop.
 *
 * <pre>{@code
 * FrameReader r = new FrameReader();
 * DropReason bad = r.wrap(bytes, 0, n);
 * if (bad == null && r.type() == Frame.T_DATA) { use(r.array(), r.payloadOffset(), r.payloadLength()); }
 * }</pre>
 */
public final class FrameReader {
    private byte[] buf;
    private int start;
    private int end;
    private int type;
    private int flags;
    private int bodyOffset;
    private int bodyEnd;

    // Parsed per-type field positions (absolute offsets into buf).
    private int nameOffset;
    private int nameLength;
    private int candidatesOffset;
    private int candidateCount;
    private int payloadOffset;
    private int payloadLength;
    private int natClass;
    private boolean networkEvidence;
    private float networkSuccess;
    private float networkFailure;

    /** Creates an empty reader; call {@link #wrap} before any accessor. */
    public FrameReader() {}

    /**
     * Validates a heap buffer's remaining bytes; the buffer's position is not moved.
     *
     * @param b an array-backed buffer
     * @return null when well-formed, else why the datagram must be dropped
     * @throws IllegalArgumentException when the buffer is not array-backed (a caller bug, not input)
     */
    public DropReason wrap(ByteBuffer b) {
        if (!b.hasArray()) {
            throw new IllegalArgumentException("buffer must be array-backed, got a direct buffer");
        }
        return wrap(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }

    /**
     * Validates {@code length} bytes of {@code array} from {@code offset}.
     *
     * @param array the datagram bytes
     * @param offset first byte
     * @param length datagram length
     * @return null when well-formed, else why the datagram must be dropped
     */
    public DropReason wrap(byte[] array, int offset, int length) {
        this.buf = array;
        this.start = offset;
        this.end = offset + length;
        this.type = -1;
        if (length < HEADER_LENGTH) {
            return DropReason.TRUNCATED;
        }
        if (length > MAX_DATAGRAM) {
            return DropReason.OVERSIZED;
        }
        if (Frame.u16(array, offset + MAGIC_OFFSET) != MAGIC) {
            return DropReason.BAD_MAGIC;
        }
        if ((array[offset + VERSION_OFFSET] & 0xFF) != VERSION) {
            return DropReason.BAD_VERSION;
        }
        int declared = Frame.u16(array, offset + LENGTH_OFFSET);
        if (declared > length - HEADER_LENGTH) {
            return DropReason.TRUNCATED;
        }
        if (declared < length - HEADER_LENGTH) {
            return DropReason.OVERSIZED;
        }
        flags = Frame.u16(array, offset + FLAGS_OFFSET);
        if ((flags & ~FLAG_RESPONDER) != 0) {
            return DropReason.BAD_FLAGS;
        }
        int t = array[offset + TYPE_OFFSET] & 0xFF;
        if (isAuthenticated(t)) {
            if (length < MIN_AUTH_FRAME) {
                return DropReason.TRUNCATED;
            }
            bodyOffset = offset + AUTH_BODY_OFFSET;
            bodyEnd = end - TAG_LENGTH;
        } else {
            bodyOffset = offset + HEADER_LENGTH;
            bodyEnd = end;
        }
        nameLength = 0;
        candidateCount = 0;
        payloadLength = 0;
        natClass = 0;
        networkEvidence = false;
        networkSuccess = 0f;
        networkFailure = 0f;
        DropReason r = parseBody(t);
        if (r == null) {
            type = t;
        }
        return r;
    }

    private DropReason parseBody(int t) {
        int p = bodyOffset;
        int n = bodyEnd - bodyOffset;
        switch (t) {
            case T_REGISTER:
                if (n < ED25519_KEY_LENGTH + 1) {
                    return DropReason.MALFORMED_BODY;
                }
                return name(p + ED25519_KEY_LENGTH, bodyEnd, true);
            case T_CHALLENGE:
                return n == COOKIE_LENGTH ? null : DropReason.MALFORMED_BODY;
            case T_REGISTER_PROOF: {
                int fixed = COOKIE_LENGTH + ED25519_KEY_LENGTH + X25519_KEY_LENGTH;
                if (n < fixed + 1 + SIGNATURE_LENGTH) {
                    return DropReason.MALFORMED_BODY;
                }
                return name(p + fixed, bodyEnd - SIGNATURE_LENGTH, true);
            }
            case T_PROBE_REQUEST: {
                if (n != 12) {
                    return DropReason.MALFORMED_BODY;
                }
                int gap = Frame.i32(buf, p + 8);
                return gap >= MIN_PROBE_GAP_MILLIS && gap <= MAX_PROBE_GAP_MILLIS ? null : DropReason.MALFORMED_BODY;
            }
            case T_PROBE_REPLY:
                return n == 8 ? null : DropReason.MALFORMED_BODY;
            case T_REJECTED:
            case T_CLOSE:
                return n == 1 ? null : DropReason.MALFORMED_BODY;
            case T_REGISTERED:
                if (n != X25519_KEY_LENGTH + PEER_ID_LENGTH + ENDPOINT_LENGTH + 4) {
                    return DropReason.MALFORMED_BODY;
                }
                return endpoint(p + X25519_KEY_LENGTH + PEER_ID_LENGTH);
            case T_CONNECT: {
                if (n < 8 + 2 + 1) {
                    return DropReason.MALFORMED_BODY;
                }
                int kind = buf[p + 8] & 0xFF;
                int len = buf[p + 9] & 0xFF;
                int tEnd = p + 10 + len;
                if (tEnd + 1 > bodyEnd) {
                    return DropReason.MALFORMED_BODY;
                }
                if (kind == TARGET_NAME) {
                    DropReason r = nameBytes(p + 10, len);
                    if (r != null) {
                        return r;
                    }
                } else if (kind != TARGET_ID || len != PEER_ID_LENGTH) {
                    return DropReason.MALFORMED_BODY;
                }
                nameOffset = p + 10;
                nameLength = len;
                return candidates(tEnd);
            }
            case T_OFFER:
                if (n < 8 + PEER_ID_LENGTH + 1) {
                    return DropReason.MALFORMED_BODY;
                }
                return name(p + 8 + PEER_ID_LENGTH, bodyEnd, true);
            case T_ACCEPT:
                if (n < 9) {
                    return DropReason.MALFORMED_BODY;
                }
                return candidates(p + 8);
            case T_DECLINE:
                return n == 9 ? null : DropReason.MALFORMED_BODY;
            case T_INTRODUCE: {
                int fixed = 8 + 8 + SESSION_KEY_LENGTH + 1 + PEER_ID_LENGTH;
                if (n < fixed + 2) {
                    return DropReason.MALFORMED_BODY;
                }
                int role = buf[p + 48] & 0xFF;
                if (role > 1) {
                    return DropReason.MALFORMED_BODY;
                }
                int len = buf[p + fixed] & 0xFF;
                int nEnd = p + fixed + 1 + len;
                if (nEnd + 1 > bodyEnd) {
                    return DropReason.MALFORMED_BODY;
                }
                DropReason r = nameBytes(p + fixed + 1, len);
                if (r != null) {
                    return r;
                }
                nameOffset = p + fixed + 1;
                nameLength = len;
                int count = buf[nEnd] & 0xFF;
                int trailing = bodyEnd - (nEnd + 1 + count * CANDIDATE_LENGTH);
                if (trailing == 1 || trailing == 9) {
                    // The optional trailing NAT class byte and network evidence (Frame.T_INTRODUCE).
                    int cp = bodyEnd - trailing;
                    int c = buf[cp] & 0xFF;
                    if (!org.netbelief.punch.NatClass.isValid(c)) {
                        return DropReason.MALFORMED_BODY;
                    }
                    if (trailing == 9) {
                        float s = Float.intBitsToFloat(Frame.i32(buf, cp + 1));
                        float f = Float.intBitsToFloat(Frame.i32(buf, cp + 5));
                        // NaN fails both comparisons; negative, infinite or too large is refused.
                        if (!org.netbelief.punch.NatClass.isKnown(c) || !(s >= 0f && s <= MAX_NETWORK_MASS)
                                || !(f >= 0f && f <= MAX_NETWORK_MASS)) {
                            return DropReason.MALFORMED_BODY;
                        }
                        networkSuccess = s;
                        networkFailure = f;
                    }
                    int savedEnd = bodyEnd;
                    bodyEnd = cp;
                    DropReason cr = candidates(nEnd);
                    bodyEnd = savedEnd;
                    if (cr == null) {
                        natClass = c;
                        networkEvidence = trailing == 9;
                    }
                    return cr;
                }
                return candidates(nEnd);
            }
            case T_DISCOVER: {
                if (n != 10 || (buf[p + 8] & 0xFF) > DISCOVER_FROM_ALT_ADDRESS
                        || !org.netbelief.punch.NatClass.isValid(buf[p + 9] & 0xFF)) {
                    return DropReason.MALFORMED_BODY;
                }
                natClass = buf[p + 9] & 0xFF;
                return null;
            }
            case T_DISCOVER_ANSWER: {
                if (n < 10 || (buf[p + 8] & 0xFF) > SOCKET_ALT_ADDRESS) {
                    return DropReason.MALFORMED_BODY;
                }
                int alternates = buf[p + 9] & 0xFF;
                if ((alternates != 0 && alternates != 2) || n != 10 + (1 + alternates) * ENDPOINT_LENGTH) {
                    return DropReason.MALFORMED_BODY;
                }
                for (int i = 0; i <= alternates; i++) {
                    DropReason r = endpoint(p + 10 + i * ENDPOINT_LENGTH);
                    if (r != null) {
                        return r;
                    }
                }
                return null;
            }
            case T_OUTCOME:
                return n == 9 && (buf[p + 8] & 0xFF) <= OUTCOME_DIRECT ? null : DropReason.MALFORMED_BODY;
            case T_INTRO:
            case T_KEEPALIVE:
                return n == (t == T_INTRO ? 9 : 8) ? null : DropReason.MALFORMED_BODY;
            case T_INTRO_ACK:
            case T_KEEPALIVE_ACK:
                if (n != 8 + ENDPOINT_LENGTH) {
                    return DropReason.MALFORMED_BODY;
                }
                return endpoint(p + 8);
            case T_DATA:
                if (n > MAX_PAYLOAD) {
                    return DropReason.MALFORMED_BODY;
                }
                payloadOffset = p;
                payloadLength = n;
                return null;
            case T_RELAY_DATA:
                if (n < 8 + MIN_AUTH_FRAME) {
                    return DropReason.MALFORMED_BODY;
                }
                payloadOffset = p + 8;
                payloadLength = n - 8;
                return null;
            default:
                return DropReason.UNKNOWN_TYPE;
        }
    }

    /** A length-prefixed name running exactly to {@code limit}. */
    private DropReason name(int lenAt, int limit, boolean exact) {
        int len = buf[lenAt] & 0xFF;
        if (exact ? lenAt + 1 + len != limit : lenAt + 1 + len > limit) {
            return DropReason.MALFORMED_BODY;
        }
        nameOffset = lenAt + 1;
        nameLength = len;
        return nameBytes(nameOffset, len);
    }

    private DropReason nameBytes(int off, int len) {
        if (len > MAX_NAME) {
            return DropReason.MALFORMED_BODY;
        }
        for (int i = 0; i < len; i++) {
            if (!isNameByte(buf[off + i] & 0xFF)) {
                return DropReason.MALFORMED_BODY;
            }
        }
        return null;
    }

    /** A candidate count and exactly that many candidates running to the body end. */
    private DropReason candidates(int countAt) {
        int count = buf[countAt] & 0xFF;
        if (count > MAX_CANDIDATES || countAt + 1 + count * CANDIDATE_LENGTH != bodyEnd) {
            return DropReason.MALFORMED_BODY;
        }
        candidatesOffset = countAt + 1;
        candidateCount = count;
        for (int i = 0; i < count; i++) {
            int c = candidatesOffset + i * CANDIDATE_LENGTH;
            int kind = buf[c] & 0xFF;
            if (kind != CANDIDATE_PUBLIC && kind != CANDIDATE_LOCAL) {
                return DropReason.MALFORMED_BODY;
            }
            DropReason r = endpoint(c + 1);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private DropReason endpoint(int off) {
        return Endpoints.validate(buf, off) ? null : DropReason.BAD_ENDPOINT;
    }

    /** @return the wrapped array */
    public byte[] array() {
        return buf;
    }

    /** @return offset of the frame's first byte */
    public int frameOffset() {
        return start;
    }

    /** @return total frame length */
    public int frameLength() {
        return end - start;
    }

    /** @return the type code, or -1 when the last wrap failed */
    public int type() {
        return type;
    }

    /** @return the flags field */
    public int flags() {
        return flags;
    }

    /** @return true when the sender set {@link Frame#FLAG_RESPONDER} */
    public boolean fromResponder() {
        return (flags & FLAG_RESPONDER) != 0;
    }

    /** @return absolute offset of the body (after session id and counter for authenticated frames) */
    public int bodyOffset() {
        return bodyOffset;
    }

    /** @return body length (without the tag) */
    public int bodyLength() {
        return bodyEnd - bodyOffset;
    }

    /** @return the session id of an authenticated frame */
    public long sessionId() {
        return getLong(buf, start + SESSION_ID_OFFSET);
    }

    /** @return the counter of an authenticated frame */
    public long counter() {
        return getLong(buf, start + COUNTER_OFFSET);
    }

    /** @return absolute offset of the tag of an authenticated frame */
    public int tagOffset() {
        return end - TAG_LENGTH;
    }

    /** @return the 64-bit request or probe id at the start of the body */
    public long firstLong() {
        return getLong(buf, bodyOffset);
    }

    /** @return absolute offset of the name (or CONNECT target) bytes */
    public int nameOffset() {
        return nameOffset;
    }

    /** @return name (or CONNECT target) length */
    public int nameLength() {
        return nameLength;
    }

    /** @return absolute offset of the first candidate */
    public int candidatesOffset() {
        return candidatesOffset;
    }

    /** @return number of candidates */
    public int candidateCount() {
        return candidateCount;
    }

    /** @return absolute offset of the DATA payload or the RELAY_DATA inner frame */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** @return length of the DATA payload or the RELAY_DATA inner frame */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * A body byte (reasons, roles, kinds).
     *
     * @param relative position from the body start
     * @return the unsigned byte
     */
    public int bodyByte(int relative) {
        return buf[bodyOffset + relative] & 0xFF;
    }

    /** @return the signed range of a REGISTER_PROOF ends here (the signature starts) */
    public int signatureOffset() {
        return bodyEnd - SIGNATURE_LENGTH;
    }

    /** @return the requested gap of a PROBE_REQUEST in milliseconds (validated to its bounds) */
    public int probeGapMillis() {
        return Frame.i32(buf, bodyOffset + 8);
    }

    /**
     * @return the NAT class byte of a DISCOVER (the reported class) or of an INTRODUCE (the other
     *     peer's class; 0 when the optional byte is absent), validated; 0 for other types
     */
    public int natClass() {
        return natClass;
    }

    /**
     * @return whether an INTRODUCE carried the rendezvous's network evidence for the NAT class
     *     pair ({@link Frame#T_INTRODUCE}); false for other types
     */
    public boolean hasNetworkEvidence() {
        return networkEvidence;
    }

    /** @return an INTRODUCE's network success mass (validated finite, in [0, MAX_NETWORK_MASS]), else 0 */
    public float networkSuccess() {
        return networkSuccess;
    }

    /** @return an INTRODUCE's network failure mass (validated as {@link #networkSuccess}), else 0 */
    public float networkFailure() {
        return networkFailure;
    }

    /** @return the lease of a REGISTERED frame in milliseconds */
    public int leaseMillis() {
        return Frame.i32(buf, bodyEnd - 4);
    }
}
