package org.netbelief.punch.internal;

import java.net.InetSocketAddress;

/**
 * The rendezvous's pending lifetime-probe replies: a bounded min-heap by due time, with a bounded
 * number of pending replies per source address.
 *
 * <p>Layout: three parallel arrays ({@code due}, {@code nonce}, {@code to}) hold a binary heap
 * ordered by {@code due}; {@code perSource} counts pending replies per hash of the source IP
 * address (not port: a sender cannot escape its count by changing ports). Sources that collide
 * share a count, which can only refuse more, never less; the tables never grow, so a flood of
 * spoofed sources costs no memory beyond {@code capacity} entries.
 *
 * <p>Not thread-safe. {@link #offer} and {@link #poll} allocate nothing.
 */
public final class ProbeQueue {
    private final long[] due;
    private final long[] nonce;
    private final InetSocketAddress[] to;
    private final int[] perSource;
    private final int sourceMask;
    private final int perSourceLimit;
    private int size;

    /**
     * Creates a queue.
     *
     * @param capacity most pending replies in total, &ge; 1
     * @param perSourceLimit most pending replies per source address, &ge; 1
     * @param log2Sources log2 of the per-source count table size, 1 to 20
     * @throws IllegalArgumentException on values outside those ranges
     */
    public ProbeQueue(int capacity, int perSourceLimit, int log2Sources) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " must be >= 1");
        }
        if (perSourceLimit < 1) {
            throw new IllegalArgumentException("perSourceLimit " + perSourceLimit + " must be >= 1");
        }
        if (log2Sources < 1 || log2Sources > 20) {
            throw new IllegalArgumentException("log2Sources " + log2Sources + " must be in [1, 20]");
        }
        this.due = new long[capacity];
        this.nonce = new long[capacity];
        this.to = new InetSocketAddress[capacity];
        this.sourceMask = (1 << log2Sources) - 1;
        this.perSource = new int[sourceMask + 1];
        this.perSourceLimit = perSourceLimit;
    }

    private int slot(InetSocketAddress a) {
        int h = a.getAddress().hashCode() * 0x9E3779B9;
        return (h ^ (h >>> 16)) & sourceMask;
    }

    /**
     * Queues a reply unless a limit is reached.
     *
     * @param dueNanos when the reply is due
     * @param n the nonce to echo
     * @param dest the observed source of the request
     * @return false (nothing queued) when the queue is full or the source has its limit pending
     */
    public boolean offer(long dueNanos, long n, InetSocketAddress dest) {
        int s = slot(dest);
        if (size == due.length || perSource[s] >= perSourceLimit) {
            return false;
        }
        perSource[s]++;
        int i = size++;
        while (i > 0) { // sift up
            int parent = (i - 1) >>> 1;
            if (due[parent] <= dueNanos) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        due[i] = dueNanos;
        nonce[i] = n;
        to[i] = dest;
        return true;
    }

    /** @return the earliest due time, or {@link Long#MAX_VALUE} when empty */
    public long nextDueNanos() {
        return size == 0 ? Long.MAX_VALUE : due[0];
    }

    /** @return the nonce of the earliest reply (only when not empty) */
    public long peekNonce() {
        return nonce[0];
    }

    /** @return the destination of the earliest reply (only when not empty) */
    public InetSocketAddress peekDestination() {
        return to[0];
    }

    /** Removes the earliest reply (only when not empty). */
    public void poll() {
        perSource[slot(to[0])]--;
        int last = --size;
        long d = due[last];
        long nn = nonce[last];
        InetSocketAddress t = to[last];
        to[last] = null;
        int i = 0;
        while (true) { // sift the last entry down from the root
            int c = 2 * i + 1;
            if (c >= size) {
                break;
            }
            if (c + 1 < size && due[c + 1] < due[c]) {
                c++;
            }
            if (due[c] >= d) {
                break;
            }
            move(c, i);
            i = c;
        }
        if (size > 0) {
            due[i] = d;
            nonce[i] = nn;
            to[i] = t;
        }
    }

    private void move(int from, int into) {
        due[into] = due[from];
        nonce[into] = nonce[from];
        to[into] = to[from];
    }

    /** @return the number of pending replies */
    public int size() {
        return size;
    }
}
