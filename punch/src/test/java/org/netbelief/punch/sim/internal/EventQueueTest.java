package org.netbelief.punch.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

  @Test
  void poll_empty_throws() {
    assertThatThrownBy(() -> new EventQueue(1).poll()).isInstanceOf(IllegalStateException.class);
  }
}
