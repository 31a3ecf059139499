package org.netbelief.punch.crypto;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * HMAC-SHA256 through a public {@code MessageDigest}: {@code H((K ^ opad) || H((K ^ ipad) || m))}
 * hashed in full each time, four compressions for a message of up to 55 bytes. The fallback
 * engine (see {@link HmacEngine}); it needs nothing beyond the Java platform.
 *
 * <p>State words: the key (after hashing one longer than a block) zero-padded to 64 bytes, as
 * eight big-endian words. The digest, pads and output are per thread, shared by every key used on
 * that thread: a simulation holds tens of thousands of keys, each used once in a while, and a
 * digest per key was cold memory on every packet.
 */
final class DigestHmacEngine extends HmacEngine {
    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    @Override
    long[] keyState(byte[] key) {
        byte[] k = blockKey(key);
        byte[] padded = new byte[BLOCK];
        System.arraycopy(k, 0, padded, 0, k.length);
        long[] s = new long[Hmac256.STATE_WORDS];
        for (int i = 0; i < s.length; i++) {
            s[i] = (long) LONGS.get(padded, 8 * i);
        }
        return s;
    }

    @Override
    byte[] hash(long s0, long s1, long s2, long s3, long s4, long s5, long s6, long s7, byte[] m, int off, int len,
            byte[] m2, int off2, int len2) {
        Work w = WORK.get();
        byte[] p = w.pads;
        LONGS.set(p, 0, s0 ^ IPAD);
        LONGS.set(p, 8, s1 ^ IPAD);
        LONGS.set(p, 16, s2 ^ IPAD);
        LONGS.set(p, 24, s3 ^ IPAD);
        LONGS.set(p, 32, s4 ^ IPAD);
        LONGS.set(p, 40, s5 ^ IPAD);
        LONGS.set(p, 48, s6 ^ IPAD);
        LONGS.set(p, 56, s7 ^ IPAD);
        LONGS.set(p, BLOCK, s0 ^ OPAD);
        LONGS.set(p, BLOCK + 8, s1 ^ OPAD);
        LONGS.set(p, BLOCK + 16, s2 ^ OPAD);
        LONGS.set(p, BLOCK + 24, s3 ^ OPAD);
        LONGS.set(p, BLOCK + 32, s4 ^ OPAD);
        LONGS.set(p, BLOCK + 40, s5 ^ OPAD);
        LONGS.set(p, BLOCK + 48, s6 ^ OPAD);
        LONGS.set(p, BLOCK + 56, s7 ^ OPAD);
        MessageDigest md = w.md;
        byte[] out = w.out;
        try {
            md.update(p, 0, BLOCK);
            md.update(m, off, len);
            if (len2 > 0) {
                md.update(m2, off2, len2);
            }
            md.digest(out, 0, Hmac256.LENGTH);
            md.update(p, BLOCK, BLOCK);
            md.update(out, 0, Hmac256.LENGTH);
            md.digest(out, 0, Hmac256.LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
        }
        return out;
    }

    /** One thread's digest, pads ({@code K ^ ipad} in [0, 64), {@code K ^ opad} in [64, 128)) and output. */
    private static final class Work {
        final MessageDigest md = Hmac256.sha256();
        final byte[] pads = new byte[2 * BLOCK];
        final byte[] out = new byte[Hmac256.LENGTH];
    }
}
