package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvidenceTableTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long H = 60 * SECOND;

  private static EvidenceTable table(long halfLife) {
    return EvidenceTable.builder().halfLifeNanos(halfLife).maxRows(1 << 16).build();
  }

  @Test
  void observe_thenRead_decaysByHalfPerHalfLife() {
    EvidenceTable t = table(H);
    t.observe(7, true, 0);
    t.observe(7, false, 0);
    assertThat(t.successes(7, 0)).isCloseTo(1.0, within(1e-12));
    assertThat(t.successes(7, H)).isCloseTo(0.5, within(1e-12));
    assertThat(t.failures(7, 2 * H)).isCloseTo(0.25, within(1e-12));
    assertThat(t.successes(7, H / 2)).isCloseTo(Math.sqrt(0.5), within(1e-12));
  }

  @Test
  void read_neverMutates() {
    EvidenceTable t = table(H);
    t.observe(7, 2.0, 1.0, 5 * SECOND);
    double[] first = new double[2];
    t.read(7, 10 * H, first);
    double[] later = new double[2];
    t.read(7, 1000 * H, later);
    double[] again = new double[2];
    t.read(7, 10 * H, again);
    assertThat(again).containsExactly(first);
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.read(8, 0, again)).isFalse();
    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void observe_fractionalWeights_addUp() {
    EvidenceTable t = table(H);
    t.observe(3, 0.25, 0.75, 0);
    t.observe(3, 0.5, 0.0, 0);
    assertThat(t.successes(3, 0)).isCloseTo(0.75, within(1e-12));
    assertThat(t.failures(3, 0)).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void observe_outOfOrder_countsWithItsOwnWeight() {
    EvidenceTable t = table(H);
    t.observe(1, true, 10 * H);
    t.observe(1, true, 9 * H); // one half-life older than the newest
    assertThat(t.successes(1, 10 * H)).isCloseTo(1.5, within(1e-12));
    // Across an epoch boundary (64 half-lives): the older event lands in an earlier epoch.
    EvidenceTable u = table(H);
    u.observe(1, true, 65 * H);
    u.observe(1, true, 63 * H);
    assertThat(u.successes(1, 65 * H)).isCloseTo(1.25, within(1e-12));
  }

  @Test
  void observe_overASimulatedYearOfNanoseconds_matchesExactDecay() {
    // Half-life 1 s over a year of nanoseconds: 3.15e7 half-lives, about 490 000 epochs, so the
    // landmark moves many times. Compare with backward decay computed in doubles; both carry
    // rounding of ~1e-15 per step, and forward decay's pow2 adds < 2e-12 relative per event, so
    // 1e-9 relative over a decayed sum dominated by its last few hundred events is generous.
    long h = SECOND;
    EvidenceTable t = table(h);
    SplittableRandom rnd = new SplittableRandom(1);
    long now = 0;
    double reference = 0;
    long year = 365L * 24 * 3600 * SECOND;
    int events = 0;
    while (now < year) {
      long dt = 1 + rnd.nextLong(2000 * SECOND);
      now += dt;
      reference = reference * Math.pow(2, -(double) dt / h) + 1.0;
      t.observe(99, true, now);
      events++;
      if (events % 1000 == 0) {
        assertThat(t.successes(99, now)).isCloseTo(reference, within(1e-9 * reference));
      }
    }
    assertThat(events).isGreaterThan(30_000);
    assertThat(t.successes(99, now)).isCloseTo(reference, within(1e-9 * reference));
  }

  @Test
  void observe_denseEventsAcrossManyEpochs_staysFinite() {
    // Many events at the very end of epochs push the stored mass toward 2^64·count; check no
    // overflow and the decayed sum approaches the geometric limit 1/(1 − 2^(−Δ/h)).
    long h = SECOND;
    EvidenceTable t = table(h);
    long step = h / 10;
    for (long now = 0; now < 500 * h; now += step) {
      t.observe(5, true, now);
    }
    double limit = 1.0 / (1.0 - Math.pow(2, -0.1));
    assertThat(t.successes(5, 500 * h - step)).isCloseTo(limit, within(1e-6 * limit));
  }

  @Test
  void read_afterLongIdleGap_isEmpty_andRowRestartsCleanly() {
    EvidenceTable t = table(SECOND);
    t.observe(4, true, 0);
    long idle = 5000 * SECOND; // 5000 half-lives: 2^-5000 underflows to zero
    assertThat(t.successes(4, idle)).isZero();
    t.observe(4, false, idle);
    assertThat(t.failures(4, idle)).isCloseTo(1.0, within(1e-12));
    assertThat(t.successes(4, idle)).isZero();
    // A gap of 100 half-lives crosses one or two epoch boundaries and must decay exactly.
    t.observe(4, true, idle + 100 * SECOND);
    assertThat(t.failures(4, idle + 100 * SECOND)).isCloseTo(Math.pow(2, -100), within(1e-40));
  }

  @Test
  void observeAll_updatesEveryKeyOnce() {
    EvidenceTable t = table(H);
    long[] keys = {11, 12, 13};
    t.observeAll(keys, 0, 3, 1.0, 0.5, 0);
    for (long k : keys) {
      assertThat(t.successes(k, 0)).isCloseTo(1.0, within(1e-12));
      assertThat(t.failures(k, 0)).isCloseTo(0.5, within(1e-12));
    }
  }

  @Test
  void discount_movesTowardPrior() {
    EvidenceTable t = table(H);
    t.observe(1, 10, 2, 0);
    t.discount(1, 0.25);
    assertThat(t.successes(1, 0)).isCloseTo(2.5, within(1e-12));
    assertThat(t.failures(1, 0)).isCloseTo(0.5, within(1e-12));
    assertThatThrownBy(() -> t.discount(1, 1.5)).hasMessageContaining("1.5");
  }

  @Test
  void badInput_isRejectedNamingTheValue_andLeavesTableUnchanged() {
    EvidenceTable t = table(H);
    t.observe(1, true, 0);
    assertThatThrownBy(() -> t.observe(0, true, 0)).hasMessageContaining("key 0");
    assertThatThrownBy(() -> t.observe(1, -1, 0, 0)).hasMessageContaining("-1");
    assertThatThrownBy(() -> t.observe(1, Double.NaN, 0, 0)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> t.observe(1, 0, Double.POSITIVE_INFINITY, 0))
        .hasMessageContaining("Infinity");
    // With a 1 ms half-life the range is 2^36 ms (2.2 years) around the origin.
    EvidenceTable fast = EvidenceTable.builder().halfLifeNanos(1_000_000).build();
    assertThatThrownBy(() -> fast.observe(1, true, Long.MAX_VALUE)).hasMessageContaining("too far");
    assertThatThrownBy(() -> fast.observe(1, true, Long.MIN_VALUE)).hasMessageContaining("too far");
    assertThat(fast.size()).isZero();
    // An origin far from now makes the subtraction itself overflow.
    EvidenceTable shifted = EvidenceTable.builder().originNanos(-1_000_000_000_000_000_000L).build();
    assertThatThrownBy(() -> shifted.observe(1, true, Long.MAX_VALUE))
        .hasMessageContaining("too far");
    assertThatThrownBy(() -> t.observeAll(new long[] {2, 0}, 0, 2, 1, 0, 0))
        .hasMessageContaining("key 0");
    assertThat(t.successes(1, 0)).isCloseTo(1.0, within(1e-12));
    assertThat(t.failures(1, 0)).isZero();
    assertThat(t.successes(2, 0)).isZero(); // not half-applied
    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void builder_rejectsImpossibleSettings() {
    assertThatThrownBy(() -> EvidenceTable.builder().halfLifeNanos(0))
        .hasMessageContaining("half-life");
    assertThatThrownBy(() -> EvidenceTable.builder().maxRows(0)).hasMessageContaining("maxRows");
  }

  @Test
  void growth_keepsEveryRowAndCount() {
    EvidenceTable t = table(H);
    int n = 50_000;
    for (int round = 0; round < 3; round++) {
      for (long k = 1; k <= n; k++) {
        t.observe(k * 7919, true, 0);
      }
    }
    assertThat(t.size()).isEqualTo(n);
    for (long k = 1; k <= n; k++) {
      assertThat(t.successes(k * 7919, 0)).isEqualTo(3.0);
    }
    assertThat(t.evictedRows()).isZero();
  }

  @Test
  void eviction_dropsLeastInformativeRowsFirst() {
    int max = 1000;
    EvidenceTable t = EvidenceTable.builder().halfLifeNanos(H).maxRows(max).build();
    // 100 heavy rows (20 observations each), then a stream of hapaxes far beyond capacity.
    for (long k = 1; k <= 100; k++) {
      for (int i = 0; i < 20; i++) {
        t.observe(k, true, 0);
      }
    }
    for (long k = 1_000; k < 6_000; k++) {
      t.observe(k, false, 0);
    }
    assertThat(t.size()).isLessThanOrEqualTo(max);
    assertThat(t.evictedRows()).isGreaterThan(0);
    for (long k = 1; k <= 100; k++) {
      assertThat(t.successes(k, 0)).as("heavy row %d", k).isEqualTo(20.0);
    }
    // The most recent hapax always survives: it was inserted after the last eviction.
    assertThat(t.failures(5_999, 0)).isEqualTo(1.0);
    // Memory stays bounded: slots never exceed 4/3 of maxRows.
    assertThat(t.allocatedSlots()).isLessThanOrEqualTo((4 * max + 2) / 3);
  }

  @Test
  void eviction_prefersDecayedRows() {
    EvidenceTable t = EvidenceTable.builder().halfLifeNanos(H).maxRows(16).build();
    for (long k = 1; k <= 16; k++) {
      t.observe(k, true, k <= 8 ? 0 : 10 * H); // rows 1..8 are ten half-lives older
    }
    t.observe(100, true, 10 * H); // forces an eviction of 2 rows (an eighth of 16)
    assertThat(t.evictedRows()).isEqualTo(2);
    int oldSurvivors = 0;
    for (long k = 1; k <= 8; k++) {
      oldSurvivors += t.successes(k, 10 * H) > 0 ? 1 : 0;
    }
    assertThat(oldSurvivors).isEqualTo(6);
    for (long k = 9; k <= 16; k++) {
      assertThat(t.successes(k, 10 * H)).isEqualTo(1.0);
    }
  }

  @Test
  void maxRowsOne_keepsTheNewestRow() {
    EvidenceTable t = EvidenceTable.builder().halfLifeNanos(H).maxRows(1).build();
    t.observe(1, true, 0);
    t.observe(2, true, 0);
    t.observe(3, true, 0);
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.successes(3, 0)).isEqualTo(1.0);
  }

  @Test
  void forEachRow_visitsEveryRowDecayed() {
    EvidenceTable t = table(H);
    for (long k = 1; k <= 100; k++) {
      t.observe(k, k, 0, 0);
    }
    double[] total = {0};
    int[] rows = {0};
    t.forEachRow(H, (key, s, f) -> {
      total[0] += s;
      rows[0]++;
      assertThat(s).isCloseTo(key / 2.0, within(1e-12));
    });
    assertThat(rows[0]).isEqualTo(100);
    assertThat(total[0]).isCloseTo(5050 / 2.0, within(1e-9));
  }

  @Test
  void belief_combinesPriorAndDecayedEvidence() {
    EvidenceTable t = table(H);
    t.observe(1, 4, 0, 0);
    Belief b = t.belief(1, Prior.of(0.5, 2), H);
    assertThat(b.alpha()).isCloseTo(1 + 2, within(1e-12));
    assertThat(b.beta()).isCloseTo(1, within(1e-12));
  }

  @Test
  void epochBoundaries_decayExactlyOnEitherSide() {
    // Events exactly at, just before and just after epoch boundaries (64 half-lives) of a table
    // with an odd half-life: the reciprocal-multiplication epoch must match exact floor division,
    // so each read equals the closed form 2^(-(t_read - t_event)/h).
    long h = 1_234_567_891L;
    long epoch = 64 * h;
    EvidenceTable t = table(h);
    long key = 1;
    long[] times = {epoch - 1, epoch, epoch + 1, 5 * epoch - 1, 5 * epoch, -epoch, -epoch - 1,
        -3 * epoch + 1};
    for (long when : times) {
      EvidenceTable fresh = table(h);
      fresh.observe(key, true, when);
      long read = when + 3 * h;
      assertThat(fresh.successes(key, read)).as("event at %d", when)
          .isCloseTo(0.125, within(1e-12));
    }
    t.observe(key, true, 0);
  }
}
