package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RttModelTest {
  static final long SECOND = 1_000_000_000L;

  static double gaussian(SplittableRandom rnd) {
    // Box–Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * {@link RttModel#quantileNanos} is {@code belief(..).quantileNanos(q)} without the objects:
   * random histories over 50 paths (fixed seed), asked at random times and quantiles, must give
   * the same nanoseconds every time, and the call must allocate nothing once warm.
   */
  @Test
  void quantileNanos_randomHistories_equalsBeliefQuantileAndAllocatesNothing() {
    SplittableRandom rnd = new SplittableRandom(5);
    RttModel rtt = RttModel.builder().build();
    long[][] keys = new long[50][];
    for (int p = 0; p < keys.length; p++) {
      keys[p] = rtt.keys("*", "198.51.100." + (p % 7) + ".0/24", "198.51.100.7:" + p);
    }
    double[] qs = {0.5, 0.9, 0.99, 0.999};
    long now = 0;
    int compared = 0;
    java.util.Set<Long> distinct = new java.util.HashSet<>();
    for (int step = 0; step < 4000; step++) {
      now += (long) (rnd.nextDouble() * 30.0 * SECOND);
      long[] k = keys[rnd.nextInt(keys.length)];
      if (rnd.nextInt(3) > 0) {
        rtt.observe(k, (long) (20e6 * Math.exp(0.6 * gaussian(rnd))), now);
      }
      double q = qs[rnd.nextInt(qs.length)];
      long fast = rtt.quantileNanos(k, q, now);
      assertThat(fast).as("step %d", step).isEqualTo(rtt.belief(k, now).quantileNanos(q));
      distinct.add(fast);
      compared++;
    }
    assertThat(compared).isEqualTo(4000);
    assertThat(distinct.size()).isGreaterThan(1000);
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean)
        java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long sink = 0;
    for (int i = 0; i < 2000; i++) {
      sink += rtt.quantileNanos(keys[i % keys.length], 0.999, now);
    }
    long before = bean.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 2000; i++) {
      sink += rtt.quantileNanos(keys[i % keys.length], 0.999, now);
    }
    long allocated = bean.getThreadAllocatedBytes(tid) - before;
    assertThat(sink).isPositive();
    assertThat(allocated).isLessThan(4096);
    assertThatThrownBy(() -> rtt.quantileNanos(keys[0], 1.0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.0");
  }

  @Test
  void quantile99_logNormalStreams_exceededByOnePercentOfSamples() {
    // 200 streams (fixed seeds), each log-normal with its own median in [10 ms, 300 ms] and
    // log-sd in [0.1, 0.8]. Each stream warms up with 50 samples; the next 100 samples are each
    // compared with the 99% timer computed before they arrive. N = 20 000 comparisons: the
    // binomial standard error of the exceedance rate at 1% is sqrt(0.01·0.99/N) = 0.07%, so
    // the ±0.5% band is seven standard errors (room for the correlation of samples within a
    // stream, whose timers err together; a design effect up to 5 still leaves three se).
    int streams = 200;
    int warmup = 50;
    int tested = 100;
    long exceed = 0;
    long total = 0;
    SplittableRandom seeds = new SplittableRandom(42);
    for (int s = 0; s < streams; s++) {
      SplittableRandom rnd = seeds.split();
      double mu = Math.log(10e6) + rnd.nextDouble() * Math.log(30);
      double sigma = 0.1 + 0.7 * rnd.nextDouble();
      RttModel rtt = RttModel.builder().build();
      long[] keys = rtt.keys("*", "198.51.100.0/24", "198.51.100." + s + ":4500");
      long now = 0;
      for (int i = 0; i < warmup + tested; i++) {
        now += SECOND;
        long sample = Math.max(1, Math.round(Math.exp(mu + sigma * gaussian(rnd))));
        if (i >= warmup) {
          long timer = rtt.belief(keys, now).quantileNanos(0.99);
          exceed += sample > timer ? 1 : 0;
          total++;
        }
        rtt.observe(keys, sample, now);
      }
    }
    double rate = exceed / (double) total;
    System.out.printf("RTT 99%% timer: %d of %d samples exceeded it (%.3f%%)%n", exceed, total,
        100 * rate);
    assertThat(rate).isCloseTo(0.01, within(0.005));
  }

  @Test
  void belief_noSamples_isThePrior() {
    RttModel rtt = RttModel.builder().prior(Duration.ofMillis(80), 0.5, 1, 0.5).build();
    RttBelief b = rtt.belief(rtt.keys("*", "p", "e"), SECOND);
    assertThat(b.medianNanos()).isCloseTo(80_000_000L, within(1L));
    assertThat(b.evidence()).isZero();
    assertThat(b.quantileNanos(0.99)).isGreaterThan(b.medianNanos());
  }

  @Test
  void belief_manySamplesOfOneValue_convergesToIt() {
    RttModel rtt = RttModel.builder().build();
    long[] keys = rtt.keys("*", "p", "e");
    for (int i = 0; i < 500; i++) {
      rtt.observe(keys, 20_000_000L, i * SECOND);
    }
    RttBelief b = rtt.belief(keys, 500 * SECOND);
    assertThat(b.medianNanos() / 1e6).isCloseTo(20.0, within(0.1));
    assertThat(b.quantileNanos(0.99) / 1e6).isLessThan(21.0);
  }

  @Test
  void belief_newEndpointUnderKnownPrefix_borrowsThePrefixBelief() {
    RttModel rtt = RttModel.builder().build();
    for (int i = 0; i < 100; i++) {
      rtt.observe(rtt.keys("*", "198.51.100.0/24", "e" + (i % 5)), 30_000_000L, i * SECOND);
    }
    RttBelief fresh = rtt.belief(rtt.keys("*", "198.51.100.0/24", "new"), 100 * SECOND);
    assertThat(fresh.medianNanos() / 1e6).isCloseTo(30.0, within(0.5));
    assertThat(fresh.evidence()).isZero();
  }

  @Test
  void observe_badInput_throwsNamingValueAndLeavesTablesUnchanged() {
    RttModel rtt = RttModel.builder().build();
    long[] keys = rtt.keys("*", "p", "e");
    rtt.observe(keys, 20_000_000L, SECOND);
    RttBelief before = rtt.belief(keys, SECOND);
    assertThatThrownBy(() -> rtt.observe(keys, 0, SECOND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    assertThatThrownBy(() -> rtt.observe(keys, -5, SECOND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
    assertThatThrownBy(() -> rtt.observe(keys, 1000, SECOND + Duration.ofDays(400).toNanos()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than");
    assertThatThrownBy(() -> rtt.observe(keys, 1000, Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("" + Long.MAX_VALUE);
    assertThatThrownBy(() -> rtt.observe(new long[2], 1000, SECOND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2");
    RttBelief after = rtt.belief(keys, SECOND);
    assertThat(after.logMean()).isEqualTo(before.logMean());
    assertThat(after.beta()).isEqualTo(before.beta());
    assertThatThrownBy(() -> before.quantileNanos(1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.0");
    assertThatThrownBy(() -> RttModel.builder().prior(Duration.ZERO, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> RttModel.builder().prior(Duration.ofMillis(1), -1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }
  /*
   * The Student-t quantile cache must hand back exactly what commons-math computes, also when
   * 24 000 distinct (ν, q) pairs share its 16 384 slots (so every slot is overwritten many times
   * and a stale entry of another key would show) and when a pair is asked again after others
   * displaced it.
   */
  @Test
  void studentQuantile_manyKeysSharingSlots_exactlyTheUncachedValue() {
    SplittableRandom rnd = new SplittableRandom(6L);
    double[] nu = new double[24_000];
    double[] q = new double[nu.length];
    for (int i = 0; i < nu.length; i++) {
      nu[i] = 0.5 + 60.0 * rnd.nextDouble();
      q[i] = i % 3 == 0 ? 0.999 : 0.5 + 0.499 * rnd.nextDouble();
    }
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < nu.length; i += 1 + pass) {
        double expected = new org.apache.commons.math3.distribution.TDistribution(null, nu[i])
            .inverseCumulativeProbability(q[i]);
        assertThat(RttBelief.studentQuantile(nu[i], q[i])).as("nu %s q %s", nu[i], q[i])
            .isEqualTo(expected);
        assertThat(RttBelief.studentQuantile(nu[i], q[i])).isEqualTo(expected);
      }
    }
  }

  /**
   * The grid of {@link RttBelief#clampedQuantileNanos} brackets every ν: g_i ≤ ν &lt; g_{i+1},
   * and the computed quantiles there bracket the computed t(ν) within the margin (t decreases
   * in ν for q &gt; 1/2), for random ν over the grid's range (fixed seed).
   */
  @Test
  void clampedQuantile_gridBracketsEveryNu() {
    SplittableRandom rnd = new SplittableRandom(7L);
    double[] qs = {0.6, 0.9, 0.99, 0.999};
    for (int n = 0; n < 3000; n++) {
      double nu = n < 1000 ? 2.0 + 8.0 * rnd.nextDouble() : Math.exp(Math.log(2.0)
          + Math.log(500.0) * rnd.nextDouble());
      double q = qs[n % qs.length];
      int i = RttBelief.gridIndex(nu);
      assertThat(i).isNotNegative();
      assertThat(RttBelief.gridPoint(i)).isLessThanOrEqualTo(nu);
      assertThat(RttBelief.gridPoint(i + 1)).isGreaterThan(nu);
      double t = RttBelief.studentQuantile(nu, q);
      double upper = RttBelief.gridQuantile(i, q);
      double lower = RttBelief.gridQuantile(i + 1, q);
      assertThat(t).as("nu %s q %s", nu, q)
          .isLessThanOrEqualTo(upper + RttBelief.GRID_MARGIN * (1.0 + upper))
          .isGreaterThanOrEqualTo(lower - RttBelief.GRID_MARGIN * (1.0 + lower));
      assertThat(upper).isGreaterThanOrEqualTo(lower);
    }
    assertThat(RttBelief.gridIndex(1.999)).isEqualTo(-1);
    assertThat(RttBelief.gridIndex(0x1p21)).isEqualTo(-1);
    assertThat(RttBelief.gridIndex(Double.NaN)).isEqualTo(-1);
    assertThat(RttBelief.gridPoint(RttBelief.gridIndex(2.0))).isEqualTo(2.0);
  }

  /**
   * {@link RttBelief#clampedQuantileNanos} is the clamp of {@link RttBelief#quantileNanos},
   * bit for bit, on random beliefs and clamps that lie below, around and above the quantile
   * (fixed seed; ν new to the quantile cache, so the bound is tried), and the bound decided a
   * good share of the clamped cases without the inversion.
   */
  @Test
  void clampedQuantile_randomBeliefs_equalsTheClampOfTheQuantile() {
    SplittableRandom rnd = new SplittableRandom(8L);
    double[] qs = {0.1, 0.5, 0.9, 0.99, 0.999};
    int skipped = 0;
    int clamped = 0;
    for (int n = 0; n < 20_000; n++) {
      double mu = Math.log(1e6) + Math.log(2000.0) * rnd.nextDouble();
      double kappa = 0.5 + 20.0 * rnd.nextDouble();
      double alpha = 0.5 + (n % 2 == 0 ? 3.0 : 60.0) * rnd.nextDouble();
      double beta = alpha * (0.01 + 0.8 * rnd.nextDouble());
      double q = qs[n % qs.length];
      // The clamps: around exp(mu) times a random factor, some within a few ns of the answer.
      long center = (long) (Math.exp(mu + 3.0 * gaussian(rnd)));
      long min = Math.max(1L, (long) (center * (0.2 + rnd.nextDouble())));
      long max = min + (long) (center * 3.0 * rnd.nextDouble());
      long clamp = RttBelief.clampedQuantileNanos(mu, kappa, alpha, beta, q, min, max);
      boolean inverted = RttBelief.studentQuantileCached(2.0 * alpha, q);
      long plain = RttBelief.quantileNanos(mu, kappa, alpha, beta, q);
      assertThat(clamp).as("n %d", n).isEqualTo(Math.max(min, Math.min(max, plain)));
      if (plain <= min || plain >= max) {
        clamped++;
        skipped += inverted ? 0 : 1;
      }
      if (n % 7 == 0) {
        // Clamps at the answer and 1 ns beside it, for a ν not in the quantile cache: the
        // answer computed here as quantileNanos computes it, without the cache.
        for (long d = -1; d <= 1; d++) {
          double a2 = alpha * (1.0 + 1e-9 * (d + 2));
          double scale = Math.sqrt(beta * (kappa + 1.0) / (a2 * kappa));
          double t = new org.apache.commons.math3.distribution.TDistribution(null, 2.0 * a2)
              .inverseCumulativeProbability(q);
          long answer = Math.max(1L, Math.round(Math.exp(mu + scale * t)));
          long at = Math.max(1L, answer + d);
          long low = RttBelief.clampedQuantileNanos(mu, kappa, a2, beta, q, at, Long.MAX_VALUE);
          assertThat(low).as("n %d d %d", n, d).isEqualTo(Math.max(at, answer));
          double a3 = a2 * (1.0 + 1e-12);
          double scale3 = Math.sqrt(beta * (kappa + 1.0) / (a3 * kappa));
          double t3 = new org.apache.commons.math3.distribution.TDistribution(null, 2.0 * a3)
              .inverseCumulativeProbability(q);
          long answer3 = Math.max(1L, Math.round(Math.exp(mu + scale3 * t3)));
          long at3 = Math.max(1L, answer3 + d);
          long high = RttBelief.clampedQuantileNanos(mu, kappa, a3, beta, q, 1L, at3);
          assertThat(high).as("n %d d %d", n, d).isEqualTo(Math.min(at3, answer3));
        }
      }
    }
    assertThat(clamped).isGreaterThan(5000);
    assertThat(skipped).isGreaterThan(clamped / 3);
  }

  /** {@link RttModel#clampedQuantileNanos} is the clamp of {@link RttModel#quantileNanos}. */
  @Test
  void clampedQuantileNanos_model_equalsTheClampAndChecksItsArguments() {
    SplittableRandom rnd = new SplittableRandom(9L);
    RttModel rtt = RttModel.builder().build();
    long[][] keys = new long[20][];
    for (int p = 0; p < keys.length; p++) {
      keys[p] = rtt.keys("*", "203.0.113." + (p % 5) + ".0/24", "203.0.113.9:" + p);
    }
    long now = 0;
    for (int step = 0; step < 3000; step++) {
      now += (long) (rnd.nextDouble() * 20.0 * SECOND);
      long[] k = keys[rnd.nextInt(keys.length)];
      rtt.observe(k, (long) (60e6 * Math.exp(0.7 * gaussian(rnd))), now);
      long c = rtt.clampedQuantileNanos(k, 0.999, 100_000_000L, 3_000_000_000L, now);
      long q = rtt.quantileNanos(k, 0.999, now);
      assertThat(c).isEqualTo(Math.max(100_000_000L, Math.min(3_000_000_000L, q)));
    }
    long[] k0 = keys[0];
    assertThatThrownBy(() -> rtt.clampedQuantileNanos(k0, 0.999, 2, 1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min <= max");
    assertThatThrownBy(() -> rtt.clampedQuantileNanos(k0, 0.0, 1, 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
