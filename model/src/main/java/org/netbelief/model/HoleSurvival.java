package org.netbelief.model;

/**
 * The probability that a firewall opening toward us is still in place after {@code silenceNanos}
 * of silence: the time-dependent part of the {@link Factor#OPENED} factor.
 *
 * <p>The {@link ReachabilityModel} multiplies the learned OPENED belief of a path by this
 * curve, evaluated at the time since {@link PeerPath#openedAt(long)} (the peer was told to punch,
 * or the last packet passed). The default is an exponential curve with a 30-second half-life;
 * the learned hole-lifetime model plugs in with {@link #learned(SurvivalModel)}:
 *
 * <pre>{@code
 * SurvivalModel lifetimes = SurvivalModel.builder().levelStrengths(0.5, 0.5).build();
 * ReachabilityModel model = ReachabilityModel.builder()
 *     .holeSurvival(HoleSurvival.learned(lifetimes)).build();
 * PeerPath path = model.path(tokens);
 * path.attach(new long[] {FeatureKeys.of("natClass", "EIM/APDF"),
 *     FeatureKeys.of("nat", "198.51.100.7")});   // the peer NAT's survival feature chain
 * }</pre>
 *
 * <p>Implementations must be thread-safe, allocation-free, and return a value in [0, 1]; they
 * are called on the update path, before the update changes anything (so an exception from the
 * curve leaves the model unchanged).
 */
@FunctionalInterface
public interface HoleSurvival {
  /**
   * The probability that the opening survives {@code silenceNanos} (&ge; 0) for {@code path},
   * as believed at {@code nowNanos}.
   */
  double survival(PeerPath path, long silenceNanos, long nowNanos);

  /** Exponential survival {@code 2^(−silence/halfLife)}: memoryless, the no-knowledge curve. */
  static HoleSurvival exponential(long halfLifeNanos) {
    if (halfLifeNanos <= 0) {
      throw new IllegalArgumentException(
          "hole survival half-life must be > 0 ns, got " + halfLifeNanos);
    }
    double perNano = 1.0 / halfLifeNanos;
    // Exp2: the table-driven 2^x of the evidence tables, cheaper than Math.pow on this path.
    return (path, silence, now) -> org.netbelief.model.internal.Exp2.pow2(-silence * perNano);
  }

  /**
   * The learned survival curve of {@code model} for the peer's NAT, whose feature keys (general
   * first, as {@link SurvivalModel} expects) the caller attached to each path with {@link
   * PeerPath#attach(Object)} as a {@code long[]}.
   *
   * @throws IllegalArgumentException for a null model; when called for a path without a {@code
   *     long[]} attachment, naming the path
   */
  static HoleSurvival learned(SurvivalModel model) {
    if (model == null) {
      throw new IllegalArgumentException("survival model must not be null");
    }
    return (path, silence, now) -> {
      if (!(path.attachment() instanceof long[])) {
        throw new IllegalArgumentException("path " + path.tokens() + " has no NAT keys attached"
            + " (PeerPath.attach(long[])); got " + path.attachment());
      }
      return model.holeOpenProbability((long[]) path.attachment(), silence, now);
    };
  }
}
