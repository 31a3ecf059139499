package org.netbelief.punch.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netbelief.punch.wire.DropReason;

class CryptoTest {
    private final SecureRandom rnd = new SecureRandom();

    @Test
    void hmac_matchesJdkMac_forShortAndLongKeys() throws Exception {
        for (int keyLen : new int[] {1, 32, 64, 65, 200}) {
            byte[] key = new byte[keyLen];
            rnd.nextBytes(key);
            byte[] msg = new byte[333];
            rnd.nextBytes(msg);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            jdk.update(msg, 10, 300);
            byte[] want = jdk.doFinal();
            byte[] got = new byte[32];
            Hmac256 h = new Hmac256(key);
            h.mac(msg, 10, 300, got, 0, 32);
            assertThat(got).isEqualTo(want);
            assertThat(h.verify(msg, 10, 300, want, 0, 16)).isTrue();
            want[3] ^= 1;
            assertThat(h.verify(msg, 10, 300, want, 0, 16)).isFalse();
        }
    }

    @Test
    void replayWindow_duplicatesAndOldCounters_rejected() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.check(0)).isEqualTo(DropReason.TOO_OLD);
        assertThat(w.check(5)).isNull();
        w.accept(5);
        assertThat(w.check(5)).isEqualTo(DropReason.REPLAYED);
        assertThat(w.check(3)).isNull();
        w.accept(3);
        assertThat(w.check(3)).isEqualTo(DropReason.REPLAYED);
        assertThat(w.accept(100)).isTrue();
        assertThat(w.check(30)).isEqualTo(DropReason.TOO_OLD); // 100 - 30 = 70 >= 64
    }

    @Test
    void replayWindow_edgeOfWindow_exactBoundary() {
        ReplayWindow w = new ReplayWindow();
        w.accept(100);
        assertThat(w.check(37)).isNull(); // 100 - 37 = 63, the last slot of the window
        assertThat(w.check(36)).isEqualTo(DropReason.TOO_OLD);
        w.accept(37);
        assertThat(w.check(37)).isEqualTo(DropReason.REPLAYED);
        assertThat(w.check(100)).isEqualTo(DropReason.REPLAYED);
        assertThat(w.accept(99)).isFalse();
        assertThat(w.highest()).isEqualTo(100);
    }

    @Test
    void rateLimiter_burstThenRefillInVirtualTime() throws Exception {
        RateLimiter rl = new RateLimiter(10, 3, 4);
        var a = java.net.InetAddress.getByName("127.0.0.1");
        assertThat(rl.tryAcquire(a, 0)).isTrue();
        assertThat(rl.tryAcquire(a, 0)).isTrue();
        assertThat(rl.tryAcquire(a, 0)).isTrue();
        assertThat(rl.tryAcquire(a, 0)).isFalse();
        assertThat(rl.tryAcquire(a, 50_000_000L)).isFalse(); // 0.5 token after 50 ms at 10/s
        assertThat(rl.tryAcquire(a, 100_000_000L)).isTrue(); // 1.0 token after 100 ms
    }

    @Test
    void identity_signVerifyAndPersist_roundTrip(@TempDir Path dir) throws Exception {
        Identity id = Identity.loadOrCreate(dir.resolve("a.id"), rnd);
        Identity again = Identity.loadOrCreate(dir.resolve("a.id"), rnd);
        assertThat(again.peerIdHex()).isEqualTo(id.peerIdHex()).hasSize(32);
        byte[] msg = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = again.sign(Keys.REGISTER_DOMAIN, msg, 0, msg.length);
        assertThat(Keys.verify(id.publicKey(), 0, Keys.REGISTER_DOMAIN, msg, 0, msg.length, sig, 0)).isTrue();
        msg[0] ^= 1;
        assertThat(Keys.verify(id.publicKey(), 0, Keys.REGISTER_DOMAIN, msg, 0, msg.length, sig, 0)).isFalse();
        assertThat(Keys.verify(new byte[32], 0, Keys.REGISTER_DOMAIN, msg, 0, msg.length, sig, 0)).isFalse();
    }

    @Test
    void x25519_bothSidesAgree_andDerivedKeysDifferByLabel() {
        KeyPair a = Keys.x25519(rnd);
        KeyPair b = Keys.x25519(rnd);
        byte[] ab = Keys.agree(a.getPrivate(), Keys.raw(b.getPublic()), 0);
        byte[] ba = Keys.agree(b.getPrivate(), Keys.raw(a.getPublic()), 0);
        assertThat(ab).isNotNull().isEqualTo(ba);
        assertThat(Keys.derive(ab, "x", new byte[1])).isNotEqualTo(Keys.derive(ab, "y", new byte[1]));
        assertThat(Keys.hex(Keys.unhex("00ff7a"))).isEqualTo("00ff7a");
    }

    private static SecureRandom seeded(String seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed.getBytes(StandardCharsets.US_ASCII));
        return r;
    }

    @Test
    void identity_sameSeededRandom_sameKeyAndSignatureAsJdk(@TempDir Path dir) throws Exception {
        Identity id = Identity.generate(seeded("id"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(255, seeded("id"));
        KeyPair jdk = g.generateKeyPair();
        assertThat(id.publicKey()).isEqualTo(Keys.raw(jdk.getPublic()));
        byte[] msg = "register me".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = id.sign(Keys.REGISTER_DOMAIN, msg, 0, msg.length);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(jdk.getPrivate());
        s.update(Keys.REGISTER_DOMAIN);
        s.update(msg);
        assertThat(sig).isEqualTo(s.sign()); // Ed25519 signatures are deterministic
        // The saved file is the JDK's own PKCS#8 / X.509 encoding of the same key.
        id.save(dir.resolve("b.id"));
        List<String> lines = Files.readAllLines(dir.resolve("b.id"), StandardCharsets.US_ASCII);
        assertThat(Base64.getDecoder().decode(lines.get(1))).isEqualTo(jdk.getPrivate().getEncoded());
        assertThat(Base64.getDecoder().decode(lines.get(2))).isEqualTo(jdk.getPublic().getEncoded());
    }

    @Test
    void identity_fileWithForeignPublicKey_refused(@TempDir Path dir) throws Exception {
        Identity a = Identity.generate(rnd);
        Identity b = Identity.generate(rnd);
        a.save(dir.resolve("a.id"));
        b.save(dir.resolve("b.id"));
        List<String> la = Files.readAllLines(dir.resolve("a.id"), StandardCharsets.US_ASCII);
        List<String> lb = Files.readAllLines(dir.resolve("b.id"), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("c.id"), la.get(0) + "\n" + la.get(1) + "\n" + lb.get(2) + "\n");
        assertThatThrownBy(() -> Identity.load(dir.resolve("c.id")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong");
    }

    @Test
    void verify_jdkSignature_acceptedAndTamperedRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        KeyPair jdk = g.generateKeyPair();
        byte[] msg = new byte[200];
        rnd.nextBytes(msg);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(jdk.getPrivate());
        s.update(Keys.REGISTER_DOMAIN);
        s.update(msg, 7, 150);
        byte[] sig = s.sign();
        byte[] pub = Keys.raw(jdk.getPublic());
        assertThat(Keys.verify(pub, 0, Keys.REGISTER_DOMAIN, msg, 7, 150, sig, 0)).isTrue();
        sig[40] ^= 4;
        assertThat(Keys.verify(pub, 0, Keys.REGISTER_DOMAIN, msg, 7, 150, sig, 0)).isFalse();
        assertThat(Keys.verify(pub, 0, Keys.REGISTER_DOMAIN, msg, 7, 150, sig, 10)).isFalse(); // too short
    }

    @Test
    void x25519Raw_sameSeededRandom_sameKeysAndSecretAsJdk() throws Exception {
        byte[] mine = Keys.x25519Private(seeded("x"));
        KeyPair jdkMine = Keys.x25519(seeded("x"));
        assertThat(Keys.x25519Public(mine)).isEqualTo(Keys.raw(jdkMine.getPublic()));
        KeyPair theirs = Keys.x25519(rnd);
        byte[] raw = Keys.agree(mine, Keys.raw(theirs.getPublic()), 0);
        assertThat(raw).isNotNull().isEqualTo(Keys.agree(jdkMine.getPrivate(), Keys.raw(theirs.getPublic()), 0));
        assertThat(Keys.agree(theirs.getPrivate(), Keys.x25519Public(mine), 0)).isEqualTo(raw);
        // u = 0 is of small order: the secret would be all zeros, refused as the JDK refuses it.
        assertThat(Keys.agree(mine, new byte[32], 0)).isNull();
        assertThat(Keys.agree(jdkMine.getPrivate(), new byte[32], 0)).isNull();
    }
}
