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

    /** A test body that runs inside an open memo its thread has joined. */
    private interface InMemo {
        void run() throws Exception;
    }

    /** Opens a memo for {@code maxEntries} results, joins it, runs {@code body}, leaves and closes. */
    private static void inMemo(int maxEntries, InMemo body) throws Exception {
        HandshakeMemo.open(maxEntries);
        HandshakeMemo.join();
        try {
            body.run();
        } finally {
            HandshakeMemo.leave();
            HandshakeMemo.close();
        }
    }

    private static void assertCounts(long hits, long misses) {
        assertThat(HandshakeMemo.hits()).as("hits").isEqualTo(hits);
        assertThat(HandshakeMemo.misses()).as("misses").isEqualTo(misses);
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
            // Pass 0 computed 8 publics, 64 + 8 agreements, 2 signatures and the one check of a
            // signature over other bytes; the check of our own signature was stored when it was
            // made (signing_memoOpen_...). Pass 1 repeated all of it.
            assertThat(HandshakeMemo.hits()).isGreaterThanOrEqualTo(8 + 72 + 2 + 2 + 1);
            assertThat(HandshakeMemo.misses()).isEqualTo(8 + 72 + 2 + 1);
        } finally {
            HandshakeMemo.leave();
            HandshakeMemo.close();
        }
        assertThat(HandshakeMemo.isOpen()).isFalse();
        assertThat(HandshakeMemo.hits()).isZero();
    }

    @Test
    void signing_memoOpen_ownSignatureVerifiesWithoutComputingAndOthersAreComputed() throws Exception {
        Identity id = Identity.generate(seeded("signer"));
        Identity stranger = Identity.generate(seeded("stranger"));
        byte[] msg = "register: cookie, keys, name".getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[msg.length + 7]; // the message at an offset, as in a frame
        System.arraycopy(msg, 0, framed, 5, msg.length);
        byte[] expected = id.sign(Keys.REGISTER_DOMAIN, msg, 0, msg.length); // memo closed
        inMemo(100, () -> {
            byte[] sig = id.sign(Keys.REGISTER_DOMAIN, framed, 5, msg.length);
            assertThat(sig).isEqualTo(expected);
            assertCounts(0, 1); // the signature
            byte[] pub = id.publicKey();
            // The check of the same bytes, wherever they sit: answered from the stored fact.
            byte[] wire = new byte[3 + 32 + msg.length + 64];
            System.arraycopy(pub, 0, wire, 3, 32);
            System.arraycopy(msg, 0, wire, 35, msg.length);
            System.arraycopy(sig, 0, wire, 35 + msg.length, 64);
            assertThat(Keys.verify(wire, 3, Keys.REGISTER_DOMAIN, wire, 35, msg.length, wire, 35 + msg.length)).isTrue();
            assertCounts(1, 1);
            // Anything else is computed, and refused: another key, another domain, a changed
            // message or a changed signature.
            byte[] badSig = sig.clone();
            badSig[10] ^= 4;
            byte[] badMsg = msg.clone();
            badMsg[0] ^= 1;
            assertThat(Keys.verify(stranger.publicKey(), 0, Keys.REGISTER_DOMAIN, msg, 0, msg.length, sig, 0)).isFalse();
            assertThat(Keys.verify(pub, 0, "other domain".getBytes(StandardCharsets.US_ASCII), msg, 0, msg.length, sig,
                    0)).isFalse();
            assertThat(Keys.verify(pub, 0, Keys.REGISTER_DOMAIN, badMsg, 0, badMsg.length, sig, 0)).isFalse();
            assertThat(Keys.verify(pub, 0, Keys.REGISTER_DOMAIN, msg, 0, msg.length, badSig, 0)).isFalse();
            assertCounts(1, 5);
        });
    }

    /** The fact the memo stores at signing, checked by computing it: 200 keys and messages. */
    @Test
    void verify_ownSignatures_alwaysValid() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        SecureRandom keys = seeded("many signers");
        for (int i = 0; i < 200; i++) {
            Identity id = Identity.generate(keys);
            byte[] m = new byte[rnd.nextInt(0, 300)];
            for (int k = 0; k < m.length; k++) {
                m[k] = (byte) rnd.nextInt();
            }
            byte[] sig = id.sign(Keys.REGISTER_DOMAIN, m, 0, m.length);
            assertThat(Keys.verify(id.publicKey(), 0, Keys.REGISTER_DOMAIN, m, 0, m.length, sig, 0))
                    .as("signature %d", i).isTrue();
        }
    }

    @Test
    void agree_memoOpen_mirrorOfAKnownPairIsAnsweredAndEqualsTheComputedSecret() throws Exception {
        byte[] a = Keys.x25519Private(seeded("rendezvous side"));
        byte[] b = Keys.x25519Private(seeded("peer side"));
        byte[] c = Keys.x25519Private(seeded("stranger side"));
        byte[] pa = Keys.x25519Public(a); // memo closed: computed
        byte[] pb = Keys.x25519Public(b);
        byte[] pc = Keys.x25519Public(c);
        byte[] ab = Keys.agree(a, pb, 0);
        byte[] ba = Keys.agree(b, pa, 0);
        byte[] ca = Keys.agree(c, pa, 0);
        assertThat(ab).isEqualTo(ba);
        inMemo(100, () -> {
            assertThat(Keys.x25519Public(b)).isEqualTo(pb); // the peer's key: its owner is now known
            assertThat(Keys.x25519Public(a)).isEqualTo(pa); // ours, before the agreement
            assertCounts(0, 2);
            assertThat(Keys.agree(a, pb, 0)).isEqualTo(ab); // computed, and the mirror stored
            assertCounts(0, 3);
            byte[] framed = new byte[40];
            System.arraycopy(pa, 0, framed, 8, 32);
            assertThat(Keys.agree(b, framed, 8)).isEqualTo(ba); // the mirror: a hit
            assertCounts(1, 3);
            // c's public key was made outside the memo: nothing is known about its owner, so
            // a's agreement with it stores no mirror and c's side is computed.
            assertThat(Keys.agree(a, pc, 0)).isEqualTo(ca);
            assertThat(Keys.agree(c, pa, 0)).isEqualTo(ca);
            assertCounts(1, 5);
        });
    }

    /** X25519's symmetry, the fact behind the mirror entries, computed for 100 pairs. */
    @Test
    void agree_anyTwoScalars_symmetric() throws Exception {
        SecureRandom r = seeded("pairs");
        for (int i = 0; i < 100; i++) {
            byte[] a = Keys.x25519Private(r);
            byte[] b = Keys.x25519Private(r);
            assertThat(Keys.agree(a, Keys.x25519Public(b), 0)).as("pair %d", i)
                    .isEqualTo(Keys.agree(b, Keys.x25519Public(a), 0));
        }
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
