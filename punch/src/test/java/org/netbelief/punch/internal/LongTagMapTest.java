package org.netbelief.punch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongTagMapTest {
    /** The reference: key to tag, and key to cached value, in plain hash maps. */
    @Test
    void putSetCachedLookups_randomOperations_matchHashMaps() {
        SplittableRandom r = new SplittableRandom(11);
        LongTagMap<String> m = new LongTagMap<>();
        Map<Long, Integer> tags = new HashMap<>();
        Map<Long, String> cached = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // A key space of 1..3000 (keys 0 and negatives looked up too), 40 tags: long probe
            // chains, growth to 8192 slots, and tags spread over many entries.
            long k = r.nextInt(8) == 0 ? -r.nextInt(5) : 1 + r.nextInt(3000);
            switch (r.nextInt(4)) {
                case 0 -> {
                    if (k > 0) {
                        int tag = r.nextInt(40);
                        String v = r.nextBoolean() ? null : "v" + i;
                        m.put(k, tag, v);
                        tags.put(k, tag);
                        cached.put(k, v);
                    }
                }
                case 1 -> {
                    int tag = r.nextInt(40);
                    String v = r.nextBoolean() ? null : "s" + i;
                    m.setCached(tag, v);
                    for (Map.Entry<Long, Integer> e : tags.entrySet()) {
                        if (e.getValue() == tag) {
                            cached.put(e.getKey(), v);
                        }
                    }
                }
                default -> {
                    assertThat(m.tag(k)).isEqualTo(tags.getOrDefault(k, -1));
                    assertThat(m.cached(k)).isEqualTo(cached.get(k));
                }
            }
            assertThat(m.size()).isEqualTo(tags.size());
        }
        for (Map.Entry<Long, Integer> e : tags.entrySet()) {
            assertThat(m.tag(e.getKey())).isEqualTo(e.getValue());
            assertThat(m.cached(e.getKey())).isEqualTo(cached.get(e.getKey()));
        }
    }

    @Test
    void emptyMap_readsAndSetCachedBeforeFirstPut_answerEmptyAndStayUsable() {
        LongTagMap<String> a = new LongTagMap<>();
        LongTagMap<String> b = new LongTagMap<>();
        assertThat(a.tag(7)).isEqualTo(-1);
        assertThat(a.tag(0)).isEqualTo(-1);
        assertThat(a.cached(7)).isNull();
        a.setCached(0, "x"); // must not write the shared empty table
        assertThat(b.cached(0)).isNull();
        assertThat(b.tag(0)).isEqualTo(-1);
        a.put(5, 0, "five");
        assertThat(a.tag(5)).isZero();
        assertThat(a.cached(5)).isEqualTo("five");
        assertThat(a.tag(0)).isEqualTo(-1);
        assertThat(b.cached(5)).isNull();
        assertThat(b.size()).isZero();
        assertThatThrownBy(() -> a.put(0, 1, "zero")).isInstanceOf(IllegalArgumentException.class);
    }
}
