package org.netbelief.punch.internal;

/**
 * An open-addressing map from non-zero {@code long} keys to an {@code int} tag, with one value
 * per entry that the owner sets for every entry of a tag at once ({@link #setCached}). Made for
 * a simulated host's paths: key = path key, tag = the peer at the other end, cached value = the
 * peer pair's open connection record, so a per-packet lookup is one probe of this small table
 * instead of a path-to-peer lookup and then a pair lookup in a run-wide table (both cold at
 * 10 000 peers).
 *
 * <p>Keys and tags share one {@code long[]} (key at {@code 2i}, tag at {@code 2i + 1}), so a hit
 * reads one cache line of it and one of the values. Linear probing, power-of-two capacity, load
 * at most 1/2; entries are never removed. The table is allocated at the first {@link #put}.
 *
 * <p>Not thread-safe.
 *
 * @param <V> cached value type
 */
public final class LongTagMap<V> {
    /** Read-only stand-ins until the first put (one empty slot). */
    private static final long[] NO_ENTRIES = new long[2];
    private static final Object[] NO_VALUES = new Object[1];
    private static final int FIRST_CAPACITY = 8;

    private long[] entries = NO_ENTRIES;
    private Object[] values = NO_VALUES;
    private int size;

    /** Creates an empty map. */
    public LongTagMap() {}

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The slot of {@code key}, or -1 when absent (key 0 is never present). */
    private int find(long key) {
        long[] e = entries;
        int mask = values.length - 1;
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            long k = e[2 * i];
            if (k == 0) {
                return -1;
            }
            if (k == key) {
                return i;
            }
        }
    }

    /**
     * @param key a key
     * @return the key's tag, or -1 when absent
     */
    public int tag(long key) {
        int i = find(key);
        return i < 0 ? -1 : (int) entries[2 * i + 1];
    }

    /**
     * @param key a key
     * @return the value cached for the key's entry, or null (absent, or none cached)
     */
    @SuppressWarnings("unchecked")
    public V cached(long key) {
        int i = find(key);
        return i < 0 ? null : (V) values[i];
    }

    /**
     * Maps {@code key} to {@code tag} with {@code value} cached (replacing both when present).
     *
     * @param key non-zero key
     * @param tag the tag
     * @param value the value cached for the entry (may be null)
     * @throws IllegalArgumentException when the key is 0
     */
    public void put(long key, int tag, V value) {
        if (key == 0) {
            throw new IllegalArgumentException("key 0 is reserved");
        }
        if ((size + 1) * 2 > values.length) {
            grow();
        }
        int mask = values.length - 1;
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            long k = entries[2 * i];
            if (k == key || k == 0) {
                if (k == 0) {
                    entries[2 * i] = key;
                    size++;
                }
                entries[2 * i + 1] = tag;
                values[i] = value;
                return;
            }
        }
    }

    /**
     * Caches {@code value} in every entry tagged {@code tag} (walks the whole table: a control
     * path, called when what the tag's entries stand for changes).
     *
     * @param tag the tag
     * @param value the value (may be null)
     */
    public void setCached(int tag, V value) {
        if (size == 0) {
            return; // the shared empty table is never written
        }
        for (int i = 0; i < values.length; i++) {
            if (entries[2 * i] != 0 && (int) entries[2 * i + 1] == tag) {
                values[i] = value;
            }
        }
    }

    /** @return number of entries */
    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oe = entries;
        Object[] ov = values;
        int capacity = ov == NO_VALUES ? FIRST_CAPACITY : ov.length * 2;
        entries = new long[2 * capacity];
        values = new Object[capacity];
        size = 0;
        if (ov != NO_VALUES) {
            for (int i = 0; i < ov.length; i++) {
                if (oe[2 * i] != 0) {
                    put(oe[2 * i], (int) oe[2 * i + 1], (V) ov[i]);
                }
            }
        }
    }
}
