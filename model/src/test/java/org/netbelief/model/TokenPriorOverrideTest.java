package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Token priors replaced at run time ({@link FeatureChain#setTokenPrior}). */
class TokenPriorOverrideTest {
  private static final long H = 600_000_000_000L;

  private final FeatureChain chain = FeatureChain.builder(Prior.of(0.7, 2))
      .level("global", 2).level("pair", 4).level("endpoint", 4)
      .tokenPrior("pair", "good", Prior.of(0.97, 20))
      .tokenPrior("pair", "bad", Prior.of(0.02, 20))
      .build();
  private final EvidenceTable table =
      EvidenceTable.builder().halfLifeNanos(H).maxRows(1 << 12).build();

  @Test
  void tokenPriorIndex_byName_findsTheSlotOrMinusOne() {
    int good = chain.tokenPriorIndex("pair", "good");
    assertThat(good).isGreaterThanOrEqualTo(0);
    assertThat(chain.tokenPriorToken(good)).isEqualTo("good");
    assertThat(chain.baseTokenPrior(good).mean()).isEqualTo(0.97);
    assertThat(chain.tokenPriorIndex("pair", "other")).isEqualTo(-1);
    assertThat(chain.tokenPriorIndex("nolevel", "good")).isEqualTo(-1);
  }

  @Test
  void setTokenPrior_noEvidence_predictsTheNewMean() {
    int good = chain.tokenPriorIndex("pair", "good");
    chain.setTokenPrior(good, Prior.of(0.995, 200));
    long[] keys = chain.keys("*", "good", "e1");
    assertThat(chain.predict(table, keys, 0)).isCloseTo(0.995, within(1e-12));
    assertThat(chain.belief(table, keys, 0).mean()).isCloseTo(0.995, within(1e-12));
    // The model reads the same slot.
    ReachabilityModel model = ReachabilityModel.builder().chain(Factor.OPENABLE, chain).build();
    assertThat(model.chain(Factor.OPENABLE).tokenPrior(good).mean()).isEqualTo(0.995);
    // Reset: exactly the built prior again.
    chain.resetTokenPrior(good);
    assertThat(chain.predict(table, keys, 0)).isEqualTo(0.97);
  }

  @Test
  void setTokenPrior_rowEvidence_stillMovesIt() {
    int bad = chain.tokenPriorIndex("pair", "bad");
    chain.setTokenPrior(bad, Prior.of(0.01, 100));
    // 10 successes on the pair row (other endpoints): (100·0.01 + 10) / (100 + 10) = 0.1.
    for (int i = 0; i < 10; i++) {
      chain.observe(table, chain.keys("*", "bad", "e" + i), true, 0);
    }
    long[] fresh = chain.keys("*", "bad", "new");
    assertThat(chain.predict(table, fresh, 0)).isCloseTo(11.0 / 110, within(1e-12));
    // The stronger the replaced prior, the less the same evidence moves it.
    chain.setTokenPrior(bad, Prior.of(0.01, 20));
    assertThat(chain.predict(table, fresh, 0)).isCloseTo(10.2 / 30, within(1e-12));
  }

  @Test
  void setTokenPrior_badArguments_refused() {
    assertThatThrownBy(() -> chain.setTokenPrior(0, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
    assertThatThrownBy(() -> chain.setTokenPrior(2, Prior.of(0.5, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slot 2");
    assertThatThrownBy(() -> chain.setTokenPrior(-1, Prior.of(0.5, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slot -1");
  }

  @Test
  void toBuilder_copiesTheBuiltPriorsNotTheReplacedOnes() {
    int good = chain.tokenPriorIndex("pair", "good");
    chain.setTokenPrior(good, Prior.of(0.5, 3));
    FeatureChain copy = chain.toBuilder().build();
    assertThat(copy.tokenPrior(copy.tokenPriorIndex("pair", "good")).mean()).isEqualTo(0.97);
  }

  @Test
  void copy_startsFromTheBuiltPriors_andSetsItsOwnValuesOnly() {
    int good = chain.tokenPriorIndex("pair", "good");
    chain.setTokenPrior(good, Prior.of(0.5, 3));
    FeatureChain copy = chain.copy();
    assertThat(copy.tokenPriorIndex("pair", "good")).isEqualTo(good);
    assertThat(copy.tokenPrior(good).mean()).isEqualTo(0.97);
    copy.setTokenPrior(good, Prior.of(0.9, 50));
    assertThat(chain.tokenPrior(good).mean()).isEqualTo(0.5); // the original keeps its own
    long[] keys = copy.keys("*", "good", "e1");
    assertThat(copy.predict(table, keys, 0)).isCloseTo(0.9, within(1e-12));
    assertThat(chain.predict(table, keys, 0)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void setTokenPrior_concurrentReaders_neverSeeAMixedPair() throws Exception {
    // Two values whose mean and strength differ: a torn read (one's mean with the other's
    // strength) predicts neither value's mean with no evidence. Readers check every prediction
    // is one of the two exactly; the documented guarantee is per-value atomicity.
    int good = chain.tokenPriorIndex("pair", "good");
    Prior a = Prior.of(0.9, 10);
    Prior b = Prior.of(0.2, 300);
    long[] keys = chain.keys("*", "good", "e1");
    chain.setTokenPrior(good, a); // before the reader starts: it must never see the built 0.97
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Double> bad = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      double[] scratch = new double[2];
      while (!stop.get()) {
        double p = chain.predict(table, keys, 0, scratch);
        if (p != 0.9 && p != 0.2) {
          bad.set(p);
        }
      }
    });
    reader.start();
    for (int i = 0; i < 200_000; i++) {
      chain.setTokenPrior(good, (i & 1) == 0 ? a : b);
    }
    stop.set(true);
    reader.join();
    assertThat(bad.get()).isNull();
  }
}
