package org.netbelief.punch.sim.internal;

import java.util.Arrays;

/**
 * A calendar (bucketed) queue of primitive events ordered by (time, insertion sequence).
 *
 * <p>Each event is four {@code long}s: the virtual time in nanoseconds, a sequence number given at
 * insertion, and two payload words whose meaning belongs to the caller (the simulator packs an
 * event kind and a node or socket id into the first, and a packet slot or timer generation into
 * the second). No object is allocated per event: the arrays only grow, by doubling, when the
 * queue is fuller than ever before.
 *
 * <p>Ties in time are broken by the sequence number, so two events scheduled for the same
 * nanosecond run in the order they were scheduled. Together with a seeded random source this makes
 * a simulation run byte-identical for a given seed, whatever the queue's internal layout.
 *
 * <p>Why buckets and not one heap: at 10 000 peers the queue holds tens of thousands of events
 * (over a megabyte), and a 4-ary heap over all of them (the former layout, now the test tree's
 * {@code ReferenceEventQueue}) made every poll's sift-down a chain of cache misses, one per
 * level, each waiting for the one before (poll + its comparisons were 10 % of mesh-like's run).
 * Here time is cut into slots of 2^20 ns (about 1 ms) and a wheel of 2^16 buckets covers the next
 * 2^16 slots (about 69 s). An add beyond the current slot pushes the event on its bucket's
 * list of blocks (one head word, one entry's line in its block, one bitmap word). Every event of
 * the current slot or earlier sits in a small heap that stays in cache, and poll pops from it;
 * when it runs dry, the bitmap (one bit per bucket) finds the next non-empty bucket, whose events
 * move into the small heap. That heap orders by (time, sequence) and holds every event whose slot
 * is not after the current one, while all others lie in later slots, so the order is exact; an
 * add at a time already passed (the simulator's scenario actions at "now") goes straight into it.
 * Events beyond the wheel's horizon wait in an overflow heap (rare: long timers) and move into
 * their buckets as the wheel turns towards them.
 *
 * <p>Measured at 10 000 peers: in JFR profiles of mesh-like the queue's self time fell from
 * 10.4 % (heap poll + comparisons) to 5.7 % (push 2.0, draining into the current heap 2.0, its
 * pops 0.9, advance 0.8). Same-time A/B pairs, thread CPU seconds, heap then calendar: mesh-like
 * 48.54/44.71, 49.77/52.74, 50.52/45.30, 52.54/51.62 (3.5 % less in sum, noisy); oracle
 * 28.41/26.12, 27.48/26.31 (6 % less). One linked-list node per event instead of blocks gained
 * only about 1.5 %: draining a bucket walked a chain of cold nodes, each load waiting for the
 * one before; a block count kept in the block rather than in the head word left push waiting
 * on the block's cold header (push 4.4 % self).
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
public final class EventQueue {
  private static final int SLOT_SHIFT = 20;
  private static final int WHEEL_BITS = 16;
  private static final int WHEEL = 1 << WHEEL_BITS;
  private static final int WHEEL_MASK = WHEEL - 1;
  private static final int WORDS = WHEEL >>> 6;

  // A bucket is a list of blocks, each block BLOCK_LONGS of the arena: the next block (-1 ends
  // the list), then up to BLOCK entries of time, sequence, word A, word B. Blocks and not one
  // entry per list node: the entries of a bucket are cold when it is drained (pushed up to
  // seconds earlier), and in a block their loads do not wait for each other as a linked list's
  // did (that chain was 5 % of mesh-like's run at 10 000 peers). Only the head block can be
  // partly filled; its fill count lives in the bucket's head word (block << 4 | count), so a
  // push loads one word and only stores into the block.
  private static final int BLOCK = 8;
  private static final int BLOCK_LONGS = 1 + 4 * BLOCK;
  private static final int COUNT_BITS = 4;
  private static final int COUNT_MASK = (1 << COUNT_BITS) - 1;
  private long[] arena;
  private int arenaTop;
  private int freeHead = -1;

  // Head block and its fill count of each bucket's list (-1 when empty), and one bit per non-empty bucket.
  private final int[] heads = new int[WHEEL];
  private final long[] bitmap = new long[WORDS];
  private int bucketed;

  // Every event whose slot is <= curSlot.
  private final EventHeap current;
  // Every event whose slot is >= curSlot + WHEEL.
  private final EventHeap overflow = new EventHeap(16);
  private long curSlot;

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
    arena = new long[Math.max(4, initialCapacity / 4) * BLOCK_LONGS];
    current = new EventHeap(Math.min(initialCapacity, 256));
    Arrays.fill(heads, -1);
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
    if (size == 0) {
      return Long.MAX_VALUE;
    }
    if (current.isEmpty()) {
      advance();
    }
    return current.minTime();
  }

  /** Adds an event at virtual time {@code at} with two payload words. */
  public void add(long at, long a, long b) {
    long s = nextSeq++;
    size++;
    place(at, s, a, b);
  }

  private void place(long at, long s, long a, long b) {
    long slot = at >>> SLOT_SHIFT;
    long ahead = slot - curSlot;
    if (ahead <= 0) {
      current.add(at, s, a, b);
    } else if (ahead < WHEEL) {
      push((int) (slot & WHEEL_MASK), at, s, a, b);
    } else {
      overflow.add(at, s, a, b);
    }
  }

  private void push(int bucket, long at, long s, long a, long b) {
    long[] ar = arena;
    int head = heads[bucket];
    int blk;
    int n;
    if (head >= 0 && (head & COUNT_MASK) < BLOCK) {
      blk = head >>> COUNT_BITS;
      n = head & COUNT_MASK;
    } else {
      blk = freeHead;
      if (blk >= 0) {
        freeHead = (int) ar[blk * BLOCK_LONGS];
      } else {
        blk = arenaTop++;
        if ((blk + 1) * BLOCK_LONGS > ar.length) {
          ar = Arrays.copyOf(ar, ar.length * 2);
          arena = ar;
        }
      }
      if (head < 0) {
        ar[blk * BLOCK_LONGS] = -1;
        bitmap[bucket >>> 6] |= 1L << bucket;
      } else {
        ar[blk * BLOCK_LONGS] = head >>> COUNT_BITS;
      }
      n = 0;
    }
    int k = blk * BLOCK_LONGS + 1 + 4 * n;
    ar[k] = at;
    ar[k + 1] = s;
    ar[k + 2] = a;
    ar[k + 3] = b;
    heads[bucket] = blk << COUNT_BITS | (n + 1);
    bucketed++;
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
    EventHeap c = current;
    if (c.isEmpty()) {
      advance();
    }
    polledTime = c.minTime();
    polledA = c.minA();
    polledB = c.minB();
    c.removeMin();
    size--;
  }

  /*
   * Turns the wheel to the next slot holding an event (the current heap is empty, the queue is
   * not): the earlier of the next non-empty bucket's slot and the overflow's least slot. Overflow
   * events that come within the horizon move to their buckets (or the current heap), then the new
   * current slot's bucket moves into the current heap.
   */
  private void advance() {
    long next = Long.MAX_VALUE;
    if (bucketed > 0) {
      next = curSlot + 1 + distanceToNextBucket();
    }
    EventHeap o = overflow;
    if (!o.isEmpty()) {
      next = Math.min(next, o.minTime() >>> SLOT_SHIFT);
    }
    curSlot = next;
    while (!o.isEmpty() && (o.minTime() >>> SLOT_SHIFT) - next < WHEEL) {
      long t = o.minTime();
      long s = o.minSeq();
      long a = o.minA();
      long b = o.minB();
      o.removeMin();
      place(t, s, a, b);
    }
    int bucket = (int) (next & WHEEL_MASK);
    int head = heads[bucket];
    if (head < 0) {
      return;
    }
    heads[bucket] = -1;
    bitmap[bucket >>> 6] &= ~(1L << bucket);
    long[] ar = arena;
    EventHeap c = current;
    int free = freeHead;
    int moved = 0;
    int blk = head >>> COUNT_BITS;
    int n = head & COUNT_MASK;
    while (true) {
      int base = blk * BLOCK_LONGS;
      for (int k = base + 1, end = k + 4 * n; k < end; k += 4) {
        c.add(ar[k], ar[k + 1], ar[k + 2], ar[k + 3]);
      }
      moved += n;
      int nextBlock = (int) ar[base];
      ar[base] = free;
      free = blk;
      if (nextBlock < 0) {
        break;
      }
      blk = nextBlock;
      n = BLOCK; // only the head block is partly filled
    }
    freeHead = free;
    bucketed -= moved;
  }

  // Buckets from curSlot + 1 on to the first non-empty one (some bucket is non-empty).
  private int distanceToNextBucket() {
    int start = (int) ((curSlot + 1) & WHEEL_MASK);
    int w = start >>> 6;
    long bits = bitmap[w] & (-1L << start);
    while (bits == 0) {
      w = (w + 1) & (WORDS - 1);
      bits = bitmap[w];
    }
    int found = (w << 6) | Long.numberOfTrailingZeros(bits);
    return (found - start) & WHEEL_MASK;
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
}
