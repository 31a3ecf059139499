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
    void shortKeyWords_matchJdkMac_forEveryKeyLengthUpTo32() throws Exception {
        Random rnd = new Random(20261207);
        for (int round = 0; round < 1000; round++) {
            byte[] key = bytes(rnd, round % (Hmac256.SHORT_KEY_MAX + 1));
            long k0 = Hmac256.keyWord(key, 0);
            long k1 = Hmac256.keyWord(key, 1);
            long k2 = Hmac256.keyWord(key, 2);
            long k3 = Hmac256.keyWord(key, 3);
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
            Hmac256.mac(k0, k1, k2, k3, m, off, len, got, outOff, 32);
            assertThat(java.util.Arrays.copyOfRange(got, outOff, outOff + 32)).isEqualTo(want);
            int tagLen = 1 + rnd.nextInt(32);
            assertThat(Hmac256.verify(k0, k1, k2, k3, m, off, len, want, 0, tagLen)).isTrue();
            want[rnd.nextInt(tagLen)] ^= (byte) (1 << rnd.nextInt(8));
            assertThat(Hmac256.verify(k0, k1, k2, k3, m, off, len, want, 0, tagLen)).isFalse();
        }
        assertThatThrownBy(() -> Hmac256.keyWord(new byte[33], 0)).isInstanceOf(IllegalArgumentException.class);
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
