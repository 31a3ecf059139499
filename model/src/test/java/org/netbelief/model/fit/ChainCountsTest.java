package org.netbelief.model.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.Prior;

class ChainCountsTest {

  @Test
  void fittedChain_globalAndEndpointLevels_fitsEndpointKeepsGlobal() {
    // One global row over 2 000 endpoints with p ~ Beta(mean 0.85, strength 12), 10 tries each.
    // The endpoint level is fitted (bounds as in PriorFitterTest); the single global row cannot
    // be, so the root prior stays as it was.
    FeatureChain chain = FeatureChain.builder(Prior.of(0.7, 2))
        .level("global", 2).level("endpoint", 4).build();
    ChainCounts counts = new ChainCounts(chain);
    Well19937c rng = new Well19937c(5);
    BetaDistribution beta = new BetaDistribution(rng, 0.85 * 12, 0.15 * 12);
    for (int e = 0; e < 2_000; e++) {
      long[] keys = chain.keys("*", "198.51.100." + e);
      double p = beta.sample();
      for (int t = 0; t < 10; t++) {
        counts.accept(keys, rng.nextDouble() < p, t);
      }
    }
    List<PriorFit> fits = counts.fitLevels();
    assertThat(fits.get(0).converged()).isFalse();
    assertThat(fits.get(0).message()).contains("at least 2 rows");
    assertThat(fits.get(1).mean()).isCloseTo(0.85, within(0.02));

    FeatureChain fitted = counts.fittedChain(chain, fits);
    assertThat(fitted.rootPrior()).isEqualTo(Prior.of(0.7, 2));
    assertThat(fitted.strength(1)).isCloseTo(12, within(3.0));
    assertThat(fitted.levelName(1)).isEqualTo("endpoint");
    assertThat(counts.level(0).events()).isEqualTo(20_000);
    assertThatThrownBy(() -> counts.accept(new long[] {1}, true, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1");
  }
}
