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

  @Test
  void poll_empty_throws() {
    assertThatThrownBy(() -> new EventQueue(1).poll()).isInstanceOf(IllegalStateException.class);
  }
}
