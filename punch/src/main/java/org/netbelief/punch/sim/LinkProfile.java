package org.netbelief.punch.sim;

/**
 * One link's character: a one-way base delay, a jitter added uniformly in {@code [0, jitter]},
 * and an independent loss probability per packet per direction.
 *
 * <pre>{@code
 * LinkProfile dsl = LinkProfile.ofMillis(15, 5, 0.01);   // 15 ms +0..5 ms, 1 % loss
 * }</pre>
 *
 * @param delayNanos one-way base delay, nanoseconds, {@code >= 0}
 * @param jitterNanos extra delay drawn uniformly from {@code [0, jitterNanos]}, {@code >= 0}
 * @param lossProbability probability in {@code [0, 1]} that a packet is dropped on the link
 */
public record LinkProfile(long delayNanos, long jitterNanos, double lossProbability) {
  /** A perfect link: no delay, no jitter, no loss (a LAN in most scenarios). */
  public static final LinkProfile IDEAL = new LinkProfile(0, 0, 0.0);

  /** Checks the values. */
  public LinkProfile {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delayNanos must be >= 0, was " + delayNanos);
    }
    if (jitterNanos < 0) {
      throw new IllegalArgumentException("jitterNanos must be >= 0, was " + jitterNanos);
    }
    if (!(lossProbability >= 0.0 && lossProbability <= 1.0)) {
      throw new IllegalArgumentException(
          "lossProbability must be in [0, 1], was " + lossProbability);
    }
  }

  /** A link from milliseconds. */
  public static LinkProfile ofMillis(double delayMillis, double jitterMillis, double loss) {
    return new LinkProfile(
        Math.round(delayMillis * 1_000_000.0), Math.round(jitterMillis * 1_000_000.0), loss);
  }
}
