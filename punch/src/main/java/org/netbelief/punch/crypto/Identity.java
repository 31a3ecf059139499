package org.netbelief.punch.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.netbelief.punch.internal.HandshakeMemo;

/**
 * A peer's long-term Ed25519 identity. Its id is the first 16 bytes of SHA-256 of the raw public
 * key, shown as 32 hex characters; no one can register under an id without the private key.
 *
 * <pre>{@code
 * Identity me = Identity.loadOrCreate(Path.of("alice.id"), new SecureRandom());
 * System.out.println(me.peerIdHex());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Identity {
    private static final String HEADER = "netbelief-identity-v1";
    /** PKCS#8 v1 encoding of an Ed25519 private key (RFC 8410): this prefix, then the 32-byte seed. */
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
        0x04, 0x22, 0x04, 0x20};
    /** X.509 encoding of an Ed25519 public key (RFC 8410): this prefix, then the 32-byte key. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    /** The 32-byte private seed (RFC 8032 section 5.1.5). */
    private final byte[] seed;
    private final byte[] rawPublic;
    private final byte[] peerId;

    private Identity(byte[] seed) {
        this.seed = seed;
        this.rawPublic = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, rawPublic, 0);
        this.peerId = Keys.peerId(rawPublic, 0);
    }

    /**
     * Generates a fresh identity: a 32-byte Ed25519 seed drawn from {@code random} in one call,
     * as the JDK's Ed25519 key pair generator draws it, so a seeded generator gives the same
     * identity as the JDK would.
     *
     * @param random randomness
     * @return the identity
     */
    public static Identity generate(SecureRandom random) {
        byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
        random.nextBytes(seed);
        return new Identity(seed);
    }

    /**
     * Loads an identity file, or creates one (mode 600 where POSIX) when it does not exist.
     *
     * @param file the file
     * @param random randomness for a new identity
     * @return the identity
     * @throws IOException when the file cannot be read or written
     * @throws IllegalArgumentException when the file exists but is not an identity file
     */
    public static Identity loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        Identity id = generate(random);
        id.save(file);
        return id;
    }

    /**
     * Loads an identity file written by {@link #save}.
     *
     * @param file the file
     * @return the identity
     * @throws IOException when unreadable
     * @throws IllegalArgumentException naming the file when its content is not an identity, or
     *     when its public key does not belong to its private key
     */
    public static Identity load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        if (lines.size() < 3 || !HEADER.equals(lines.get(0))) {
            throw new IllegalArgumentException("file " + file + " is not a netbelief identity (expected first line " + HEADER + ")");
        }
        Identity id;
        byte[] storedPublic;
        try {
            // The JDK parses (and so validates) the encodings; the raw bytes then go to Ed25519.
            KeyFactory f = KeyFactory.getInstance("Ed25519");
            PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines.get(1))));
            PublicKey pub = f.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(lines.get(2))));
            byte[] seed = ((EdECPrivateKey) priv).getBytes()
                    .orElseThrow(() -> new IllegalArgumentException("the private key has no raw bytes"));
            id = new Identity(seed);
            storedPublic = Keys.raw(pub);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("file " + file + " holds a malformed Ed25519 key: " + e.getMessage(), e);
        }
        if (!Arrays.equals(storedPublic, id.rawPublic)) {
            throw new IllegalArgumentException("file " + file + " holds a public key that does not belong to its private key");
        }
        return id;
    }

    /**
     * Writes the key pair (private key in PKCS#8, public in X.509, both base64, RFC 8410).
     *
     * @param file destination
     * @throws IOException when unwritable
     */
    public void save(Path file) throws IOException {
        String text = HEADER + "\n" + Base64.getEncoder().encodeToString(prefixed(PKCS8_PREFIX, seed)) + "\n"
                + Base64.getEncoder().encodeToString(prefixed(X509_PREFIX, rawPublic)) + "\n";
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing more to do.
        }
    }

    private static byte[] prefixed(byte[] prefix, byte[] raw) {
        byte[] enc = Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, enc, prefix.length, raw.length);
        return enc;
    }

    /** @return a copy of the raw 32-byte public key */
    public byte[] publicKey() {
        return rawPublic.clone();
    }

    /** @return a copy of the 16-byte peer id */
    public byte[] peerId() {
        return peerId.clone();
    }

    /** @return the peer id as 32 lower-case hex characters */
    public String peerIdHex() {
        return Keys.hex(peerId);
    }

    /**
     * Signs {@code domain || m[off, off+len)}.
     *
     * @param domain domain separation prefix
     * @param m message array
     * @param off offset
     * @param len length
     * @return the 64-byte signature
     */
    public byte[] sign(byte[] domain, byte[] m, int off, int len) {
        // Deterministic (RFC 8032): inside a simulation the four policy runs share the result.
        Object memo = HandshakeMemo.isOpen() ? HandshakeMemo.key(HandshakeMemo.ED25519_SIGN,
                seed, 0, seed.length, rawPublic, 0, rawPublic.length, domain, 0, domain.length, m, off, len) : null;
        byte[] known = memo == null ? null : HandshakeMemo.get(memo);
        if (known != null) {
            return known;
        }
        byte[] sig = signJoined(domain, m, off, len);
        if (memo != null) {
            HandshakeMemo.put(memo, sig);
            // Our own signature verifies under our key (RFC 8032; rawPublic is derived from the
            // seed): the rendezvous' check of it is then a hit (HandshakeMemo).
            HandshakeMemo.put(Keys.verifyMemoKey(rawPublic, 0, domain, m, off, len, sig, 0), new byte[] {1});
        }
        return sig;
    }

    private byte[] signJoined(byte[] domain, byte[] m, int off, int len) {
        // Ed25519 signs one array: join domain || m (once per registration, not per packet).
        byte[] msg = new byte[domain.length + len];
        System.arraycopy(domain, 0, msg, 0, domain.length);
        System.arraycopy(m, off, msg, domain.length, len);
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, rawPublic, 0, msg, 0, msg.length, sig, 0);
        return sig;
    }

    @Override
    public String toString() {
        return "Identity[" + peerIdHex() + "]";
    }
}
