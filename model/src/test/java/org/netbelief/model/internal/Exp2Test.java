package org.netbelief.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Exp2Test {

  @Test
  void pow2_matchesMathPow_toTwelveDigits() {
    // The polynomial's truncation error is (ln2/64)^5/120 ≈ 1.2e-12 relative; table entries and
    // the product add a few ulps (2.2e-16 each). 2e-12 bounds both.
    SplittableRandom rnd = new SplittableRandom(42);
    double worst = 0;
    for (int i = 0; i < 1_000_000; i++) {
      double x = rnd.nextDouble(-1000, 1000);
      double rel = Math.abs(Exp2.pow2(x) / Math.pow(2, x) - 1);
      worst = Math.max(worst, rel);
    }
    assertThat(worst).isLessThan(2e-12);
  }

  @Test
  void pow2_integers_areExact() {
    for (int n = -1000; n <= 1000; n++) {
      assertThat(Exp2.pow2(n)).isEqualTo(Math.scalb(1.0, n));
    }
  }

  @Test
  void pow2_extremes_saturateLikePow() {
    assertThat(Exp2.pow2(-5000)).isEqualTo(0.0);
    assertThat(Exp2.pow2(5000)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Exp2.pow2(Double.NaN)).isNaN();
  }
}
