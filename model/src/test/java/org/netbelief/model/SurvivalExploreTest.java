package org.netbelief.model;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SurvivalExploreTest {
  @Test
  void change() {
    for (double j : new double[] {0.0, 0.1}) {
      SurvivalModel model = SurvivalModel.builder().build();
      KeepalivePlanner planner = KeepalivePlanner.builder(model).ceiling(Duration.ofMinutes(30)).build();
      SyntheticBinding b = new SyntheticBinding(120, j, 7);
      KeepaliveScenario sc = new KeepaliveScenario(model, planner, b, new long[] {FeatureKeys.of("nat", "x")});
      sc.runUntil(2 * 3600 * KeepaliveScenario.S);
      double before = sc.intervalNanos() * 1e-9;
      b.lifetime(30);
      sc.maxProbes = sc.probes + 20;
      int lost0 = sc.holesLost;
      StringBuilder t = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        sc.runUntil(sc.now + 3600 * KeepaliveScenario.S, 1);
        t.append(String.format(" [loss%d I=%.1f]", sc.holesLost - lost0, sc.intervalNanos() * 1e-9));
      }
      System.out.printf("CHANGE j=%.1f before=%.1f doubts=%d %s%n", j, before, model.doubtEvents(), t);
    }
  }

  @Test
  void explore() {
    for (double t : new double[] {30, 120, 300, 600}) {
      for (double j : new double[] {0.0, 0.1}) {
        SurvivalModel model = SurvivalModel.builder().build();
        KeepalivePlanner planner = KeepalivePlanner.builder(model)
            .ceiling(Duration.ofMinutes(30)).build();
        SyntheticBinding b = new SyntheticBinding(t, j, 42);
        KeepaliveScenario sc = new KeepaliveScenario(model, planner, b, new long[] {FeatureKeys.of("nat", "x")});
        StringBuilder trace = new StringBuilder();
        int lastProbes = -1;
        while (sc.now < 6 * 3600 * KeepaliveScenario.S) {
          sc.runUntil(sc.now + 60 * KeepaliveScenario.S);
          if (sc.probes != lastProbes) {
            trace.append(String.format(" [p%d I=%.1f]", sc.probes, sc.intervalNanos() * 1e-9));
            lastProbes = sc.probes;
          }
        }
        double interval = sc.intervalNanos() * 1e-9;
        System.out.printf("T=%4.0f j=%.1f probes=%d interval=%.1f loss=%.4f ka=%d probePk=%d lost=%d fixed15=%d doubts=%d%n%s%n",
            t, j, sc.probes, interval, b.lossRate(interval, 10000), sc.keepalives, sc.probePackets,
            sc.holesLost, sc.fixedKeepalives(15), model.doubtEvents(), trace);
      }
    }
  }
}
