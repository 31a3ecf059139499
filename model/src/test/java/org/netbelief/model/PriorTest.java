package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PriorTest {

  @Test
  void of_meanAndStrength_givesAlphaBeta() {
    Prior p = Prior.of(0.8, 10);
    assertThat(p.alpha()).isCloseTo(8.0, within(1e-12));
    assertThat(p.beta()).isCloseTo(2.0, within(1e-12));
  }

  @Test
  void ofAlphaBeta_roundTripsThroughMeanAndStrength() {
    Prior p = Prior.ofAlphaBeta(3.0, 7.0);
    assertThat(p.mean()).isCloseTo(0.3, within(1e-12));
    assertThat(p.strength()).isCloseTo(10.0, within(1e-12));
  }

  @Test
  void ofMeanAndStdDev_matchesBetaMoments() {
    Prior p = Prior.ofMeanAndStdDev(0.7, 0.1);
    Belief b = p.posterior(0, 0);
    assertThat(b.mean()).isCloseTo(0.7, within(1e-12));
    assertThat(Math.sqrt(b.variance())).isCloseTo(0.1, within(1e-12));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
  void of_impossibleMean_isRejectedNamingTheValue(double mean) {
    assertThatThrownBy(() -> Prior.of(mean, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prior mean")
        .hasMessageContaining(String.valueOf(mean));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
  void of_impossibleStrength_isRejectedNamingTheValue(double strength) {
    assertThatThrownBy(() -> Prior.of(0.5, strength))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("strength")
        .hasMessageContaining(String.valueOf(strength));
  }

  @Test
  void ofMeanAndStdDev_tooWide_isRejected() {
    // A Beta with mean 0.5 has standard deviation below sqrt(0.25) = 0.5.
    assertThatThrownBy(() -> Prior.ofMeanAndStdDev(0.5, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("standard deviation");
  }

  @Test
  void ofAlphaBeta_negative_isRejected() {
    assertThatThrownBy(() -> Prior.ofAlphaBeta(-1, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
    assertThatThrownBy(() -> Prior.ofAlphaBeta(1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
  }
}
