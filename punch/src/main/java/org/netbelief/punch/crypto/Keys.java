package org.netbelief.punch.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.netbelief.punch.internal.HandshakeMemo;

/**
 * Key handling for the protocol: Ed25519 signatures and X25519 agreement.
 *
 * <p>The operations the engines run on every registration (signing, verifying, ephemeral X25519
 * keys and agreement) use Bouncy Castle's raw-array Ed25519 (RFC 8032) and X25519 (RFC 7748). On
 * the 2-core build machine the JDK 17 providers took about 1.6 ms per signature, 2.5 ms per
 * verification and 0.45 ms per X25519 scalar multiplication; Bouncy Castle takes 40 µs, 105 µs and
 * 35–100 µs. The results are the same bytes: Ed25519 signatures are deterministic, and both
 * libraries draw an X25519 or Ed25519 private key as exactly 32 bytes from the given {@code
 * SecureRandom}, so a seeded generator gives the same keys either way ({@code CryptoTest} checks
 * both against the JDK). The JCA forms ({@link #x25519(SecureRandom)}, {@link #agree(PrivateKey,
 * byte[], int)}) stay for callers that hold JDK key objects.
 *
 * <p>Raw 32-byte public keys travel on the wire. A JDK X.509 encoding of an Ed25519 or X25519
 * public key is a fixed 12-byte prefix (RFC 8410) followed by the raw key, so conversion is a
 * prefix strip or prepend.
 *
 * <p>Derived keys: {@code derive(secret, label, context) = HMAC-SHA256(secret, label || context)},
 * one HKDF-Expand block (RFC 5869) with the label as info; every label is distinct so keys for
 * different purposes never coincide.
 */
public final class Keys {
    private Keys() {}

    private static final byte[] ED25519_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final byte[] X25519_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};
    /** Domain string prepended to the signed bytes of a REGISTER_PROOF. */
    public static final byte[] REGISTER_DOMAIN = "netbelief-punch-v1 register".getBytes(StandardCharsets.US_ASCII);

    /**
     * The raw 32-byte form of an Ed25519 or X25519 public key.
     *
     * @param key the key
     * @return 32 bytes
     */
    public static byte[] raw(PublicKey key) {
        byte[] enc = key.getEncoded();
        if (enc.length != 44) {
            throw new IllegalArgumentException("public key " + key.getAlgorithm() + " has a " + enc.length + "-byte encoding, expected 44");
        }
        return Arrays.copyOfRange(enc, 12, 44);
    }

    /**
     * Rebuilds an Ed25519 public key from its raw bytes.
     *
     * @param raw array holding the key
     * @param off offset of the 32 bytes
     * @return the key
     * @throws GeneralSecurityException when the bytes are not a valid point encoding
     */
    public static PublicKey ed25519(byte[] raw, int off) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(prefixed(ED25519_PREFIX, raw, off)));
    }

    /**
     * Verifies an Ed25519 signature over {@code domain || m[off, off+len)}.
     *
     * @param key raw public key array
     * @param keyOff key offset
     * @param domain domain separation prefix
     * @param m message array
     * @param off message offset
     * @param len message length
     * @param sig signature array
     * @param sigOff signature offset (64 bytes)
     * @return true when valid; false on any malformed key or signature
     */
    public static boolean verify(byte[] key, int keyOff, byte[] domain, byte[] m, int off, int len, byte[] sig, int sigOff) {
        if (key == null || m == null || sig == null || keyOff < 0 || key.length - keyOff < 32 || off < 0 || len < 0
                || m.length - off < len || sigOff < 0 || sig.length - sigOff < 64) {
            return false;
        }
        // Inside a simulation the four policy runs repeat the same handshakes (HandshakeMemo).
        Object memo = HandshakeMemo.isOpen() ? verifyMemoKey(key, keyOff, domain, m, off, len, sig, sigOff) : null;
        byte[] known = memo == null ? null : HandshakeMemo.get(memo);
        if (known != null) {
            return known[0] == 1;
        }
        boolean valid = verifyJoined(key, keyOff, domain, m, off, len, sig, sigOff);
        if (memo != null) {
            HandshakeMemo.put(memo, new byte[] {(byte) (valid ? 1 : 0)});
        }
        return valid;
    }

    private static boolean verifyJoined(byte[] key, int keyOff, byte[] domain, byte[] m, int off, int len, byte[] sig,
            int sigOff) {
        // Ed25519 signs domain || m; the raw API takes one array, so join them (once per
        // registration, not per packet).
        byte[] msg = new byte[domain.length + len];
        System.arraycopy(domain, 0, msg, 0, domain.length);
        System.arraycopy(m, off, msg, domain.length, len);
        try {
            return Ed25519.verify(sig, sigOff, key, keyOff, msg, 0, msg.length);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return false;
        }
    }

    /**
     * Draws a raw X25519 private key: 32 bytes from {@code random} (the same single draw as the
     * JDK's XDH key pair generator, so a seeded generator gives the same key), clamped as RFC 7748
     * section 5 prescribes.
     *
     * @param random randomness
     * @return the 32-byte private scalar
     */
    public static byte[] x25519Private(SecureRandom random) {
        byte[] k = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, k);
        return k;
    }

    /**
     * The raw X25519 public key of a raw private key.
     *
     * @param privateKey 32-byte private scalar, e.g. from {@link #x25519Private}
     * @return the 32-byte public u-coordinate
     */
    public static byte[] x25519Public(byte[] privateKey) {
        Object memo = HandshakeMemo.isOpen() ? publicMemoKey(privateKey) : null;
        byte[] known = memo == null ? null : HandshakeMemo.get(memo);
        if (known != null) {
            return known;
        }
        byte[] p = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(privateKey, 0, p, 0);
        if (memo != null) {
            HandshakeMemo.put(memo, p);
            // The reverse entry: lets an agreement with p store its mirror (see agree).
            HandshakeMemo.put(ownerMemoKey(p, 0), privateKey);
        }
        return p;
    }

    /**
     * X25519 agreement of a raw private key with a raw peer key.
     *
     * @param mine 32-byte private scalar
     * @param theirs array holding the peer's 32-byte public key
     * @param off its offset
     * @return the 32-byte shared secret, or null when the peer key is out of range or of small
     *     order (an all-zero secret), as the JDK refuses it too
     */
    public static byte[] agree(byte[] mine, byte[] theirs, int off) {
        if (theirs == null || off < 0 || theirs.length - off < X25519.POINT_SIZE) {
            return null;
        }
        Object memo = HandshakeMemo.isOpen() ? agreeMemoKey(mine, theirs, off) : null;
        byte[] known = memo == null ? null : HandshakeMemo.get(memo);
        if (known != null) {
            return known.length == 0 ? null : known; // empty: a refused (small-order) key
        }
        byte[] shared = new byte[X25519.POINT_SIZE];
        boolean ok = X25519.calculateAgreement(mine, 0, theirs, off, shared, 0);
        if (memo != null) {
            HandshakeMemo.put(memo, ok ? shared : new byte[0]);
            if (ok) {
                storeMirror(mine, theirs, off, shared);
            }
        }
        return ok ? shared : null;
    }

    /**
     * Inside an open memo, after {@code shared = X25519(mine, theirs)} was computed: when the memo
     * knows the scalar behind {@code theirs} and the public key of {@code mine}, stores the same
     * secret for the other side's agreement, which X25519's symmetry makes equal (HandshakeMemo,
     * "Results known without computing them"). Looks up, never computes.
     */
    private static void storeMirror(byte[] mine, byte[] theirs, int off, byte[] shared) {
        byte[] owner = HandshakeMemo.peek(ownerMemoKey(theirs, off));
        if (owner == null) {
            return;
        }
        byte[] minePublic = HandshakeMemo.peek(publicMemoKey(mine));
        if (minePublic == null) {
            return;
        }
        HandshakeMemo.put(agreeMemoKey(owner, minePublic, 0), shared);
    }

    // The memo keys, each built in one place: a store and a lookup of the same result must agree
    // byte for byte.

    private static Object publicMemoKey(byte[] scalar) {
        return HandshakeMemo.key(HandshakeMemo.X25519_PUBLIC, scalar, 0, X25519.SCALAR_SIZE, null, 0, 0);
    }

    private static Object ownerMemoKey(byte[] point, int off) {
        return HandshakeMemo.key(HandshakeMemo.X25519_OWNER, point, off, X25519.POINT_SIZE, null, 0, 0);
    }

    private static Object agreeMemoKey(byte[] scalar, byte[] point, int off) {
        return HandshakeMemo.key(HandshakeMemo.X25519_AGREE, scalar, 0, X25519.SCALAR_SIZE, point, off,
                X25519.POINT_SIZE);
    }

    /**
     * The memo key under which {@link #verify} looks up {@code (key, domain, m, sig)}; for a signer
     * that stores the answer it knows (HandshakeMemo, "Results known without computing them").
     */
    static Object verifyMemoKey(byte[] key, int keyOff, byte[] domain, byte[] m, int off, int len, byte[] sig,
            int sigOff) {
        return HandshakeMemo.key(HandshakeMemo.ED25519_VERIFY, key, keyOff, 32, domain, 0, domain.length, m, off, len,
                sig, sigOff, 64);
    }

    /**
     * A fresh ephemeral X25519 key pair.
     *
     * @param random randomness
     * @return the pair
     */
    public static KeyPair x25519(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            g.initialize(255, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is part of every Java 11+ platform", e);
        }
    }

    /**
     * X25519 agreement with a raw peer key.
     *
     * @param mine our private key
     * @param theirs raw peer key array
     * @param off offset of the 32 bytes
     * @return the 32-byte shared secret, or null when the peer key is invalid or low-order
     */
    public static byte[] agree(PrivateKey mine, byte[] theirs, int off) {
        try {
            PublicKey pk = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(prefixed(X25519_PREFIX, theirs, off)));
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(mine);
            ka.doPhase(pk, true);
            return ka.generateSecret();
        } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            return null;
        }
    }

    /**
     * Derives a 32-byte key: HMAC-SHA256(secret, label || context).
     *
     * @param secret input key material
     * @param label purpose, distinct per use
     * @param context binding bytes (cookie, session id)
     * @return 32 bytes
     */
    public static byte[] derive(byte[] secret, String label, byte[] context) {
        byte[] out = new byte[Hmac256.LENGTH];
        new Hmac256(secret).mac(label.getBytes(StandardCharsets.US_ASCII), context, out, Hmac256.LENGTH);
        return out;
    }

    /**
     * The first 16 bytes of SHA-256 of a raw public key: the peer id.
     *
     * @param rawPublicKey array holding the key
     * @param off offset of the 32 bytes
     * @return 16 bytes
     */
    public static byte[] peerId(byte[] rawPublicKey, int off) {
        var md = Hmac256.sha256();
        md.update(rawPublicKey, off, 32);
        return Arrays.copyOf(md.digest(), 16);
    }

    /**
     * Lower-case hex.
     *
     * @param b bytes
     * @return hex string
     */
    public static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return s.toString();
    }

    /**
     * Parses lower- or upper-case hex.
     *
     * @param s hex text of even length
     * @return the bytes
     * @throws IllegalArgumentException naming the text when it is not hex
     */
    public static byte[] unhex(String s) {
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("hex '" + s + "' has odd length");
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("'" + s + "' is not hex");
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    private static byte[] prefixed(byte[] prefix, byte[] raw, int off) {
        byte[] enc = Arrays.copyOf(prefix, 44);
        System.arraycopy(raw, off, enc, 12, 32);
        return enc;
    }
}
