package org.netbelief.punch.sim.internal;

import java.util.Arrays;

/**
 * The former {@link EventQueue}, a 4-ary heap, kept verbatim as the reference of the
 * differential test.
 *
 * <p>A 4-ary min-heap of primitive events ordered by (time, insertion sequence).
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
 * <p>The simulator re-arms timers lazily and skips the stale entries this leaves. An indexed
 * variant (one entry per socket, its heap position tracked, re-keyed in place when pulled
 * earlier, with the superseded entries' sequence numbers remembered so the order stays exact)
 * was measured and not kept: stale pops were only 6.5 % of mesh-like's events, and the position
 * writes on every move plus that bookkeeping cost as much as they saved (same-time A/B pairs at
 * 3 000 and 10 000 peers, mesh-like and oracle, within noise or slower; see the history).
 *
 * <p>Not thread-safe: the simulator is single-threaded by design.
 */
final class ReferenceEventQueue {
  // Event i occupies heap[4i .. 4i+3]: time, sequence, word A, word B. Interleaving keeps each
  // comparison of a sift on one cache line instead of four arrays' worth.
  private static final int STRIDE = 4;
  private long[] heap;
  private int size;
  private long nextSeq;

  // Filled by poll(): the popped event, read through the accessors below (no result object).
  private long polledTime;
  private long polledA;
  private long polledB;

  /** Creates a queue with room for {@code initialCapacity} events before it grows. */
  ReferenceEventQueue(int initialCapacity) {
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
    long[] h = heap;
    int i = size++;
    long s = nextSeq++;
    // Sift up: move parents down until the slot for the new event is found.
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      int p = parent * STRIDE;
      if (!less(at, s, h[p], h[p + 1])) {
        break;
      }
      System.arraycopy(h, p, h, i * STRIDE, STRIDE);
      i = parent;
    }
    int k = i * STRIDE;
    h[k] = at;
    h[k + 1] = s;
    h[k + 2] = a;
    h[k + 3] = b;
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
    polledA = h[2];
    polledB = h[3];
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
      i = child;
    }
    int k = i * STRIDE;
    h[k] = t;
    h[k + 1] = s;
    h[k + 2] = a;
    h[k + 3] = b;
  }

  /** Time of the event last removed by {@link #poll()}. */
  public long polledTime() {
    return polledTime;
  }

  /** First payload word of the event last removed by {@link #poll()}. */
  public long polledA() {
    return polledA;
  }

  /** Second payload word of the event last removed by {@link #poll()}. */
  public long polledB() {
    return polledB;
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }
}
