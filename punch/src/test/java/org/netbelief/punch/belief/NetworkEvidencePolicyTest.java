package org.netbelief.punch.belief;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.netbelief.model.Factor;
import org.netbelief.model.Prior;
import org.netbelief.punch.NatClass;
import org.netbelief.punch.wire.Frame;

/** {@link BeliefPolicy#onNetworkEvidence}: the rendezvous's pooled outcomes per class pair. */
class NetworkEvidencePolicyTest {
  private static final int EIM_APDF = NatClass.of(NatClass.EIM, NatClass.APDF);
  private static final int SYMMETRIC = NatClass.of(NatClass.APDM, NatClass.APDF);
  private static final int FULL_CONE = NatClass.of(NatClass.EIM, NatClass.EIF);

  private static InetSocketAddress ep(int i) {
    return new InetSocketAddress("198.51.100." + i, 4500);
  }

  private static double openable(BeliefPolicy p, long key) {
    return p.reachability().attempt(p.path(key), 0).factor(Factor.OPENABLE).mean();
  }

  /** A policy with one compatible (key 1) and one incompatible (key 2) path. */
  private static BeliefPolicy policy() {
    BeliefPolicy p = BeliefPolicy.builder().build();
    p.onPathCreated(1, "aa", ep(1), Frame.CANDIDATE_PUBLIC, false, EIM_APDF, FULL_CONE);
    p.onPathCreated(2, "bb", ep(2), Frame.CANDIDATE_PUBLIC, false, EIM_APDF, SYMMETRIC);
    return p;
  }

  @Test
  void zeroEvidence_isTodaysPredictionExactly() {
    BeliefPolicy without = policy();
    BeliefPolicy with = policy();
    with.onNetworkEvidence(EIM_APDF, FULL_CONE, 0.0, 0.0, 0);
    with.onNetworkEvidence(EIM_APDF, SYMMETRIC, 0.0, 0.0, 0);
    assertThat(with.successProbability(1, 0)).isEqualTo(without.successProbability(1, 0));
    assertThat(with.successProbability(2, 0)).isEqualTo(without.successProbability(2, 0));
  }

  @Test
  void strongSuccessEvidence_raisesTheCompatiblePair() {
    BeliefPolicy p = policy();
    double before = p.successProbability(1, 0);
    // 500 agreed direct sessions, 1 failure: μ' = (20·0.97 + 500) / 521 = 0.99693.
    p.onNetworkEvidence(EIM_APDF, FULL_CONE, 500, 1, 0);
    assertThat(openable(p, 1)).isCloseTo((20 * 0.97 + 500) / 521, within(1e-9));
    assertThat(p.successProbability(1, 0)).isGreaterThan(before);
    // The other pair is untouched.
    assertThat(openable(p, 2)).isCloseTo(0.02, within(1e-12));
  }

  @Test
  void strongFailureEvidence_lowersThePair() {
    BeliefPolicy p = policy();
    double compatible = p.successProbability(1, 0);
    double incompatible = p.successProbability(2, 0);
    // The network saw the "incompatible" pair fail 300 times: μ' = 0.4 / 320 = 0.00125.
    p.onNetworkEvidence(EIM_APDF, SYMMETRIC, 0, 300, 0);
    assertThat(openable(p, 2)).isCloseTo(0.4 / 320, within(1e-9));
    assertThat(p.successProbability(2, 0)).isLessThan(incompatible);
    // ...and a "compatible" pair that fails across the network is predicted below 1/2.
    p.onNetworkEvidence(EIM_APDF, FULL_CONE, 10, 200, 0);
    assertThat(p.successProbability(1, 0)).isLessThan(0.5).isLessThan(compatible);
  }

  @Test
  void evidenceOnTheReverseOrder_reachesTheSameToken_onlyForThatOwnClass() {
    // Evidence is per (own, remote) as the peer sees it; a peer of another own class is not
    // moved by it.
    BeliefPolicy p = policy();
    p.onNetworkEvidence(FULL_CONE, EIM_APDF, 0, 300, 0); // we are not FULL_CONE here
    assertThat(openable(p, 1)).isCloseTo(0.97, within(1e-12));
  }

  @Test
  void withNetworkEvidence_strengthIsCapped_meanKeepsAllEvidence() {
    Prior base = BeliefPolicy.COMPATIBLE_PRIOR;
    Prior p = BeliefPolicy.withNetworkEvidence(base, 5000, 10);
    assertThat(p.strength()).isEqualTo(BeliefPolicy.NETWORK_STRENGTH_CAP);
    assertThat(p.mean()).isCloseTo((20 * 0.97 + 5000) / 5030, within(1e-12));
    // Little evidence: strength k + s + f.
    assertThat(BeliefPolicy.withNetworkEvidence(base, 3, 1).strength()).isEqualTo(24.0);
    assertThat(BeliefPolicy.withNetworkEvidence(base, 0, 0)).isSameAs(base);
  }

  @Test
  void ownEvidence_stillMovesThePathUnderStrongNetworkEvidence() {
    // The network says the pair works (μ' > 0.9999, strength capped at 200); this peer's own
    // path to one remote fails 200 times. The endpoint row (strength 4 toward the pair row)
    // follows its own evidence: (4·m + 0) / (4 + 200) < 0.02. The pair row itself is held near
    // the network's mean: its own failures are discounted by the change detector as surprises,
    // and the prior is not evidence it can discount, so other remotes of the pair keep the
    // network's prior (docs/model.md §7.13).
    BeliefPolicy p = policy();
    p.onNetworkEvidence(EIM_APDF, FULL_CONE, 100_000, 0, 0);
    assertThat(openable(p, 1)).isGreaterThan(0.9999);
    for (int i = 0; i < 200; i++) {
      p.reachability().direct(p.path(1), Factor.OPENABLE, false, 0);
    }
    assertThat(openable(p, 1)).isLessThan(0.02);
    p.onPathCreated(3, "cc", ep(3), Frame.CANDIDATE_PUBLIC, false, EIM_APDF, FULL_CONE);
    assertThat(openable(p, 3)).isGreaterThan(0.9);
  }

  @Test
  void policiesOfOneConfiguredChain_doNotShareNetworkEvidence() {
    BeliefPolicy a = policy();
    BeliefPolicy b = policy();
    a.onNetworkEvidence(EIM_APDF, FULL_CONE, 0, 1000, 0);
    assertThat(openable(b, 1)).isCloseTo(0.97, within(1e-12));
  }
}
