package org.netbelief.model.internal;

/**
 * A fast {@code 2^x} for the forward-decay weights of evidence tables.
 *
 * <p>{@code 2^x = 2^n · 2^(i/64) · 2^r} with {@code n = floor(x)}, {@code i} the next six bits of
 * the fraction, and {@code r ∈ [0, 1/64)}. The middle factor comes from a 64-entry table; the last
 * is a degree-4 Taylor polynomial of {@code e^(r ln 2)}, whose truncation error is below
 * {@code (ln2/64)^5/120 ≈ 1.2e-12} relative. The result is exact in its exponent ({@link
 * Math#scalb}). Measured against {@link Math#pow} in {@code Exp2Test}.
 *
 * <p>Why not {@code Math.pow}: on the table's update path the weight is the only transcendental
 * function, and the intrinsic costs several times this table lookup.
 */
public final class Exp2 {
  private static final double LN2 = 0.6931471805599453;
  private static final double[] TABLE = new double[64];

  static {
    for (int i = 0; i < 64; i++) {
      TABLE[i] = Math.pow(2.0, i / 64.0);
    }
  }

  private Exp2() {}

  /**
   * {@code 2^x} with relative error below 2e-12 for finite x; underflows to 0 below -1075 and
   * overflows to infinity above 1024, like {@link Math#pow}.
   */
  public static double pow2(double x) {
    if (!(x > -1100.0 && x < 1100.0)) {
      return x > 0 ? Double.POSITIVE_INFINITY : (x != x ? Double.NaN : 0.0);
    }
    double fl = Math.floor(x);
    int n = (int) fl;
    double frac = (x - fl) * 64.0;
    int i = (int) frac;
    double y = (frac - i) * (LN2 / 64.0);
    double poly = 1.0 + y * (1.0 + y * (0.5 + y * (1.0 / 6.0 + y * (1.0 / 24.0))));
    if (n > -1022 && n < 1023) {
      // 2^n built from its exponent bits: exact, and cheaper than Math.scalb's range checks.
      return TABLE[i] * poly * Double.longBitsToDouble((long) (n + 1023) << 52);
    }
    return Math.scalb(TABLE[i] * poly, n);
  }
}
