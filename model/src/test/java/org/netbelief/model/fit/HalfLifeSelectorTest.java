package org.netbelief.model.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.Prior;
import org.netbelief.model.internal.SyntheticStream;

class HalfLifeSelectorTest {
  private static final long SECOND = 1_000_000_000L;

  static FeatureChain oneLevel(Prior prior) {
    return FeatureChain.builder(prior).level("row", prior.strength()).build();
  }

  /*
   * Well-posedness: in SyntheticStream a row's p is redrawn from the prior at the points of a
   * Poisson process of rate ln 2/H (it survives an age Δ with probability 2^(−Δ/H)). In
   * second-order terms each row is an AR(1) state seen through Bernoulli noise, so the best
   * linear one-step predictor is a steady-state Kalman filter whose weights on past outcomes
   * decay geometrically: their half-life h* (SyntheticStream.optimalHalfLifeNanos, derived
   * there) is the generating half-life the selector must find. h* < H, by a factor that grows
   * with the information per event (0.23–0.39 H here). Log loss is flat near its minimum, so
   * the claim needs enough events: 200 rows, R events per row per H, 40 H of time.
   */
  @ParameterizedTest
  @CsvSource({
    "60, 4, 31",
    "60, 12, 32",
    "3600, 8, 33",
  })
  void grid_streamWithKnownChangeHalfLife_picksWithinFactor1_5(long hSeconds, int perRowPerH,
      long seed) {
    long h = hSeconds * SECOND;
    int rows = 200;
    long events = 40L * perRowPerH * rows;
    double gap = (double) h / (perRowPerH * rows);
    Prior prior = Prior.of(0.5, 2);
    SyntheticStream stream = new SyntheticStream(prior, rows, events, gap, h, seed);
    long optimal = stream.optimalHalfLifeNanos();
    HalfLifeSelector sel = new HalfLifeSelector(oneLevel(prior),
        HalfLifeSelector.logGrid(h / 64, h * 4, 17), 1 << 12, 0);

    stream.replay(sel::observe);

    HalfLifeSelection result = sel.result();
    assertThat(result.events()).isEqualTo(events);
    assertThat((double) result.bestHalfLifeNanos() / optimal).isBetween(1 / 1.5, 1.5);
    // Both ends of the grid are clearly worse than the best.
    double[] ll = result.logLoss();
    assertThat(ll[0]).isGreaterThan(result.bestLogLoss() + 0.005);
    assertThat(ll[ll.length - 1]).isGreaterThan(result.bestLogLoss() + 0.005);

    // Golden-section refinement between the best grid point's neighbours also lands within 1.5.
    int b = result.bestIndex();
    long[] grid = result.halfLivesNanos();
    HalfLifeSelection refined = HalfLifeSelector.refine(stream, oneLevel(prior),
        grid[Math.max(0, b - 1)], grid[Math.min(grid.length - 1, b + 1)], 8, 1 << 12, 0);
    assertThat((double) refined.bestHalfLifeNanos() / optimal).isBetween(1 / 1.5, 1.5);
    assertThat(refined.bestLogLoss()).isLessThanOrEqualTo(result.bestLogLoss() + 1e-9);
    System.out.printf("H=%ds, %d/row/H: h*=%.3f H, grid best %.3f h*, refined %.3f h*,"
        + " ll %.5f%n", hSeconds, perRowPerH, (double) optimal / h,
        (double) result.bestHalfLifeNanos() / optimal,
        (double) refined.bestHalfLifeNanos() / optimal, refined.bestLogLoss());
  }

  @Test
  void observe_staticRows_scoresBeforeLearning() {
    // One row, always success, prior mean 0.5 strength 2: the first prediction must be the
    // prior's 0.5 (nothing peeked), the second (1 + 1)/(2 + 1) with a very long half-life.
    Prior prior = Prior.of(0.5, 2);
    HalfLifeSelector sel = new HalfLifeSelector(oneLevel(prior),
        new long[] {3_600 * SECOND}, 16, 0);
    sel.observe(42L, true, 0);
    assertThat(sel.calibration(0).logLoss()).isCloseTo(Math.log(2), within(1e-12));
    sel.observe(42L, true, 1);
    double expected = (Math.log(2) - Math.log(2.0 / 3)) / 2;
    assertThat(sel.calibration(0).logLoss()).isCloseTo(expected, within(1e-9));
  }

  @Test
  void constructor_unsortedCandidates_refused() {
    FeatureChain chain = oneLevel(Prior.of(0.5, 2));
    assertThatThrownBy(() -> new HalfLifeSelector(chain, new long[] {2 * SECOND, SECOND}, 16, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
    assertThatThrownBy(() -> HalfLifeSelector.logGrid(10, 5, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lo=10");
    assertThat(HalfLifeSelector.logGrid(SECOND, 16 * SECOND, 5))
        .containsExactly(SECOND, 2 * SECOND, 4 * SECOND, 8 * SECOND, 16 * SECOND);
  }
}
