package org.netbelief.punch.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  @TempDir Path dir;

  static void assertPng(Path f) throws Exception {
    byte[] b = Files.readAllBytes(f);
    assertThat(b.length).isGreaterThan(2000);
    byte[] head = new byte[8];
    System.arraycopy(b, 0, head, 0, 8);
    assertThat(head).isEqualTo(PNG_MAGIC);
  }

  @Test
  void allPlots_syntheticRun_writePngFiles() throws Exception {
    ConnectionLog log = new ConnectionLog();
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 500; i++) {
      ConnectionRecord c = log.open("calibrated", i, i + 1, 0, true);
      double p = r.nextDouble();
      c.predicted(p);
      if (r.nextDouble() < p) {
        c.direct(1_000_000_000L);
      }
      c.addKeepalive();
    }
    Path rel = dir.resolve("plots/reliability.png");
    Plots.reliabilityDiagram("calibrated", log.records("calibrated"), rel);
    assertPng(rel);

    double[] t = new double[120];
    double[] belief = new double[120];
    double[] truth = new double[120];
    for (int i = 0; i < t.length; i++) {
      t[i] = i;
      truth[i] = i >= 40 && i < 70 ? 0 : 1;
      belief[i] = i < 40 ? 0.95 : i < 70 ? Math.max(0.1, 0.95 - (i - 40) * 0.05) : 0.8;
    }
    Path over = dir.resolve("belief.png");
    Plots.beliefOverTime("Path through an outage", t, belief, truth, over);
    assertPng(over);

    Map<String, PolicySummary> m = new LinkedHashMap<>();
    m.put("calibrated", PolicySummary.of(log.records("calibrated"), 3_600_000_000_000L));
    Path cost = dir.resolve("cost.png");
    Plots.keepaliveCostVersusHolesLost(m, cost);
    assertPng(cost);
  }

  @Test
  void beliefOverTime_lengthsDiffer_refused() {
    assertThatThrownBy(() -> Plots.beliefOverTime("x", new double[2], new double[3],
        new double[2], dir.resolve("x.png")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2, 3, 2");
  }
}
