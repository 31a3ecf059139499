package org.netbelief.punch.belief;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.netbelief.model.Factor;
import org.netbelief.model.decide.GiveUp;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.config.ModelConfig;
import org.netbelief.punch.wire.Frame;

class BeliefPolicyTest {
  private static final long S = 1_000_000_000L;

  private static InetSocketAddress ep(String host, int port) {
    return new InetSocketAddress(host, port);
  }

  @Test
  void acks_raiseAndTimeouts_lowerTheSuccessProbability() {
    BeliefPolicy p = BeliefPolicy.builder().build();
    p.onPathCreated(1, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, false);
    p.onPathCreated(2, "bb", ep("203.0.113.9", 4500), Frame.CANDIDATE_PUBLIC, false);
    double prior = p.successProbability(1, 0);
    assertThat(prior).isBetween(0.2, 0.8);
    for (int i = 0; i < 5; i++) {
      p.onSend(1, PathObserver.PROBE_INTRO, i * S);
      p.onAck(1, PathObserver.PROBE_INTRO, 30_000_000, i * S + 30_000_000);
      p.onSend(2, PathObserver.PROBE_INTRO, i * S);
      p.onTimeout(2, PathObserver.PROBE_INTRO, i * S + S / 2);
    }
    assertThat(p.successProbability(1, 5 * S)).isGreaterThan(prior);
    assertThat(p.successProbability(2, 5 * S)).isLessThan(prior);
    assertThat(p.successProbability(99, 0)).isNaN();
  }

  @Test
  void lanCandidateOfAnotherSite_failuresAreNotEvidence() {
    BeliefPolicy p = BeliefPolicy.builder().build();
    p.onPathCreated(1, "aa", ep("10.0.0.7", 4500), Frame.CANDIDATE_LOCAL, false);
    p.onPathCreated(2, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, false);
    double before = p.successProbability(2, 0);
    double lanBefore = p.successProbability(1, 0);
    for (int i = 0; i < 20; i++) {
      p.onTimeout(1, PathObserver.PROBE_INTRO, i * S);
    }
    assertThat(p.successProbability(1, 20 * S)).isEqualTo(lanBefore);
    assertThat(p.successProbability(2, 20 * S)).isEqualTo(before);
  }

  @Test
  void candidateScore_putsTheLanFirstBehindTheSamePublicAddress() {
    BeliefPolicy p = BeliefPolicy.builder().build();
    p.onPathCreated(1, "aa", ep("192.168.1.7", 4500), Frame.CANDIDATE_LOCAL, true);
    p.onPathCreated(2, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, true);
    assertThat(p.candidateScore(1, Frame.CANDIDATE_LOCAL, true, 0))
        .isGreaterThan(p.candidateScore(2, Frame.CANDIDATE_PUBLIC, true, 0));
  }

  @Test
  void giveUp_afterRepeatedFailures_relaysBeforeTheBudget() {
    BeliefPolicy p = BeliefPolicy.builder().punchBudget(Duration.ofSeconds(20)).build();
    long[] keys = {1};
    p.onPathCreated(1, "aa", ep("203.0.113.9", 4500), Frame.CANDIDATE_PUBLIC, false);
    long now = 0;
    assertThat(p.giveUpAndRelay("aa", keys, 0, 0, now)).isFalse();
    int rounds = 0;
    while (!p.giveUpAndRelay("aa", keys, rounds, now, now) && now < 20 * S) {
      p.onSend(1, PathObserver.PROBE_INTRO, now);
      now += p.retryDelayNanos(rounds, now);
      p.onTimeout(1, PathObserver.PROBE_INTRO, now);
      rounds++;
    }
    GiveUp g = p.giveUpDecision(keys, rounds, now, now);
    assertThat(g.relay()).isTrue();
    assertThat(now).as("gave up by belief, not by the budget").isLessThan(20 * S);
    assertThat(g.reasons()).isNotEmpty();
  }

  @Test
  void rendezvousSilence_isPooledUplinkEvidenceForEveryPath() {
    BeliefPolicy p = BeliefPolicy.builder().build();
    p.onPathCreated(1, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, false);
    p.onPathCreated(2, "bb", ep("203.0.113.9", 4500), Frame.CANDIDATE_PUBLIC, false);
    double a = p.successProbability(1, 0);
    double b = p.successProbability(2, 0);
    for (int i = 0; i < 10; i++) {
      p.onRendezvousTimeout(i * S);
    }
    assertThat(p.successProbability(1, 10 * S)).isLessThan(a * 0.6);
    assertThat(p.successProbability(2, 10 * S)).isLessThan(b * 0.6);
  }

  @Test
  void keepaliveInterval_growsWithSurvivedSilences_andShrinksAfterLosses() {
    BeliefPolicy p = BeliefPolicy.builder()
        .keepalive(0.99, Duration.ofSeconds(5), Duration.ofMinutes(10)).build();
    p.onPathCreated(1, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, false);
    long initial = p.keepaliveIntervalNanos(1, 0);
    assertThat(initial).isBetween(5 * S, 600 * S);
    long now = 0;
    for (int i = 0; i < 30; i++) {
      now += 200 * S;
      p.onSilencePass(1, 180 * S, now);
    }
    long learnt = p.keepaliveIntervalNanos(1, now);
    assertThat(learnt).isGreaterThan(initial);
    for (int i = 0; i < 6; i++) {
      now += 40 * S;
      p.onSilenceFail(1, 30 * S, now);
    }
    assertThat(p.keepaliveIntervalNanos(1, now)).isLessThan(learnt);
  }

  /*
   * The re-send schedule after unanswered keepalives. b is the round-trip percentile, within
   * [100 ms, 3 s] by construction. Waits: b, then max(b, 1 s), max(b, 3 s), max(b, 8 s), then b
   * for the last re-send. So the last keepalive leaves at least 0.1 + 1 + 3 + 8 > 12 s after the
   * first (an outage shorter than that is ridden out), and the path is lost at most
   * 3 + 3 + 3 + 8 + 3 = 20 s after it (b = 3 s at worst).
   */
  @Test
  void probeTimeout_afterUnansweredKeepalives_spreadsTheResendsOverTwelveSeconds() {
    BeliefPolicy p = BeliefPolicy.builder().build();
    p.onPathCreated(1, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, false);
    assertThat(p.missesBeforeLost(1, 0)).isEqualTo(5);
    long b = p.probeTimeoutNanos(1, 0, 0);
    assertThat(b).isBetween(100_000_000L, 3 * S);
    long sentAt = b; // the first re-send, after the first wait
    long[] waits = new long[4];
    for (int miss = 1; miss <= 4; miss++) {
      p.onTimeout(1, PathObserver.PROBE_KEEPALIVE, 0);
      waits[miss - 1] = p.probeTimeoutNanos(1, 0, 0);
    }
    assertThat(waits).containsExactly(Math.max(b, S), Math.max(b, 3 * S), Math.max(b, 8 * S), b);
    long lastSend = sentAt + waits[0] + waits[1] + waits[2];
    assertThat(lastSend).isGreaterThanOrEqualTo(12 * S);
    assertThat(lastSend + waits[3]).isLessThanOrEqualTo(20 * S);
    // An answer ends the episode: the next keepalive waits b again.
    p.onAck(1, PathObserver.PROBE_KEEPALIVE, 50_000_000L, S);
    assertThat(p.probeTimeoutNanos(1, 0, S)).isBetween(100_000_000L, 3 * S);
  }

  @Test
  void builder_rejectsImpossibleSettings() {
    assertThatThrownBy(() -> BeliefPolicy.builder().giveUpThreshold(1.5))
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> BeliefPolicy.builder().punchBudget(Duration.ZERO))
        .hasMessageContaining("budget");
    assertThatThrownBy(() -> BeliefPolicy.builder()
        .keepalive(0.99, Duration.ofSeconds(10), Duration.ofSeconds(5)))
        .hasMessageContaining("floor");
    assertThatThrownBy(() -> BeliefPolicy.builder().model(new ModelConfig("", Map.of("SIDEWAYS",
        org.netbelief.punch.config.FactorConfig.of(
            org.netbelief.model.FeatureChain.builder(org.netbelief.model.Prior.of(0.5, 1))
                .level("global", 1).build(), S, 16)))))
        .hasMessageContaining("SIDEWAYS");
  }

  /** One punching session of {@code rounds} failed rounds on {@code path}, 1 s apart. */
  private static long failedSession(BeliefPolicy p, long path, int rounds, long start) {
    long now = start;
    for (int i = 0; i < rounds; i++) {
      p.onSend(path, PathObserver.PROBE_INTRO, now);
      p.onTimeout(path, PathObserver.PROBE_INTRO, now + S / 2);
      now += S;
    }
    return now;
  }

  @Test
  void hopelessSession_teachesThePooledRowsOneFailure_notOnePerRound() {
    // Eight failed rounds of one session fail for one reason: a new endpoint's prediction is
    // exactly what it is after a session of one failed round (the pooled rows got one draw),
    // while the failed endpoint itself learns from all eight. The rendezvous answers, so
    // UPLINK (whose most specific row every path shares) is held and out of the picture.
    BeliefPolicy eight = BeliefPolicy.builder().build();
    BeliefPolicy one = BeliefPolicy.builder().build();
    for (BeliefPolicy p : new BeliefPolicy[] {eight, one}) {
      p.onPathCreated(1, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, false);
      p.onPathCreated(2, "bb", ep("203.0.113.9", 4500), Frame.CANDIDATE_PUBLIC, false);
      p.onRendezvousAnswer(20_000_000, 0);
    }
    double fresh = eight.successProbability(2, 0);
    failedSession(eight, 1, 8, 0);
    failedSession(one, 1, 1, 0);
    long t = 10 * S;
    assertThat(eight.successProbability(2, t))
        .isCloseTo(one.successProbability(2, t), within(1e-12));
    // One ADF failure moves the pooled rows (root strength 2, levels 4) by a fraction of the
    // prior mean; a new endpoint keeps well over half its prediction.
    assertThat(eight.successProbability(2, t)).isGreaterThan(0.5 * fresh);
    assertThat(eight.successProbability(1, t)).isLessThan(one.successProbability(1, t));
  }

  @Test
  void failureWhileTheRendezvousAnswers_leavesUplinkUntouched() {
    // The rendezvous answered a second ago: our packets got out and back, so a failed round
    // is not blamed on UPLINK at all (held factor). Without that proof, UPLINK takes a share.
    // A control policy sees the same rendezvous events and no failure.
    BeliefPolicy proven = BeliefPolicy.builder().build();
    BeliefPolicy unproven = BeliefPolicy.builder().build();
    BeliefPolicy control = BeliefPolicy.builder().build();
    BeliefPolicy controlU = BeliefPolicy.builder().build();
    for (BeliefPolicy p : new BeliefPolicy[] {proven, unproven, control, controlU}) {
      p.onPathCreated(1, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, false);
      p.onRendezvousAnswer(20_000_000, 0);
    }
    unproven.onRendezvousTimeout(S / 2); // a miss since: the uplink is not known to work
    controlU.onRendezvousTimeout(S / 2);
    failedSession(proven, 1, 3, S);
    failedSession(unproven, 1, 3, S);
    long t = 5 * S;
    assertThat(proven.reachability().belief(proven.path(1), Factor.UPLINK, t).mean())
        .isCloseTo(control.reachability().belief(control.path(1), Factor.UPLINK, t).mean(),
            within(1e-12));
    assertThat(unproven.reachability().belief(unproven.path(1), Factor.UPLINK, t).mean())
        .isLessThan(controlU.reachability().belief(controlU.path(1), Factor.UPLINK, t).mean()
            - 0.005);
  }

  @Test
  void uplinkOutage_predictionRecoversAtTheFirstRendezvousAnswer() {
    // Ten rendezvous misses (an outage) pull the pooled UPLINK down and the prediction with it.
    // The first answer afterwards proves the uplink works again: the prediction counts UPLINK
    // as 1 and is back above the pre-outage value (which used UPLINK's mean, below 1).
    BeliefPolicy p = BeliefPolicy.builder().build();
    p.onPathCreated(1, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, false);
    double before = p.successProbability(1, 0);
    for (int i = 1; i <= 10; i++) {
      p.onRendezvousTimeout(i * S);
    }
    assertThat(p.successProbability(1, 11 * S)).isLessThan(0.6 * before);
    p.onRendezvousAnswer(20_000_000, 12 * S);
    double uplink = p.reachability().belief(p.path(1), Factor.UPLINK, 12 * S).mean();
    assertThat(uplink).as("the pooled row still remembers the outage").isLessThan(0.6);
    assertThat(p.successProbability(1, 12 * S)).isGreaterThanOrEqualTo(before);
    // Proof expires: 61 s after the answer without another, the pooled mean counts again.
    assertThat(p.successProbability(1, 73 * S)).isLessThan(0.6 * before);
  }

  @Test
  void staleOpening_doesNotLowerTheNextAttemptsPrediction() {
    // A session that worked ten minutes ago: the old hole is long closed (30 s half-life), but
    // a new attempt punches afresh, so the prediction is the factor means' product.
    BeliefPolicy p = BeliefPolicy.builder().build();
    p.onPathCreated(1, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, false);
    p.onSend(1, PathObserver.PROBE_INTRO, 0);
    p.onAck(1, PathObserver.PROBE_INTRO, 30_000_000, 30_000_000);
    long later = 600 * S;
    assertThat(p.reachability().pSuccess(p.path(1), later)).isLessThan(1e-4);
    assertThat(p.successProbability(1, later)).isGreaterThan(0.7);
  }

  @Test
  void giveUp_oneLostRoundOfAWorkingPair_keepsPunching_twoInARowRelay() {
    // Prior 0.70 and ε ~ Beta(1, 9): after one failed round P(works) = 0.07/0.37 = 0.19 > 0.1,
    // after two 0.7·0.018/(0.0127 + 0.3) = 0.04 < 0.1 (Decisions.giveUpInSession).
    BeliefPolicy p = BeliefPolicy.builder().build();
    long[] keys = {1};
    p.onPathCreated(1, "aa", ep("198.51.100.7", 4500), Frame.CANDIDATE_PUBLIC, false);
    p.onRendezvousAnswer(20_000_000, 0);
    failedSession(p, 1, 1, 0);
    assertThat(p.giveUpAndRelay("aa", keys, 1, S, S)).isFalse();
    p.onSend(1, PathObserver.PROBE_INTRO, S);
    p.onTimeout(1, PathObserver.PROBE_INTRO, S + S / 2);
    assertThat(p.giveUpAndRelay("aa", keys, 2, 2 * S, 2 * S)).isTrue();
  }
}
