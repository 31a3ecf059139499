package org.netbelief.punch.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Constants and primitive accessors of the netbelief punch wire format, version 1.
 *
 * <p>Every datagram starts with an 8-byte header; all integers are big-endian (network order).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+---------------+---------------+
 * |        magic 0x4E42 "NB"      |  version = 1  |     type      |
 * +-------------------------------+---------------+---------------+
 * |    length (bytes after hdr)   |        flags (bit 0: DIR)     |
 * +-------------------------------+-------------------------------+
 * |                         body (length bytes)                   |
 * </pre>
 *
 * <p>The length must equal the datagram size minus the header exactly. Flag bit 0 ({@link
 * #FLAG_RESPONDER}) is the sender's direction: 0 from a peer acting as session initiator or
 * registering client, 1 from the responder or the rendezvous. It is covered by the tag, so a
 * reflected packet is recognised. All other flag bits are reserved and must be zero.
 *
 * <p>Types below {@link #FIRST_AUTHENTICATED_TYPE} are unauthenticated handshake messages; all
 * others are <em>authenticated frames</em>: their body starts with a session id and a counter and
 * ends with a 16-byte truncated HMAC-SHA256 tag over every byte before it (header included).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                   header (8 bytes, see above)                 |
 * +---------------------------------------------------------------+
 * |                      session id (64 bits)                     |
 * +---------------------------------------------------------------+
 * |                    packet counter (64 bits)                   |
 * +---------------------------------------------------------------+
 * |                     message body (variable)                   |
 * +---------------------------------------------------------------+
 * |           tag: HMAC-SHA256(key, bytes 0..tag)[0..16)          |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The per-type body layouts are documented on the {@code T_*} constants and in {@code
 * docs/protocol.md}. Endpoints are 19 bytes ({@link #ENDPOINT_LENGTH}): family (4 or 6), a
 * 16-byte address (IPv4 in the first 4 bytes, the rest zero) and a 16-bit port. Candidates are
 * 20 bytes: a kind byte ({@link #CANDIDATE_PUBLIC} or {@link #CANDIDATE_LOCAL}) and an endpoint.
 * Names are 0 to {@link #MAX_NAME} bytes of {@code [A-Za-z0-9._-]}.
 */
public final class Frame {
    private Frame() {}

    /** Magic number, ASCII "NB". */
    public static final int MAGIC = 0x4E42;
    /** The protocol version this implementation speaks. */
    public static final int VERSION = 1;

    /** Offset of the 16-bit magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the 8-bit version. */
    public static final int VERSION_OFFSET = 2;
    /** Offset of the 8-bit type. */
    public static final int TYPE_OFFSET = 3;
    /** Offset of the 16-bit body length. */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the 16-bit flags. */
    public static final int FLAGS_OFFSET = 6;
    /** Header length in bytes. */
    public static final int HEADER_LENGTH = 8;

    /** Offset of the session id in an authenticated frame. */
    public static final int SESSION_ID_OFFSET = 8;
    /** Offset of the packet counter in an authenticated frame. */
    public static final int COUNTER_OFFSET = 16;
    /** Offset of the message body in an authenticated frame. */
    public static final int AUTH_BODY_OFFSET = 24;
    /** Length of the truncated HMAC-SHA256 tag (128 bits, as HMAC-SHA-256-128 of RFC 4868). */
    public static final int TAG_LENGTH = 16;
    /** Smallest authenticated frame: header, session id, counter, empty body, tag. */
    public static final int MIN_AUTH_FRAME = AUTH_BODY_OFFSET + TAG_LENGTH;

    /** Largest datagram accepted or produced: 1500-byte MTU minus IPv4 and UDP headers. */
    public static final int MAX_DATAGRAM = 1472;
    /** Largest application payload in a DATA frame, small enough to be relayed in one datagram. */
    public static final int MAX_PAYLOAD = 1200;
    /** Largest name in bytes. */
    public static final int MAX_NAME = 63;
    /** Largest number of candidates in one message. */
    public static final int MAX_CANDIDATES = 8;

    /** Sender is the session responder or the rendezvous. */
    public static final int FLAG_RESPONDER = 1;

    /** Encoded endpoint length: family, 16 address bytes, port. */
    public static final int ENDPOINT_LENGTH = 19;
    /** Encoded candidate length: kind, endpoint. */
    public static final int CANDIDATE_LENGTH = 20;
    /** Candidate kind: the public endpoint the rendezvous observed. */
    public static final int CANDIDATE_PUBLIC = 1;
    /** Candidate kind: an address of the peer's own interface. */
    public static final int CANDIDATE_LOCAL = 2;

    /** Ed25519 public key length. */
    public static final int ED25519_KEY_LENGTH = 32;
    /** X25519 public key length. */
    public static final int X25519_KEY_LENGTH = 32;
    /** Ed25519 signature length. */
    public static final int SIGNATURE_LENGTH = 64;
    /** Registration cookie length: 8-byte time bucket and 16-byte MAC. */
    public static final int COOKIE_LENGTH = 24;
    /** Peer id length: the first 16 bytes of SHA-256 of the Ed25519 public key. */
    public static final int PEER_ID_LENGTH = 16;
    /** Session key length (sealed in INTRODUCE). */
    public static final int SESSION_KEY_LENGTH = 32;

    /** REGISTER (peer to rendezvous, unauthenticated): ed25519 key 32 | name length 1 | name. */
    public static final int T_REGISTER = 0x01;
    /** CHALLENGE (rendezvous to source, unauthenticated): cookie 24. Always smaller than REGISTER. */
    public static final int T_CHALLENGE = 0x02;
    /**
     * REGISTER_PROOF (peer to rendezvous, signed): cookie 24 | ed25519 key 32 | x25519 key 32 |
     * name length 1 | name | signature 64 over the domain string and every body byte before it.
     */
    public static final int T_REGISTER_PROOF = 0x03;
    /** REJECTED (rendezvous to a verified source): reason 1. */
    public static final int T_REJECTED = 0x04;
    /**
     * PROBE_REQUEST (probe socket to rendezvous, unauthenticated): nonce 8 | gap millis 4, the gap
     * between {@link #MIN_PROBE_GAP_MILLIS} and {@link #MAX_PROBE_GAP_MILLIS}. Lifetime discovery:
     * asks the rendezvous to answer the observed source after the gap.
     *
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +---------------------------------------------------------------+
     * |                header (8 bytes, type 0x05, flags 0)           |
     * +---------------------------------------------------------------+  8
     * |                         nonce (64 bits)                       |
     * +---------------------------------------------------------------+ 16
     * |                    requested gap, milliseconds                |
     * +---------------------------------------------------------------+ 20
     * </pre>
     */
    public static final int T_PROBE_REQUEST = 0x05;
    /**
     * PROBE_REPLY (rendezvous to the observed source of a PROBE_REQUEST, after the gap): nonce 8.
     * 16 bytes, always smaller than the 20-byte request (no amplification).
     *
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +---------------------------------------------------------------+
     * |            header (8 bytes, type 0x06, flags DIR = 1)         |
     * +---------------------------------------------------------------+  8
     * |                    nonce echoed (64 bits)                     |
     * +---------------------------------------------------------------+ 16
     * </pre>
     */
    public static final int T_PROBE_REPLY = 0x06;
    /** Length of a PROBE_REQUEST datagram. */
    public static final int PROBE_REQUEST_LENGTH = HEADER_LENGTH + 8 + 4;
    /** Length of a PROBE_REPLY datagram. */
    public static final int PROBE_REPLY_LENGTH = HEADER_LENGTH + 8;
    /** Shortest gap a PROBE_REQUEST may ask for (1 s). */
    public static final int MIN_PROBE_GAP_MILLIS = 1_000;
    /** Longest gap a PROBE_REQUEST may ask for (1 h). */
    public static final int MAX_PROBE_GAP_MILLIS = 3_600_000;

    /** First authenticated type code. */
    public static final int FIRST_AUTHENTICATED_TYPE = 0x10;
    /**
     * REGISTERED (authenticated under the registration key): x25519 key 32 | peer id 16 |
     * observed endpoint 19 | lease millis 4.
     */
    public static final int T_REGISTERED = 0x10;
    /**
     * CONNECT (peer to rendezvous): request id 8 | target kind 1 (0 name, 1 id) | target length 1
     * | target | candidate count 1 | candidates.
     */
    public static final int T_CONNECT = 0x11;
    /** OFFER (rendezvous to target): request id 8 | requester id 16 | name length 1 | name. */
    public static final int T_OFFER = 0x12;
    /** ACCEPT (target to rendezvous): request id 8 | candidate count 1 | candidates. */
    public static final int T_ACCEPT = 0x13;
    /** DECLINE (target to rendezvous, or rendezvous to requester): request id 8 | reason 1. */
    public static final int T_DECLINE = 0x14;
    /**
     * INTRODUCE (rendezvous to both peers): request id 8 | session id 8 | sealed session key 32 |
     * role 1 (0 initiator, 1 responder) | peer id 16 | name length 1 | name | candidate count 1 |
     * candidates | [other peer's NAT class 1 | [network success mass 4 | network failure mass 4]].
     * The trailing fields are optional (added in version 1 without a version change): the
     * rendezvous writes them only to a peer that has sent DISCOVER, so a peer that predates
     * discovery never sees them. The masses are IEEE 754 binary32, big-endian, finite, in [0,
     * {@link #MAX_NETWORK_MASS}]: the rendezvous's decayed count of sessions of this pair of NAT
     * classes that connected directly, and that did not, both peers agreeing (see {@link
     * #T_OUTCOME}); present only when both classes are known.
     *
     * <pre>
     * ... | candidates | class 1 | success mass f32 | failure mass f32 | tag 16 |
     * </pre>
     */
    public static final int T_INTRODUCE = 0x15;
    /** Largest network evidence mass INTRODUCE may carry (larger is malformed). */
    public static final float MAX_NETWORK_MASS = 1.0e7f;
    /**
     * OUTCOME (peer to rendezvous, on the registration link): session id 8 | outcome 1 ({@link
     * #OUTCOME_RELAYED} or {@link #OUTCOME_DIRECT}). Sent once when a session the rendezvous
     * introduced is resolved (a direct path established, or punching gave up and the relay
     * carries it), by a peer that did NAT behaviour discovery and was told the other's class. A
     * rendezvous that predates it drops it as an unknown type.
     *
     * <pre>
     * +---------------------------------------------------------------+
     * |   auth header 24 (type 0x18) | session id 8 | outcome 1 | tag 16 |
     * +---------------------------------------------------------------+
     * </pre>
     */
    public static final int T_OUTCOME = 0x18;
    /** OUTCOME: punching gave up; the relay carries the session. */
    public static final int OUTCOME_RELAYED = 0;
    /** OUTCOME: a direct path was established. */
    public static final int OUTCOME_DIRECT = 1;
    /**
     * DISCOVER (peer to rendezvous, on the registration link; NAT behaviour discovery, RFC 5780
     * §4.3–4.4): transaction id 8 | answer from 1 | reported NAT class 1. Sent to the
     * rendezvous's primary endpoint or one of its alternates; "answer from" asks for the answer
     * to leave from the socket the request reached ({@link #DISCOVER_FROM_SAME}), from the
     * alternate port of the primary address ({@link #DISCOVER_FROM_ALT_PORT}) or from the
     * alternate address and port ({@link #DISCOVER_FROM_ALT_ADDRESS}). The reported class is the
     * peer's own result so far ({@code org.netbelief.punch.NatClass}, 0 unknown): the rendezvous
     * keeps its filtering part for INTRODUCE.
     *
     * <pre>
     * +---------------------------------------------------------------+
     * |   auth header 24 (type 0x16) | transaction id 8 | from 1 | class 1 | tag 16 |
     * +---------------------------------------------------------------+
     * </pre>
     */
    public static final int T_DISCOVER = 0x16;
    /**
     * DISCOVER_ANSWER (rendezvous to peer, on the registration link): transaction id 8 | received
     * at 1 (0 primary, 1 alternate port, 2 alternate address) | alternate count 1 (0 or 2) |
     * observed endpoint 19 | [alternate-port endpoint 19 | alternate-address endpoint 19]. The
     * observed endpoint is the request's source as the receiving socket saw it (the peer's mapping
     * toward that destination).
     */
    public static final int T_DISCOVER_ANSWER = 0x17;
    /** DISCOVER "answer from": the socket the request reached. */
    public static final int DISCOVER_FROM_SAME = 0;
    /** DISCOVER "answer from": the rendezvous's primary address, alternate port. */
    public static final int DISCOVER_FROM_ALT_PORT = 1;
    /** DISCOVER "answer from": the rendezvous's alternate address and alternate port. */
    public static final int DISCOVER_FROM_ALT_ADDRESS = 2;
    /** Rendezvous socket index: the primary endpoint. */
    public static final int SOCKET_PRIMARY = 0;
    /** Rendezvous socket index: the primary address at the alternate port. */
    public static final int SOCKET_ALT_PORT = 1;
    /** Rendezvous socket index: the alternate address at the alternate port. */
    public static final int SOCKET_ALT_ADDRESS = 2;
    /** INTRO (peer to peer): probe id 8 | candidate index 1. */
    public static final int T_INTRO = 0x20;
    /** INTRO_ACK (peer to peer): probe id 8 | endpoint the INTRO came from 19. */
    public static final int T_INTRO_ACK = 0x21;
    /** KEEPALIVE (peer to peer or peer to rendezvous): probe id 8. */
    public static final int T_KEEPALIVE = 0x22;
    /** KEEPALIVE_ACK: probe id 8 | endpoint the KEEPALIVE came from 19. */
    public static final int T_KEEPALIVE_ACK = 0x23;
    /** DATA (peer to peer): payload, 0 to {@link #MAX_PAYLOAD} bytes. */
    public static final int T_DATA = 0x24;
    /** RELAY_DATA (peer to rendezvous to peer): session id 8 | a complete inner DATA, KEEPALIVE or KEEPALIVE_ACK frame. */
    public static final int T_RELAY_DATA = 0x25;
    /** CLOSE: reason 1. */
    public static final int T_CLOSE = 0x26;

    /** Reason: the name is bound to another key. */
    public static final int REASON_NAME_TAKEN = 1;
    /** Reason: the target is not registered. */
    public static final int REASON_UNKNOWN_PEER = 2;
    /** Reason: the target does not accept introductions. */
    public static final int REASON_REFUSED = 3;
    /** Reason: normal close. */
    public static final int REASON_NORMAL = 4;
    /** Reason: a name is malformed. */
    public static final int REASON_BAD_NAME = 5;

    /** Target kind in CONNECT: a name. */
    public static final int TARGET_NAME = 0;
    /** Target kind in CONNECT: a 16-byte peer id. */
    public static final int TARGET_ID = 1;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    /** Reads an unsigned 16-bit integer. */
    static int u16(byte[] b, int off) {
        return ((short) SHORT.get(b, off)) & 0xFFFF;
    }

    /** Writes a 16-bit integer. */
    static void putU16(byte[] b, int off, int v) {
        SHORT.set(b, off, (short) v);
    }

    /** Reads a 32-bit integer. */
    static int i32(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    /** Writes a 32-bit integer. */
    static void putI32(byte[] b, int off, int v) {
        INT.set(b, off, v);
    }

    /**
     * Reads a big-endian 64-bit integer.
     *
     * @param b the array
     * @param off the offset of the first byte
     * @return the value
     */
    public static long getLong(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    /**
     * Writes a big-endian 64-bit integer.
     *
     * @param b the array
     * @param off the offset of the first byte
     * @param v the value
     */
    public static void putLong(byte[] b, int off, long v) {
        LONG.set(b, off, v);
    }

    /**
     * Whether a type code names an authenticated frame.
     *
     * @param type the type code
     * @return true for {@code T_REGISTERED} and later types
     */
    public static boolean isAuthenticated(int type) {
        return type >= FIRST_AUTHENTICATED_TYPE;
    }

    /**
     * Whether a byte may appear in a name: {@code [A-Za-z0-9._-]}.
     *
     * @param c the byte
     * @return true when allowed
     */
    public static boolean isNameByte(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    /**
     * Checks a name for the CLI and API.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException naming the value when it is too long or has a byte outside
     *     {@code [A-Za-z0-9._-]}
     */
    public static String checkName(String name) {
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("name '" + name + "' is longer than " + MAX_NAME + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isNameByte(name.charAt(i))) {
                throw new IllegalArgumentException("name '" + name + "' has a character outside [A-Za-z0-9._-]");
            }
        }
        return name;
    }
}
