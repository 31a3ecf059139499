package org.netbelief.model.decide;

import org.netbelief.model.AttemptBelief;

/**
 * A candidate endpoint to try: the belief that an attempt on it succeeds and what an attempt
 * costs (any positive unit the caller ranks by: expected packets, milliseconds, money).
 *
 * @param endpoint the caller's handle for the endpoint
 * @param belief the attempt belief (from {@code ReachabilityModel.attempt})
 * @param expectedCost the expected cost of one attempt, finite and &gt; 0
 * @param <T> the endpoint type
 */
public record Candidate<T>(T endpoint, AttemptBelief belief, double expectedCost) {
  /** @throws IllegalArgumentException for a null belief or a cost not finite and &gt; 0 */
  public Candidate {
    if (belief == null) {
      throw new IllegalArgumentException("candidate " + endpoint + " has no belief");
    }
    if (!(expectedCost > 0.0) || Double.isInfinite(expectedCost)) {
      throw new IllegalArgumentException(
          "expected cost of " + endpoint + " must be finite and > 0, got " + expectedCost);
    }
  }
}
