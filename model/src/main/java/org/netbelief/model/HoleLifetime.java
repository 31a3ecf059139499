package org.netbelief.model;

/**
 * The belief that a punched hole is still open after a silence: what the {@code OPENED}
 * reachability factor uses once a path is established ("very likely right after an
 * acknowledgement, less likely as the silence grows").
 *
 * <pre>{@code
 * HoleLifetime holes = survivalModel;               // SurvivalModel implements it
 * double p = holes.holeOpenProbability(natKeys, silenceNanos, nowNanos);
 * }</pre>
 *
 * <p>Implementations are thread-safe and {@link #holeOpenProbability} allocates nothing.
 */
public interface HoleLifetime {
  /**
   * The probability that a NAT binding described by {@code natKeys} (its feature chain, general
   * to specific) survives a silence of {@code silenceNanos}, as believed at {@code nowNanos}.
   *
   * @throws IllegalArgumentException for a negative silence or keys that do not fit the chain
   */
  double holeOpenProbability(long[] natKeys, long silenceNanos, long nowNanos);

  /**
   * The same probability as a {@link Belief}: a Beta matched to the mean and variance of S(g),
   * whose evidence is that of the least-observed silence bin up to g.
   */
  Belief holeOpenBelief(long[] natKeys, long silenceNanos, long nowNanos);
}
