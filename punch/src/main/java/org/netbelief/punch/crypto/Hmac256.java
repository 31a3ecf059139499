package org.netbelief.punch.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) under one fixed key, allocation-free per message.
 *
 * <p>{@code javax.crypto.Mac.doFinal(byte[], int)} allocates its result array on every call, so
 * this class computes {@code H((K ^ opad) || H((K ^ ipad) || m))} itself with one {@link
 * MessageDigest} and preallocated pads and scratch. Tags may be truncated to their leading bytes
 * (RFC 2104 section 5; the wire format uses 16 bytes as HMAC-SHA-256-128 in RFC 4868).
 * Verification compares in constant time.
 *
 * <p>Not thread-safe: one instance per session, used by the one event-loop thread.
 */
public final class Hmac256 {
    /** Full output length in bytes. */
    public static final int LENGTH = 32;
    private static final int BLOCK = 64;

    private final MessageDigest md;
    private final byte[] ipad = new byte[BLOCK];
    private final byte[] opad = new byte[BLOCK];
    private final byte[] scratch = new byte[LENGTH];

    /**
     * Creates a MAC under a key.
     *
     * @param key the key; keys longer than 64 bytes are hashed first, as RFC 2104 says
     */
    public Hmac256(byte[] key) {
        md = sha256();
        byte[] k = key.length > BLOCK ? md.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
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
        compute(m, off, len, null, 0, 0);
        System.arraycopy(scratch, 0, out, outOff, outLen);
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
        compute(a, 0, a.length, b, 0, b.length);
        System.arraycopy(scratch, 0, out, 0, outLen);
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
        compute(m, off, len, null, 0, 0);
        int diff = 0;
        for (int i = 0; i < tagLen; i++) {
            diff |= scratch[i] ^ tag[tagOff + i];
        }
        return diff == 0;
    }

    private void compute(byte[] m, int off, int len, byte[] m2, int off2, int len2) {
        try {
            md.update(ipad, 0, BLOCK);
            md.update(m, off, len);
            if (m2 != null) {
                md.update(m2, off2, len2);
            }
            md.digest(scratch, 0, LENGTH);
            md.update(opad, 0, BLOCK);
            md.update(scratch, 0, LENGTH);
            md.digest(scratch, 0, LENGTH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
        }
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
