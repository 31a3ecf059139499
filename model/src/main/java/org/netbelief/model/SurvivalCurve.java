package org.netbelief.model;

/**
 * A survival curve for plotting: at each silence {@code seconds[i]}, the probability {@code
 * mean[i]} that a binding survives it and the equal-tailed credible band {@code lower[i]},
 * {@code upper[i]} at {@code level}.
 *
 * <p>The arrays are owned by the record; do not modify them.
 *
 * @param seconds silences in seconds, increasing
 * @param mean E[S(g)]
 * @param lower lower credible bound of S(g)
 * @param upper upper credible bound of S(g)
 * @param level the band's credibility, e.g. 0.9
 */
public record SurvivalCurve(
    double[] seconds, double[] mean, double[] lower, double[] upper, double level) {
  /** The number of points. */
  public int size() {
    return seconds.length;
  }
}
