package org.netbelief.punch.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.internal.HandshakeMemo;

/**
 * The simulator's handshake memo must return exactly what the uncached operations return, keep
 * different inputs apart, and cache nothing when closed.
 */
class HandshakeMemoTest {
    private static SecureRandom seeded(String seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    @Test
    void operations_memoOpen_sameBytesAsUncachedAndRepeatsHit() throws Exception {
        SplittableRandom rnd = new SplittableRandom(4);
        byte[][] scalars = new byte[8][];
        byte[][] publics = new byte[8][];
        byte[][] expectedPublic = new byte[8][];
        for (int i = 0; i < 8; i++) {
            scalars[i] = Keys.x25519Private(seeded("memo " + i));
            expectedPublic[i] = Keys.x25519Public(scalars[i]); // memo closed: computed
        }
        byte[][][] expectedShared = new byte[8][8][];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                expectedShared[i][j] = Keys.agree(scalars[i], expectedPublic[j], 0);
            }
        }
        Identity id = Identity.generate(seeded("memo identity"));
        byte[] msg = new byte[100];
        byte[] other = new byte[100];
        for (int i = 0; i < msg.length; i++) {
            msg[i] = (byte) rnd.nextInt();
            other[i] = msg[i];
        }
        other[99] ^= 1;
        byte[] expectedSig = id.sign(Keys.REGISTER_DOMAIN, msg, 0, msg.length);
        byte[] expectedOtherSig = id.sign(Keys.REGISTER_DOMAIN, other, 0, other.length);
        byte[] smallOrder = new byte[32]; // u = 0: a small-order point, refused

        HandshakeMemo.open(1000);
        HandshakeMemo.join();
        try {
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < 8; i++) {
                    publics[i] = Keys.x25519Public(scalars[i]);
                    assertThat(publics[i]).isEqualTo(expectedPublic[i]);
                    for (int j = 0; j < 8; j++) {
                        assertThat(Keys.agree(scalars[i], expectedPublic[j], 0)).isEqualTo(expectedShared[i][j]);
                    }
                    assertThat(Keys.agree(scalars[i], smallOrder, 0)).isNull();
                }
                assertThat(id.sign(Keys.REGISTER_DOMAIN, msg, 0, msg.length)).isEqualTo(expectedSig);
                assertThat(id.sign(Keys.REGISTER_DOMAIN, other, 0, other.length)).isEqualTo(expectedOtherSig);
                byte[] pub = id.publicKey();
                assertThat(Keys.verify(pub, 0, Keys.REGISTER_DOMAIN, msg, 0, msg.length, expectedSig, 0)).isTrue();
                assertThat(Keys.verify(pub, 0, Keys.REGISTER_DOMAIN, other, 0, other.length, expectedSig, 0)).isFalse();
            }
            // A returned array is the caller's own: changing it changes nothing stored.
            Keys.x25519Public(scalars[0])[0] ^= 1;
            assertThat(Keys.x25519Public(scalars[0])).isEqualTo(expectedPublic[0]);
            // Pass 1 repeated all of pass 0: 8 publics, 64 + 8 agreements, 2 signatures, 2 checks.
            assertThat(HandshakeMemo.hits()).isGreaterThanOrEqualTo(8 + 72 + 2 + 2);
            assertThat(HandshakeMemo.misses()).isEqualTo(8 + 72 + 2 + 2);
        } finally {
            HandshakeMemo.leave();
            HandshakeMemo.close();
        }
        assertThat(HandshakeMemo.isOpen()).isFalse();
        assertThat(HandshakeMemo.hits()).isZero();
    }

    @Test
    void open_full_computesWithoutStoring() throws Exception {
        byte[] a = Keys.x25519Private(seeded("a"));
        byte[] b = Keys.x25519Private(seeded("b"));
        HandshakeMemo.open(1);
        HandshakeMemo.join();
        try {
            byte[] pa = Keys.x25519Public(a);
            byte[] pb = Keys.x25519Public(b); // the memo is full: computed, not stored
            assertThat(Keys.x25519Public(b)).isEqualTo(pb);
            assertThat(Keys.x25519Public(a)).isEqualTo(pa);
            assertThat(HandshakeMemo.hits()).isEqualTo(1);
        } finally {
            HandshakeMemo.leave();
            HandshakeMemo.close();
        }
    }

    @Test
    void open_threadNotJoined_computesAndStoresNothing() throws Exception {
        byte[] a = Keys.x25519Private(seeded("not joined"));
        byte[] expected = Keys.x25519Public(a);
        HandshakeMemo.open(100);
        try {
            // A real peer on another thread while a simulation runs: its keys never enter the memo.
            byte[][] seen = new byte[2][];
            boolean[] open = new boolean[1];
            Thread t = new Thread(() -> {
                open[0] = HandshakeMemo.isOpen();
                seen[0] = Keys.x25519Public(a);
                seen[1] = Keys.x25519Public(a);
            });
            t.start();
            t.join();
            assertThat(open[0]).isFalse();
            assertThat(seen[0]).isEqualTo(expected);
            assertThat(seen[1]).isEqualTo(expected);
            assertThat(HandshakeMemo.hits() + HandshakeMemo.misses()).isZero();
            // The opening thread has not joined either.
            assertThat(HandshakeMemo.isOpen()).isFalse();
            Keys.x25519Public(a);
            assertThat(HandshakeMemo.misses()).isZero();
        } finally {
            HandshakeMemo.close();
        }
        assertThatThrownBy(HandshakeMemo::join).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void close_withoutOpen_throws() {
        assertThatThrownBy(HandshakeMemo::close).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HandshakeMemo.open(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxEntries");
    }
}
