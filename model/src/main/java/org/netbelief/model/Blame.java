package org.netbelief.model;

/** How a failed attempt's blame is shared among the factors. See {@code docs/model.md}. */
public enum Blame {
  /**
   * Assumed-density filtering: the exact posterior of each factor under "not all succeeded" is
   * projected back onto a Beta by matching its first two moments. Can make a factor less
   * certain, as a failure rightly can.
   */
  ADF,
  /**
   * Expected counts: factor j receives failure mass {@code (1 − m_j)/(1 − Π m_i)} and success
   * mass {@code m_j(1 − Π_{i≠j} m_i)/(1 − Π m_i)}. Cheaper to explain; overstates certainty
   * (every failure adds a whole observation's worth of mass).
   */
  EXPECTED_COUNTS
}
