package org.netbelief.model;

/**
 * The sanity window of accepted update times around the newest time seen: a time much older or
 * newer than it is a clock error (a wrong clock source, an unset field, a unit mix-up) that
 * would otherwise wipe or freeze a table's evidence. Thread-safe; the newest time is a racy
 * maximum (a lost update can only leave it slightly behind, which widens the window a little).
 */
final class TimeWindow {
  private final long maxBehindNanos;
  private final long maxAheadNanos;
  private volatile long latestNanos = PeerPath.NEVER;

  TimeWindow(long maxBehindNanos, long maxAheadNanos) {
    this.maxBehindNanos = maxBehindNanos;
    this.maxAheadNanos = maxAheadNanos;
  }

  /** Throws naming {@code nowNanos} if it lies outside the window; does not advance it. */
  void check(long nowNanos) {
    long latest = latestNanos;
    if (latest == PeerPath.NEVER) {
      return;
    }
    if (nowNanos < latest && difference(latest, nowNanos) > maxBehindNanos) {
      throw new IllegalArgumentException("time " + nowNanos + " ns is more than "
          + maxBehindNanos + " ns before the newest time seen, " + latest + " ns");
    }
    if (nowNanos > latest && difference(nowNanos, latest) > maxAheadNanos) {
      throw new IllegalArgumentException("time " + nowNanos + " ns is more than "
          + maxAheadNanos + " ns after the newest time seen, " + latest + " ns");
    }
  }

  /** Records {@code nowNanos} (already checked) as seen. */
  void advance(long nowNanos) {
    if (nowNanos > latestNanos) {
      latestNanos = nowNanos;
    }
  }

  private static long difference(long big, long small) {
    long d = big - small;
    return d < 0 ? Long.MAX_VALUE : d; // overflow: farther than any window
  }
}
