package org.netbelief.punch.sim.internal;

import java.util.Arrays;

/**
 * A binary min-heap of primitive events ordered by (time, insertion sequence).
 *
 * <p>Each event is four {@code long}s held in parallel arrays: the virtual time in nanoseconds, a
 * sequence number given at insertion, and two payload words whose meaning belongs to the caller
 * (the simulator packs an event kind and a node or socket id into the first, and a packet slot or
 * timer generation into the second). No object is allocated per event: the arrays only grow, by
 * doubling, when the queue is fuller than ever before.
 *
 * <p>Ties in time are broken by the sequence number, so two events scheduled for the same
 * nanosecond run in the order they were scheduled. Together with a seeded random source this makes
 * a simulation run byte-identical for a given seed, whatever the heap's internal layout.
 *
 * <p>Not thread-safe: the simulator is single-threaded by design.
 */
public final class EventQueue {
  private long[] time;
  private long[] seq;
  private long[] wordA;
  private long[] wordB;
  private int size;
  private long nextSeq;

  // Filled by poll(): the popped event, read through the accessors below (no result object).
  private long polledTime;
  private long polledA;
  private long polledB;

  /** Creates a queue with room for {@code initialCapacity} events before it grows. */
  public EventQueue(int initialCapacity) {
    if (initialCapacity < 1) {
      throw new IllegalArgumentException("initialCapacity must be >= 1, was " + initialCapacity);
    }
    time = new long[initialCapacity];
    seq = new long[initialCapacity];
    wordA = new long[initialCapacity];
    wordB = new long[initialCapacity];
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
    return size == 0 ? Long.MAX_VALUE : time[0];
  }

  /** Adds an event at virtual time {@code at} with two payload words. */
  public void add(long at, long a, long b) {
    if (size == time.length) {
      grow();
    }
    int i = size++;
    long s = nextSeq++;
    // Sift up: move parents down until the slot for the new event is found.
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(at, s, time[parent], seq[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    time[i] = at;
    seq[i] = s;
    wordA[i] = a;
    wordB[i] = b;
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
    polledTime = time[0];
    polledA = wordA[0];
    polledB = wordB[0];
    int last = --size;
    if (last == 0) {
      return;
    }
    long t = time[last];
    long s = seq[last];
    long a = wordA[last];
    long b = wordB[last];
    int i = 0;
    int half = last >>> 1;
    // Sift down the former last event from the root.
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < last && less(time[right], seq[right], time[child], seq[child])) {
        child = right;
      }
      if (!less(time[child], seq[child], t, s)) {
        break;
      }
      move(child, i);
      i = child;
    }
    time[i] = t;
    seq[i] = s;
    wordA[i] = a;
    wordB[i] = b;
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

  private void move(int from, int to) {
    time[to] = time[from];
    seq[to] = seq[from];
    wordA[to] = wordA[from];
    wordB[to] = wordB[from];
  }

  private void grow() {
    int n = time.length * 2;
    time = Arrays.copyOf(time, n);
    seq = Arrays.copyOf(seq, n);
    wordA = Arrays.copyOf(wordA, n);
    wordB = Arrays.copyOf(wordB, n);
  }
}
