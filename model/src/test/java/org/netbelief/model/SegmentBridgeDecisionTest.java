package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.netbelief.model.decide.Decisions;
import org.netbelief.model.decide.GiveUp;

/**
 * The bridge of docs/model.md §9 used by hand: a never-tried peer behind a carrier-grade NAT
 * that the segment belief holds broken (two-state segments: a broken segment passes 5 % of
 * packets, a working one 99 %). Its DOWNLINK factor read from the segments, composed
 * with the factor model's other beliefs by {@link AttemptBelief#of}, goes to the unchanged
 * {@link Decisions#giveUp}.
 */
class SegmentBridgeDecisionTest {
  static final long S = 1_000_000_000L;
  static final long UPLINK = 1;
  static final long CGNAT = 2;
  static final long PEER3 = 3;

  @Test
  void giveUp_downlinkFromBrokenSharedSegment_relaysWhereFactorsAloneKeepPunching() {
    SegmentBelief segments = new SegmentBelief(16);
    long halfLife = 600 * S;
    segments.addSegment(UPLINK, 0.99, 1.5, halfLife, 0);
    segments.addTwoStateSegment(CGNAT, 0.98, 1.5, halfLife, 0.05, 0.99, 0);
    segments.setBreakPrior(UPLINK, 1e-4);
        segments.addTwoStateSegment(PEER3, 0.9, 1.5, halfLife, 0.05, 0.99, 0);
    long now = 0;
    // Three other peers behind the CGN fail twice each; a peer outside it answers.
    segments.addSegment(100, 0.9, 1.5, halfLife, 0);
    segments.addPath(100, new long[] {UPLINK, 100});
    for (long peer = 7; peer <= 9; peer++) {
      segments.addTwoStateSegment(peer, 0.9, 1.5, halfLife, 0.05, 0.99, 0);
      segments.addPath(peer, new long[] {UPLINK, CGNAT, peer});
    }
    for (int round = 0; round < 2; round++) {
      segments.observe(100, true, now += S);
      for (long peer = 7; peer <= 9; peer++) {
        segments.observe(peer, false, now += S);
      }
    }
    assertThat(segments.mostLikelyAtFault(now)).hasValue(CGNAT);

    ReachabilityModel factors = ReachabilityModel.builder().changeDetection(false, 8, 2).build();
    PeerPath toPeer3 = factors.path(ReachabilityModelTest.TOKENS);
    Belief[] own = new Belief[Factor.COUNT];
    double[] multipliers = new double[Factor.COUNT];
    for (Factor f : Factor.values()) {
      own[f.ordinal()] = factors.belief(toPeer3, f, now);
      multipliers[f.ordinal()] = factors.multiplier(toPeer3, f, now);
    }
    // The bridge: DOWNLINK's mean from the segments in front of the target, with the factor's
    // own strength n = alpha + beta, so only the mean changes (docs/model.md §9).
    Belief downlink = own[Factor.DOWNLINK.ordinal()];
    double n = downlink.alpha() + downlink.beta();
    // P3 was never observed, so its state is uncorrelated with the CGN's: the product is exact
    // up to the drift of P3's prior.
    double p = segments.probabilityWorking(CGNAT, now) * segments.probabilityWorking(PEER3, now);
    Belief[] bridged = own.clone();
    bridged[Factor.DOWNLINK.ordinal()] = Belief.of(p * n, (1 - p) * n, downlink.evidence());

    AttemptBelief alone = AttemptBelief.of(own, multipliers);
    AttemptBelief rich = AttemptBelief.of(bridged, multipliers);
    long budget = 20 * S;
    long retry = 2 * S;
    GiveUp factorsOnly = Decisions.giveUp(alone, budget, retry, 0.1);
    GiveUp withSegments = Decisions.giveUp(rich, budget, retry, 0.1);

    // The factor model has never seen this remote: its DOWNLINK is the prior, so it punches.
    // The segment belief has convicted the CGN (P(CGN, P3 work) is small), so the same
    // decision function, fed the bridged belief, relays at once. (Measured: P(CGN working)
    // 0.022, attempt mean 0.509 -> 0.011, P(success within the 10 retries left) 0.974 -> 0.069
    // against the 0.1 threshold.)
    assertThat(p).isLessThan(0.5 * downlink.mean());
    assertThat(rich.mean()).isLessThan(alone.mean());
    assertThat(factorsOnly.relay()).isFalse();
    assertThat(withSegments.relay()).isTrue();
  }
}
