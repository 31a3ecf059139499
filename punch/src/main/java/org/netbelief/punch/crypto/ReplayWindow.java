package org.netbelief.punch.crypto;

import org.netbelief.punch.wire.DropReason;

/**
 * Anti-replay sliding window over 64-bit packet counters, as in RFC 4303 section 3.4.3 and
 * appendix A: the highest counter accepted so far and a 64-bit bitmap of which of the 64 counters
 * at and below it were seen. Counters start at 1.
 *
 * <p>Use {@link #check} before authenticating (cheap rejection) and {@link #accept} only after the
 * tag verified, so forged packets cannot move the window.
 *
 * <p>Not thread-safe; allocation-free.
 */
public final class ReplayWindow {
    /** Window size in counters. */
    public static final int SIZE = 64;

    private long highest;
    private long bitmap; // bit i set: counter (highest - i) was accepted

    /** Creates an empty window. */
    public ReplayWindow() {}

    /**
     * Judges a counter without changing the window.
     *
     * @param counter the packet's counter
     * @return null when fresh, {@link DropReason#REPLAYED} when seen, {@link DropReason#TOO_OLD}
     *     when 64 or more below the highest (or not positive)
     */
    public DropReason check(long counter) {
        return check(highest, bitmap, counter);
    }

    /**
     * Records an authenticated counter that {@link #check} judged fresh.
     *
     * @param counter the counter
     * @return true when the counter is a new highest (the packet is the freshest seen)
     */
    public boolean accept(long counter) {
        bitmap = acceptedBitmap(highest, bitmap, counter);
        if (counter > highest) {
            highest = counter;
            return true;
        }
        return false;
    }

    /**
     * {@link #check(long)} on a window kept in two fields of the caller's own, for owners that
     * hold the window inline instead of as an object of its own (one object less to touch per
     * packet when there are many windows).
     *
     * @param highest the highest counter accepted, 0 when none
     * @param bitmap bit i set: counter {@code highest - i} was accepted
     * @param counter the packet's counter
     * @return as {@link #check(long)}
     */
    public static DropReason check(long highest, long bitmap, long counter) {
        if (counter <= 0) {
            return DropReason.TOO_OLD;
        }
        if (counter > highest) {
            return null;
        }
        long diff = highest - counter;
        if (diff >= SIZE) {
            return DropReason.TOO_OLD;
        }
        return (bitmap & (1L << diff)) != 0 ? DropReason.REPLAYED : null;
    }

    /**
     * The bitmap after {@link #accept(long)} of a counter judged fresh, for windows kept inline
     * (see {@link #check(long, long, long)}); the new highest is {@code max(highest, counter)}.
     *
     * @param highest the highest counter accepted, 0 when none
     * @param bitmap bit i set: counter {@code highest - i} was accepted
     * @param counter the counter
     * @return the new bitmap
     */
    public static long acceptedBitmap(long highest, long bitmap, long counter) {
        if (counter > highest) {
            long shift = counter - highest;
            return shift >= SIZE ? 1L : (bitmap << shift) | 1L;
        }
        return bitmap | 1L << (highest - counter);
    }

    /** @return the highest counter accepted, 0 when none */
    public long highest() {
        return highest;
    }
}
