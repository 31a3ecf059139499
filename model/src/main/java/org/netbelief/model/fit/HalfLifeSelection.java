package org.netbelief.model.fit;

import java.util.Arrays;

/**
 * The result of a half-life search: every half-life tried with its one-step-ahead predictive
 * log loss, and the best one.
 *
 * @param halfLivesNanos the half-lives tried, ascending
 * @param logLoss the mean log loss (nats per event) of each, same order
 * @param events the number of events scored per half-life
 */
public record HalfLifeSelection(long[] halfLivesNanos, double[] logLoss, long events) {
  /** Copies the arrays, so the record is immutable. */
  public HalfLifeSelection {
    if (halfLivesNanos.length != logLoss.length || halfLivesNanos.length == 0) {
      throw new IllegalArgumentException("need one log loss per half-life, got "
          + halfLivesNanos.length + " half-lives and " + logLoss.length + " losses");
    }
    halfLivesNanos = halfLivesNanos.clone();
    logLoss = logLoss.clone();
  }

  /** The index of the lowest log loss (the first, on ties). */
  public int bestIndex() {
    int best = 0;
    for (int i = 1; i < logLoss.length; i++) {
      if (logLoss[i] < logLoss[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The half-life with the lowest log loss. */
  public long bestHalfLifeNanos() {
    return halfLivesNanos[bestIndex()];
  }

  /** The lowest mean log loss. */
  public double bestLogLoss() {
    return logLoss[bestIndex()];
  }

  @Override
  public long[] halfLivesNanos() {
    return halfLivesNanos.clone();
  }

  @Override
  public double[] logLoss() {
    return logLoss.clone();
  }

  @Override
  public String toString() {
    return "HalfLifeSelection[best=" + bestHalfLifeNanos() + " ns, logLoss=" + bestLogLoss()
        + ", tried=" + Arrays.toString(halfLivesNanos) + "]";
  }
}
