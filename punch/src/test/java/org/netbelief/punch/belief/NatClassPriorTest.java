package org.netbelief.punch.belief;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.netbelief.model.Factor;
import org.netbelief.punch.NatClass;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.wire.Frame;

/** The OPENABLE prior of a (own class, remote class) pair in {@link BeliefPolicy}. */
class NatClassPriorTest {
  private static final long S = 1_000_000_000L;
  private static final int EIM_APDF = NatClass.of(NatClass.EIM, NatClass.APDF);
  private static final int SYMMETRIC = NatClass.of(NatClass.APDM, NatClass.APDF);
  private static final int FULL_CONE = NatClass.of(NatClass.EIM, NatClass.EIF);

  private static InetSocketAddress ep(int i) {
    return new InetSocketAddress("198.51.100." + i, 4500);
  }

  private static double openable(BeliefPolicy p, long key) {
    return p.reachability().attempt(p.path(key), 0).factor(Factor.OPENABLE).mean();
  }

  @Test
  void pairPrior_withoutEvidence_isTheCompatibilityPrior() {
    BeliefPolicy p = BeliefPolicy.builder().build();
    p.onPathCreated(1, "aa", ep(1), Frame.CANDIDATE_PUBLIC, false, EIM_APDF, FULL_CONE);
    p.onPathCreated(2, "bb", ep(2), Frame.CANDIDATE_PUBLIC, false, EIM_APDF, SYMMETRIC);
    p.onPathCreated(3, "cc", ep(3), Frame.CANDIDATE_PUBLIC, false, NatClass.UNKNOWN, SYMMETRIC);
    p.onPathCreated(4, "dd", ep(4), Frame.CANDIDATE_PUBLIC, false);
    assertThat(openable(p, 1)).isCloseTo(BeliefPolicy.COMPATIBLE_PRIOR.mean(), within(1e-12));
    assertThat(openable(p, 2)).isCloseTo(BeliefPolicy.INCOMPATIBLE_PRIOR.mean(), within(1e-12));
    // Unknown on either side: the chain's plain shrinkage, as without discovery.
    assertThat(openable(p, 3)).isCloseTo(openable(p, 4), within(1e-12));
    assertThat(openable(p, 4)).isCloseTo(0.76, within(1e-12));
    // The session prediction follows: compatible near 0.97, incompatible near 0.02.
    assertThat(p.successProbability(1, 0)).isBetween(0.9, 0.97);
    assertThat(p.successProbability(2, 0)).isBetween(0.01, 0.02);
  }

  @Test
  void pairPrior_isOverturnedByEvidence() {
    BeliefPolicy p = BeliefPolicy.builder().build();
    // 40 remotes of the "incompatible" pair class that all connect (say discovery was wrong):
    // each session's success is one (1, 0) for the pair's row, so the row's mean becomes
    // (20·0.02 + 40) / (20 + 40) = 0.673 and a new remote of that class is predicted above 1/2.
    for (int i = 0; i < 40; i++) {
      p.onPathCreated(100 + i, "r" + i, ep(100 + i), Frame.CANDIDATE_PUBLIC, false, EIM_APDF,
          SYMMETRIC);
      p.onSend(100 + i, PathObserver.PROBE_INTRO, i * S);
      p.onAck(100 + i, PathObserver.PROBE_INTRO, 30_000_000, i * S + 30_000_000);
    }
    p.onPathCreated(1, "new", ep(1), Frame.CANDIDATE_PUBLIC, false, EIM_APDF, SYMMETRIC);
    assertThat(openable(p, 1)).isGreaterThan(0.5);
    // Another pair class keeps its own prior.
    p.onPathCreated(2, "other", ep(2), Frame.CANDIDATE_PUBLIC, false, SYMMETRIC, SYMMETRIC);
    assertThat(openable(p, 2)).isCloseTo(BeliefPolicy.INCOMPATIBLE_PRIOR.mean(), within(1e-12));
  }

  @Test
  void incompatiblePair_givesUpAfterTheFirstFailedRound() {
    BeliefPolicy p = BeliefPolicy.builder().build();
    long[] keys = {1};
    p.onPathCreated(1, "aa", ep(1), Frame.CANDIDATE_PUBLIC, false, SYMMETRIC, SYMMETRIC);
    p.onSend(1, PathObserver.PROBE_INTRO, 0);
    long now = p.retryDelayNanos(0, 0);
    p.onTimeout(1, PathObserver.PROBE_INTRO, now);
    assertThat(p.giveUpAndRelay("aa", keys, 1, now, now)).isTrue();
    // A compatible pair keeps trying after one lost round.
    BeliefPolicy q = BeliefPolicy.builder().build();
    q.onPathCreated(1, "aa", ep(1), Frame.CANDIDATE_PUBLIC, false, FULL_CONE, SYMMETRIC);
    q.onSend(1, PathObserver.PROBE_INTRO, 0);
    q.onTimeout(1, PathObserver.PROBE_INTRO, now);
    assertThat(q.giveUpAndRelay("aa", keys, 1, now, now)).isFalse();
  }

  @Test
  void modelFile_openableChain_getsThePairPriorsToo() {
    // A configured OPENABLE chain (as --model gives) with another root prior: the class pairs
    // still start from their priors, an unknown pair from the configured root.
    org.netbelief.model.FeatureChain chain = org.netbelief.model.FeatureChain
        .builder(org.netbelief.model.Prior.of(0.5, 2)).level("global", 2)
        .level("remoteNatClass", 4).level("remoteEndpoint", 4).build();
    BeliefPolicy p = BeliefPolicy.builder().model(new org.netbelief.punch.config.ModelConfig("",
        java.util.Map.of("OPENABLE", org.netbelief.punch.config.FactorConfig.of(chain, S, 1024))))
        .natClassPriors(org.netbelief.model.Prior.of(0.9, 10), org.netbelief.model.Prior.of(0.1, 10))
        .build();
    p.onPathCreated(1, "aa", ep(1), Frame.CANDIDATE_PUBLIC, false, FULL_CONE, SYMMETRIC);
    p.onPathCreated(2, "bb", ep(2), Frame.CANDIDATE_PUBLIC, false, SYMMETRIC, SYMMETRIC);
    p.onPathCreated(3, "cc", ep(3), Frame.CANDIDATE_PUBLIC, false);
    assertThat(openable(p, 1)).isCloseTo(0.9, within(1e-12));
    assertThat(openable(p, 2)).isCloseTo(0.1, within(1e-12));
    assertThat(openable(p, 3)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void natClassToken_namesThePairOnlyWhenBothAreKnown() {
    assertThat(BeliefPolicy.natClassToken(Frame.CANDIDATE_PUBLIC, EIM_APDF, SYMMETRIC))
        .isEqualTo("public|EIM/APDF>APDM/APDF");
    assertThat(BeliefPolicy.natClassToken(Frame.CANDIDATE_PUBLIC, 0, SYMMETRIC)).isEqualTo("public");
    assertThat(BeliefPolicy.natClassToken(Frame.CANDIDATE_LOCAL, EIM_APDF, SYMMETRIC))
        .isEqualTo("local");
  }
}
