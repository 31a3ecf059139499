package org.netbelief.punch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyedLongMapTest {
    /** A value that carries its key (as a registration carries its link id). */
    record Item(long key, int serial) {}

    @Test
    void putGetRemove_randomOperations_matchLongMap() {
        // The reference is the map it replaces: a LongMap keyed by each value's key.
        SplittableRandom r = new SplittableRandom(7);
        KeyedLongMap<Item> m = new KeyedLongMap<>(Item::key);
        LongMap<Item> ref = new LongMap<>();
        for (int i = 0; i < 200_000; i++) {
            // Small key space, negative keys too: long chains, removals inside them, re-inserts.
            long k = r.nextInt(10) == 0 ? -1 - r.nextInt(50) : 1 + r.nextInt(2000);
            switch (r.nextInt(3)) {
                case 0 -> {
                    Item v = new Item(k, i);
                    m.put(v);
                    ref.put(k, v);
                }
                case 1 -> assertThat(m.remove(k)).isSameAs(ref.remove(k));
                default -> assertThat(m.get(k)).isSameAs(ref.get(k));
            }
            assertThat(m.size()).isEqualTo(ref.size());
        }
        for (long k = -60; k <= 2001; k++) {
            assertThat(m.get(k)).isSameAs(ref.get(k));
        }
    }

    @Test
    void emptyMap_readsAndRemovesBeforeFirstPut_answerEmptyAndStayUsable() {
        KeyedLongMap<Item> a = new KeyedLongMap<>(Item::key);
        KeyedLongMap<Item> b = new KeyedLongMap<>(Item::key);
        assertThat(a.get(7)).isNull();
        assertThat(a.get(0)).isNull();
        assertThat(a.remove(7)).isNull();
        assertThat(a.remove(0)).isNull();
        Item x = new Item(3, 0);
        a.put(x);
        assertThat(a.get(3)).isSameAs(x);
        assertThat(b.get(3)).isNull();
        assertThat(b.size()).isZero();
        Item y = new Item(3, 1);
        a.put(y); // an equal key: replaced
        assertThat(a.get(3)).isSameAs(y);
        assertThat(a.size()).isEqualTo(1);
        assertThatThrownBy(() -> a.put(new Item(0, 2))).isInstanceOf(IllegalArgumentException.class);
    }
}
