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

    @Test
    void emptyMap_readsAndRemovesBeforeFirstPut_answerEmptyAndStayUsable() {
        // A fresh map reads from a shared empty table: reads, removes (key 0 included) and
        // visits on it must change nothing, in this map or any other.
        LongMap<String> a = new LongMap<>();
        LongMap<String> b = new LongMap<>();
        assertThat(a.get(7)).isNull();
        assertThat(a.get(0)).isNull();
        assertThat(a.remove(7)).isNull();
        assertThat(a.remove(0)).isNull();
        assertThat(a.size()).isZero();
        assertThat(a.valuesSnapshot()).isEmpty();
        a.forEachValue(v -> {
            throw new AssertionError("empty map visited " + v);
        });
        for (long k = 1; k <= 40; k++) {
            a.put(k, "a" + k);
        }
        assertThat(b.get(1)).isNull();
        assertThat(b.size()).isZero();
        assertThat(a.size()).isEqualTo(40);
        for (long k = 1; k <= 40; k++) {
            assertThat(a.get(k)).isEqualTo("a" + k);
        }
        b.put(3, "b3");
        assertThat(b.get(3)).isEqualTo("b3");
        assertThat(b.remove(3)).isEqualTo("b3");
        assertThat(b.get(3)).isNull();
    }
}
