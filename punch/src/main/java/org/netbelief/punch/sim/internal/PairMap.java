package org.netbelief.punch.sim.internal;

import java.util.Arrays;

/**
 * An open-addressing hash map from a pair of {@code long} keys to a {@code long} value.
 *
 * <p>Layout: one {@code long[]} of a power-of-two number of slots, each slot four words
 * {@code [k1, k2, value, used]} so that a probe touches one cache line; probing is linear from a
 * mixed hash of both keys. Deletion shifts later entries of the probe run back (no tombstones),
 * so lookups stay short however many entries come and go — the NAT tables see a constant churn
 * of bindings. The table doubles when it is more than half full. Nothing is allocated except
 * when it grows.
 *
 * <p>Not thread-safe.
 */
public final class PairMap {
  /** Returned by {@link #get} when the key pair is absent. */
  public static final long MISSING = Long.MIN_VALUE;

  private long[] t;
  private int mask; // slot mask
  private int size;

  /** Creates a map with room for about {@code expected} entries before it grows. */
  public PairMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    alloc(cap);
  }

  private void alloc(int cap) {
    t = new long[cap * 4];
    mask = cap - 1;
  }

  /** Number of entries. */
  public int size() {
    return size;
  }

  private static int hash(long a, long b) {
    long h = a * 0x9E3779B97F4A7C15L + b;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return (int) h;
  }

  /** The value for the key pair, or {@link #MISSING}. */
  public long get(long a, long b) {
    long[] tab = t;
    int i = hash(a, b) & mask;
    while (true) {
      int k = i << 2;
      if (tab[k + 3] == 0) {
        return MISSING;
      }
      if (tab[k] == a && tab[k + 1] == b) {
        return tab[k + 2];
      }
      i = (i + 1) & mask;
    }
  }

  /** Sets the value for the key pair (replacing any previous one). */
  public void put(long a, long b, long value) {
    long[] tab = t;
    int i = hash(a, b) & mask;
    while (true) {
      int k = i << 2;
      if (tab[k + 3] == 0) {
        tab[k] = a;
        tab[k + 1] = b;
        tab[k + 2] = value;
        tab[k + 3] = 1;
        if (++size * 2 > mask + 1) {
          rehash((mask + 1) * 2);
        }
        return;
      }
      if (tab[k] == a && tab[k + 1] == b) {
        tab[k + 2] = value;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes the key pair; returns whether it was present. */
  public boolean remove(long a, long b) {
    long[] tab = t;
    int i = hash(a, b) & mask;
    while (true) {
      int k = i << 2;
      if (tab[k + 3] == 0) {
        return false;
      }
      if (tab[k] == a && tab[k + 1] == b) {
        deleteAt(i);
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  private void deleteAt(int hole) {
    // Backward-shift deletion: pull later members of the probe run into the hole when their home
    // slot does not lie (cyclically) between the hole and their current slot.
    long[] tab = t;
    int i = hole;
    while (true) {
      i = (i + 1) & mask;
      int k = i << 2;
      if (tab[k + 3] == 0) {
        break;
      }
      int home = hash(tab[k], tab[k + 1]) & mask;
      boolean stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
      if (!stays) {
        System.arraycopy(tab, k, tab, hole << 2, 3);
        hole = i;
      }
    }
    tab[(hole << 2) + 3] = 0;
    size--;
  }

  /** Removes every entry whose value is at most {@code threshold}; returns how many went. */
  public int removeValuesAtMost(long threshold) {
    long[] old = t;
    int before = size;
    alloc(mask + 1);
    size = 0;
    for (int k = 0; k < old.length; k += 4) {
      if (old[k + 3] != 0 && old[k + 2] > threshold) {
        put(old[k], old[k + 1], old[k + 2]);
      }
    }
    return before - size;
  }

  /** Removes every entry. */
  public void clear() {
    Arrays.fill(t, 0L);
    size = 0;
  }

  private void rehash(int cap) {
    long[] old = t;
    alloc(cap);
    size = 0;
    for (int k = 0; k < old.length; k += 4) {
      if (old[k + 3] != 0) {
        put(old[k], old[k + 1], old[k + 2]);
      }
    }
  }
}
