package org.netbelief.punch.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {
  @Test
  void poll_randomTimesWithTies_comesOutByTimeThenInsertionOrder() {
    EventQueue q = new EventQueue(2);
    SplittableRandom r = new SplittableRandom(5);
    List<long[]> added = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      long t = r.nextInt(200); // many ties on purpose
      q.add(t, i, -i);
      added.add(new long[] {t, i});
    }
    added.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    for (long[] e : added) {
      q.poll();
      assertThat(q.polledTime()).isEqualTo(e[0]);
      assertThat(q.polledA()).isEqualTo(e[1]);
      assertThat(q.polledB()).isEqualTo(-e[1]);
    }
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.peekTime()).isEqualTo(Long.MAX_VALUE);
  }

  /*
   * The heap against java.util.PriorityQueue ordered by (time, sequence): a long random mix of
   * adds and polls as a simulation makes them (times at or after the last polled one, many
   * ties), with the queue growing to thousands of events and draining again, so every level
   * count and partly filled last level of the 4-ary heap is met.
   */
  @Test
  void addAndPoll_randomInterleaving_sameOrderAsPriorityQueue() {
    EventQueue q = new EventQueue(1);
    PriorityQueue<long[]> ref = new PriorityQueue<>(
        Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    SplittableRandom r = new SplittableRandom(11);
    long seq = 0;
    long now = 0;
    for (int i = 0; i < 400_000; i++) {
      // Phases that fill (add-heavy) and drain (poll-heavy) the queue.
      int addPercent = (i / 20_000) % 2 == 0 ? 60 : 40;
      if (ref.isEmpty() || r.nextInt(100) < addPercent) {
        long t = now + (r.nextInt(4) == 0 ? 0 : r.nextInt(r.nextBoolean() ? 10 : 100_000));
        long a = r.nextLong();
        long b = r.nextLong();
        q.add(t, a, b);
        ref.add(new long[] {t, seq++, a, b});
      } else {
        long[] e = ref.poll();
        assertThat(q.peekTime()).isEqualTo(e[0]);
        q.poll();
        assertThat(new long[] {q.polledTime(), q.polledA(), q.polledB()})
            .as("poll %d", i).containsExactly(e[0], e[2], e[3]);
        now = e[0];
      }
      assertThat(q.size()).isEqualTo(ref.size());
    }
  }

  /*
   * scheduleKeyed against the lazy re-arm it replaces, as SimNetwork drives it: a plain
   * PriorityQueue by (time, sequence) where every timer (re)arm adds an entry and a popped timer
   * entry is skipped unless its time is the key's last queued time; a deadline moved later is
   * re-queued when the entry pops. Times are drawn from a few nanoseconds so that ties, and
   * re-arms at exactly the time of a superseded entry (the ghost case), are frequent; plain
   * events, run-until boundaries (passTo) and re-arms from inside a firing timer are mixed in.
   * Every accepted event must come out of the keyed queue in the same order, with only the
   * stale pops missing.
   */
  @Test
  void scheduleKeyed_randomReArms_sameOrderAsLazyQueueWithoutStalePops() {
    long revived = 0;
    long stale = 0;
    for (int seed = 1; seed <= 40; seed++) {
      long[] counts = runKeyedAgainstLazy(seed, 8 + seed % 5 * 20, 20_000);
      revived += counts[0];
      stale += counts[1];
    }
    // The random mix must reach the cases it is about.
    assertThat(revived).isGreaterThan(100);
    assertThat(stale).isGreaterThan(10_000);
  }

  private static final long TIMER = 1L << 40;

  /** Returns {revived stale entries accepted by the reference, stale pops skipped}. */
  private static long[] runKeyedAgainstLazy(long seed, int keyCount, int steps) {
    SplittableRandom r = new SplittableRandom(seed);
    EventQueue q = new EventQueue(1);
    PriorityQueue<long[]> ref = new PriorityQueue<>(
        Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    long[] refSeqOf = new long[keyCount]; // sequence of the key's last added reference entry
    long seq = 0;
    // The caller's state, kept separately for each side: deadline and queued time per key.
    long[] refDeadline = new long[keyCount];
    long[] refQueued = new long[keyCount];
    long[] deadline = new long[keyCount];
    long[] queued = new long[keyCount];
    java.util.Arrays.fill(refDeadline, Long.MAX_VALUE);
    java.util.Arrays.fill(refQueued, Long.MAX_VALUE);
    java.util.Arrays.fill(deadline, Long.MAX_VALUE);
    java.util.Arrays.fill(queued, Long.MAX_VALUE);
    long now = 0;
    long revived = 0;
    long stale = 0;
    for (int step = 0; step < steps; step++) {
      int op = r.nextInt(100);
      if (op < 25) {
        long t = now + r.nextInt(6);
        long a = r.nextLong(TIMER);
        long b = r.nextLong();
        q.add(t, a, b);
        ref.add(new long[] {t, seq++, a, b});
      } else if (op < 65) {
        int key = r.nextInt(keyCount);
        long at = r.nextInt(20) == 0 ? Long.MAX_VALUE : now + r.nextInt(6);
        // The reference: the lazy re-arm SimNetwork used before.
        refDeadline[key] = at;
        if (at < refQueued[key]) {
          refQueued[key] = at;
          refSeqOf[key] = seq;
          ref.add(new long[] {at, seq++, TIMER | key, 0});
        }
        // The keyed queue, as SimNetwork uses it now.
        deadline[key] = at;
        if (at < queued[key]) {
          queued[key] = at;
          q.scheduleKeyed(key, at, TIMER | key);
        }
      } else if (op < 97) {
        // One accepted event from each.
        long[] e;
        long lastStale = -1;
        while (true) {
          e = ref.poll();
          if (e == null || (e[2] & TIMER) == 0 || e[0] == refQueued[(int) e[2]]) {
            break;
          }
          lastStale = e[0];
          stale++;
        }
        if (e == null) {
          assertThat(q.isEmpty()).as("seed %d step %d", seed, step).isTrue();
          if (lastStale >= 0) {
            // The reference drained stale entries up to lastStale: as a run until then.
            q.passTo(lastStale);
            now = lastStale;
          }
          continue;
        }
        assertThat(q.isEmpty()).as("seed %d step %d", seed, step).isFalse();
        q.poll();
        assertThat(new long[] {q.polledTime(), q.polledA()})
            .as("seed %d step %d", seed, step).containsExactly(e[0], e[2]);
        now = e[0];
        if ((e[2] & TIMER) == 0) {
          assertThat(q.polledB()).isEqualTo(e[3]);
          continue;
        }
        int key = (int) e[2];
        assertThat(q.polledB()).isEqualTo(key);
        if (e[1] != refSeqOf[key]) {
          revived++;
        }
        boolean fired = false;
        refQueued[key] = Long.MAX_VALUE;
        if (refDeadline[key] != Long.MAX_VALUE) {
          if (refDeadline[key] <= now) {
            refDeadline[key] = Long.MAX_VALUE;
            fired = true;
          } else {
            refQueued[key] = refDeadline[key];
            refSeqOf[key] = seq;
            ref.add(new long[] {refDeadline[key], seq++, TIMER | key, 0});
          }
        }
        queued[key] = Long.MAX_VALUE;
        if (deadline[key] != Long.MAX_VALUE) {
          if (deadline[key] <= now) {
            deadline[key] = Long.MAX_VALUE;
          } else {
            queued[key] = deadline[key];
            q.scheduleKeyed(key, deadline[key], TIMER | key);
          }
        }
        if (fired && r.nextBoolean()) {
          // Re-arm from inside the timer, often at the same nanosecond.
          long at = now + r.nextInt(3);
          refDeadline[key] = at;
          refQueued[key] = at;
          refSeqOf[key] = seq;
          ref.add(new long[] {at, seq++, TIMER | key, 0});
          deadline[key] = at;
          queued[key] = at;
          q.scheduleKeyed(key, at, TIMER | key);
        }
      } else {
        // A run-until boundary: the reference pops (and skips) everything up to it.
        long until = now + r.nextInt(4);
        while (!ref.isEmpty() && ref.peek()[0] <= until) {
          long[] e = ref.poll();
          boolean accepted = (e[2] & TIMER) == 0 || e[0] == refQueued[(int) e[2]];
          if (!accepted) {
            stale++;
            continue;
          }
          // Accept it on both sides, as above but without re-arms.
          q.poll();
          assertThat(new long[] {q.polledTime(), q.polledA()})
              .as("seed %d step %d", seed, step).containsExactly(e[0], e[2]);
          if ((e[2] & TIMER) != 0) {
            int key = (int) e[2];
            if (e[1] != refSeqOf[key]) {
              revived++;
            }
            refQueued[key] = Long.MAX_VALUE;
            queued[key] = Long.MAX_VALUE;
            long d = refDeadline[key];
            if (d != Long.MAX_VALUE && d > e[0]) {
              refQueued[key] = d;
              refSeqOf[key] = seq;
              ref.add(new long[] {d, seq++, TIMER | key, 0});
              queued[key] = d;
              q.scheduleKeyed(key, d, TIMER | key);
            } else {
              refDeadline[key] = Long.MAX_VALUE;
              deadline[key] = Long.MAX_VALUE;
            }
          }
        }
        assertThat(q.peekTime()).isGreaterThan(until);
        q.passTo(until);
        now = until;
      }
    }
    return new long[] {revived, stale};
  }

  @Test
  void scheduleKeyed_oneEntryPerKey_movesEarlierAndRejectsLater() {
    EventQueue q = new EventQueue(1);
    q.scheduleKeyed(3, 100, 7);
    q.add(50, 1, 2);
    q.scheduleKeyed(3, 40, 8);
    assertThat(q.size()).isEqualTo(2);
    assertThatThrownBy(() -> q.scheduleKeyed(3, 40, 9))
        .isInstanceOf(IllegalArgumentException.class);
    q.poll();
    assertThat(new long[] {q.polledTime(), q.polledA(), q.polledB()}).containsExactly(40, 8, 3);
    q.poll();
    assertThat(q.polledTime()).isEqualTo(50);
    assertThat(q.isEmpty()).isTrue();
    q.scheduleKeyed(3, 60, 10);
    assertThatThrownBy(() -> q.passTo(60)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void poll_empty_throws() {
    assertThatThrownBy(() -> new EventQueue(1).poll()).isInstanceOf(IllegalStateException.class);
  }
}
