package org.netbelief.model.internal;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.netbelief.model.FeatureKeys;
import org.netbelief.model.Prior;
import org.netbelief.model.fit.EventReplay;
import org.netbelief.model.fit.EventSink;

/**
 * A seeded synthetic event stream with known truth, for the fitting tests and the {@code
 * FitScale} measurement: {@code rows} rows, each with its own success probability p drawn from
 * a Beta {@code prior}, and a merged, time-ordered stream of Bernoulli(p) outcomes.
 *
 * <p><b>Generator, precisely.</b> Events arrive as one Poisson process of rate {@code 1/gap}
 * (exponential gaps of mean {@code gapNanos}); each event picks a row uniformly at random, so
 * each row sees a Poisson process of rate {@code 1/(rows·gap)}. Each row's p is redrawn from the
 * prior at the points of its own Poisson process of rate λ = ln 2 / H (H = {@code
 * changeHalfLifeNanos}): the probability that a row's p is still the one it had a time Δ ago is
 * e^(−λΔ) = 2^(−Δ/H). H is the <em>generating half-life</em>: evidence of age Δ is still about
 * the current p with probability exactly 2^(−Δ/H), which is the weight an evidence table with
 * half-life H gives it. {@code changeHalfLifeNanos = 0} means p never changes.
 *
 * <p>Replays are identical (the generator reseeds on each {@link #replay}); nothing but the
 * per-row state (p and the last event time, 16 bytes a row) is held, never the events.
 */
public final class SyntheticStream implements EventReplay {
  private final Prior prior;
  private final int rows;
  private final long events;
  private final double gapNanos;
  private final long changeHalfLifeNanos;
  private final long seed;
  private final long[] keys;

  /**
   * The stream.
   *
   * @param prior the Beta prior each row's p is drawn from
   * @param rows the number of rows (distinct keys)
   * @param events the number of events to play
   * @param gapNanos the mean gap between consecutive events (of any row)
   * @param changeHalfLifeNanos H, the generating half-life of change; 0 for static rows
   * @param seed the seed
   */
  public SyntheticStream(Prior prior, int rows, long events, double gapNanos,
      long changeHalfLifeNanos, long seed) {
    if (rows < 1 || events < 0 || !(gapNanos > 0) || changeHalfLifeNanos < 0) {
      throw new IllegalArgumentException("bad synthetic stream: rows=" + rows + ", events="
          + events + ", gap=" + gapNanos + ", H=" + changeHalfLifeNanos);
    }
    this.prior = prior;
    this.rows = rows;
    this.events = events;
    this.gapNanos = gapNanos;
    this.changeHalfLifeNanos = changeHalfLifeNanos;
    this.seed = seed;
    this.keys = new long[rows];
    for (int r = 0; r < rows; r++) {
      keys[r] = FeatureKeys.of("row", Integer.toString(r));
    }
  }

  /**
   * The half-life of the best linear one-step predictor of this stream: the generating
   * half-life h* that {@link org.netbelief.model.fit.HalfLifeSelector} should find.
   *
   * <p>Per row, with events Δ = rows·gap apart on average, the mean-removed p follows, in
   * second-order terms, an AR(1) process x' = a·x + w with a = 2^(−Δ/H), Var(w) = q =
   * V(1 − a²), V = Var(p) = μ(1−μ)/(k+1); each outcome is y = x + v with E[v | x] = 0 and
   * r = E[p(1−p)] = μ(1−μ)·k/(k+1). Whatever the distributions, the best linear predictor of the
   * next outcome is then the steady-state Kalman filter: P solves P = a²·P·r/(P + r) + q, the
   * gain is K = P/(P + r), and the prediction is x̂' = a(1 − K)·x̂ + aK·y: each past outcome's
   * weight shrinks by b = a(1 − K) per event, a half-life of Δ·ln 2 / −ln b. b &lt; a: an
   * outcome older than the last change is about a specific old p (worse than no evidence), so
   * the best forgetting is faster than the world's persistence H. With Poisson rather than
   * regular arrivals this is an approximation (measured within 1.3× in the tests).
   *
   * @return h* in nanoseconds, or {@link Long#MAX_VALUE} for static rows
   */
  public long optimalHalfLifeNanos() {
    if (changeHalfLifeNanos == 0) {
      return Long.MAX_VALUE;
    }
    double delta = rows * gapNanos;
    double a = Math.pow(2.0, -delta / changeHalfLifeNanos);
    double mu = prior.mean();
    double k = prior.strength();
    double v = mu * (1 - mu) / (k + 1);
    double r = mu * (1 - mu) * k / (k + 1);
    double q = v * (1 - a * a);
    // P² + P(r(1 − a²) − q) − q·r = 0, the positive root.
    double c1 = r * (1 - a * a) - q;
    double p = (-c1 + Math.sqrt(c1 * c1 + 4 * q * r)) / 2;
    double gain = p / (p + r);
    double b = a * (1 - gain);
    return Math.round(delta * Math.log(2.0) / -Math.log(b));
  }

  /** The key of row {@code r}: {@code FeatureKeys.of("row", Integer.toString(r))}. */
  public long key(int r) {
    return keys[r];
  }

  @Override
  public void replay(EventSink sink) {
    RandomGenerator rng = new Well19937c(seed);
    BetaDistribution beta = new BetaDistribution(rng, prior.alpha(), prior.beta());
    double[] p = new double[rows];
    long[] last = new long[rows];
    for (int r = 0; r < rows; r++) {
      p[r] = beta.sample();
    }
    double lambdaPerNano = changeHalfLifeNanos == 0 ? 0.0 : Math.log(2.0) / changeHalfLifeNanos;
    long[] one = new long[1];
    double t = 0.0;
    for (long e = 0; e < events; e++) {
      t += -Math.log(1.0 - rng.nextDouble()) * gapNanos;
      long now = (long) t;
      int r = rng.nextInt(rows);
      if (lambdaPerNano > 0.0 && rng.nextDouble() >= Math.exp(-lambdaPerNano * (now - last[r]))) {
        p[r] = beta.sample(); // at least one change since this row's last event
      }
      last[r] = now;
      one[0] = keys[r];
      sink.accept(one, rng.nextDouble() < p[r], now);
    }
  }
}
