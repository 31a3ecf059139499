package org.netbelief.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaiveEvidenceTableTest {
  private static final long H = 1_000_000_000L;

  @Test
  void observe_oneHalfLifeLater_weighsHalf() {
    NaiveEvidenceTable t = new NaiveEvidenceTable(H);
    t.observe(7L, true, 0L);
    t.observe(7L, false, 0L);
    t.observe(7L, false, 0L);
    assertThat(t.successes(7L, H)).isCloseTo(0.5, within(1e-12));
    assertThat(t.failures(7L, 2 * H)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void observe_olderEvent_countsWithItsOwnWeight() {
    NaiveEvidenceTable t = new NaiveEvidenceTable(H);
    t.observe(7L, true, 2 * H);
    t.observe(7L, true, H); // one half-life older than the row's newest
    assertThat(t.successes(7L, 2 * H)).isCloseTo(1.5, within(1e-12));
  }

  @Test
  void successes_unknownKey_isZero() {
    NaiveEvidenceTable t = new NaiveEvidenceTable(H);
    assertThat(t.successes(1L, 0L)).isZero();
    assertThat(t.failures(1L, 0L)).isZero();
    assertThat(t.size()).isZero();
  }

  @Test
  void observe_concurrentWritersOnOneRow_loseNoUpdate() throws InterruptedException {
    NaiveEvidenceTable t = new NaiveEvidenceTable(Long.MAX_VALUE); // no measurable decay
    int threads = 4;
    int perThread = 50_000;
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          t.observe(3L, true, 0L);
        }
      });
      workers.add(th);
      th.start();
    }
    for (Thread th : workers) {
      th.join();
    }
    assertThat(t.successes(3L, 0L)).isEqualTo((double) threads * perThread);
  }

  @Test
  void constructor_nonPositiveHalfLife_throws() {
    assertThatThrownBy(() -> new NaiveEvidenceTable(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("halfLifeNanos");
  }
}
