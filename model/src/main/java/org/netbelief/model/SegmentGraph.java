package org.netbelief.model;

import java.util.Arrays;
import org.netbelief.model.internal.LongIntMap;

/**
 * The topology a {@link SegmentBelief} reasons over: segments (the parts of the network paths
 * share — our uplink, our NAT, a carrier-grade NAT, a relay, a remote peer's network) registered by
 * 64-bit feature key, and paths, each the set of segments it crosses, registered by a 64-bit path
 * key.
 *
 * <p>A graph is owned by exactly one {@code SegmentBelief}; it is changed only through the belief
 * ({@link SegmentBelief#addSegment}, {@link SegmentBelief#addPath}, the {@code retire…} methods),
 * so that the matrices always match it. Read it freely through {@link SegmentBelief#graph()}.
 *
 * <p>Layout: segments occupy the dense slots {@code 0..segmentCount()-1}; the slot is the
 * segment's row and column in the belief's mean vector and covariance. Retiring a segment moves the
 * last segment into the freed slot, so slots stay dense and the matrix work stays O(n²) in the
 * number of live segments. Key lookups go through primitive open-addressing maps and never
 * allocate.
 *
 * <p>Not thread-safe: single writer, like its belief.
 */
public final class SegmentGraph {
  /** The most segments one path may cross. Paths in practice cross 2–5. */
  public static final int MAX_PATH_SEGMENTS = 8;

  private final int capacity;
  private final long[] segmentKeys;
  private final LongIntMap segmentSlots;
  private int segmentCount;

  private long[] pathKeys = new long[16];
  private int[][] pathSegments = new int[16][];
  private final LongIntMap pathSlots = new LongIntMap(16);
  private int pathCount;

  SegmentGraph(int capacity) {
    this.capacity = capacity;
    this.segmentKeys = new long[capacity];
    this.segmentSlots = new LongIntMap(capacity);
  }

  /** Returns the most segments the graph (and its belief) can hold. */
  public int capacity() {
    return capacity;
  }

  /** Returns the number of live segments. */
  public int segmentCount() {
    return segmentCount;
  }

  /** Returns the number of live paths. */
  public int pathCount() {
    return pathCount;
  }

  /**
   * Tells whether a segment with this key is registered.
   *
   * @param segmentKey the segment's feature key
   * @return whether it is live
   */
  public boolean containsSegment(long segmentKey) {
    return segmentSlots.get(segmentKey) != LongIntMap.ABSENT;
  }

  /**
   * Tells whether a path with this key is registered.
   *
   * @param pathKey the path's key
   * @return whether it is live
   */
  public boolean containsPath(long pathKey) {
    return pathSlots.get(pathKey) != LongIntMap.ABSENT;
  }

  /**
   * Returns the segment keys of a path, in the order they were given.
   *
   * @param pathKey a registered path
   * @return a fresh array of its segment keys
   * @throws IllegalArgumentException if the path is not registered
   */
  public long[] segmentsOf(long pathKey) {
    int[] slots = pathSegments[pathSlot(pathKey)];
    long[] keys = new long[slots.length];
    for (int i = 0; i < slots.length; i++) {
      keys[i] = segmentKeys[slots[i]];
    }
    return keys;
  }

  /**
   * Returns the keys of all live segments, in slot order.
   *
   * @return a fresh array
   */
  public long[] segmentKeys() {
    return Arrays.copyOf(segmentKeys, segmentCount);
  }

  // ---- package-private: used by SegmentBelief ----

  int segmentSlot(long segmentKey) {
    int slot = segmentSlots.get(segmentKey);
    if (slot == LongIntMap.ABSENT) {
      throw new IllegalArgumentException("unknown segment key " + segmentKey);
    }
    return slot;
  }

  int segmentSlotOrAbsent(long segmentKey) {
    return segmentSlots.get(segmentKey);
  }

  long segmentKeyAt(int slot) {
    return segmentKeys[slot];
  }

  int pathSlot(long pathKey) {
    int slot = pathSlots.get(pathKey);
    if (slot == LongIntMap.ABSENT) {
      throw new IllegalArgumentException("unknown path key " + pathKey);
    }
    return slot;
  }

  int pathSlotOrAbsent(long pathKey) {
    return pathSlots.get(pathKey);
  }

  /** The segment slots of a path; shared array, never modified by the caller. */
  int[] pathSegmentSlots(int pathSlot) {
    return pathSegments[pathSlot];
  }

  int addSegment(long segmentKey) {
    if (segmentSlots.get(segmentKey) != LongIntMap.ABSENT) {
      throw new IllegalArgumentException("segment key " + segmentKey + " is already registered");
    }
    if (segmentCount == capacity) {
      throw new IllegalArgumentException(
          "segment graph is full (capacity " + capacity + "); retire a segment first");
    }
    int slot = segmentCount++;
    segmentKeys[slot] = segmentKey;
    segmentSlots.put(segmentKey, slot);
    return slot;
  }

  /**
   * Resolves and checks a path's segments before anything changes.
   *
   * @return the segment slots
   */
  int[] resolveSegments(long[] keys) {
    if (keys == null || keys.length == 0) {
      throw new IllegalArgumentException("a path needs at least one segment");
    }
    if (keys.length > MAX_PATH_SEGMENTS) {
      throw new IllegalArgumentException(
          "a path may cross at most " + MAX_PATH_SEGMENTS + " segments, got " + keys.length);
    }
    int[] slots = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      int slot = segmentSlots.get(keys[i]);
      if (slot == LongIntMap.ABSENT) {
        throw new IllegalArgumentException(
            "path crosses unknown segment key " + keys[i] + "; register it with addSegment first");
      }
      for (int j = 0; j < i; j++) {
        if (slots[j] == slot) {
          throw new IllegalArgumentException("path lists segment key " + keys[i] + " twice");
        }
      }
      slots[i] = slot;
    }
    return slots;
  }

  void addPath(long pathKey, long[] keys) {
    if (pathSlots.get(pathKey) != LongIntMap.ABSENT) {
      throw new IllegalArgumentException("path key " + pathKey + " is already registered");
    }
    int[] slots = resolveSegments(keys);
    if (pathCount == pathKeys.length) {
      pathKeys = Arrays.copyOf(pathKeys, pathCount * 2);
      pathSegments = Arrays.copyOf(pathSegments, pathCount * 2);
    }
    pathKeys[pathCount] = pathKey;
    pathSegments[pathCount] = slots;
    pathSlots.put(pathKey, pathCount);
    pathCount++;
  }

  void retirePath(long pathKey) {
    int slot = pathSlot(pathKey);
    removePathAt(slot);
  }

  private void removePathAt(int slot) {
    pathSlots.remove(pathKeys[slot]);
    int last = --pathCount;
    if (slot != last) {
      pathKeys[slot] = pathKeys[last];
      pathSegments[slot] = pathSegments[last];
      pathSlots.put(pathKeys[slot], slot);
    }
    pathSegments[last] = null;
  }

  /**
   * Retires a segment and every path that crosses it. The last segment moves into the freed slot;
   * the caller (the belief) must mirror that move in its matrices.
   *
   * @return the freed slot (the last live slot moved into it, unless it was the last)
   */
  int retireSegment(long segmentKey) {
    int slot = segmentSlot(segmentKey);
    for (int p = pathCount - 1; p >= 0; p--) {
      for (int s : pathSegments[p]) {
        if (s == slot) {
          removePathAt(p);
          break;
        }
      }
    }
    segmentSlots.remove(segmentKey);
    int last = --segmentCount;
    if (slot != last) {
      segmentKeys[slot] = segmentKeys[last];
      segmentSlots.put(segmentKeys[slot], slot);
      for (int p = 0; p < pathCount; p++) {
        int[] segs = pathSegments[p];
        for (int i = 0; i < segs.length; i++) {
          if (segs[i] == last) {
            segs[i] = slot;
          }
        }
      }
    }
    return slot;
  }
}
