package org.netbelief.punch.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/*
 * The calendar queue against the former 4-ary heap (ReferenceEventQueue, kept verbatim): random
 * interleavings of adds and polls, with times in the current slot, a few slots ahead, across the
 * wheel, beyond its horizon (the overflow), at the last polled time, before it (scenario actions
 * at "now" after a runUntil) and many equal times (ties broken by insertion order). The same
 * (time, a, b) sequence and the same peekTime must come out of both.
 */
class EventQueueDifferentialTest {
  private static final long SLOT = 1L << 20;
  private static final long HORIZON = SLOT << 16;

  @Test
  void randomMix_sameOrderAsHeap() {
    for (long seed = 1; seed <= 12; seed++) {
      run(seed, 200_000);
    }
  }

  @Test
  void sparseFarEvents_overflowAndLongGaps_sameOrderAsHeap() {
    EventQueue q = new EventQueue(1);
    ReferenceEventQueue ref = new ReferenceEventQueue(1);
    SplittableRandom r = new SplittableRandom(99);
    long now = 0;
    for (int i = 0; i < 50_000; i++) {
      if (ref.isEmpty() || r.nextInt(100) < 50) {
        long t = now + (long) (r.nextDouble() * 5 * HORIZON);
        if (r.nextInt(8) == 0) {
          t = now; // tie at the current time
        }
        q.add(t, i, -i);
        ref.add(t, i, -i);
      } else {
        now = pollBoth(q, ref, i, r.nextBoolean());
      }
    }
    while (!ref.isEmpty()) {
      pollBoth(q, ref, -1, false);
    }
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.peekTime()).isEqualTo(Long.MAX_VALUE);
  }

  private static void run(long seed, int ops) {
    EventQueue q = new EventQueue(1 + (int) seed);
    ReferenceEventQueue ref = new ReferenceEventQueue(1);
    SplittableRandom r = new SplittableRandom(seed);
    long now = 0;
    long lastAdded = 0;
    for (int i = 0; i < ops; i++) {
      // Phases that fill (add-heavy) and drain (poll-heavy) the queue.
      int addPercent = (i / 10_000) % 2 == 0 ? 60 : 40;
      if (ref.isEmpty() || r.nextInt(100) < addPercent) {
        long t;
        switch (r.nextInt(10)) {
          case 0 -> t = now; // at the current time
          case 1 -> t = Math.max(0, now - r.nextLong(3 * SLOT)); // before it (scenario action)
          case 2 -> t = lastAdded; // tie with an earlier add
          case 3 -> t = now + r.nextLong(SLOT); // within a slot or the next
          case 4, 5 -> t = now + r.nextLong(50 * SLOT); // a few slots ahead
          case 6 -> t = now + r.nextLong(2 * HORIZON); // across the wheel and just beyond
          case 7 -> t = now + HORIZON - SLOT + r.nextLong(2 * SLOT); // at the horizon's edge
          case 8 -> t = now + HORIZON * (1 + r.nextInt(20)) + r.nextLong(SLOT); // far beyond
          default -> t = now + r.nextLong(200_000); // sub-slot, many ties at this grain
        }
        long a = r.nextLong();
        long b = r.nextLong();
        q.add(t, a, b);
        ref.add(t, a, b);
        lastAdded = t;
      } else {
        // Half the polls without a peek first, so that poll itself must turn the wheel.
        now = pollBoth(q, ref, i, r.nextBoolean());
      }
      assertThat(q.size()).isEqualTo(ref.size());
    }
    while (!ref.isEmpty()) {
      pollBoth(q, ref, -1, false);
    }
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.peekTime()).isEqualTo(Long.MAX_VALUE);
  }

  private static long pollBoth(EventQueue q, ReferenceEventQueue ref, int op, boolean peek) {
    if (peek) {
      assertThat(q.peekTime()).as("peek at op %d", op).isEqualTo(ref.peekTime());
    }
    ref.poll();
    q.poll();
    assertThat(new long[] {q.polledTime(), q.polledA(), q.polledB()})
        .as("poll at op %d", op)
        .containsExactly(ref.polledTime(), ref.polledA(), ref.polledB());
    return ref.polledTime();
  }
}
