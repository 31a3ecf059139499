package org.netbelief.punch.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

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
    private final KeyPair pair;
    private final byte[] rawPublic;
    private final byte[] peerId;

    private Identity(KeyPair pair) {
        this.pair = pair;
        this.rawPublic = Keys.raw(pair.getPublic());
        this.peerId = Keys.peerId(rawPublic, 0);
    }

    /**
     * Generates a fresh identity.
     *
     * @param random randomness
     * @return the identity
     */
    public static Identity generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(255, random);
            return new Identity(g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 15+ platform", e);
        }
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
     * @throws IllegalArgumentException naming the file when its content is not an identity
     */
    public static Identity load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        if (lines.size() < 3 || !HEADER.equals(lines.get(0))) {
            throw new IllegalArgumentException("file " + file + " is not a netbelief identity (expected first line " + HEADER + ")");
        }
        try {
            KeyFactory f = KeyFactory.getInstance("Ed25519");
            PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines.get(1))));
            PublicKey pub = f.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(lines.get(2))));
            return new Identity(new KeyPair(pub, priv));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("file " + file + " holds a malformed Ed25519 key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the key pair (private key in PKCS#8, public in X.509, both base64).
     *
     * @param file destination
     * @throws IOException when unwritable
     */
    public void save(Path file) throws IOException {
        String text = HEADER + "\n" + Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n"
                + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n";
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing more to do.
        }
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
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(domain);
            s.update(m, off, len);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "Identity[" + peerIdHex() + "]";
    }
}
