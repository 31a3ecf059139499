package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeepalivePlannerTest {
  private static final long S = 1_000_000_000L;
  private final long[] nat = {FeatureKeys.of("nat", "p")};

  @Test
  void keepaliveInterval_noEvidence_isConservative() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    // The prior puts 1% of bindings below ~11.7 s; the planned interval must not exceed that.
    assertThat(p.keepaliveIntervalNanos(nat, 0)).isBetween(5 * S, 12 * S);
  }

  @Test
  void keepaliveInterval_neverBeyondASilenceSurvivedTwice() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    // One survival is not enough support for the main binding (a probe may have been lucky).
    m.observeSurvival(nat, 40 * S, 0);
    assertThat(p.keepaliveIntervalNanos(nat, 0)).isLessThan(12 * S);
    m.observeSurvival(nat, 40 * S, 0);
    assertThat(p.keepaliveIntervalNanos(nat, 0)).isLessThanOrEqualTo(40 * S).isGreaterThan(20 * S);
  }

  @Test
  void nextProbe_noEvidence_probesAboveTheInterval() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    long gap = p.nextProbeGapNanos(nat, 0);
    assertThat(gap).isGreaterThan(p.keepaliveIntervalNanos(nat, 0)).isLessThanOrEqualTo(p.ceilingNanos());
  }

  @Test
  void nextProbe_atTheCeiling_noProbe() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).ceiling(Duration.ofSeconds(60)).build();
    for (int i = 0; i < 5; i++) {
      m.observeSurvival(nat, 70 * S, 0); // credited to the edge at 68.5 s, above the ceiling
    }
    assertThat(p.keepaliveIntervalNanos(nat, 0)).isEqualTo(60 * S);
    assertThat(p.nextProbeGapNanos(nat, 0)).isEqualTo(KeepalivePlanner.NO_PROBE);
  }

  @Test
  void nextProbe_lifetimeBracketedTightly_stops() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    for (int i = 0; i < 20; i++) {
      m.observeSurvival(nat, 117 * S, 0);
    }
    for (int i = 0; i < 5; i++) {
      m.observeLoss(nat, 150 * S, 1.0, 0);
    }
    assertThat(p.nextProbeGapNanos(nat, 0)).isEqualTo(KeepalivePlanner.NO_PROBE);
  }

  /*
   * The planner and a sharp NAT timer T, probed as the punch module's LifetimeProber does: the
   * gap rounded up to whole milliseconds, the next question 1 s after a survival and 2^k s after
   * the k-th loss in a row (at most 5 min), 2 s of reply margin. Deterministic (no randomness),
   * so the bounds are the measured figures with room: at most 10 probes before the planner
   * answers NO_PROBE for good (measured 3 to 9), the final interval on the edge just below T (so
   * at least T / 1.302, the bin ratio), and the planned interval never at or above T at any
   * point (the main binding never loses the hole).
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "T={0}s")
  @org.junit.jupiter.params.provider.ValueSource(doubles = {35, 45, 60, 102, 125, 200, 280})
  void probing_sharpTimer_settlesBelowTWithoutOvershootAndStops(double lifetime) {
    SurvivalModel m = SurvivalModel.builder().levelStrengths(0.005, 0.005).build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    long[] keys = {FeatureKeys.of("global", "*"), FeatureKeys.of("nat", "self")};
    long now = 2 * S;
    int probes = 0;
    int lossesInRow = 0;
    long lastProbeAt = -1;
    while (now < 3 * 3600 * S) {
      assertThat(p.keepaliveIntervalNanos(keys, now) * 1e-9).isLessThan(lifetime);
      long g = p.nextProbeGapNanos(keys, now);
      if (g == KeepalivePlanner.NO_PROBE) {
        now += 300 * S;
        continue;
      }
      long gap = (g + 999_999) / 1_000_000 * 1_000_000; // the wire carries milliseconds
      probes++;
      lastProbeAt = now;
      now += gap + 2 * S;
      if (gap * 1e-9 < lifetime) {
        m.observeSurvival(keys, gap, now);
        lossesInRow = 0;
        now += S;
      } else {
        m.observeLoss(keys, gap, 1.0, now);
        lossesInRow++;
        now += Math.min(300 * S, S << Math.min(lossesInRow, 20));
      }
    }
    double interval = p.keepaliveIntervalNanos(keys, now) * 1e-9;
    assertThat(probes).isLessThanOrEqualTo(10);
    assertThat(lastProbeAt).isLessThan(3600 * S); // settled within the first hour
    assertThat(interval).isLessThan(lifetime).isGreaterThanOrEqualTo(lifetime / 1.302);
  }

  /*
   * Allocation-free planner queries, by the JVM's per-thread allocation counter after warm-up:
   * one 16-byte object per call would show as >= 32 kB over 2 000 calls; the bound is 4 kB.
   */
  /*
   * The candidate pruning of nextProbeGapNanos must not change a single answer: against the same
   * computation without pruning, over random evidence histories (fixed seed) on NATs with timers
   * from 20 s to 20 min, two-level chains, decay over hours, survivals and losses of random
   * blame, asked after every observation. Both kinds of answer must occur (a probe gap and
   * NO_PROBE), or the comparison would prove little.
   */
  @Test
  void nextProbe_pruned_sameAnswerAsUnpruned() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(20261125L);
    int probes = 0;
    int none = 0;
    for (int run = 0; run < 40; run++) {
      SurvivalModel m = SurvivalModel.builder().levelStrengths(0.5, 0.005 + rnd.nextDouble()).build();
      KeepalivePlanner p = KeepalivePlanner.builder(m).stopGain(0.005 + 0.05 * rnd.nextDouble())
          .build();
      long[] keys = {FeatureKeys.of("global", "*"), FeatureKeys.of("nat", "n" + run)};
      double timer = 20.0 * Math.pow(60.0, rnd.nextDouble());
      long now = 0;
      for (int step = 0; step < 60; step++) {
        now += (long) (rnd.nextDouble() * 3600.0 * S);
        long gap = (long) (S * 5.0 * Math.pow(150.0, rnd.nextDouble()));
        if (gap < timer * S) {
          m.observeSurvival(keys, gap, now);
        } else {
          m.observeLoss(keys, gap, rnd.nextDouble() < 0.5 ? 1.0 : 0.5, now);
        }
        long pruned = p.nextProbeGapNanos(keys, now);
        assertThat(pruned).as("run %d step %d", run, step)
            .isEqualTo(p.nextProbeGapNanosUnpruned(keys, now));
        if (pruned == KeepalivePlanner.NO_PROBE) {
          none++;
        } else {
          probes++;
        }
      }
    }
    assertThat(probes).isGreaterThan(100);
    assertThat(none).isGreaterThan(100);
  }

  /**
   * The cap-first interval and probe searches must return the same nanoseconds as the reference
   * computation (full search, then the cap) over random evidence histories (fixed seed): NATs
   * with timers from 10 s to 20 min, two-level chains with the simulator's strengths (0.005,
   * 0.005) and stronger ones, decay over minutes to hours, survivals and losses of random blame,
   * asked after every observation. Tolerance zero: the fast path evaluates the same expressions
   * on the same doubles and only skips work whose outcome is known (see
   * HazardCurve#longestSilenceBelow). Both regimes must occur: the frontier cap binding, and the
   * belief itself limiting the interval.
   */
  @Test
  void keepaliveInterval_capFirst_sameAnswerAsReference() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(20261125L);
    int capped = 0;
    int searched = 0;
    for (int run = 0; run < 40; run++) {
      double k = run % 2 == 0 ? 0.005 : 0.005 + rnd.nextDouble();
      SurvivalModel m = SurvivalModel.builder().levelStrengths(0.005, k).build();
      KeepalivePlanner p = KeepalivePlanner.builder(m).build();
      long[] keys = {FeatureKeys.of("global", "*"), FeatureKeys.of("nat", "n" + run)};
      double timer = 10.0 * Math.pow(120.0, rnd.nextDouble());
      long now = 0;
      for (int step = 0; step < 80; step++) {
        now += (long) (rnd.nextDouble() * (step % 3 == 0 ? 3600.0 : 60.0) * S);
        long gap = (long) (S * 3.0 * Math.pow(300.0, rnd.nextDouble()));
        if (gap < timer * S) {
          m.observeSurvival(keys, gap, now);
        } else {
          m.observeLoss(keys, gap, rnd.nextDouble() < 0.5 ? 1.0 : 0.5, now);
        }
        long fast = p.keepaliveIntervalNanos(keys, now);
        assertThat(fast).as("run %d step %d", run, step)
            .isEqualTo(p.keepaliveIntervalNanosReference(keys, now));
        assertThat(p.nextProbeGapNanos(keys, now)).as("probe, run %d step %d", run, step)
            .isEqualTo(p.nextProbeGapNanosReference(keys, now));
        long uncapped = m.longestSilenceNanos(keys, p.reliability(), p.confidence(),
            p.floorNanos(), p.ceilingNanos(), now);
        if (fast < uncapped) {
          capped++;
        } else {
          searched++;
        }
      }
    }
    assertThat(capped).isGreaterThan(200);
    assertThat(searched).isGreaterThan(200);
  }

  /**
   * The memo must return what a fresh computation returns: random histories as above, and after
   * each observation the interval asked at 6 increasing times spread over up to 12 minutes (so
   * inside and beyond the 5-minute window), each compared with the reference computation at the
   * same time. Tolerance zero. The memo must actually answer (a hit: the planner's memo covered
   * the time), or the comparison would prove nothing.
   */
  @Test
  void keepaliveInterval_memo_sameAnswerAsFreshComputation() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7L);
    int hits = 0;
    int asked = 0;
    for (int run = 0; run < 30; run++) {
      SurvivalModel m = SurvivalModel.builder().levelStrengths(0.005, 0.005).build();
      KeepalivePlanner p = KeepalivePlanner.builder(m).build();
      long[] keys = {FeatureKeys.of("global", "*"), FeatureKeys.of("nat", "n" + run)};
      double timer = 10.0 * Math.pow(60.0, rnd.nextDouble());
      long now = 0;
      for (int step = 0; step < 60; step++) {
        now += (long) (rnd.nextDouble() * 1800.0 * S);
        long gap = (long) (S * 3.0 * Math.pow(300.0, rnd.nextDouble()));
        if (gap < timer * S) {
          m.observeSurvival(keys, gap, now);
        } else {
          m.observeLoss(keys, gap, rnd.nextDouble() < 0.5 ? 1.0 : 0.5, now);
        }
        for (int ask = 0; ask < 6; ask++) {
          now += (long) (rnd.nextDouble() * 120.0 * S);
          boolean hit = p.memoHolds(keys, m.writeCount(), now);
          long answer = p.keepaliveIntervalNanos(keys, now);
          assertThat(answer).as("run %d step %d ask %d", run, step, ask)
              .isEqualTo(p.keepaliveIntervalNanosReference(keys, now));
          asked++;
          hits += hit ? 1 : 0;
        }
      }
    }
    assertThat(hits).isGreaterThan(asked / 3);
  }

  /**
   * The memo is shared by all threads behind a sequence lock: four threads ask one planner at
   * random times (so the memo is rewritten all the time, by whichever thread missed) and every
   * answer must equal the single-threaded fresh computation at that time. A torn memo (fields of
   * two writes) would answer one time's interval at another's.
   */
  @Test
  void keepaliveInterval_memoSharedByThreads_sameAnswerAsFreshComputation() throws Exception {
    SurvivalModel m = SurvivalModel.builder().levelStrengths(0.005, 0.005).build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    long[] keys = {FeatureKeys.of("global", "*"), FeatureKeys.of("nat", "shared")};
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11L);
    long now = 0;
    for (int step = 0; step < 40; step++) {
      now += (long) (rnd.nextDouble() * 1800.0 * S);
      long gap = (long) (S * 3.0 * Math.pow(300.0, rnd.nextDouble()));
      if (gap < 45 * S) {
        m.observeSurvival(keys, gap, now);
      } else {
        m.observeLoss(keys, gap, 1.0, now);
      }
    }
    // 40 clusters of times within 200 s (memo hits) spread over five days of decay (answers
    // that differ between clusters).
    int n = 400;
    long[] base = new long[40];
    for (int c = 0; c < base.length; c++) {
      base[c] = now + (long) (rnd.nextDouble() * 5 * 86_400.0 * S);
    }
    long[] times = new long[n];
    long[] expected = new long[n];
    java.util.Set<Long> distinct = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      times[i] = base[i % base.length] + (long) (rnd.nextDouble() * 200.0 * S);
      expected[i] = p.keepaliveIntervalNanosReference(keys, times[i]);
      distinct.add(expected[i]);
    }
    assertThat(distinct.size()).isGreaterThan(3);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = t;
        done.add(pool.submit(() -> {
          java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
          int wrong = 0;
          for (int k = 0; k < 20_000; k++) {
            int i = r.nextInt(n);
            wrong += p.keepaliveIntervalNanos(keys, times[i]) == expected[i] ? 0 : 1;
          }
          return wrong;
        }));
      }
      for (java.util.concurrent.Future<Integer> f : done) {
        assertThat(f.get()).isZero();
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * New evidence must invalidate the memo at once: the interval is remembered, then two
   * survivals at a longer edge move the frontier up (and later a loss below it brings the
   * interval down); each next answer, asked within the memo's window, must be the new one.
   * Without the write count in the memo key both would return the remembered interval.
   */
  @Test
  void keepaliveInterval_newEvidence_invalidatesMemo() {
    SurvivalModel m = SurvivalModel.builder().levelStrengths(0.005, 0.005).build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    long[] keys = {FeatureKeys.of("global", "*"), FeatureKeys.of("nat", "self")};
    for (int i = 0; i < 3; i++) {
      m.observeSurvival(keys, 32 * S, 0); // credited to the 31.0 s edge
    }
    long first = p.keepaliveIntervalNanos(keys, S);
    assertThat(p.keepaliveIntervalNanos(keys, 2 * S)).isEqualTo(first); // remembered
    m.observeSurvival(keys, 70 * S, 3 * S); // the 68.5 s edge
    m.observeSurvival(keys, 70 * S, 3 * S);
    long longer = p.keepaliveIntervalNanos(keys, 4 * S);
    assertThat(longer).isGreaterThan(first)
        .isEqualTo(p.keepaliveIntervalNanosReference(keys, 4 * S));
    m.observeLoss(keys, 20 * S, 1.0, 5 * S);
    long shorter = p.keepaliveIntervalNanos(keys, 6 * S);
    assertThat(shorter).isLessThan(longer)
        .isEqualTo(p.keepaliveIntervalNanosReference(keys, 6 * S));
  }

  /**
   * A model over a shared table cannot see other writers, so it must not remember: evidence
   * written to the table directly (as another model over the same table would) must show in
   * the next interval.
   */
  @Test
  void keepaliveInterval_sharedTable_seesWritesByOthers() {
    EvidenceTable table = EvidenceTable.builder().halfLife(Duration.ofHours(24)).build();
    SurvivalModel m = SurvivalModel.builder().table(table).build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    long before = p.keepaliveIntervalNanos(nat, S);
    int edge = m.hazardCurve().survivalEdge(70.0);
    for (int i = 0; i < 3; i++) {
      table.observe(SurvivalModel.binKey(nat[0], edge), 1.0, 0.0, 2 * S);
    }
    long after = p.keepaliveIntervalNanos(nat, 3 * S);
    assertThat(after).isGreaterThan(before)
        .isEqualTo(p.keepaliveIntervalNanosReference(nat, 3 * S));
  }

  @Test
  void intervalAndProbe_afterWarmUp_allocateNothing() {
    SurvivalModel m = SurvivalModel.builder().build();
    KeepalivePlanner p = KeepalivePlanner.builder(m).build();
    m.observeSurvival(nat, 100 * S, 0);
    m.observeLoss(nat, 150 * S, 1.0, 0);
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean)
        java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long sink = 0;
    for (int i = 0; i < 3000; i++) {
      sink += p.keepaliveIntervalNanos(nat, i) + p.nextProbeGapNanos(nat, i);
    }
    long before = bean.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 2000; i++) {
      sink += p.keepaliveIntervalNanos(nat, i) + p.nextProbeGapNanos(nat, i);
    }
    long allocated = bean.getThreadAllocatedBytes(tid) - before;
    assertThat(sink).isNotZero();
    assertThat(allocated).isLessThan(4096);
  }

  @Test
  void builder_badValues_throwNamingValue() {
    SurvivalModel m = SurvivalModel.builder().build();
    assertThatThrownBy(() -> KeepalivePlanner.builder(m).reliability(0.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0");
    assertThatThrownBy(() -> KeepalivePlanner.builder(m).reliability(1.2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.2");
    assertThatThrownBy(() -> KeepalivePlanner.builder(m).confidence(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> KeepalivePlanner.builder(m)
            .floor(Duration.ofSeconds(30)).ceiling(Duration.ofSeconds(10)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("30000000000");
    assertThatThrownBy(() -> KeepalivePlanner.builder(m).floor(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> KeepalivePlanner.builder(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
