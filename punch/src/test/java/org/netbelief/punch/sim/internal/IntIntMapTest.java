package org.netbelief.punch.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntIntMapTest {
  @Test
  void putAndGet_randomKeysThroughGrowth_matchHashMap() {
    IntIntMap m = new IntIntMap(1);
    Map<Integer, Integer> ref = new HashMap<>();
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 100_000; i++) {
      // Keys over the whole int range, 0 and negatives included, with repeats (replacements).
      int key = r.nextInt(4) == 0 ? r.nextInt(64) - 32 : r.nextInt();
      int value = r.nextInt(Integer.MAX_VALUE - 1);
      m.put(key, value);
      ref.put(key, value);
      int probe = r.nextInt(3) == 0 ? key : r.nextInt(64) - 32;
      assertThat(m.get(probe)).isEqualTo(ref.getOrDefault(probe, IntIntMap.MISSING));
    }
    assertThat(m.size()).isEqualTo(ref.size());
    for (Map.Entry<Integer, Integer> e : ref.entrySet()) {
      assertThat(m.get(e.getKey())).isEqualTo(e.getValue());
    }
  }

  @Test
  void get_emptyMap_missing() {
    assertThat(new IntIntMap(8).get(0)).isEqualTo(IntIntMap.MISSING);
  }

  @Test
  void put_negativeValue_throwsNamingValue() {
    IntIntMap m = new IntIntMap(8);
    assertThatThrownBy(() -> m.put(1, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> m.put(1, Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(m.get(1)).isEqualTo(IntIntMap.MISSING);
  }
}
