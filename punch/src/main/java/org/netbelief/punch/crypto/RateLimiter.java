package org.netbelief.punch.crypto;

import java.net.InetAddress;

/**
 * Token buckets per source address in virtual time, in fixed primitive arrays.
 *
 * <p>Sources are hashed by IP address (not port, so a sender cannot escape its bucket by changing
 * ports) into {@code 2^k} buckets. Two sources that collide share a bucket: a collision can only
 * limit more, never less, and the table never grows, so a flood of spoofed sources costs no
 * memory. Each bucket refills at {@code ratePerSecond} up to {@code burst} tokens; a request takes
 * one token.
 *
 * <p>Not thread-safe; allocation-free.
 */
public final class RateLimiter {
    private final double ratePerNano;
    private final double burst;
    private final int mask;
    private final double[] tokens;
    private final long[] last;
    private final boolean[] used;

    /**
     * Creates a limiter.
     *
     * @param ratePerSecond sustained requests per second per source, &gt; 0
     * @param burst bucket capacity, &ge; 1
     * @param log2Buckets log2 of the number of buckets, 1 to 24
     * @throws IllegalArgumentException on values outside those ranges
     */
    public RateLimiter(double ratePerSecond, double burst, int log2Buckets) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("ratePerSecond " + ratePerSecond + " must be > 0");
        }
        if (!(burst >= 1)) {
            throw new IllegalArgumentException("burst " + burst + " must be >= 1");
        }
        if (log2Buckets < 1 || log2Buckets > 24) {
            throw new IllegalArgumentException("log2Buckets " + log2Buckets + " must be in [1, 24]");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.mask = (1 << log2Buckets) - 1;
        this.tokens = new double[mask + 1];
        this.last = new long[mask + 1];
        this.used = new boolean[mask + 1];
    }

    /**
     * Takes one token from the source's bucket if it has one.
     *
     * @param source the source address
     * @param nowNanos monotonic time
     * @return true when allowed
     */
    public boolean tryAcquire(InetAddress source, long nowNanos) {
        int h = source.hashCode() * 0x9E3779B9;
        int i = (h ^ (h >>> 16)) & mask;
        double t;
        if (!used[i]) {
            used[i] = true;
            t = burst;
        } else {
            t = Math.min(burst, tokens[i] + Math.max(0, nowNanos - last[i]) * ratePerNano);
        }
        last[i] = nowNanos;
        if (t < 1) {
            tokens[i] = t;
            return false;
        }
        tokens[i] = t - 1;
        return true;
    }
}
