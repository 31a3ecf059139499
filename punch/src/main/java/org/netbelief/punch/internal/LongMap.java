package org.netbelief.punch.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An open-addressing map from non-zero {@code long} keys to objects, without boxing: lookups on
 * the packet path (session by id) allocate nothing. Linear probing, power-of-two capacity, load
 * at most 1/2, backward-shift deletion. Key 0 is reserved as "empty".
 *
 * <p>A map allocates its table at the first {@link #put} (16 slots, doubling), not when made: a
 * simulated peer holds four or five of these (its engine's connects, accepts and sessions, its
 * policy's paths), and most stay empty for most of a run, so 10 000 peers no longer carry
 * about 10 MB of empty tables. Until then it reads from a shared one-slot empty table.
 *
 * <p>Not thread-safe.
 *
 * @param <V> value type
 */
public final class LongMap<V> {
    /** Read-only stand-ins until the first put; never written (put grows first). */
    private static final long[] NO_KEYS = new long[1];
    private static final Object[] NO_VALUES = new Object[1];
    private static final int FIRST_CAPACITY = 16;

    private long[] keys = NO_KEYS;
    private Object[] values = NO_VALUES;
    private int size;

    /** Creates an empty map. */
    public LongMap() {}

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /**
     * @param key non-zero key
     * @return the value or null
     */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    /**
     * @param key non-zero key
     * @param value value
     * @throws IllegalArgumentException when the key is 0
     */
    public void put(long key, V value) {
        if (key == 0) {
            throw new IllegalArgumentException("key 0 is reserved");
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            if (keys[i] == 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    /**
     * @param key key
     * @return the removed value or null
     */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        if (key == 0) {
            return null; // never stored; and the empty table's slot must stay untouched
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return null;
            }
            i = (i + 1) & mask;
        }
        V old = (V) values[i];
        // Backward-shift deletion keeps probe chains intact without tombstones.
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (keys[j] == 0) {
                break;
            }
            int home = slot(keys[j], mask);
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = 0;
        values[i] = null;
        size--;
        return old;
    }

    /** @return number of entries */
    public int size() {
        return size;
    }

    /**
     * Visits every value (the map must not be changed during the visit).
     *
     * @param action the visitor
     */
    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept((V) values[i]);
            }
        }
    }

    /**
     * Copies the values into a list-like array snapshot (control path, allocates).
     *
     * @return the values
     */
    public Object[] valuesSnapshot() {
        Object[] out = new Object[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                out[n++] = values[i];
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] ok = keys;
        Object[] ov = values;
        if (ok == NO_KEYS) {
            keys = new long[FIRST_CAPACITY];
            values = new Object[FIRST_CAPACITY];
            return;
        }
        keys = new long[ok.length * 2];
        values = new Object[ok.length * 2];
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != 0) {
                put(ok[i], (V) ov[i]);
            }
        }
        Arrays.fill(ok, 0);
    }
}
