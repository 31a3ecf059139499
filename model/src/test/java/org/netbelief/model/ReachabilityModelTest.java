package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

class ReachabilityModelTest {
  static final long SECOND = 1_000_000_000L;
  static final Map<String, String> TOKENS = Map.of(
      "localNetwork", "wlan0",
      "remotePrefix", "198.51.100.0/24",
      "remoteNatClass", "EIM-APDF",
      "remoteEndpoint", "198.51.100.7:4500");

  /** Every row of every factor table of {@code path}, as (s, f) pairs. */
  static double[] snapshot(ReachabilityModel model, PeerPath path, long now) {
    double[] out = new double[64];
    int i = 0;
    double[] sf = new double[2];
    for (Factor f : Factor.values()) {
      for (long key : path.keys(f)) {
        model.table(f).read(key, now, sf);
        out[i++] = sf[0];
        out[i++] = sf[1];
      }
    }
    return Arrays.copyOf(out, i);
  }

  @Test
  void success_everyFactor_getsOneObservationAtEveryLevel() {
    ReachabilityModel model = ReachabilityModel.builder().changeDetection(false, 8, 2).build();
    PeerPath path = model.path(TOKENS);
    model.success(path, SECOND);
    for (Factor f : Factor.values()) {
      for (long key : path.keys(f)) {
        assertThat(model.table(f).successes(key, SECOND)).isCloseTo(1.0, within(1e-12));
        assertThat(model.table(f).failures(key, SECOND)).isZero();
      }
    }
  }

  @Test
  void failure_adf_movesEachFactorToTheMatchedMean() {
    // One-level chains: the path's belief is its row's, so the matched mean is met exactly
    // (with deeper chains the parents' evidence moves the path's prior as well; see the docs).
    ReachabilityModel.Builder builder = ReachabilityModel.builder().changeDetection(false, 8, 2);
    double[] means = {0.95, 0.9, 0.8, 0.7};
    for (Factor f : Factor.values()) {
      builder.chain(f, FeatureChain.builder(Prior.of(means[f.ordinal()], 3))
          .level("global", 3).build());
    }
    ReachabilityModel model = builder.build();
    PeerPath path = model.path(Map.of());
    long now = SECOND;
    double p0 = model.pSuccess(path, now);
    Belief[] before = new Belief[Factor.COUNT];
    for (Factor f : Factor.values()) {
      before[f.ordinal()] = model.belief(path, f, now);
    }
    model.failure(path, now);
    // The exact posterior mean of factor j after a failure: (m_j − E[q_j²]·O_j)/(1 − P).
    for (Factor f : Factor.values()) {
      Belief b = before[f.ordinal()];
      double n = b.alpha() + b.beta();
      double m2 = b.mean() * (b.alpha() + 1) / (n + 1);
      double expected = (b.mean() - m2 * p0 / b.mean()) / (1 - p0);
      assertThat(model.belief(path, f, now).mean()).isCloseTo(expected, within(1e-9));
    }
    assertThat(model.pSuccess(path, now)).isLessThan(p0);
  }

  @Test
  void failure_expectedCounts_addsOneObservationOfMassPerFactor() {
    ReachabilityModel model = ReachabilityModel.builder().changeDetection(false, 8, 2).build();
    PeerPath path = model.path(TOKENS);
    model.failure(path, Blame.EXPECTED_COUNTS, SECOND);
    for (Factor f : Factor.values()) {
      long key = path.keys(f)[0];
      double total = model.table(f).successes(key, SECOND) + model.table(f).failures(key, SECOND);
      assertThat(total).isCloseTo(1.0, within(1e-12));
    }
  }

  @Test
  void failure_allFactorsHeld_changesNothing() {
    ReachabilityModel model = ReachabilityModel.builder().build();
    PeerPath path = model.path(TOKENS);
    double[] before = snapshot(model, path, SECOND);
    model.failure(path, Blame.ADF, EnumSet.allOf(Factor.class), SECOND);
    assertThat(snapshot(model, path, SECOND)).containsExactly(before);
  }

  @Test
  void direct_uplinkEvidence_updatesUplinkAlone() {
    ReachabilityModel model = ReachabilityModel.builder().build();
    PeerPath path = model.path(TOKENS);
    model.direct(path, Factor.UPLINK, false, SECOND);
    assertThat(model.table(Factor.UPLINK).failures(path.keys(Factor.UPLINK)[1], SECOND))
        .isCloseTo(1.0, within(1e-12));
    for (Factor f : EnumSet.complementOf(EnumSet.of(Factor.UPLINK))) {
      assertThat(model.table(f).size()).isZero();
    }
  }

  @Test
  void multiplier_openedDecaysWithSilence_throughTheHook() {
    long[] seen = new long[1];
    HoleSurvival curve = (p, silence, t) -> {
      seen[0] = silence;
      return silence < 20 * SECOND ? 1.0 : 0.25;
    };
    ReachabilityModel model = ReachabilityModel.builder().holeSurvival(curve).build();
    PeerPath path = model.path(TOKENS);
    assertThat(model.multiplier(path, Factor.OPENED, SECOND)).isEqualTo(1.0);
    path.openedAt(SECOND);
    double fresh = model.pSuccess(path, 2 * SECOND);
    assertThat(seen[0]).isEqualTo(SECOND);
    double stale = model.pSuccess(path, 31 * SECOND);
    assertThat(seen[0]).isEqualTo(30 * SECOND);
    assertThat(stale / fresh).isCloseTo(0.25, within(0.01));
    assertThat(model.multiplier(path, Factor.UPLINK, 31 * SECOND)).isEqualTo(1.0);
  }

  @Test
  void holeSurvival_learned_usesTheSurvivalModelOfTheAttachedNat() {
    SurvivalModel lifetimes = SurvivalModel.builder().levelStrengths(0.5, 0.5).build();
    long[] nat = {FeatureKeys.of("natClass", "EIM/APDF"), FeatureKeys.of("nat", "198.51.100.7")};
    long now = SECOND;
    for (int i = 0; i < 50; i++) {
      lifetimes.observeSurvival(nat, 20 * SECOND, now);
      lifetimes.observeLoss(nat, 90 * SECOND, 1.0, now);
    }
    ReachabilityModel model = ReachabilityModel.builder()
        .holeSurvival(HoleSurvival.learned(lifetimes)).build();
    PeerPath path = model.path(TOKENS);
    path.attach(nat);
    path.openedAt(now);
    double shortSilence = model.multiplier(path, Factor.OPENED, now + 10 * SECOND);
    double longSilence = model.multiplier(path, Factor.OPENED, now + 200 * SECOND);
    assertThat(shortSilence).isCloseTo(
        lifetimes.holeOpenProbability(nat, 10 * SECOND, now + 10 * SECOND), within(1e-12));
    assertThat(shortSilence).isGreaterThan(0.8);
    assertThat(longSilence).isLessThan(0.3);
    PeerPath bare = model.path(TOKENS);
    bare.openedAt(now);
    double[] before = snapshot(model, bare, now);
    assertThatThrownBy(() -> model.failure(bare, now + SECOND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no NAT keys");
    assertThat(snapshot(model, bare, now)).containsExactly(before);
  }

  @Test
  void holeSurvival_exponential_halvesPerHalfLife() {
    HoleSurvival s = HoleSurvival.exponential(30 * SECOND);
    assertThat(s.survival(null, 30 * SECOND, 0)).isCloseTo(0.5, within(1e-12));
    assertThat(s.survival(null, 0, 0)).isEqualTo(1.0);
    assertThatThrownBy(() -> HoleSurvival.exponential(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }

  @Test
  void failure_staleOpening_takesMostOfTheBlame() {
    ReachabilityModel model = ReachabilityModel.builder().changeDetection(false, 8, 2).build();
    PeerPath path = model.path(TOKENS);
    long now = 0;
    for (int i = 0; i < 10; i++) {
      path.openedAt(now += SECOND);
      model.success(path, now);
    }
    path.openedAt(now);
    now += Duration.ofMinutes(2).toNanos(); // four hole half-lives of silence
    double opened = model.belief(path, Factor.OPENED, now).mean();
    double openable = model.belief(path, Factor.OPENABLE, now).mean();
    model.failure(path, now);
    double dropOpened = opened - model.belief(path, Factor.OPENED, now).mean();
    double dropOpenable = openable - model.belief(path, Factor.OPENABLE, now).mean();
    // With the hole probably closed, the failure is explained: OPENABLE is barely blamed.
    assertThat(dropOpenable).isLessThan(0.01);
    assertThat(dropOpenable).isLessThan(dropOpened);
  }

  @Test
  void discount_localNetworkChanged_returnsUplinkToItsParent() {
    ReachabilityModel model = ReachabilityModel.builder().build();
    PeerPath path = model.path(TOKENS);
    for (int i = 0; i < 20; i++) {
      model.direct(path, Factor.UPLINK, false, SECOND);
    }
    assertThat(model.belief(path, Factor.UPLINK, SECOND).mean()).isLessThan(0.3);
    model.discount(Factor.UPLINK, "localNetwork", "wlan0", 0.0);
    assertThat(model.belief(path, Factor.UPLINK, SECOND).evidence()).isZero();
  }

  @Test
  void attempt_interval_matchesMonteCarloQuantilesOfTheProduct() {
    ReachabilityModel model = ReachabilityModel.builder().changeDetection(false, 8, 2).build();
    PeerPath path = model.path(TOKENS);
    long now = SECOND;
    for (int i = 0; i < 3; i++) {
      model.success(path, now);
    }
    model.failure(path, now);
    path.openedAt(now);
    now += 10 * SECOND;
    AttemptBelief b = model.attempt(path, now);
    Interval ci = b.interval(0.9);
    // Exact product by Monte Carlo: 200 000 draws; the 5% quantile's se is
    // sqrt(0.05·0.95/n)/density ≈ 5e-4/density, under 0.003 for densities above 0.2 (the
    // density at both bounds here is above 0.5); 0.006 is two such se.
    Well19937c rng = new Well19937c(21);
    int n = 200_000;
    double[] p = new double[n];
    BetaDistribution[] d = new BetaDistribution[Factor.COUNT];
    for (Factor f : Factor.values()) {
      d[f.ordinal()] = new BetaDistribution(rng, b.factor(f).alpha(), b.factor(f).beta());
    }
    for (int i = 0; i < n; i++) {
      double v = 1;
      for (Factor f : Factor.values()) {
        v *= b.multiplier(f) * d[f.ordinal()].sample();
      }
      p[i] = v;
    }
    Arrays.sort(p);
    double lo = p[(int) (0.05 * n)];
    double hi = p[(int) (0.95 * n)];
    System.out.printf("attempt %s: moment-matched 90%% [%.4f, %.4f], Monte Carlo [%.4f, %.4f],"
        + " MC mean %.4f%n", b, ci.lower(), ci.upper(), lo, hi, Arrays.stream(p).average()
        .getAsDouble());
    assertThat(b.mean()).isCloseTo(model.pSuccess(path, now), within(1e-12));
    assertThat(ci.lower()).isCloseTo(lo, within(0.006));
    assertThat(ci.upper()).isCloseTo(hi, within(0.006));
  }

  // ------------------------------------------------------------------------------ bad input

  @Test
  void path_unknownOrMissingFeature_throwsNamingIt() {
    ReachabilityModel model = ReachabilityModel.builder().build();
    assertThatThrownBy(() -> model.path(Map.of("localNetwork", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remotePrefix");
    Map<String, String> extra = new java.util.HashMap<>(TOKENS);
    extra.put("colour", "blue");
    assertThatThrownBy(() -> model.path(extra))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colour");
  }

  @Test
  void updates_badInput_throwNamingTheValueAndLeaveTablesUnchanged() {
    ReachabilityModel model = ReachabilityModel.builder().build();
    PeerPath path = model.path(TOKENS);
    model.success(path, SECOND);
    model.failure(path, 2 * SECOND);
    double[] before = snapshot(model, path, 2 * SECOND);
    long farFuture = 2 * SECOND + Duration.ofDays(400).toNanos();
    long farPast = 2 * SECOND - Duration.ofHours(2).toNanos();
    assertThatThrownBy(() -> model.success(path, Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("" + Long.MAX_VALUE);
    assertThatThrownBy(() -> model.success(path, Long.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("" + Long.MIN_VALUE);
    assertThatThrownBy(() -> model.success(path, farFuture))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("" + farFuture);
    assertThatThrownBy(() -> model.failure(path, farPast))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("" + farPast);
    assertThatThrownBy(() -> model.direct(path, null, true, SECOND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor");
    assertThatThrownBy(() -> model.direct(path, Factor.UPLINK, -1.0, 0, SECOND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1.0");
    assertThatThrownBy(() -> model.direct(path, Factor.UPLINK, 0, Double.NaN, SECOND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> model.direct(path, Factor.OPENED, true, farFuture))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("" + farFuture);
    assertThatThrownBy(() -> model.discount(Factor.UPLINK, "remotePrefix", "x", 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remotePrefix");
    assertThatThrownBy(() -> model.discount(null, "localNetwork", "wlan0", 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor");
    assertThatThrownBy(() -> model.discount(Factor.UPLINK, "localNetwork", "wlan0", 1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    assertThatThrownBy(() -> model.failure(path, null, SECOND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blame");
    assertThatThrownBy(() -> model.failure(null, SECOND))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
    assertThat(snapshot(model, path, 2 * SECOND)).containsExactly(before);
  }

  @Test
  void builder_outOfRange_throwsNamingTheValue() {
    ReachabilityModel.Builder b = ReachabilityModel.builder();
    assertThatThrownBy(() -> b.halfLife(Factor.UPLINK, Duration.ofNanos(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5");
    assertThatThrownBy(() -> b.halfLife(null, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor");
    assertThatThrownBy(() -> b.changeDetection(true, Double.NaN, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> b.chain(Factor.OPENABLE,
        FeatureChain.builder(Prior.of(1.2, 2)).level("global", 2).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.2");
    assertThatThrownBy(() -> AttemptBelief.of(new Belief[] {
        Belief.of(1, 1, 0), Belief.of(1, 1, 0), Belief.of(1, 1, 0), Belief.of(1, 1, 0)},
        new double[] {1, 1, 1.5, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
  }

  @Test
  void builder_customHalfLife_appliesToThatFactorOnly() {
    ReachabilityModel model = ReachabilityModel.builder()
        .halfLife(Factor.OPENED, Duration.ofSeconds(10)).build();
    assertThat(model.table(Factor.OPENED).halfLifeNanos()).isEqualTo(10 * SECOND);
    assertThat(model.table(Factor.UPLINK).halfLifeNanos())
        .isEqualTo(Duration.ofMinutes(5).toNanos());
  }

  @Test
  void failure_parentWeightZero_movesOnlyTheMostSpecificRow() {
    // Two models see the same failure, one with parent weight 0 (a repeated round of one
    // session), one plain. The failed path's most specific rows get identical masses; only the
    // plain failure reaches the pooled rows, so only there does a sibling endpoint move.
    // UPLINK is held: its chain has no remote level, so its most specific row (localNetwork)
    // is shared by every path and would move the sibling either way.
    ReachabilityModel repeat = ReachabilityModel.builder().build();
    ReachabilityModel plain = ReachabilityModel.builder().build();
    Map<String, String> sibling = new java.util.HashMap<>(TOKENS);
    sibling.put("remoteEndpoint", "198.51.100.8:4500");
    PeerPath r = repeat.path(TOKENS);
    PeerPath rs = repeat.path(sibling);
    PeerPath q = plain.path(TOKENS);
    PeerPath qs = plain.path(sibling);
    double siblingBefore = repeat.pSuccess(rs, SECOND);
    repeat.failure(r, Blame.ADF, EnumSet.of(Factor.UPLINK), 0.0, SECOND);
    plain.failure(q, Blame.ADF, EnumSet.of(Factor.UPLINK), 1.0, SECOND);
    assertThat(repeat.pSuccess(rs, SECOND)).isEqualTo(siblingBefore);
    assertThat(plain.pSuccess(qs, SECOND)).isLessThan(siblingBefore);
    for (Factor f : Factor.values()) {
      long[] keys = r.keys(f);
      long last = keys[keys.length - 1];
      assertThat(repeat.table(f).failures(last, SECOND))
          .isCloseTo(plain.table(f).failures(last, SECOND), within(1e-12));
      assertThat(repeat.table(f).successes(last, SECOND))
          .isCloseTo(plain.table(f).successes(last, SECOND), within(1e-12));
      for (int i = 0; i < keys.length - 1; i++) {
        assertThat(repeat.table(f).failures(keys[i], SECOND)).isZero();
      }
    }
  }

  @Test
  void failure_parentWeightOutOfRange_throwsAndChangesNothing() {
    ReachabilityModel model = ReachabilityModel.builder().build();
    PeerPath path = model.path(TOKENS);
    double[] before = snapshot(model, path, SECOND);
    for (double w : new double[] {-0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> model.failure(path, Blame.ADF, EnumSet.noneOf(Factor.class), w,
          SECOND)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parent weight");
    }
    assertThat(snapshot(model, path, SECOND)).containsExactly(before);
  }

  @Test
  void pSuccessFresh_afterALongSilence_ignoresTheOldOpening() {
    // Default hole survival: exponential, 30 s half-life. Ten minutes after the last opening
    // the old hole is gone (2^-20), but a new attempt opens a new one: the fresh prediction is
    // the product of the four factor means, as before any opening.
    ReachabilityModel model = ReachabilityModel.builder().build();
    PeerPath path = model.path(TOKENS);
    double never = model.pSuccess(path, 0);
    path.openedAt(0);
    long later = 600 * SECOND;
    assertThat(model.pSuccess(path, later)).isLessThan(never * 1e-5);
    assertThat(model.pSuccessFresh(path, EnumSet.noneOf(Factor.class), later))
        .isCloseTo(never, within(1e-12));
  }

  @Test
  void pSuccessFresh_heldFactor_countsOne() {
    ReachabilityModel model = ReachabilityModel.builder().build();
    PeerPath path = model.path(TOKENS);
    double all = model.pSuccessFresh(path, EnumSet.noneOf(Factor.class), SECOND);
    double uplink = model.belief(path, Factor.UPLINK, SECOND).mean();
    assertThat(model.pSuccessFresh(path, EnumSet.of(Factor.UPLINK), SECOND))
        .isCloseTo(all / uplink, within(1e-12));
    assertThatThrownBy(() -> model.pSuccessFresh(path, null, SECOND))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
