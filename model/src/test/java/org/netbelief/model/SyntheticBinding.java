package org.netbelief.model;

import java.util.SplittableRandom;

/**
 * A synthetic NAT binding for tests: it expires after a silence of its lifetime T, or, with
 * jitter j, after a timeout drawn uniformly from [T(1−j), T(1+j)] independently for each silence
 * (real NAT timers are swept periodically and are not perfectly sharp).
 */
final class SyntheticBinding {
  private final SplittableRandom random;
  private final double jitter;
  private double lifetimeSeconds;

  SyntheticBinding(double lifetimeSeconds, double jitter, long seed) {
    this.lifetimeSeconds = lifetimeSeconds;
    this.jitter = jitter;
    this.random = new SplittableRandom(seed);
  }

  /** Whether a binding silent for {@code seconds} is still open. */
  boolean survives(double seconds) {
    double timeout = lifetimeSeconds * (1.0 + jitter * (2.0 * random.nextDouble() - 1.0));
    return seconds < timeout;
  }

  void lifetime(double seconds) {
    this.lifetimeSeconds = seconds;
  }

  double lifetime() {
    return lifetimeSeconds;
  }

  /** The fraction of {@code n} silences of {@code seconds} that lose the binding. */
  double lossRate(double seconds, int n) {
    int lost = 0;
    for (int i = 0; i < n; i++) {
      if (!survives(seconds)) {
        lost++;
      }
    }
    return (double) lost / n;
  }
}
