package org.netbelief.punch.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
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
 * <p>An instance holds only its key, as the 128 bytes {@code (K ^ ipad) || (K ^ opad)} in one
 * array. The SHA-256 digest and the 32-byte scratch are per <em>thread</em>, shared by every
 * instance used on that thread. Why: a simulation holds one instance per session (tens of
 * thousands), each used once in a while, so a digest of its own (MessageDigest, its delegate,
 * the SHA-256 engine, its state and buffer arrays, plus pads and scratch: nine objects) was
 * cold memory on every packet; the shared digest stays in cache and an instance costs two
 * objects. The JDK digest is kept because it uses the CPU's SHA extensions (a pure-Java SHA-256
 * with precomputed pad midstates was measured 2.8-4.6x slower).
 *
 * <p>An instance is immutable after construction and may be used from any thread (each
 * thread computes with its own digest).
 */
public final class Hmac256 {
    /** Full output length in bytes. */
    public static final int LENGTH = 32;
    private static final int BLOCK = 64;

    /** Largest key the four-word form ({@link #keyWord}) takes. */
    public static final int SHORT_KEY_MAX = 32;
    private static final long IPAD = 0x3636363636363636L;
    private static final long OPAD = 0x5c5c5c5c5c5c5c5cL;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The per-thread digest and scratch (see the class comment for why they are shared). */
    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /** {@code K ^ ipad} in [0, 64), {@code K ^ opad} in [64, 128). */
    private final byte[] pads;

    /**
     * Creates a MAC under a key.
     *
     * @param key the key; keys longer than 64 bytes are hashed first, as RFC 2104 says
     */
    public Hmac256(byte[] key) {
        pads = keyPads(key);
    }

    /** The key as an instance holds it: {@code K ^ ipad} in bytes [0, 64), {@code K ^ opad} in [64, 128). */
    private static byte[] keyPads(byte[] key) {
        byte[] k = key.length > BLOCK ? sha256().digest(key) : key;
        byte[] pads = new byte[2 * BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            pads[i] = (byte) (b ^ 0x36);
            pads[BLOCK + i] = (byte) (b ^ 0x5c);
        }
        return pads;
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
     */
    public void mac(byte[] m, int off, int len, byte[] out, int outOff, int outLen) {
        macPads(pads, m, off, len, out, outOff, outLen);
    }

    private static void macPads(byte[] pads, byte[] m, int off, int len, byte[] out, int outOff, int outLen) {
        Work w = WORK.get();
        w.compute(pads, m, off, len, null, 0, 0);
        System.arraycopy(w.scratch, 0, out, outOff, outLen);
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
        Work w = WORK.get();
        w.compute(pads, a, 0, a.length, b, 0, b.length);
        System.arraycopy(w.scratch, 0, out, 0, outLen);
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
     */
    public boolean verify(byte[] m, int off, int len, byte[] tag, int tagOff, int tagLen) {
        return verifyPads(pads, m, off, len, tag, tagOff, tagLen);
    }

    private static boolean verifyPads(byte[] pads, byte[] m, int off, int len, byte[] tag, int tagOff, int tagLen) {
        byte[] scratch = WORK.get().compute(pads, m, off, len, null, 0, 0);
        return tagMatches(scratch, tag, tagOff, tagLen);
    }

    /**
     * Word {@code i} (0 to 3) of a key of at most {@link #SHORT_KEY_MAX} bytes, for owners that
     * keep such a key as four {@code long} fields and call {@link #mac(long, long, long, long,
     * byte[], int, int, byte[], int, int)} and {@link #verify(long, long, long, long, byte[],
     * int, int, byte[], int, int)}: the key then lives inside the owner's object, so a MAC under
     * a cold owner waits for no second object (an instance's pads array). Bytes past the
     * key's end are zero, as RFC 2104 pads a short key.
     *
     * @param key the key, at most 32 bytes
     * @param i word index, 0 to 3
     * @return key bytes {@code [8i, 8i+8)} big-endian
     * @throws IllegalArgumentException when the key is longer than 32 bytes
     */
    public static long keyWord(byte[] key, int i) {
        if (key.length > SHORT_KEY_MAX) {
            throw new IllegalArgumentException("a key of " + key.length + " bytes is longer than " + SHORT_KEY_MAX);
        }
        long w = 0;
        for (int j = 0; j < 8; j++) {
            int at = 8 * i + j;
            w = w << 8 | (at < key.length ? key[at] & 0xFF : 0);
        }
        return w;
    }

    /**
     * {@link #mac(byte[], int, int, byte[], int, int)} under a key given as its four {@link
     * #keyWord}s.
     *
     * @param k0 key word 0
     * @param k1 key word 1
     * @param k2 key word 2
     * @param k3 key word 3
     * @param m message array
     * @param off message offset
     * @param len message length
     * @param out destination
     * @param outOff destination offset
     * @param outLen 1 to 32 bytes to write
     */
    public static void mac(long k0, long k1, long k2, long k3, byte[] m, int off, int len, byte[] out, int outOff,
            int outLen) {
        Work w = WORK.get();
        w.compute(w.shortPads(k0, k1, k2, k3), m, off, len, null, 0, 0);
        System.arraycopy(w.scratch, 0, out, outOff, outLen);
    }

    /**
     * {@link #verify(byte[], int, int, byte[], int, int)} under a key given as its four {@link
     * #keyWord}s.
     *
     * @param k0 key word 0
     * @param k1 key word 1
     * @param k2 key word 2
     * @param k3 key word 3
     * @param m message array
     * @param off message offset
     * @param len message length
     * @param tag array holding the tag
     * @param tagOff tag offset
     * @param tagLen tag length, 1 to 32
     * @return true when the tag matches
     */
    public static boolean verify(long k0, long k1, long k2, long k3, byte[] m, int off, int len, byte[] tag, int tagOff,
            int tagLen) {
        Work w = WORK.get();
        byte[] scratch = w.compute(w.shortPads(k0, k1, k2, k3), m, off, len, null, 0, 0);
        return tagMatches(scratch, tag, tagOff, tagLen);
    }

    /** Compares the first {@code tagLen} bytes of {@code mac} with the tag in constant time. */
    private static boolean tagMatches(byte[] mac, byte[] tag, int tagOff, int tagLen) {
        int diff = 0;
        for (int i = 0; i < tagLen; i++) {
            diff |= mac[i] ^ tag[tagOff + i];
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

    /** One thread's digest and scratch. */
    private static final class Work {
        final MessageDigest md = sha256();
        final byte[] scratch = new byte[LENGTH];
        /**
         * The pads of the short key being used: bytes [32, 64) and [96, 128) are those of a zero
         * key byte and never change; {@link #shortPads} writes the first 32 of each half.
         */
        private final byte[] shortKeyPads = keyPads(new byte[0]);

        /** @return the thread's pads array holding the pads of the key {@code k0..k3} */
        byte[] shortPads(long k0, long k1, long k2, long k3) {
            byte[] p = shortKeyPads;
            LONGS.set(p, 0, k0 ^ IPAD);
            LONGS.set(p, 8, k1 ^ IPAD);
            LONGS.set(p, 16, k2 ^ IPAD);
            LONGS.set(p, 24, k3 ^ IPAD);
            LONGS.set(p, BLOCK, k0 ^ OPAD);
            LONGS.set(p, BLOCK + 8, k1 ^ OPAD);
            LONGS.set(p, BLOCK + 16, k2 ^ OPAD);
            LONGS.set(p, BLOCK + 24, k3 ^ OPAD);
            return p;
        }

        /** Computes the full MAC into {@link #scratch} and returns it. */
        byte[] compute(byte[] pads, byte[] m, int off, int len, byte[] m2, int off2, int len2) {
            // A call that threw half way (bad bounds from a caller) must not leave its bytes in
            // the digest every MAC on this thread shares; after a completed digest the reset
            // is free (the JDK skips it when nothing was hashed).
            md.reset();
            try {
                md.update(pads, 0, BLOCK);
                md.update(m, off, len);
                if (m2 != null) {
                    md.update(m2, off2, len2);
                }
                md.digest(scratch, 0, LENGTH);
                md.update(pads, BLOCK, BLOCK);
                md.update(scratch, 0, LENGTH);
                md.digest(scratch, 0, LENGTH);
            } catch (DigestException e) {
                throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
            }
            return scratch;
        }
    }
}
