package org.netbelief.punch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.crypto.Hmac256;
import org.netbelief.punch.wire.DropReason;
import org.netbelief.punch.wire.Frame;
import org.netbelief.punch.wire.FrameReader;
import org.netbelief.punch.wire.FrameWriter;

/** {@link AuthLink}: its inline replay window, direction and tag checks on sealed frames. */
class AuthLinkTest {
    private static byte[] seal(AuthLink link, long probeId) {
        byte[] out = new byte[Frame.MAX_DATAGRAM];
        int p = link.begin(out, 0, Frame.T_KEEPALIVE);
        p = FrameWriter.keepalive(out, p, probeId);
        return java.util.Arrays.copyOf(out, link.seal(out, 0, p));
    }

    @Test
    void reorderedReplayedAndForgedFrames_judgedLikeTheWindow() {
        byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        AuthLink sender = new AuthLink(77, key, false);
        AuthLink receiver = new AuthLink(77, key, true);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            frames.add(seal(sender, i));
        }
        FrameReader r = new FrameReader();
        // Counters 1..100 arrive shuffled within blocks of 8 (reordering inside the window).
        List<Integer> order = new ArrayList<>();
        for (int b = 0; b < 100; b += 8) {
            List<Integer> block = new ArrayList<>();
            for (int i = b; i < Math.min(b + 8, 100); i++) {
                block.add(i);
            }
            Collections.shuffle(block, new Random(b));
            order.addAll(block);
        }
        long highest = 0;
        for (int i : order) {
            byte[] f = frames.get(i);
            assertThat(r.wrap(f, 0, f.length)).isNull();
            assertThat(receiver.open(r)).isNull();
            assertThat(receiver.lastWasFreshest()).isEqualTo(i + 1 > highest);
            highest = Math.max(highest, i + 1);
            assertThat(receiver.open(r)).isEqualTo(DropReason.REPLAYED);
        }
        byte[] old = frames.get(10); // counter 11, 89 below the highest
        r.wrap(old, 0, old.length);
        assertThat(receiver.open(r)).isEqualTo(DropReason.TOO_OLD);

        byte[] next = seal(sender, 1000);
        byte[] forged = next.clone();
        forged[Frame.AUTH_BODY_OFFSET] ^= 1;
        r.wrap(forged, 0, forged.length);
        assertThat(receiver.open(r)).isEqualTo(DropReason.BAD_TAG);
        r.wrap(next, 0, next.length);
        assertThat(receiver.open(r)).isNull(); // the forgery did not move the window
        assertThat(receiver.lastWasFreshest()).isTrue();

        byte[] back = seal(receiver, 5); // our own frame reflected to us
        r.wrap(back, 0, back.length);
        assertThat(receiver.open(r)).isEqualTo(DropReason.WRONG_DIRECTION);
    }

    @Test
    void staticFormsOnKeyStateHeldElsewhere_sameTagsAndSameJudgementsAsTheObject() {
        byte[] key = new byte[32];
        new Random(2).nextBytes(key);
        long[] k = Hmac256.keyState(key);
        AuthLink sender = new AuthLink(91, key, true);
        AuthLink receiver = new AuthLink(91, key, false);
        FrameReader r = new FrameReader();
        Random rnd = new Random(3);
        long highest = 0;
        long bitmap = 0;
        for (int i = 0; i < 300; i++) {
            byte[] f = seal(sender, i);
            // The static seal over the same body gives the same frame.
            byte[] again = f.clone();
            int bodyEnd = f.length - Frame.TAG_LENGTH;
            java.util.Arrays.fill(again, bodyEnd, again.length, (byte) 0);
            assertThat(AuthLink.seal(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], again, 0, bodyEnd)).isEqualTo(f.length);
            assertThat(again).isEqualTo(f);
            if (rnd.nextInt(4) == 0) {
                f[Frame.AUTH_BODY_OFFSET + rnd.nextInt(8)] ^= 1; // forged
            }
            for (int copy = 0; copy < 2; copy++) { // the second is a replay
                assertThat(r.wrap(f, 0, f.length)).isNull();
                DropReason expected = receiver.open(r);
                DropReason got = AuthLink.check(r, false, highest, bitmap, k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]);
                assertThat(got).isEqualTo(expected);
                if (got == null) {
                    bitmap = org.netbelief.punch.crypto.ReplayWindow.acceptedBitmap(highest, bitmap, r.counter());
                    highest = Math.max(highest, r.counter());
                }
            }
        }
        byte[] back = seal(receiver, 5);
        r.wrap(back, 0, back.length);
        assertThat(AuthLink.check(r, false, highest, bitmap, k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7])).isEqualTo(DropReason.WRONG_DIRECTION);
    }
}
