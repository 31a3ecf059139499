package org.netbelief.punch.sim.internal;

import java.util.Arrays;

/**
 * A 4-ary min-heap of events of four {@code long}s (time, sequence, word A, word B), ordered by
 * (time, sequence), interleaved in one array. {@link EventQueue} uses two: the small heap of the
 * current time slot, and the rare overflow beyond its wheel's horizon.
 *
 * <p>Four children per node: half the levels of a binary heap, and a node's children lie side by
 * side. Every (time, sequence) is distinct, so the order is the same whatever the arity.
 *
 * <p>Not thread-safe.
 */
final class EventHeap {
  private static final int STRIDE = 4;
  private long[] heap;
  private int size;

  EventHeap(int initialCapacity) {
    heap = new long[Math.max(1, initialCapacity) * STRIDE];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Time of the least event; only when not empty. */
  long minTime() {
    return heap[0];
  }

  /** Sequence number of the least event; only when not empty. */
  long minSeq() {
    return heap[1];
  }

  /** Word A of the least event; only when not empty. */
  long minA() {
    return heap[2];
  }

  /** Word B of the least event; only when not empty. */
  long minB() {
    return heap[3];
  }

  void add(long at, long s, long a, long b) {
    if ((size + 1) * STRIDE > heap.length) {
      heap = Arrays.copyOf(heap, heap.length * 2);
    }
    long[] h = heap;
    int i = size++;
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

  /** Removes the least event (read it first with the min accessors); only when not empty. */
  void removeMin() {
    long[] h = heap;
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

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }
}
