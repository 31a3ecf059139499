package org.netbelief.punch.internal;

import java.util.function.ToLongFunction;

/**
 * An open-addressing map of values that carry their own non-zero {@code long} key (read by a
 * function given at construction): the table holds only the values, so a lookup reads one slot
 * of it and then the value itself, which the caller was about to read anyway. A {@link LongMap}
 * reads a slot of its key array and then one of its value array, two cache lines before the
 * value's: at 10 000 peers (the rendezvous's registrations by link id) all three are cold.
 *
 * <p>Same behaviour as a {@link LongMap} keyed by each value's key: {@link #put} replaces the
 * value of an equal key, {@link #remove} removes whatever value has the key. A value's key must
 * not change while it is in the map. Linear probing, power-of-two capacity, load at most 1/2,
 * backward-shift deletion; the table is allocated at the first {@link #put}.
 *
 * <p>Not thread-safe.
 *
 * @param <V> value type
 */
public final class KeyedLongMap<V> {
    private static final Object[] NO_VALUES = new Object[1];
    private static final int FIRST_CAPACITY = 16;

    private final ToLongFunction<? super V> keyOf;
    private Object[] table = NO_VALUES;
    private int size;

    /**
     * Creates an empty map.
     *
     * @param keyOf a value's key (non-zero, fixed while the value is in the map)
     */
    public KeyedLongMap(ToLongFunction<? super V> keyOf) {
        this.keyOf = keyOf;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /**
     * @param key a key
     * @return the value with that key, or null
     */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        Object[] t = table;
        int mask = t.length - 1;
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            Object v = t[i];
            if (v == null) {
                return null;
            }
            if (keyOf.applyAsLong((V) v) == key) {
                return (V) v;
            }
        }
    }

    /**
     * Puts {@code value} under its key, replacing the value with an equal key.
     *
     * @param value the value
     * @throws IllegalArgumentException when the value's key is 0
     */
    @SuppressWarnings("unchecked")
    public void put(V value) {
        long key = keyOf.applyAsLong(value);
        if (key == 0) {
            throw new IllegalArgumentException("key 0 is reserved");
        }
        if ((size + 1) * 2 > table.length) {
            grow();
        }
        Object[] t = table;
        int mask = t.length - 1;
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            Object v = t[i];
            if (v == null) {
                t[i] = value;
                size++;
                return;
            }
            if (keyOf.applyAsLong((V) v) == key) {
                t[i] = value;
                return;
            }
        }
    }

    /**
     * @param key a key
     * @return the removed value, or null
     */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        Object[] t = table;
        int mask = t.length - 1;
        int i = slot(key, mask);
        while (true) {
            Object v = t[i];
            if (v == null) {
                return null;
            }
            if (keyOf.applyAsLong((V) v) == key) {
                break;
            }
            i = (i + 1) & mask;
        }
        V old = (V) t[i];
        // Backward-shift deletion keeps probe chains intact without tombstones.
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Object v = t[j];
            if (v == null) {
                break;
            }
            int home = slot(keyOf.applyAsLong((V) v), mask);
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                t[i] = v;
                i = j;
            }
        }
        t[i] = null;
        size--;
        return old;
    }

    /** @return number of values */
    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        Object[] old = table;
        table = new Object[old == NO_VALUES ? FIRST_CAPACITY : old.length * 2];
        size = 0;
        if (old != NO_VALUES) {
            for (Object v : old) {
                if (v != null) {
                    put((V) v);
                }
            }
        }
    }
}
