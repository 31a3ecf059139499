package org.netbelief.punch.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) under one fixed key, allocation-free per message.
 *
 * <p>{@code javax.crypto.Mac.doFinal(byte[], int)} allocates its result array on every call, so
 * this class computes {@code H((K ^ opad) || H((K ^ ipad) || m))} itself. Tags may be truncated
 * to their leading bytes (RFC 2104 section 5; the wire format uses 16 bytes as
 * HMAC-SHA-256-128 in RFC 4868). Verification compares in constant time.
 *
 * <p>A key is turned once into {@link #STATE_WORDS} words of state ({@link #keyState}), and every
 * MAC starts from them. When the JVM runs with {@code --add-opens
 * java.base/sun.security.provider=ALL-UNNAMED} (the launcher, the build's tests and the benchmarks
 * pass it) the words are SHA-256's state after the pad blocks {@code K ^ ipad} and {@code K ^
 * opad}, and a MAC of a frame costs two compressions on the CPU's SHA instructions instead of four
 * (121 ns against 215 ns a 44-byte frame here, {@code HmacBenchmark}). Without the option the
 * words are the key and a MAC hashes the pads each time; {@link #precomputedPadStates()} tells
 * which is in use. The bytes are the same either way; words made in one JVM mean nothing in
 * another.
 *
 * <p>An instance holds only its key's words. The digest and scratch are per <em>thread</em>,
 * shared by every key used on that thread: a simulation holds one key per session (tens of
 * thousands), each used once in a while, so a digest of its own per key was cold memory on every
 * packet. Owners that keep many keys hold the words in fields of their own and call the static
 * {@link #mac(long, long, long, long, long, long, long, long, byte[], int, int, byte[], int, int)
 * mac} and {@link #verify(long, long, long, long, long, long, long, long, byte[], int, int, byte[],
 * int, int) verify}: a MAC under a cold owner then waits for the owner's lines only.
 *
 * <p>An instance is immutable after construction and may be used from any thread (each
 * thread computes with its own digest).
 */
public final class Hmac256 {
    /** Full output length in bytes. */
    public static final int LENGTH = 32;
    /** Number of words a key's state has ({@link #keyState}). */
    public static final int STATE_WORDS = 8;

    /**
     * Chosen once: the JIT then takes it as a constant and inlines the engine's methods into
     * every MAC.
     */
    private static final HmacEngine ENGINE = chooseEngine();

    private static HmacEngine chooseEngine() {
        HmacEngine e = CompressHmacEngine.create();
        return e != null ? e : new DigestHmacEngine();
    }

    /** The key's state words ({@link #keyState}). */
    private final long[] words;

    /**
     * Creates a MAC under a key.
     *
     * @param key the key, of any length; keys longer than 64 bytes are hashed first, as RFC 2104 says
     */
    public Hmac256(byte[] key) {
        words = keyState(key);
    }

    /**
     * Whether MACs resume from SHA-256 states precomputed per key (two compressions for a short
     * message) rather than hashing the key's pads each time (four): true when the JDK's SHA-256
     * compression could be reached (see the class comment) and gave RFC 4231's answers.
     *
     * @return which way this JVM computes; the bytes are the same
     */
    public static boolean precomputedPadStates() {
        return ENGINE instanceof CompressHmacEngine;
    }

    /**
     * The {@link #STATE_WORDS} words a key is held in, for owners that keep many keys in fields
     * of their own and call {@link #mac(long, long, long, long, long, long, long, long, byte[],
     * int, int, byte[], int, int) mac} and {@link #verify(long, long, long, long, long, long, long,
     * long, byte[], int, int, byte[], int, int) verify}. Costs two SHA-256 compressions: call it
     * when a key is made, not per message. The words are secret (they stand for the key) and are
     * valid in this JVM only.
     *
     * @param key the key, of any length
     * @return a new array of the key's words
     */
    public static long[] keyState(byte[] key) {
        return ENGINE.keyState(key);
    }

    /**
     * Computes the MAC of {@code m[off, off+len)} and writes its first {@code outLen} bytes.
     *
     * @param m message array
     * @param off message offset
     * @param len message length
     * @param out destination
     * @param outOff destination offset
     * @param outLen 1 to 32 bytes to write
     * @throws IllegalArgumentException when the message range does not fit {@code m}
     */
    public void mac(byte[] m, int off, int len, byte[] out, int outOff, int outLen) {
        long[] w = words;
        mac(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], m, off, len, out, outOff, outLen);
    }

    /**
     * Computes the MAC of the concatenation {@code a || b} into the first bytes of {@code out}.
     *
     * @param a first part
     * @param b second part
     * @param out destination of at least {@code outLen} bytes
     * @param outLen bytes to write
     */
    public void mac(byte[] a, byte[] b, byte[] out, int outLen) {
        long[] w = words;
        byte[] full = ENGINE.compute(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], a, 0, a.length, b, 0, b.length);
        System.arraycopy(full, 0, out, 0, outLen);
    }

    /**
     * Checks a (possibly truncated) tag in constant time.
     *
     * @param m message array
     * @param off message offset
     * @param len message length
     * @param tag array holding the tag
     * @param tagOff tag offset
     * @param tagLen tag length, 1 to 32
     * @return true when the tag matches
     * @throws IllegalArgumentException when the message range does not fit {@code m}
     */
    public boolean verify(byte[] m, int off, int len, byte[] tag, int tagOff, int tagLen) {
        long[] w = words;
        return verify(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], m, off, len, tag, tagOff, tagLen);
    }

    /**
     * {@link #mac(byte[], int, int, byte[], int, int)} under a key given as its {@link #keyState}
     * words.
     *
     * @param s0 state word 0
     * @param s1 state word 1
     * @param s2 state word 2
     * @param s3 state word 3
     * @param s4 state word 4
     * @param s5 state word 5
     * @param s6 state word 6
     * @param s7 state word 7
     * @param m message array
     * @param off message offset
     * @param len message length
     * @param out destination
     * @param outOff destination offset
     * @param outLen 1 to 32 bytes to write
     * @throws IllegalArgumentException when the message range does not fit {@code m}
     */
    public static void mac(long s0, long s1, long s2, long s3, long s4, long s5, long s6, long s7, byte[] m, int off,
            int len, byte[] out, int outOff, int outLen) {
        byte[] full = ENGINE.compute(s0, s1, s2, s3, s4, s5, s6, s7, m, off, len, null, 0, 0);
        System.arraycopy(full, 0, out, outOff, outLen);
    }

    /**
     * {@link #verify(byte[], int, int, byte[], int, int)} under a key given as its {@link
     * #keyState} words.
     *
     * @param s0 state word 0
     * @param s1 state word 1
     * @param s2 state word 2
     * @param s3 state word 3
     * @param s4 state word 4
     * @param s5 state word 5
     * @param s6 state word 6
     * @param s7 state word 7
     * @param m message array
     * @param off message offset
     * @param len message length
     * @param tag array holding the tag
     * @param tagOff tag offset
     * @param tagLen tag length, 1 to 32
     * @return true when the tag matches
     * @throws IllegalArgumentException when the message range does not fit {@code m}
     */
    public static boolean verify(long s0, long s1, long s2, long s3, long s4, long s5, long s6, long s7, byte[] m,
            int off, int len, byte[] tag, int tagOff, int tagLen) {
        byte[] full = ENGINE.compute(s0, s1, s2, s3, s4, s5, s6, s7, m, off, len, null, 0, 0);
        int diff = 0;
        for (int i = 0; i < tagLen; i++) {
            diff |= full[i] ^ tag[tagOff + i];
        }
        return diff == 0;
    }

    /** @return a new SHA-256 digest (every JDK has it) */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
