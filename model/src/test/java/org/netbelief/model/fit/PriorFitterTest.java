package org.netbelief.model.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.netbelief.model.EvidenceTable;
import org.netbelief.model.FeatureKeys;
import org.netbelief.model.Prior;

class PriorFitterTest {

  /** 2 000 rows, each with p ~ Beta(prior) and {@code trials} Bernoulli(p) outcomes. */
  static RowCounts generate(Prior prior, int rows, int trials, long seed) {
    Well19937c rng = new Well19937c(seed);
    BetaDistribution beta = new BetaDistribution(rng, prior.alpha(), prior.beta());
    RowCounts counts = new RowCounts();
    for (int r = 0; r < rows; r++) {
      long key = FeatureKeys.of("row", Integer.toString(r));
      double p = beta.sample();
      for (int t = 0; t < trials; t++) {
        counts.observe(key, rng.nextDouble() < p);
      }
    }
    return counts;
  }

  /*
   * Expected sampling error with R = 2 000 rows of n trials each (μ the mean, k the strength):
   * the pooled success rate has variance μ(1−μ)(1/(k+1) + k/((k+1)n))/R, e.g. for μ = 0.8,
   * k = 10, n = 10: 0.16·0.19/2000, s.d. 0.0039, so 0.02 is about 5 s.d. The strength is
   * identified by the spread of the row rates beyond binomial noise: the between-row part of
   * Var(p̂) is about half of it here, whose estimate has relative s.d. ≈ √(2/R)/½ ≈ 6%, and
   * so has k (the fitted standard errors below, 5–9%, agree). 25% is more than 3 s.e. in every
   * case; the test also checks the reported standard errors against these sizes.
   */
  @ParameterizedTest
  @CsvSource({
    "0.8, 10, 10, 11",
    "0.3, 4, 5, 12",
    "0.95, 30, 20, 13",
    "0.5, 2, 8, 14",
  })
  void fit_dataFromKnownPrior_recoversMeanAndStrength(double mean, double strength, int trials,
      long seed) {
    RowCounts counts = generate(Prior.of(mean, strength), 2_000, trials, seed);

    PriorFit fit = PriorFitter.fit(counts);
    System.out.printf("truth (%.2f, %.0f), %d trials/row: %s%n", mean, strength, trials, fit);

    assertThat(fit.converged()).as(fit.message()).isTrue();
    assertThat(fit.rows()).isEqualTo(2_000);
    assertThat(fit.mean()).isCloseTo(mean, within(0.02));
    assertThat(fit.strength()).isCloseTo(strength, within(0.25 * strength));
    assertThat(fit.meanStdError()).isBetween(0.001, 0.01);
    assertThat(fit.strengthStdError() / fit.strength()).isBetween(0.02, 0.12);
    assertThat(fit.prior()).isEqualTo(Prior.of(fit.mean(), fit.strength()));
    // The optimum is a maximum: moving away lowers the likelihood.
    double best = PriorFitter.logLikelihood(counts, fit.mean(), fit.strength());
    assertThat(best).isCloseTo(fit.logLikelihood(), within(1e-6 * Math.abs(best)));
    assertThat(PriorFitter.logLikelihood(counts, fit.mean(), fit.strength() * 1.2))
        .isLessThan(best);
    assertThat(PriorFitter.logLikelihood(counts, Math.min(0.99, fit.mean() + 0.01),
        fit.strength())).isLessThan(best);
  }

  @Test
  void fit_standardErrors_matchSpreadOverSeeds() {
    // Twenty independent data sets: the fitted means' spread should agree with the reported
    // standard error within the sampling error of a 20-sample s.d. (relative s.e. ≈ 1/√38 ≈
    // 16%); accept a factor 1.6 either way (about 3 of those standard errors).
    int sets = 20;
    double[] means = new double[sets];
    double[] strengths = new double[sets];
    double se = 0;
    double seK = 0;
    for (int i = 0; i < sets; i++) {
      PriorFit fit = PriorFitter.fit(generate(Prior.of(0.7, 8), 2_000, 10, 100 + i));
      means[i] = fit.mean();
      strengths[i] = fit.strength();
      se += fit.meanStdError() / sets;
      seK += fit.strengthStdError() / sets;
    }
    assertThat(sd(means) / se).isBetween(1 / 1.6, 1.6);
    assertThat(sd(strengths) / seK).isBetween(1 / 1.6, 1.6);
  }

  private static double sd(double[] x) {
    double m = 0;
    for (double v : x) {
      m += v / x.length;
    }
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (x.length - 1));
  }

  @Test
  void fit_noSpreadBetweenRows_reportsDivergingStrength() {
    // Every row exactly 5 of 10: less spread than binomial noise, so k → ∞.
    RowCounts counts = new RowCounts();
    for (int r = 1; r <= 500; r++) {
      counts.add(r, 5, 5);
    }
    PriorFit fit = PriorFitter.fit(counts);
    assertThat(fit.converged()).isFalse();
    assertThat(fit.message()).contains("strength diverges");
    assertThat(fit.priorOr(Prior.of(0.7, 2))).isEqualTo(Prior.of(0.7, 2));
    assertThat(fit.mean()).isNaN();
  }

  @Test
  void fit_tooFewRowsOrOneSidedOutcomes_reportsWhy() {
    RowCounts one = new RowCounts();
    one.add(1, 3, 2);
    assertThat(PriorFitter.fit(one).message()).contains("at least 2 rows");
    RowCounts allGood = new RowCounts();
    allGood.add(1, 3, 0);
    allGood.add(2, 5, 0);
    PriorFit fit = PriorFitter.fit(allGood);
    assertThat(fit.converged()).isFalse();
    assertThat(fit.message()).contains("every outcome in 2 rows was a success");
    assertThat(PriorFitter.fit(new RowCounts()).converged()).isFalse();
  }

  @Test
  void fit_decayedFractionalCounts_accepted() {
    // The same data through an evidence table with a long half-life, read slightly later:
    // fractional counts, nearly the integer ones, give nearly the same fit.
    RowCounts counts = generate(Prior.of(0.6, 6), 2_000, 10, 21);
    EvidenceTable table = EvidenceTable.builder().halfLifeNanos(3_600_000_000_000L).build();
    counts.forEachRow((key, s, f) -> table.observe(key, s, f, 0));
    RowCounts decayed = RowCounts.of(table, 36_000_000_000L); // 1% of a half-life later
    PriorFit exact = PriorFitter.fit(counts);
    PriorFit fractional = PriorFitter.fit(decayed);
    assertThat(fractional.converged()).isTrue();
    assertThat(fractional.mean()).isCloseTo(exact.mean(), within(1e-3));
    assertThat(fractional.strength()).isCloseTo(exact.strength(), within(0.05 * exact.strength()));
  }

  @Test
  void rowCounts_manyRows_growsAndCountsExactly() {
    RowCounts counts = new RowCounts();
    for (int i = 1; i <= 100_000; i++) {
      counts.observe(i, i % 3 == 0);
      counts.observe(i, true);
    }
    assertThat(counts.rows()).isEqualTo(100_000);
    assertThat(counts.events()).isEqualTo(200_000);
    double[] sf = new double[2];
    assertThat(counts.read(99_999, sf)).isTrue();
    assertThat(sf).containsExactly(2.0, 0.0);
    assertThat(counts.read(100_001, sf)).isFalse();
    RowCounts other = new RowCounts();
    other.add(99_999, 0.5, 0.25);
    counts.merge(other);
    counts.read(99_999, sf);
    assertThat(sf).containsExactly(2.5, 0.25);
  }
}
