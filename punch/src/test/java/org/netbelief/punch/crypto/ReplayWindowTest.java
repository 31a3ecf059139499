package org.netbelief.punch.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.netbelief.punch.wire.DropReason;

/** {@link ReplayWindow}, as an object and held inline, against a set of every accepted counter. */
class ReplayWindowTest {
    /** RFC 4303's window, spelled out: every accepted counter remembered. */
    private static final class Reference {
        final Set<Long> seen = new HashSet<>();
        long highest;

        DropReason check(long c) {
            if (c <= 0 || (c <= highest && highest - c >= ReplayWindow.SIZE)) {
                return DropReason.TOO_OLD;
            }
            return seen.contains(c) ? DropReason.REPLAYED : null;
        }

        boolean accept(long c) {
            seen.add(c);
            if (c > highest) {
                highest = c;
                return true;
            }
            return false;
        }
    }

    @Test
    void randomCounters_objectAndInlineWindow_matchReference() {
        SplittableRandom rnd = new SplittableRandom(11);
        ReplayWindow w = new ReplayWindow();
        long highest = 0;
        long bitmap = 0;
        Reference ref = new Reference();
        for (int i = 0; i < 200_000; i++) {
            // Mostly near the top (reordering, duplicates), sometimes far jumps ahead or behind.
            long base = Math.max(ref.highest, 1);
            long c = switch (rnd.nextInt(10)) {
                case 0 -> base + 1 + rnd.nextInt(200);
                case 1 -> base - 60 - rnd.nextInt(10);
                case 2 -> rnd.nextInt(3) - 1;
                default -> base + 3 - rnd.nextInt(70);
            };
            DropReason want = ref.check(c);
            assertThat(w.check(c)).isEqualTo(want);
            assertThat(ReplayWindow.check(highest, bitmap, c)).isEqualTo(want);
            if (want == null) {
                boolean fresh = ref.accept(c);
                assertThat(w.accept(c)).isEqualTo(fresh);
                bitmap = ReplayWindow.acceptedBitmap(highest, bitmap, c);
                highest = Math.max(highest, c);
                assertThat(w.highest()).isEqualTo(ref.highest).isEqualTo(highest);
            }
        }
    }
}
