package org.netbelief.model;

/**
 * An equal-tailed credible interval: the posterior puts {@code (1 − level)/2} of its mass below
 * {@code lower} and as much above {@code upper}.
 *
 * @param lower the lower bound
 * @param upper the upper bound
 * @param level the credibility level, e.g. 0.95
 */
public record Interval(double lower, double upper, double level) {
  /** The width {@code upper − lower}. */
  public double width() {
    return upper - lower;
  }

  /** Whether {@code x} lies within the bounds (inclusive). */
  public boolean contains(double x) {
    return x >= lower && x <= upper;
  }
}
