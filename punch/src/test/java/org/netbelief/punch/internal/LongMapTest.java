package org.netbelief.punch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongMapTest {
    @Test
    void putGetRemove_randomOperations_matchHashMap() {
        SplittableRandom r = new SplittableRandom(5);
        LongMap<Long> m = new LongMap<>();
        Map<Long, Long> ref = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            long k = 1 + r.nextInt(2000); // small key space: many collisions, removals and re-inserts
            switch (r.nextInt(3)) {
                case 0 -> {
                    m.put(k, (long) i);
                    ref.put(k, (long) i);
                }
                case 1 -> assertThat(m.remove(k)).isEqualTo(ref.remove(k));
                default -> assertThat(m.get(k)).isEqualTo(ref.get(k));
            }
            assertThat(m.size()).isEqualTo(ref.size());
        }
        for (Map.Entry<Long, Long> e : ref.entrySet()) {
            assertThat(m.get(e.getKey())).isEqualTo(e.getValue());
        }
    }
}
