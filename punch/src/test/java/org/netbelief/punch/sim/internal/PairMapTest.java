package org.netbelief.punch.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairMapTest {
  @Test
  void operations_randomMix_matchHashMap() {
    PairMap m = new PairMap(2);
    Map<List<Long>, Long> ref = new HashMap<>();
    SplittableRandom r = new SplittableRandom(9);
    for (int i = 0; i < 200_000; i++) {
      long a = r.nextInt(300);
      long b = r.nextInt(4);
      int op = r.nextInt(3);
      if (op == 0) {
        m.put(a, b, i);
        ref.put(List.of(a, b), (long) i);
      } else if (op == 1) {
        assertThat(m.remove(a, b)).isEqualTo(ref.remove(List.of(a, b)) != null);
      } else {
        assertThat(m.get(a, b)).isEqualTo(ref.getOrDefault(List.of(a, b), PairMap.MISSING));
      }
      assertThat(m.size()).isEqualTo(ref.size());
    }
  }

  @Test
  void removeValuesAtMost_dropsOnlySmallValues() {
    PairMap m = new PairMap(4);
    for (int i = 0; i < 100; i++) {
      m.put(i, 0, i);
    }
    assertThat(m.removeValuesAtMost(49)).isEqualTo(50);
    assertThat(m.get(49, 0)).isEqualTo(PairMap.MISSING);
    assertThat(m.get(50, 0)).isEqualTo(50);
    assertThat(m.size()).isEqualTo(50);
  }
}
