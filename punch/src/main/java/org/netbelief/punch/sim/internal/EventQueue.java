package org.netbelief.punch.sim.internal;

import java.util.Arrays;

/**
 * A 4-ary min-heap of primitive events ordered by (time, insertion sequence).
 *
 * <p>Each event is four {@code long}s, interleaved in one array: the virtual time in nanoseconds, a
 * sequence number given at insertion, and two payload words whose meaning belongs to the caller
 * (the simulator packs an event kind and a node or socket id into the first, and a packet slot or
 * timer generation into the second). No object is allocated per event: the arrays only grow, by
 * doubling, when the queue is fuller than ever before.
 *
 * <p>Ties in time are broken by the sequence number, so two events scheduled for the same
 * nanosecond run in the order they were scheduled. Together with a seeded random source this makes
 * a simulation run byte-identical for a given seed, whatever the heap's internal layout.
 *
 * <p>Four children per node, not two: at 10 000 peers the queue holds tens of thousands of events
 * (over a megabyte), so the lower levels of every sift are cache misses; a 4-ary heap has half
 * the levels, and a node's four children lie side by side (two or three lines read together
 * rather than one line per level, each waiting for the one before). Every (time, sequence) is
 * distinct, so the events come out in the same order whatever the arity.
 *
 * <p>Keyed entries ({@link #scheduleKeyed}): a key (the simulator's socket id) has at most one
 * entry, whose heap position is tracked on every move, so a timer pulled earlier re-keys its
 * entry in place instead of adding another. The simulator used to add one and skip the stale
 * one when it popped: at 3 000 peers the heap held about 7 800 entries of which only about 3 000
 * were live timers, and every stale pop paid a full sift-down (the heap of tens of thousands of
 * 32-byte entries does not stay in cache: the sift-down was 7 % of mesh-like's samples at
 * 10 000 peers) plus a miss on the socket's timer state. The order of every other event is
 * exactly what it was; only the stale pops are gone (mesh-like, 2 000 peers: 6.5 % fewer events).
 *
 * <p>Not thread-safe: the simulator is single-threaded by design.
 */
public final class EventQueue {
  // Event i occupies heap[4i .. 4i+3]: time, sequence, word A, word B. Interleaving keeps each
  // comparison of a sift on one cache line instead of four arrays' worth.
  private static final int STRIDE = 4;
  // The sequence word is (insertion counter << 1) | KEYED: the low bit marks a keyed entry (whose
  // word B is its key), the counter alone orders ties, as before.
  private static final long KEYED = 1;
  private long[] heap;
  private int size;
  private long nextSeq;

  // Per key k: keys[2k] = heap index + 1 of its entry (0: none), updated on every move of a keyed
  // entry; keys[2k + 1] = its first ghost node (0: none). Side by side: a re-key reads both.
  private int[] keys = new int[32];
  // Ghost node g (from 1) at ghosts[4g .. 4g+3]: time, sequence word, next node of the same key
  // (0: end), unused. A ghost is an entry a re-key superseded, which a plain queue would still
  // hold (see scheduleKeyed); it lives until the queue has passed its (time, sequence).
  private long[] ghosts = new long[16 * 4];
  private int freeGhost; // first free node, linked through the next word; 0: none
  private int ghostHighWater; // nodes ever used (node 0 is never used)
  // Everything at or before (floorTime, floorSeq) has been polled or passed (passTo).
  private long floorTime = Long.MIN_VALUE;
  private long floorSeq = Long.MIN_VALUE;

  // Filled by poll(): the popped event, read through the accessors below (no result object).
  private long polledTime;
  private long polledA;
  private long polledB;

  /** Creates a queue with room for {@code initialCapacity} events before it grows. */
  public EventQueue(int initialCapacity) {
    if (initialCapacity < 1) {
      throw new IllegalArgumentException("initialCapacity must be >= 1, was " + initialCapacity);
    }
    heap = new long[initialCapacity * STRIDE];
  }

  /** Number of events waiting. */
  public int size() {
    return size;
  }

  /** True when no event waits. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** Time of the earliest event; {@link Long#MAX_VALUE} when empty. */
  public long peekTime() {
    return size == 0 ? Long.MAX_VALUE : heap[0];
  }

  /** Adds an event at virtual time {@code at} with two payload words. */
  public void add(long at, long a, long b) {
    if ((size + 1) * STRIDE > heap.length) {
      heap = Arrays.copyOf(heap, heap.length * 2);
    }
    siftUp(size++, at, nextSeq++ << 1, a, b);
  }

  /**
   * Adds the entry of {@code key} (a small non-negative int, such as a socket id) at virtual time
   * {@code at}, or, when the key has an entry waiting, moves that entry earlier to {@code at}; a
   * key has at most one entry. The entry's word B is the key.
   *
   * <p>The order is exactly that of a plain queue in which every call adds a new entry (taking
   * the next sequence number, as {@link #add} does), superseded entries stay, and the caller
   * skips each popped entry of a key unless its time is the time last scheduled for that key
   * (the lazy re-arm the simulator used before): a moved entry takes a fresh sequence number,
   * and the superseded one is remembered as a ghost, so that if the key is later scheduled at
   * exactly a ghost's time before the queue has passed it, the entry takes the ghost's earlier
   * sequence number, as the plain queue's first entry at that time would have been the one
   * accepted. The ghosts cost no heap entries and no polls.
   *
   * @throws IllegalArgumentException when the key is negative or its waiting entry is not later
   *     than {@code at}
   */
  public void scheduleKeyed(int key, long at, long a) {
    if (key < 0) {
      throw new IllegalArgumentException("key must be >= 0, was " + key);
    }
    int k = key << 1;
    if (k >= keys.length) {
      keys = Arrays.copyOf(keys, Math.max(k + 2, keys.length * 2));
    }
    long s = nextSeq++ << 1 | KEYED;
    int i = keys[k] - 1;
    if (i >= 0) {
      int e = i * STRIDE;
      long t = heap[e];
      if (at >= t) {
        throw new IllegalArgumentException(
            "key " + key + " waits at " + t + ", cannot move it to " + at);
      }
      s = ghostSeq(key, at, s);
      pushGhost(key, t, heap[e + 1]);
      siftUp(i, at, s, a, key);
    } else {
      if ((size + 1) * STRIDE > heap.length) {
        heap = Arrays.copyOf(heap, heap.length * 2);
      }
      s = ghostSeq(key, at, s);
      siftUp(size++, at, s, a, key);
    }
  }

  /**
   * Declares every event at or before {@code time} passed, as a loop that polls while
   * {@link #peekTime()} is at most {@code time} has done (ghosts up to it are then forgotten).
   *
   * @throws IllegalStateException when an event at or before {@code time} still waits
   */
  public void passTo(long time) {
    if (peekTime() <= time) {
      throw new IllegalStateException("an event at " + peekTime() + " still waits");
    }
    if (time >= floorTime) {
      floorTime = time;
      floorSeq = Long.MAX_VALUE;
    }
  }

  /**
   * The sequence word for a new entry of {@code key} at {@code at} whose own is {@code s}: that
   * of the key's earliest live ghost at {@code at}, if any (which then gives way to a ghost for
   * {@code s}), else {@code s}. Forgets the key's ghosts the queue has passed on the way.
   */
  private long ghostSeq(int key, long at, long s) {
    int gk = (key << 1) + 1;
    int g = keys[gk];
    if (g == 0) {
      return s;
    }
    long[] gs = ghosts;
    int prev = 0;
    int best = 0;
    long bestSeq = s;
    while (g != 0) {
      int n = g << 2;
      long t = gs[n];
      long q = gs[n + 1];
      int next = (int) gs[n + 2];
      if (t < floorTime || (t == floorTime && q <= floorSeq)) {
        // Passed: the plain queue has popped (and the caller skipped) this entry.
        if (prev == 0) {
          keys[gk] = next;
        } else {
          gs[(prev << 2) + 2] = next;
        }
        gs[n + 2] = freeGhost;
        freeGhost = g;
      } else {
        if (t == at && q < bestSeq) {
          best = g;
          bestSeq = q;
        }
        prev = g;
      }
      g = next;
    }
    if (best == 0) {
      return s;
    }
    // The ghost becomes the live entry, and the plain queue's entry for s stays behind as a
    // ghost at the same time: the node keeps its place and takes s.
    gs[(best << 2) + 1] = s;
    return bestSeq;
  }

  private void pushGhost(int key, long time, long seq) {
    int g = freeGhost;
    if (g != 0) {
      freeGhost = (int) ghosts[(g << 2) + 2];
    } else {
      g = ++ghostHighWater;
      if ((g << 2) + 4 > ghosts.length) {
        ghosts = Arrays.copyOf(ghosts, ghosts.length * 2);
      }
    }
    int gk = (key << 1) + 1;
    int n = g << 2;
    ghosts[n] = time;
    ghosts[n + 1] = seq;
    ghosts[n + 2] = keys[gk];
    keys[gk] = g;
  }

  /** Moves parents down from slot {@code i} until the event's slot is found, and places it. */
  private void siftUp(int i, long t, long s, long a, long b) {
    long[] h = heap;
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      int p = parent * STRIDE;
      if (!less(t, s, h[p], h[p + 1])) {
        break;
      }
      System.arraycopy(h, p, h, i * STRIDE, STRIDE);
      if ((h[p + 1] & KEYED) != 0) {
        keys[(int) h[p + 3] << 1] = i + 1;
      }
      i = parent;
    }
    place(i, t, s, a, b);
  }

  private void place(int i, long t, long s, long a, long b) {
    long[] h = heap;
    int k = i * STRIDE;
    h[k] = t;
    h[k + 1] = s;
    h[k + 2] = a;
    h[k + 3] = b;
    if ((s & KEYED) != 0) {
      keys[(int) b << 1] = i + 1;
    }
  }

  /**
   * Removes the earliest event; read it with {@link #polledTime()}, {@link #polledA()} and
   * {@link #polledB()}.
   *
   * @throws IllegalStateException when the queue is empty
   */
  public void poll() {
    if (size == 0) {
      throw new IllegalStateException("poll on an empty event queue");
    }
    long[] h = heap;
    polledTime = h[0];
    long s0 = h[1];
    polledA = h[2];
    polledB = h[3];
    floorTime = polledTime;
    floorSeq = s0;
    if ((s0 & KEYED) != 0) {
      keys[(int) polledB << 1] = 0;
    }
    int last = --size;
    if (last == 0) {
      return;
    }
    int l = last * STRIDE;
    long t = h[l];
    long s = h[l + 1];
    long a = h[l + 2];
    long b = h[l + 3];
    int i = 0;
    // Sift down the former last event from the root: the least of up to four children moves up
    // while it is less than that event.
    while (true) {
      int first = 4 * i + 1;
      if (first >= last) {
        break;
      }
      int child = first;
      int c = first * STRIDE;
      long ct = h[c];
      long cs = h[c + 1];
      int end = Math.min(first + 4, last);
      for (int j = first + 1; j < end; j++) {
        int r = j * STRIDE;
        if (less(h[r], h[r + 1], ct, cs)) {
          child = j;
          c = r;
          ct = h[r];
          cs = h[r + 1];
        }
      }
      if (!less(ct, cs, t, s)) {
        break;
      }
      System.arraycopy(h, c, h, i * STRIDE, STRIDE);
      if ((cs & KEYED) != 0) {
        keys[(int) h[c + 3] << 1] = i + 1;
      }
      i = child;
    }
    place(i, t, s, a, b);
  }

  /** Time of the event last removed by {@link #poll()}. */
  public long polledTime() {
    return polledTime;
  }

  /** First payload word of the event last removed by {@link #poll()}. */
  public long polledA() {
    return polledA;
  }

  /** Second payload word of the event last removed by {@link #poll()} (a keyed entry's key). */
  public long polledB() {
    return polledB;
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }
}
