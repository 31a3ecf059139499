package org.netbelief.punch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
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
}
