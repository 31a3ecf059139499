package org.netbelief.punch.sim.internal;

/**
 * An insert-only open-addressing hash map from an {@code int} key to a non-negative {@code int}
 * value, for the simulator's address index (an address in a realm to the node that has it).
 *
 * <p>Layout: one {@code long[]} of a power-of-two number of slots, each slot one word, the key in
 * the high half and value + 1 in the low half (0 marks an empty slot); linear probing from a mixed
 * hash; the table doubles when it is more than half full. Eight bytes a slot against a {@link
 * PairMap}'s 32: the Internet realm's index at 10 000 peers (about 13 000 addresses) takes 256 KB
 * instead of 1 MB, so a lookup for a random destination — one per packet that crosses the
 * Internet — mostly stays in the core's second-level cache. Nothing is allocated except when the
 * table grows.
 *
 * <p>Not thread-safe.
 */
public final class IntIntMap {
  /** Returned by {@link #get} when the key is absent. */
  public static final int MISSING = -1;

  private long[] t;
  private int mask;
  private int size;

  /** Creates a map with room for about {@code expected} entries before it grows. */
  public IntIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    t = new long[cap];
    mask = cap - 1;
  }

  /** Number of entries. */
  public int size() {
    return size;
  }

  private static int slot(int key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29));
  }

  /** The value for {@code key}, or {@link #MISSING}. */
  public int get(int key) {
    long[] tab = t;
    int i = slot(key) & mask;
    while (true) {
      long e = tab[i];
      if (e == 0) {
        return MISSING;
      }
      if ((int) (e >>> 32) == key) {
        return (int) e - 1;
      }
      i = (i + 1) & mask;
    }
  }

  /**
   * Sets the value for {@code key}, replacing any previous one.
   *
   * @throws IllegalArgumentException for a negative value or {@link Integer#MAX_VALUE}
   */
  public void put(int key, int value) {
    if (value < 0 || value == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("value must be in 0..2^31-2, was " + value);
    }
    long word = ((long) key << 32) | (value + 1L);
    long[] tab = t;
    int i = slot(key) & mask;
    while (true) {
      long e = tab[i];
      if (e == 0) {
        tab[i] = word;
        if (++size * 2 > mask + 1) {
          grow();
        }
        return;
      }
      if ((int) (e >>> 32) == key) {
        tab[i] = word;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private void grow() {
    long[] old = t;
    t = new long[old.length * 2];
    mask = t.length - 1;
    for (long e : old) {
      if (e != 0) {
        int i = slot((int) (e >>> 32)) & mask;
        while (t[i] != 0) {
          i = (i + 1) & mask;
        }
        t[i] = e;
      }
    }
  }
}
