package org.netbelief.model.internal;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys to non-negative {@code int} values, so that lookups
 * on the hot path neither box nor allocate.
 *
 * <p>Layout: parallel arrays {@code keys[]} and {@code values[]} of a power-of-two length, linear
 * probing from a mixed hash, {@code values[i] == -1} marks an empty slot. Removal uses backward
 * shift deletion (no tombstones), so probe chains stay short however many keys come and go. The
 * table grows by doubling when it is more than half full; growth allocates, lookups never do.
 *
 * <p>Not thread-safe: the single owner (a {@code SegmentGraph}) serialises access.
 */
public final class LongIntMap {
  /** The value {@link #get} returns for an absent key. */
  public static final int ABSENT = -1;

  private long[] keys;
  private int[] values;
  private int mask;
  private int size;

  /**
   * Creates a map sized for {@code expected} keys without growing.
   *
   * @param expected the number of keys expected; at least 1
   */
  public LongIntMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    values = new int[capacity];
    Arrays.fill(values, ABSENT);
    mask = capacity - 1;
  }

  /** Returns the number of keys held. */
  public int size() {
    return size;
  }

  /**
   * Returns the value mapped to {@code key}, or {@link #ABSENT}. Allocation-free.
   *
   * @param key the key
   * @return its value, or {@code ABSENT}
   */
  public int get(long key) {
    int i = index(key);
    while (values[i] != ABSENT) {
      if (keys[i] == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return ABSENT;
  }

  /**
   * Maps {@code key} to {@code value}, replacing any previous value.
   *
   * @param key the key
   * @param value a non-negative value
   */
  public void put(long key, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("value must be >= 0, was " + value);
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int i = index(key);
    while (values[i] != ABSENT) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    size++;
  }

  /**
   * Removes {@code key} if present.
   *
   * @param key the key
   * @return the value it had, or {@code ABSENT}
   */
  public int remove(long key) {
    int i = index(key);
    while (values[i] != ABSENT) {
      if (keys[i] == key) {
        int old = values[i];
        shiftBack(i);
        size--;
        return old;
      }
      i = (i + 1) & mask;
    }
    return ABSENT;
  }

  // Backward shift deletion: move later members of the probe chain into the hole when their home
  // slot does not lie cyclically in (hole, current].
  private void shiftBack(int hole) {
    int i = hole;
    while (true) {
      i = (i + 1) & mask;
      if (values[i] == ABSENT) {
        break;
      }
      int home = index(keys[i]);
      boolean stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
      if (!stays) {
        keys[hole] = keys[i];
        values[hole] = values[i];
        hole = i;
      }
    }
    values[hole] = ABSENT;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldValues.length * 2];
    Arrays.fill(values, ABSENT);
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != ABSENT) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  private int index(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
