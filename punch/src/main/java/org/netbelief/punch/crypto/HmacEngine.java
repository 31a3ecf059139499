package org.netbelief.punch.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * How {@link Hmac256} computes: a key is turned once into {@link Hmac256#STATE_WORDS} words of
 * state, and every MAC then starts from those words. Two engines give the same bytes (both are
 * RFC 2104 HMAC-SHA256) and differ in what the words are:
 *
 * <ul>
 *   <li>{@link CompressHmacEngine}: the SHA-256 chaining values after the blocks {@code K ^ ipad}
 *       and {@code K ^ opad} (the "midstates" every HMAC of that key begins with), so a MAC of
 *       a short message costs two SHA-256 compressions instead of four. It calls the JDK's own
 *       SHA-256 compression, which the JIT replaces by the CPU's SHA instructions, and needs the
 *       package {@code sun.security.provider} opened to this code.
 *   <li>{@link DigestHmacEngine}: the key itself, hashed through a public {@code MessageDigest}
 *       (four compressions for a short message). It needs nothing and is the fallback.
 * </ul>
 *
 * <p>Package-private: the engine is chosen once ({@link Hmac256#precomputedPadStates()}), and a
 * key's words are only meaningful to the engine that made them.
 */
abstract class HmacEngine {
    /** SHA-256's block length in bytes. */
    static final int BLOCK = 64;
    /** HMAC's inner pad byte (RFC 2104) repeated over a word. */
    static final long IPAD = 0x3636363636363636L;
    /** HMAC's outer pad byte (RFC 2104) repeated over a word. */
    static final long OPAD = 0x5c5c5c5c5c5c5c5cL;
    /** Big-endian long view of a byte array. */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * The state words of {@code key} (any length: keys longer than a block are hashed first, as
     * RFC 2104 says). Allocates: call when a key is made, not per message.
     *
     * @param key the key
     * @return {@link Hmac256#STATE_WORDS} words
     */
    abstract long[] keyState(byte[] key);

    /**
     * The full 32-byte HMAC of {@code m[off, off+len) || m2[off2, off2+len2)} under a key's state
     * words, in a per-thread array that the next call on this thread overwrites.
     *
     * @param m2 second part, or null for none
     * @throws IllegalArgumentException when a range does not fit its array
     */
    final byte[] compute(long s0, long s1, long s2, long s3, long s4, long s5, long s6, long s7, byte[] m, int off,
            int len, byte[] m2, int off2, int len2) {
        // Checked before anything is hashed, so a bad range leaves nothing in the thread's digest.
        checkRange(m, off, len);
        checkRange(m2, off2, len2);
        return hash(s0, s1, s2, s3, s4, s5, s6, s7, m, off, len, m2, off2, len2);
    }

    /** {@link #compute} on ranges already checked. */
    abstract byte[] hash(long s0, long s1, long s2, long s3, long s4, long s5, long s6, long s7, byte[] m, int off,
            int len, byte[] m2, int off2, int len2);

    /** The key after RFC 2104's first step: itself, or its SHA-256 when longer than a block. */
    static byte[] blockKey(byte[] key) {
        return key.length > BLOCK ? Hmac256.sha256().digest(key) : key;
    }

    /** Throws unless {@code [off, off+len)} lies in {@code a} (a null array only with length 0). */
    private static void checkRange(byte[] a, int off, int len) {
        if (a == null ? len != 0 : (off | len) < 0 || len > a.length - off) {
            throw new IllegalArgumentException("range " + off + "+" + len + " does not fit an array of "
                    + (a == null ? "null" : Integer.toString(a.length)));
        }
    }
}
