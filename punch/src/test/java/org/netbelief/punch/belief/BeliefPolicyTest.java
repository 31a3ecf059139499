package org.netbelief.punch.belief;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
}
