package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FeatureChainTest {
  private static final long H = 600_000_000_000L;

  private final FeatureChain chain = FeatureChain.builder(Prior.of(0.7, 2))
      .level("global", 2).level("prefix", 4).level("endpoint", 4).build();
  private final EvidenceTable table =
      EvidenceTable.builder().halfLifeNanos(H).maxRows(1 << 12).build();

  @Test
  void predict_neverSeenPath_isTheRootPrior() {
    long[] keys = chain.keys("*", "198.51.100.0/24", "198.51.100.7:1");
    assertThat(chain.predict(table, keys, 0)).isCloseTo(0.7, within(1e-12));
  }

  @Test
  void predict_followsTheShrinkageFormula() {
    long[] keys = chain.keys("*", "198.51.100.0/24", "198.51.100.7:1");
    table.observe(keys[0], 8, 2, 0);
    table.observe(keys[1], 0, 3, 0);
    table.observe(keys[2], 1, 0, 0);
    double m0 = (2 * 0.7 + 8) / (2 + 8 + 2);
    double m1 = (4 * m0 + 0) / (4 + 0 + 3);
    double m2 = (4 * m1 + 1) / (4 + 1 + 0);
    assertThat(chain.predict(table, keys, 0)).isCloseTo(m2, within(1e-12));
    Belief b = chain.belief(table, keys, 0);
    assertThat(b.mean()).isCloseTo(m2, within(1e-12));
    assertThat(b.alpha()).isCloseTo(4 * m1 + 1, within(1e-12));
  }

  @Test
  void predict_newPathInBadPrefix_inheritsThePrefixEvidence() {
    // Many failures toward other endpoints of one /24: a new endpoint there is predicted low,
    // while a new endpoint in an unseen prefix keeps the global estimate.
    for (int i = 0; i < 40; i++) {
      chain.observe(table, chain.keys("*", "203.0.113.0/24", "203.0.113." + i + ":1"), false, 0);
      chain.observe(table, chain.keys("*", "198.51.100.0/24", "198.51.100." + i + ":1"), true, 0);
    }
    double bad = chain.predict(table, chain.keys("*", "203.0.113.0/24", "203.0.113.99:1"), 0);
    double good = chain.predict(table, chain.keys("*", "198.51.100.0/24", "198.51.100.99:1"), 0);
    double unseen = chain.predict(table, chain.keys("*", "192.0.2.0/24", "192.0.2.1:1"), 0);
    assertThat(bad).isLessThan(0.15);
    assertThat(good).isGreaterThan(0.85);
    assertThat(unseen).isBetween(0.4, 0.6); // global is 40/80 plus the prior
  }

  @Test
  void predict_heavilyObservedPath_followsItsOwnEvidence() {
    long[] keys = chain.keys("*", "198.51.100.0/24", "198.51.100.7:1");
    for (int i = 0; i < 100; i++) {
      chain.observe(table, chain.keys("*", "198.51.100.0/24", "198.51.100." + i + ":9"), true, 0);
    }
    for (int i = 0; i < 400; i++) {
      table.observe(keys[2], false, 0);
    }
    // Own evidence 0/400 against a parent worth 4 observations: m ≤ 4/404 ≈ 0.0099.
    assertThat(chain.predict(table, keys, 0)).isLessThan(0.01);
  }

  @Test
  void keys_wrongCount_isRejected() {
    assertThatThrownBy(() -> chain.keys("*", "x")).hasMessageContaining("expected 3 tokens");
    assertThatThrownBy(() -> chain.predict(table, new long[2], 0))
        .hasMessageContaining("expected 3 keys");
  }

  @Test
  void builder_rejectsBadLevels() {
    assertThatThrownBy(() -> FeatureChain.builder(Prior.of(0.5, 1)).build())
        .hasMessageContaining("at least one level");
    assertThatThrownBy(() -> FeatureChain.builder(Prior.of(0.5, 1)).level("a", 1).level("a", 1))
        .hasMessageContaining("repeated");
    assertThatThrownBy(() -> FeatureChain.builder(Prior.of(0.5, 1)).level("a", -1))
        .hasMessageContaining("-1");
  }
}
