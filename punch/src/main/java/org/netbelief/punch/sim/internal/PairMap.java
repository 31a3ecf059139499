package org.netbelief.punch.sim.internal;

import java.util.Arrays;

/**
 * An open-addressing hash map from a pair of {@code long} keys to a {@code long} value.
 *
 * <p>Layout: parallel arrays {@code k1}, {@code k2}, {@code val} and a {@code used} flag, of a
 * power-of-two capacity, probed linearly from a mixed hash of both keys. Deletion shifts later
 * entries of the probe run back (no tombstones), so lookups stay short however many entries come
 * and go — the NAT tables see a constant churn of bindings. The table doubles when it is more
 * than half full. Nothing is allocated except when it grows.
 *
 * <p>Not thread-safe.
 */
public final class PairMap {
  /** Returned by {@link #get} when the key pair is absent. */
  public static final long MISSING = Long.MIN_VALUE;

  private long[] k1;
  private long[] k2;
  private long[] val;
  private boolean[] used;
  private int mask;
  private int size;

  /** Creates a map with room for about {@code expected} entries before it grows. */
  public PairMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    alloc(cap);
  }

  private void alloc(int cap) {
    k1 = new long[cap];
    k2 = new long[cap];
    val = new long[cap];
    used = new boolean[cap];
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
    int i = hash(a, b) & mask;
    while (used[i]) {
      if (k1[i] == a && k2[i] == b) {
        return val[i];
      }
      i = (i + 1) & mask;
    }
    return MISSING;
  }

  /** Sets the value for the key pair (replacing any previous one). */
  public void put(long a, long b, long value) {
    int i = hash(a, b) & mask;
    while (used[i]) {
      if (k1[i] == a && k2[i] == b) {
        val[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    k1[i] = a;
    k2[i] = b;
    val[i] = value;
    if (++size * 2 > used.length) {
      rehash(used.length * 2);
    }
  }

  /** Removes the key pair; returns whether it was present. */
  public boolean remove(long a, long b) {
    int i = hash(a, b) & mask;
    while (used[i]) {
      if (k1[i] == a && k2[i] == b) {
        deleteAt(i);
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  private void deleteAt(int hole) {
    // Backward-shift deletion: pull later members of the probe run into the hole when their home
    // slot does not lie (cyclically) between the hole and their current slot.
    int i = hole;
    while (true) {
      i = (i + 1) & mask;
      if (!used[i]) {
        break;
      }
      int home = hash(k1[i], k2[i]) & mask;
      boolean stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
      if (!stays) {
        k1[hole] = k1[i];
        k2[hole] = k2[i];
        val[hole] = val[i];
        hole = i;
      }
    }
    used[hole] = false;
    size--;
  }

  /** Removes every entry whose value is at most {@code threshold}; returns how many went. */
  public int removeValuesAtMost(long threshold) {
    long[] o1 = k1;
    long[] o2 = k2;
    long[] ov = val;
    boolean[] ou = used;
    int before = size;
    alloc(ou.length);
    size = 0;
    for (int i = 0; i < ou.length; i++) {
      if (ou[i] && ov[i] > threshold) {
        put(o1[i], o2[i], ov[i]);
      }
    }
    return before - size;
  }

  /** Removes every entry. */
  public void clear() {
    Arrays.fill(used, false);
    size = 0;
  }

  private void rehash(int cap) {
    long[] o1 = k1;
    long[] o2 = k2;
    long[] ov = val;
    boolean[] ou = used;
    alloc(cap);
    size = 0;
    for (int i = 0; i < ou.length; i++) {
      if (ou[i]) {
        put(o1[i], o2[i], ov[i]);
      }
    }
  }
}
