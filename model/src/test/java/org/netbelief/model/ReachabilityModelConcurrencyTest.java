package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReachabilityModelConcurrencyTest {
  @Test
  void success_concurrentWritersOnSharedRows_loseNoUpdate() throws Exception {
    // Detection off: a (legitimate) discount would make the sums below inexact.
    ReachabilityModel model = ReachabilityModel.builder().changeDetection(false, 8, 2).build();
    int threads = 4;
    int perThread = 20_000;
    List<PeerPath> paths = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      paths.add(model.path(Map.of("localNetwork", "wlan0", "remotePrefix", "p" + t,
          "remoteNatClass", "c", "remoteEndpoint", "e" + t)));
    }
    long now = 1_000_000_000L; // one time for every update: no decay, so masses are exact sums
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      PeerPath mine = paths.get(t);
      PeerPath shared = paths.get((t + 1) % threads);
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          model.success(i % 2 == 0 ? mine : shared, now);
          if (i % 100 == 0) {
            model.failure(mine, now);
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    long uplinkKey = paths.get(0).keys(Factor.UPLINK)[1];
    double s = model.table(Factor.UPLINK).successes(uplinkKey, now);
    // Every success adds exactly 1 to the shared UPLINK row; failures add only fractional
    // success mass Δs >= 0 (which ADF sets to 0 when the target is less certain), so the row
    // holds at least threads·perThread successes and every belief is still a finite Beta.
    assertThat(s).isGreaterThanOrEqualTo(threads * perThread - 1e-6);
    for (PeerPath p : paths) {
      for (Factor f : Factor.values()) {
        assertThat(model.belief(p, f, now).mean()).isBetween(0.0, 1.0);
      }
    }
    assertThat(model.pSuccess(paths.get(0), now)).isCloseTo(1.0, within(0.05));
  }

  @Test
  void observe_concurrentDetectorWritersWhileGrowing_keepEveryStatistic() throws Exception {
    EvidenceTable table = EvidenceTable.builder().build();
    ChangeDetector detector = ChangeDetector.builder().build();
    int threads = 4;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          long key = FeatureKeys.of("endpoint", id + ":" + i);
          table.observe(key, false, 1);
          detector.observe(table, key, 0.9, 0, 1, 1);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    // One failure against p_u = 0.9 with an empty run: g = ln(0.5/0.1) for every key.
    double expected = Math.log(0.5 / 0.1);
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i += 97) {
        assertThat(detector.statistic(FeatureKeys.of("endpoint", t + ":" + i)))
            .isCloseTo(expected, within(1e-12));
      }
    }
  }
}
