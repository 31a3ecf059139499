package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-token priors of a feature chain ({@link FeatureChain.Builder#tokenPrior}). */
class TokenPriorTest {
  private static final long H = 600_000_000_000L;

  private final FeatureChain chain = FeatureChain.builder(Prior.of(0.7, 2))
      .level("global", 2).level("pair", 4).level("endpoint", 4)
      .tokenPrior("pair", "good", Prior.of(0.97, 20))
      .tokenPrior("pair", "bad", Prior.of(0.02, 20))
      .build();
  private final EvidenceTable table =
      EvidenceTable.builder().halfLifeNanos(H).maxRows(1 << 12).build();

  @Test
  void predict_noEvidence_isTheTokenPrior() {
    // The endpoint level shrinks toward its parent, the token's prior, with no evidence of its
    // own: the mean is exactly the prior's.
    assertThat(chain.predict(table, chain.keys("*", "good", "e1"), 0)).isCloseTo(0.97, within(1e-12));
    assertThat(chain.predict(table, chain.keys("*", "bad", "e1"), 0)).isCloseTo(0.02, within(1e-12));
    assertThat(chain.belief(table, chain.keys("*", "bad", "e1"), 0).mean())
        .isCloseTo(0.02, within(1e-12));
  }

  @Test
  void predict_tokenWithoutPrior_shrinksTowardItsParent() {
    long[] keys = chain.keys("*", "other", "e1");
    table.observe(keys[0], 8, 2, 0);
    double m0 = (2 * 0.7 + 8) / (2 + 8 + 2);
    assertThat(chain.predict(table, keys, 0)).isCloseTo(m0, within(1e-12));
    // ...and the global evidence does not reach a token with its own prior.
    assertThat(chain.predict(table, chain.keys("*", "good", "e1"), 0)).isCloseTo(0.97, within(1e-12));
  }

  @Test
  void predict_evidenceOverturnsThePrior() {
    // 60 failures on "good" pairs (other endpoints): the row's mean becomes
    // (20·0.97 + 0) / (20 + 60) = 0.2425, below one half; a new endpoint follows it.
    for (int i = 0; i < 60; i++) {
      chain.observe(table, chain.keys("*", "good", "e" + i), false, 0);
    }
    double row = (20 * 0.97) / (20 + 60);
    assertThat(chain.predict(table, chain.keys("*", "good", "new"), 0))
        .isCloseTo(row, within(1e-9)).isLessThan(0.5);
    // 60 successes on "bad" pairs likewise: (20·0.02 + 60) / 80 = 0.755.
    for (int i = 0; i < 60; i++) {
      chain.observe(table, chain.keys("*", "bad", "e" + i), true, 0);
    }
    assertThat(chain.predict(table, chain.keys("*", "bad", "new"), 0))
        .isCloseTo((20 * 0.02 + 60) / 80, within(1e-9));
  }

  @Test
  void toBuilder_keepsTheTokenPriors() {
    FeatureChain copy = chain.toBuilder().build();
    assertThat(copy.tokenPriorCount()).isEqualTo(2);
    assertThat(copy.predict(table, copy.keys("*", "bad", "e1"), 0)).isCloseTo(0.02, within(1e-12));
  }

  @Test
  void build_tokenPriorOnAMissingLevel_isRefusedNamingIt() {
    assertThatThrownBy(() -> FeatureChain.builder(Prior.of(0.7, 2)).level("global", 2)
        .tokenPrior("pair", "good", Prior.of(0.9, 4)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pair");
    assertThatThrownBy(() -> FeatureChain.builder(Prior.of(0.7, 2)).level("pair", 2)
        .tokenPrior("pair", "good", Prior.of(0.9, 4)).tokenPrior("pair", "good", Prior.of(0.5, 4))
        .build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> FeatureChain.builder(Prior.of(0.7, 2)).tokenPrior("pair", " ", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reachabilityModel_usesTheTokenPrior_andAFailureMovesIt() {
    ReachabilityModel model = ReachabilityModel.builder().changeDetection(false, 8, 2)
        .chain(Factor.OPENABLE, chain.toBuilder().build()).build();
    Map<String, String> tokens = Map.of("localNetwork", "lan", "remotePrefix", "p",
        "remoteNatClass", "x", "remoteEndpoint", "e1", "pair", "bad", "endpoint", "e1");
    PeerPath path = model.path(tokens);
    EnumSet<Factor> others = EnumSet.of(Factor.UPLINK, Factor.DOWNLINK, Factor.OPENED);
    assertThat(model.pSuccessFresh(path, others, 0)).isCloseTo(0.02, within(1e-12));
    // With every other factor held, a failure is OPENABLE's alone: the endpoint row's Beta
    // (4·0.02, 4·0.98) gains one failure, and the pair row as well, so the mean falls.
    model.failure(path, Blame.ADF, others, 0);
    assertThat(model.pSuccessFresh(path, others, 0)).isLessThan(0.02);
  }
}
