package org.netbelief.model.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.netbelief.model.AttemptBelief;
import org.netbelief.model.Belief;
import org.netbelief.model.RttBelief;
import org.netbelief.model.RttModel;

class DecisionsTest {
  static AttemptBelief attempt(double a, double b) {
    Belief sure = Belief.of(1e9, 1e-3, 1e9);
    return AttemptBelief.of(new Belief[] {sure, sure, sure, Belief.of(a, b, a + b)},
        new double[] {1, 1, 1, 1});
  }

  @Test
  void rank_byProbabilityPerCost_bestFirstWithReasons() {
    List<Ranked<String>> r = Decisions.rank(List.of(
        new Candidate<>("relay", attempt(99, 1), 10.0),
        new Candidate<>("direct", attempt(6, 4), 1.0),
        new Candidate<>("lan", attempt(1, 9), 1.0)));
    assertThat(r).extracting(Ranked::endpoint).containsExactly("direct", "lan", "relay");
    assertThat(r.get(0).score()).isCloseTo(0.6, within(1e-6));
    assertThat(r.get(0).reasons()).extracting(Reason::name)
        .contains("pSuccess", "expectedCost");
  }

  @Test
  void pace_backsOffFromTheRttQuantile() {
    RttModel rtt = RttModel.builder().build();
    long[] keys = rtt.keys("*", "p", "e");
    for (int i = 0; i < 100; i++) {
      rtt.observe(keys, 20_000_000L + (i % 7) * 1_000_000L, i * 1_000_000_000L);
    }
    RttBelief b = rtt.belief(keys, 100_000_000_000L);
    Pacing first = Decisions.pace(b, 0, 0.99, 1_000_000L, 10_000_000_000L);
    Pacing third = Decisions.pace(b, 2, 0.99, 1_000_000L, 10_000_000_000L);
    assertThat(first.delayNanos()).isEqualTo(b.quantileNanos(0.99));
    assertThat(third.delayNanos()).isEqualTo(4 * first.delayNanos());
    assertThat(Decisions.pace(b, 40, 0.99, 1_000_000L, 3_000_000_000L).delayNanos())
        .isEqualTo(3_000_000_000L);
    assertThat(first.reasons()).extracting(Reason::name).contains("rttQuantileNanos");
    assertThatThrownBy(() -> Decisions.pace(b, -1, 0.99, 1, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }

  /** {@link Decisions#paceNanos} from the model's timer is the delay of {@link Decisions#pace}. */
  @Test
  void paceNanos_fromTheModelsTimer_isThePacedDelay() {
    RttModel rtt = RttModel.builder().build();
    long[] keys = rtt.keys("*", "p", "e");
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(12L);
    long now = 0;
    for (int i = 0; i < 500; i++) {
      now += (long) (rnd.nextDouble() * 5e9);
      rtt.observe(keys, (long) (1e6 + 400e6 * rnd.nextDouble() * rnd.nextDouble()), now);
      int attempt = rnd.nextInt(70);
      long min = 1 + (long) (rnd.nextDouble() * 1e8);
      long max = min + (long) (rnd.nextDouble() * 5e9);
      assertThat(Decisions.paceNanos(rtt.quantileNanos(keys, 0.99, now), attempt, min, max))
          .isEqualTo(Decisions.pace(rtt.belief(keys, now), attempt, 0.99, min, max).delayNanos());
    }
    assertThatThrownBy(() -> Decisions.paceNanos(1, -1, 1, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> Decisions.paceNanos(1, 0, 3, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min <= max");
  }

  @Test
  void giveUp_probabilityWithinBudget_matchesMonteCarloOfBetaBernoulli() {
    AttemptBelief p = attempt(2, 8);
    GiveUp g = Decisions.giveUp(p, 5_000, 1_000, 0.05);
    assertThat(g.attemptsLeft()).isEqualTo(5);
    // Monte Carlo: draw P, then 5 attempts; 200 000 runs give se ≈ sqrt(0.4·0.6/2e5) ≈ 0.0011.
    Well19937c rng = new Well19937c(3);
    BetaDistribution d = new BetaDistribution(rng, p.matchedAlpha(), p.matchedBeta());
    SplittableRandom rnd = new SplittableRandom(4);
    int n = 200_000;
    int any = 0;
    for (int i = 0; i < n; i++) {
      double q = d.sample();
      for (int k = 0; k < 5; k++) {
        if (rnd.nextDouble() < q) {
          any++;
          break;
        }
      }
    }
    assertThat(g.pWithinBudget()).isCloseTo(any / (double) n, within(0.006));
    // Uncertainty makes repeated attempts worth less than if P were known.
    assertThat(g.pWithinBudget()).isLessThan(1 - Math.pow(1 - p.mean(), 5));
    assertThat(g.relay()).isFalse();
  }

  @Test
  void giveUp_hopelessOrNoBudget_relays() {
    assertThat(Decisions.giveUp(attempt(1, 200), 3_000, 1_000, 0.05).relay()).isTrue();
    GiveUp none = Decisions.giveUp(attempt(9, 1), 999, 1_000, 0.05);
    assertThat(none.relay()).isTrue();
    assertThat(none.attemptsLeft()).isZero();
    assertThat(none.reasons()).extracting(Reason::name).contains("pWithinBudget", "pSuccess");
    assertThatThrownBy(() -> Decisions.giveUp(attempt(1, 1), -1, 1, 0.05))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> Decisions.giveUp(attempt(1, 1), 1, 1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
  }

  @Test
  void candidate_badCost_throwsNamingIt() {
    assertThatThrownBy(() -> new Candidate<>("x", attempt(1, 1), 0.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0");
  }

  @Test
  void giveUpInSession_matchesMonteCarloOfWorksOrNever() {
    // Generative model: the pair works with probability 0.7; if it does, ε ~ Beta(1, 9) and
    // each round fails with ε. Condition on the first 2 rounds failing; estimate P(one of the
    // next 7 succeeds). 400 000 draws leave about 400 000·(0.7·0.018 + 0.3) ≈ 125 000
    // conditioned runs; se of a proportion near 0.04 is sqrt(0.04·0.96/125 000) ≈ 0.0006, so
    // the tolerance 0.004 is over six se.
    GiveUp g = Decisions.giveUpInSession(0.7, 2, 1, 9, 15_000, 2_000, 0.1);
    assertThat(g.attemptsLeft()).isEqualTo(7);
    Well19937c rng = new Well19937c(5);
    BetaDistribution eps = new BetaDistribution(rng, 1, 9);
    SplittableRandom rnd = new SplittableRandom(6);
    int kept = 0;
    int any = 0;
    for (int i = 0; i < 400_000; i++) {
      boolean works = rnd.nextDouble() < 0.7;
      double e = eps.sample();
      if (works && (rnd.nextDouble() >= e || rnd.nextDouble() >= e)) {
        continue; // one of the first two rounds succeeded: not the conditioned case
      }
      kept++;
      if (works) {
        for (int k = 0; k < 7; k++) {
          if (rnd.nextDouble() >= e) {
            any++;
            break;
          }
        }
      }
    }
    assertThat(g.pWithinBudget()).isCloseTo(any / (double) kept, within(0.004));
    // By hand: E[ε²] = 1·2/(10·11) = 0.01818, P(works | 2 failed) = 0.01273/0.31273 = 0.0407.
    assertThat(g.reasons()).contains(new Reason("failedRounds", 2));
    assertThat(g.relay()).isTrue();
  }

  @Test
  void giveUpInSession_oneLostRound_keepsPunching_noFailure_keepsPunching() {
    // One failed round: P(works) = 0.7·0.1/(0.07 + 0.3) = 0.189 > 0.1; none: 0.7·(1 − E[ε^7]).
    assertThat(Decisions.giveUpInSession(0.7, 1, 1, 9, 15_000, 2_000, 0.1).relay()).isFalse();
    assertThat(Decisions.giveUpInSession(0.7, 0, 1, 9, 15_000, 2_000, 0.1).pWithinBudget())
        .isGreaterThan(0.69);
    assertThat(Decisions.giveUpInSession(0.0, 0, 1, 9, 15_000, 2_000, 0.1).relay()).isTrue();
    assertThat(Decisions.giveUpInSession(0.9, 0, 1, 9, 1_000, 2_000, 0.1).relay())
        .as("no budget left").isTrue();
  }

  @Test
  void giveUpInSession_badInput_throwsNamingIt() {
    assertThatThrownBy(() -> Decisions.giveUpInSession(1.5, 0, 1, 9, 1, 1, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pWorks");
    assertThatThrownBy(() -> Decisions.giveUpInSession(0.5, -1, 1, 9, 1, 1, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failed rounds");
    assertThatThrownBy(() -> Decisions.giveUpInSession(0.5, 0, 0, 9, 1, 1, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("round-failure");
    assertThatThrownBy(() -> Decisions.giveUpInSession(0.5, 0, 1, 9, 1, 0, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry");
  }
}
