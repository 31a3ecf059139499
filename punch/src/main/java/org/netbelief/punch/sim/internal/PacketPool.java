package org.netbelief.punch.sim.internal;

import java.util.Arrays;

/**
 * Slots for packets in flight: source and destination endpoints, length and a reusable payload
 * buffer per slot.
 *
 * <p>The event loop refers to a packet by its slot number, so scheduling a delivery allocates
 * nothing; a slot's buffer is allocated once and reused by every later packet in that slot. The
 * pool grows (doubling) only when more packets are in flight than ever before.
 *
 * <p>A slot's source, destination and length sit together in one {@code long[]} stride
 * ({@code STRIDE} words), not in one array per field: a packet waits in the event queue long
 * enough for its slot to go cold at 10 000 peers, and its delivery reads all three (one line
 * instead of three).
 *
 * <p>Not thread-safe.
 */
public final class PacketPool {
  /** Largest payload a simulated datagram may carry, in bytes. */
  public static final int MAX_PAYLOAD = 1500;

  // Slot i at meta[i * STRIDE]: source endpoint, destination endpoint, payload length.
  private static final int STRIDE = 4;
  private static final int SRC = 0;
  private static final int DST = 1;
  private static final int LEN = 2;
  private long[] meta;
  private byte[][] data;
  private int[] free;
  private int freeCount;
  private int capacity;

  /** Creates a pool with {@code initial} slots. */
  public PacketPool(int initial) {
    meta = new long[initial * STRIDE];
    data = new byte[initial][];
    free = new int[initial];
    capacity = initial;
    for (int i = 0; i < initial; i++) {
      free[freeCount++] = initial - 1 - i;
    }
  }

  /** Takes a slot and copies the packet into it. */
  public int acquire(long from, long to, byte[] payload, int offset, int length) {
    if (freeCount == 0) {
      grow();
    }
    int slot = free[--freeCount];
    byte[] buf = data[slot];
    if (buf == null) {
      buf = new byte[MAX_PAYLOAD];
      data[slot] = buf;
    }
    System.arraycopy(payload, offset, buf, 0, length);
    int m = slot * STRIDE;
    meta[m + SRC] = from;
    meta[m + DST] = to;
    meta[m + LEN] = length;
    return slot;
  }

  /** Returns a slot to the pool. */
  public void release(int slot) {
    free[freeCount++] = slot;
  }

  /** Slots in use. */
  public int inFlight() {
    return capacity - freeCount;
  }

  /** Source endpoint of the packet in the slot. */
  public long src(int slot) {
    return meta[slot * STRIDE + SRC];
  }

  /** Destination endpoint of the packet in the slot. */
  public long dst(int slot) {
    return meta[slot * STRIDE + DST];
  }

  /** Rewrites the source endpoint (NAT translation). */
  public void setSrc(int slot, long endpoint) {
    meta[slot * STRIDE + SRC] = endpoint;
  }

  /** Rewrites the destination endpoint (NAT translation). */
  public void setDst(int slot, long endpoint) {
    meta[slot * STRIDE + DST] = endpoint;
  }

  /** Payload length of the packet in the slot. */
  public int length(int slot) {
    return (int) meta[slot * STRIDE + LEN];
  }

  /** Payload buffer of the slot; bytes {@code [0, length(slot))} are the packet. */
  public byte[] data(int slot) {
    return data[slot];
  }

  private void grow() {
    int n = capacity * 2;
    meta = Arrays.copyOf(meta, n * STRIDE);
    data = Arrays.copyOf(data, n);
    free = Arrays.copyOf(free, n);
    for (int i = n - 1; i >= capacity; i--) {
      free[freeCount++] = i;
    }
    capacity = n;
  }
}
