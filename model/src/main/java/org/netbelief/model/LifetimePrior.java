package org.netbelief.model;

import org.apache.commons.math3.special.Erf;

/**
 * What is known about NAT binding lifetimes before any evidence: a population survival curve
 * (log-normal lifetime with a median and a log-scale spread) and how strongly each silence bin
 * believes it.
 *
 * <p>The default, {@link #homeGateways()}, has median 120 s and log-spread 1.0: 4% of bindings
 * die before 20 s, 66% before 3 minutes and 95% before 10 minutes. That matches what is known:
 * RFC 4787 REQ-5 asks for at least 2 minutes (5 recommended), while measured home gateways range
 * from about 30 s to several minutes, and stacks assume "30 s is a common UDP NAT timeout"
 * (sources in {@code docs/model.md (§8)}).
 *
 * <p>The per-bin strength is small on purpose (default 0.005 pseudo-observations): the prior mean is
 * the population's hazard, but one NAT has a sharp timer, so its hazard in a bin is close to 0 or
 * close to 1. A Beta with both parameters below 1 is U-shaped and says exactly that, so a handful
 * of observations of one NAT decides each bin.
 *
 * <pre>{@code
 * LifetimePrior p = LifetimePrior.of(Duration.ofSeconds(90), 0.8, 0.5);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class LifetimePrior {
  private final double medianSeconds;
  private final double logSpread;
  private final double strength;

  private LifetimePrior(double medianSeconds, double logSpread, double strength) {
    this.medianSeconds = medianSeconds;
    this.logSpread = logSpread;
    this.strength = strength;
  }

  /** Median 120 s, log-spread 1.0, strength 0.005 per bin. */
  public static LifetimePrior homeGateways() {
    return new LifetimePrior(120.0, 1.0, 0.005);
  }

  /**
   * A log-normal population curve.
   *
   * @param median the median binding lifetime, positive
   * @param logSpread σ of ln(lifetime), in (0, 5]
   * @param strength pseudo-observations per bin, finite and &gt; 0
   * @throws IllegalArgumentException naming the bad value
   */
  public static LifetimePrior of(java.time.Duration median, double logSpread, double strength) {
    if (median == null || median.isNegative() || median.isZero()) {
      throw new IllegalArgumentException("median lifetime must be positive, got " + median);
    }
    if (!(logSpread > 0.0 && logSpread <= 5.0)) {
      throw new IllegalArgumentException("log-spread must lie in (0, 5], got " + logSpread);
    }
    if (!(strength > 0.0) || Double.isInfinite(strength)) {
      throw new IllegalArgumentException(
          "prior strength must be finite and > 0, got " + strength);
    }
    return new LifetimePrior(median.toNanos() * 1e-9, logSpread, strength);
  }

  /** The population probability that a binding survives a silence of {@code seconds}. */
  public double survival(double seconds) {
    if (!(seconds > 0.0)) {
      return 1.0;
    }
    double z = (Math.log(seconds) - Math.log(medianSeconds)) / logSpread;
    return 0.5 * Erf.erfc(z / Math.sqrt(2.0));
  }

  /** The median lifetime in seconds. */
  public double medianSeconds() {
    return medianSeconds;
  }

  /** σ of ln(lifetime). */
  public double logSpread() {
    return logSpread;
  }

  /** Pseudo-observations per bin. */
  public double strength() {
    return strength;
  }

  @Override
  public String toString() {
    return "LifetimePrior[median=" + medianSeconds + " s, logSpread=" + logSpread
        + ", strength=" + strength + "]";
  }
}
