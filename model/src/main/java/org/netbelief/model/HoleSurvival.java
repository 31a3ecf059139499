package org.netbelief.model;

/**
 * The probability that a firewall opening toward us is still in place after {@code silenceNanos}
 * of silence: the time-dependent part of the {@link Factor#OPENED} factor.
 *
 * <p>The {@link ReachabilityModel} multiplies the learned OPENED belief of a path by this
 * curve, evaluated at the time since {@link PeerPath#openedAt(long)} (the peer was told to punch,
 * or the last packet passed). The default is an exponential curve with a 30-second half-life;
 * a learned hole-lifetime model (a survival curve per NAT feature) plugs in here.
 *
 * <pre>{@code
 * HoleSurvival learned = (path, silence) -> lifetimes.survival(path, silence);
 * ReachabilityModel model = ReachabilityModel.builder().holeSurvival(learned).build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe, allocation-free, and return a value in [0, 1]; they
 * are called on the update path.
 */
@FunctionalInterface
public interface HoleSurvival {
  /**
   * The probability that the opening survives {@code silenceNanos} (&ge; 0) for {@code path}.
   */
  double survival(PeerPath path, long silenceNanos);

  /** Exponential survival {@code 2^(−silence/halfLife)}: memoryless, the no-knowledge curve. */
  static HoleSurvival exponential(long halfLifeNanos) {
    if (halfLifeNanos <= 0) {
      throw new IllegalArgumentException(
          "hole survival half-life must be > 0 ns, got " + halfLifeNanos);
    }
    double perNano = 1.0 / halfLifeNanos;
    return (path, silence) -> Math.pow(2.0, -silence * perNano);
  }
}
