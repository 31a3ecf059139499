package org.netbelief.model.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  @Test
  void metrics_smallHandComputedCase_matchDefinitions() {
    Calibration cal = new Calibration();
    cal.add(0.2, false);
    cal.add(0.2, true);
    cal.add(0.7, true);
    cal.add(0.9, true);

    double logLoss = -(Math.log(0.8) + Math.log(0.2) + Math.log(0.7) + Math.log(0.9)) / 4;
    assertThat(cal.logLoss()).isCloseTo(logLoss, within(1e-12)); // 0.573653
    assertThat(cal.brierScore()).isCloseTo((0.04 + 0.64 + 0.09 + 0.01) / 4, within(1e-12));
    // Bins: [0.2,0.3) n=2 pred 0.2 freq 0.5; [0.7,0.8) n=1 pred 0.7 freq 1; [0.9,1] n=1 pred 0.9
    // freq 1. ECE = (2·0.3 + 1·0.3 + 1·0.1)/4 = 0.25.
    assertThat(cal.expectedCalibrationError()).isCloseTo(0.25, within(1e-12));
    assertThat(cal.count()).isEqualTo(4);
    assertThat(cal.baseRate()).isEqualTo(0.75);

    List<ReliabilityBin> bins = cal.reliabilityDiagram();
    assertThat(bins).hasSize(10);
    assertThat(bins.get(2).count()).isEqualTo(2);
    assertThat(bins.get(2).meanPredicted()).isCloseTo(0.2, within(1e-12));
    assertThat(bins.get(2).observedFrequency()).isEqualTo(0.5);
    assertThat(bins.get(2).interval().lower()).isLessThan(0.5);
    assertThat(bins.get(2).interval().upper()).isGreaterThan(0.5);
    assertThat(bins.get(0).count()).isZero();
    assertThat(bins.get(0).meanPredicted()).isNaN();
  }

  @Test
  void wilson_knownCase_matchesFormula() {
    // p̂ = 0.5, n = 10, z = 1.96: centre 0.5, half = 1.96/(1+0.38415)·√(0.025 + 0.0096) = 0.2634.
    var ci = Calibration.wilson(0.5, 10);
    assertThat(ci.lower()).isCloseTo(0.2366, within(1e-3));
    assertThat(ci.upper()).isCloseTo(0.7634, within(1e-3));
    // At p̂ = 1 the Wilson interval stays inside [0, 1] and has a lower bound below 1.
    var edge = Calibration.wilson(1.0, 5);
    assertThat(edge.upper()).isEqualTo(1.0);
    assertThat(edge.lower()).isCloseTo(5 / (5 + 1.959963984540054 * 1.959963984540054),
        within(1e-9));
  }

  @Test
  void logLoss_certainWrongPrediction_isClampedNotInfinite() {
    Calibration cal = new Calibration();
    cal.add(1.0, false);
    cal.add(0.0, true);
    assertThat(cal.logLoss()).isCloseTo(-Math.log(1e-12), within(1e-4)); // 27.63 nats (1 − 1e-12 rounds)
    assertThat(cal.brierScore()).isEqualTo(1.0);
    // p = 1 falls in the last bin, p = 0 in the first.
    assertThat(cal.reliabilityDiagram().get(9).count()).isEqualTo(1);
    assertThat(cal.reliabilityDiagram().get(0).count()).isEqualTo(1);
  }

  @Test
  void merge_twoHalves_equalsOneAccumulator() {
    SplittableRandom rnd = new SplittableRandom(7);
    Calibration all = new Calibration(20);
    Calibration a = new Calibration(20);
    Calibration b = new Calibration(20);
    for (int i = 0; i < 10_000; i++) {
      double p = rnd.nextDouble();
      boolean y = rnd.nextDouble() < p * p;
      all.add(p, y);
      (i % 3 == 0 ? a : b).add(p, y);
    }
    a.merge(b);
    assertThat(a.count()).isEqualTo(all.count());
    assertThat(a.logLoss()).isCloseTo(all.logLoss(), within(1e-12));
    assertThat(a.brierScore()).isCloseTo(all.brierScore(), within(1e-12));
    assertThat(a.expectedCalibrationError()).isCloseTo(all.expectedCalibrationError(),
        within(1e-12));
    assertThatThrownBy(() -> a.merge(new Calibration(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20 and 10");
  }

  @Test
  void ece_perfectlyCalibratedStream_nearZeroWithinBinomialBound() {
    // Predictions p ~ U(0,1) and outcomes ~ Bernoulli(p): perfectly calibrated. In bin b with
    // n_b pairs, mean(y) − mean(p) has mean 0 and standard deviation √(v_b/n_b), v_b =
    // mean p(1−p) in the bin ≤ 1/4. A 4-sigma excursion has probability 6·10⁻⁵ per bin, so
    // with probability > 0.999 every |d_b| < 4√(0.25/n_b), and then
    // ECE = Σ (n_b/N)|d_b| < 4 Σ (n_b/N)√(0.25/n_b). With N = 100 000 and 10 bins that is about
    // 4 · 0.005 = 0.02; the expected ECE is about √(2/π)·0.0045 ≈ 0.0036.
    SplittableRandom rnd = new SplittableRandom(20261125L);
    Calibration calibrated = new Calibration();
    Calibration overconfident = new Calibration();
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      double p = rnd.nextDouble();
      boolean y = rnd.nextDouble() < p;
      calibrated.add(p, y);
      // The same outcomes judged against predictions pushed toward 0 and 1: miscalibrated.
      double sharp = p * p / (p * p + (1 - p) * (1 - p));
      overconfident.add(sharp, y);
    }
    double bound = 0.0;
    for (ReliabilityBin bin : calibrated.reliabilityDiagram()) {
      bound += 4.0 * ((double) bin.count() / n) * Math.sqrt(0.25 / bin.count());
    }
    assertThat(bound).isCloseTo(0.02, within(0.001));
    assertThat(calibrated.expectedCalibrationError()).isLessThan(bound);
    assertThat(overconfident.expectedCalibrationError()).isGreaterThan(3 * bound);
    // A calibrated forecaster of U(0,1) probabilities has Brier score E[p(1−p)] = 1/6 and log
    // loss E[−p ln p − (1−p) ln(1−p)] = 1/2 nat; each mean of 10⁵ terms has s.d. < 0.002.
    assertThat(calibrated.brierScore()).isCloseTo(1.0 / 6, within(0.004));
    assertThat(calibrated.logLoss()).isCloseTo(0.5, within(0.01));
    assertThat(overconfident.logLoss()).isGreaterThan(calibrated.logLoss());
  }

  @Test
  void add_probabilityOutsideUnitInterval_isRefusedWithValue() {
    Calibration cal = new Calibration();
    assertThatThrownBy(() -> cal.add(1.5, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    assertThatThrownBy(() -> cal.add(Double.NaN, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> new Calibration(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThat(cal.logLoss()).isNaN();
  }
}
