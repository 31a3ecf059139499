package org.netbelief.punch.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@link Hmac256} against the JDK's HmacSHA256, with many keys sharing one thread's digest. */
class Hmac256Test {
    private static byte[] jdk(byte[] key, byte[] a, int off, int len, byte[] b) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(a, off, len);
        if (b != null) {
            mac.update(b);
        }
        return mac.doFinal();
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] x = new byte[n];
        rnd.nextBytes(x);
        return x;
    }

    @Test
    void manyKeysInterleaved_matchJdkMac_instanceStaticAndTwoPart() throws Exception {
        Random rnd = new Random(20240611);
        int keys = 64;
        byte[][] key = new byte[keys][];
        Hmac256[] h = new Hmac256[keys];
        for (int i = 0; i < keys; i++) {
            // Lengths across the 64-byte block edge, and long keys that RFC 2104 hashes first.
            int len = i < 8 ? new int[] {1, 16, 32, 63, 64, 65, 128, 300}[i] : 1 + rnd.nextInt(150);
            key[i] = bytes(rnd, len);
            h[i] = new Hmac256(key[i]);
        }
        for (int round = 0; round < 2000; round++) {
            int i = rnd.nextInt(keys); // a random key each time: instances share the thread's digest
            byte[] m = bytes(rnd, 1 + rnd.nextInt(300));
            int off = rnd.nextInt(m.length);
            int len = rnd.nextInt(m.length - off + 1);
            byte[] want = jdk(key[i], m, off, len, null);
            byte[] got = new byte[40];
            int outOff = rnd.nextInt(9);
            h[i].mac(m, off, len, got, outOff, 32);
            assertThat(java.util.Arrays.copyOfRange(got, outOff, outOff + 32)).isEqualTo(want);
            int tagLen = 1 + rnd.nextInt(32);
            assertThat(h[i].verify(m, off, len, want, 0, tagLen)).isTrue();
            want[rnd.nextInt(tagLen)] ^= (byte) (1 << rnd.nextInt(8));
            assertThat(h[i].verify(m, off, len, want, 0, tagLen)).isFalse();

            byte[] b = bytes(rnd, rnd.nextInt(100));
            byte[] two = new byte[32];
            int twoLen = 1 + rnd.nextInt(32);
            h[i].mac(m, b, two, twoLen);
            byte[] want2 = jdk(key[i], m, 0, m.length, b);
            assertThat(java.util.Arrays.copyOf(two, twoLen)).isEqualTo(java.util.Arrays.copyOf(want2, twoLen));
        }
    }

    @Test
    void keyStateWords_matchJdkMac_forKeysOfEveryLengthAcrossTheBlock() throws Exception {
        Random rnd = new Random(20261207);
        for (int round = 0; round < 1000; round++) {
            byte[] key = bytes(rnd, round % 140); // 0 to 139 bytes: short, one block, hashed first
            long[] k = Hmac256.keyState(key);
            assertThat(k).hasSize(Hmac256.STATE_WORDS);
            byte[] m = bytes(rnd, 1 + rnd.nextInt(300));
            int off = rnd.nextInt(m.length);
            int len = rnd.nextInt(m.length - off + 1);
            byte[] want = new byte[32];
            if (key.length == 0) { // the JDK refuses an empty key spec: the array form is checked above
                new Hmac256(key).mac(m, off, len, want, 0, 32);
            } else {
                want = jdk(key, m, off, len, null);
            }
            byte[] got = new byte[40];
            int outOff = rnd.nextInt(9);
            Hmac256.mac(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], m, off, len, got, outOff, 32);
            assertThat(java.util.Arrays.copyOfRange(got, outOff, outOff + 32)).isEqualTo(want);
            int tagLen = 1 + rnd.nextInt(32);
            assertThat(Hmac256.verify(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], m, off, len, want, 0, tagLen))
                    .isTrue();
            want[rnd.nextInt(tagLen)] ^= (byte) (1 << rnd.nextInt(8));
            assertThat(Hmac256.verify(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], m, off, len, want, 0, tagLen))
                    .isFalse();
        }
    }

    /**
     * Both engines, whichever {@link Hmac256} chose, against the JDK's HmacSHA256 on every message
     * length from 0 to 200 (the padding's edge cases: 55, 56, 63, 64 bytes and their sums with
     * the 64-byte pad block), split into two parts at every third point.
     */
    @Test
    void bothEngines_matchJdkMac_onEveryMessageLengthAndSplit() throws Exception {
        List<HmacEngine> engines = new ArrayList<>();
        engines.add(new DigestHmacEngine());
        CompressHmacEngine compress = CompressHmacEngine.create();
        if (compress != null) {
            engines.add(compress);
        }
        Random rnd = new Random(44);
        byte[] key = bytes(rnd, 32);
        for (HmacEngine e : engines) {
            long[] s = e.keyState(key);
            for (int len = 0; len <= 200; len++) {
                byte[] m = bytes(rnd, len + 7);
                byte[] want = jdk(key, m, 3, len, null);
                byte[] got = e.compute(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], m, 3, len, null, 0, 0);
                assertThat(got).as("%s, %d bytes", e.getClass().getSimpleName(), len).isEqualTo(want);
                for (int cut = 0; cut <= len; cut += 3) {
                    byte[] a = java.util.Arrays.copyOfRange(m, 3, 3 + cut);
                    byte[] b = java.util.Arrays.copyOfRange(m, 3 + cut, 3 + len);
                    got = e.compute(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], a, 0, a.length, b, 0, b.length);
                    assertThat(got).as("%s, %d + %d bytes", e.getClass().getSimpleName(), cut, len - cut)
                            .isEqualTo(want);
                }
            }
        }
    }

    /**
     * The fast engine is there whenever the JDK's provider package is open to this code (the
     * build's tests run with --add-opens java.base/sun.security.provider=ALL-UNNAMED), so a JDK
     * whose internals moved fails here instead of silently taking twice the time; and
     * {@link Hmac256} uses it then.
     */
    @Test
    void compressEngine_availableAndChosen_exactlyWhenTheProviderPackageIsOpen() {
        boolean open = Object.class.getModule().isOpen("sun.security.provider", Hmac256.class.getModule());
        assertThat(CompressHmacEngine.create() != null).isEqualTo(open);
        assertThat(Hmac256.precomputedPadStates()).isEqualTo(open);
    }

    @Test
    void badRanges_refusedWithTheRange_byBothEngines() {
        List<HmacEngine> engines = new ArrayList<>();
        engines.add(new DigestHmacEngine());
        CompressHmacEngine compress = CompressHmacEngine.create();
        if (compress != null) {
            engines.add(compress);
        }
        for (HmacEngine e : engines) {
            long[] s = e.keyState(new byte[32]);
            byte[] m = new byte[50];
            assertThatThrownBy(() -> e.compute(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], m, 40, 20, null, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40+20");
            assertThatThrownBy(() -> e.compute(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], m, -1, 2, null, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> e.compute(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], m, 0, 2, m, 49, 2))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void callThatThrew_leavesNoStateInTheSharedDigest() throws Exception {
        Random rnd = new Random(7);
        byte[] key = bytes(rnd, 32);
        byte[] m = bytes(rnd, 50);
        Hmac256 h = new Hmac256(key);
        byte[] out = new byte[32];
        // The message bounds are bad: the pads are hashed, then the message update throws.
        assertThatThrownBy(() -> h.mac(m, 40, 20, out, 0, 32)).isInstanceOf(IllegalArgumentException.class);
        h.mac(m, 0, 50, out, 0, 32);
        assertThat(out).isEqualTo(jdk(key, m, 0, 50, null));
    }

    @Test
    void oneInstanceFromManyThreads_matchesJdkMac() throws Exception {
        byte[] key = bytes(new Random(3), 32);
        Hmac256 h = new Hmac256(key);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    int ok = 0;
                    for (int i = 0; i < 2000; i++) {
                        byte[] m = bytes(rnd, rnd.nextInt(200));
                        byte[] got = new byte[32];
                        h.mac(m, 0, m.length, got, 0, 32);
                        if (java.util.Arrays.equals(got, jdk(key, m, 0, m.length, null))) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(2000);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
