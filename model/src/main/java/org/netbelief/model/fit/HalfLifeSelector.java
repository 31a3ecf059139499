package org.netbelief.model.fit;

import java.util.ArrayList;
import java.util.List;
import org.netbelief.model.EvidenceTable;
import org.netbelief.model.FeatureChain;

/**
 * Chooses a table's half-life by one-step-ahead predictive log loss: every event of a
 * time-ordered stream is first predicted from the evidence before it, scored, and only then
 * added. Candidates are evaluated side by side in one pass, one {@link EvidenceTable} each.
 *
 * <pre>{@code
 * FeatureChain chain = FeatureChain.builder(prior).level("endpoint", prior.strength()).build();
 * HalfLifeSelector sel = new HalfLifeSelector(chain,
 *     HalfLifeSelector.logGrid(Duration.ofSeconds(10).toNanos(), Duration.ofHours(6).toNanos(), 13),
 *     1 << 20, firstEventNanos);
 * trace.forEach(e -> sel.observe(e.keys(), e.success(), e.nowNanos()));
 * long best = sel.result().bestHalfLifeNanos();
 * }</pre>
 *
 * <p>Why log loss: it is a strictly proper scoring rule, so in expectation it is minimised only
 * by the true predictive probabilities; the half-life whose predictions score best is the one
 * whose forgetting matches how fast the world changes. Too short a half-life throws away
 * evidence (predictions stay near the prior and jitter); too long a one keeps stale evidence
 * after a change.
 *
 * <p>Cost: per event, one prediction and one update per candidate; allocation-free after the
 * tables hold their rows. Memory: one table per candidate, bounded by {@code maxRows}.
 * Single writer: not thread-safe.
 */
public final class HalfLifeSelector {
  private final FeatureChain chain;
  private final long[] halfLives;
  private final EvidenceTable[] tables;
  private final Calibration[] calibrations;
  private final double[] scratch = new double[2];
  private final long[] single = new long[1];
  private long events;

  /**
   * A selector over {@code candidateHalfLivesNanos} (ascending, distinct).
   *
   * @param chain the prediction rule (root prior and level strengths) to score
   * @param candidateHalfLivesNanos the half-lives to compare
   * @param maxRows the row bound of each candidate's table
   * @param originNanos the time origin of the tables (the first event's time is a good choice)
   * @throws IllegalArgumentException for no candidates, unsorted or repeated ones, or one an
   *     {@link EvidenceTable} refuses
   */
  public HalfLifeSelector(FeatureChain chain, long[] candidateHalfLivesNanos, int maxRows,
      long originNanos) {
    if (candidateHalfLivesNanos.length == 0) {
      throw new IllegalArgumentException("need at least one candidate half-life");
    }
    for (int i = 1; i < candidateHalfLivesNanos.length; i++) {
      if (candidateHalfLivesNanos[i] <= candidateHalfLivesNanos[i - 1]) {
        throw new IllegalArgumentException("candidate half-lives must be ascending and distinct,"
            + " got " + candidateHalfLivesNanos[i - 1] + " then " + candidateHalfLivesNanos[i]);
      }
    }
    this.chain = chain;
    this.halfLives = candidateHalfLivesNanos.clone();
    this.tables = new EvidenceTable[halfLives.length];
    this.calibrations = new Calibration[halfLives.length];
    for (int i = 0; i < halfLives.length; i++) {
      tables[i] = EvidenceTable.builder().halfLifeNanos(halfLives[i]).maxRows(maxRows)
          .originNanos(originNanos).build();
      calibrations[i] = new Calibration();
    }
  }

  /**
   * {@code n} half-lives spaced evenly in log between {@code lo} and {@code hi} inclusive,
   * rounded to whole nanoseconds.
   *
   * @throws IllegalArgumentException unless 0 &lt; lo &lt; hi and n ≥ 2
   */
  public static long[] logGrid(long loNanos, long hiNanos, int n) {
    if (!(loNanos > 0 && hiNanos > loNanos && n >= 2)) {
      throw new IllegalArgumentException("need 0 < lo < hi and n >= 2, got lo=" + loNanos
          + ", hi=" + hiNanos + ", n=" + n);
    }
    long[] grid = new long[n];
    double step = Math.log((double) hiNanos / loNanos) / (n - 1);
    for (int i = 0; i < n; i++) {
      grid[i] = Math.round(loNanos * Math.exp(step * i));
    }
    grid[n - 1] = hiNanos;
    return grid;
  }

  /**
   * Scores one event against every candidate, then adds it. Allocation-free once the rows
   * exist. {@code keys} has one key per level of the chain.
   */
  public void observe(long[] keys, boolean success, long nowNanos) {
    for (int i = 0; i < tables.length; i++) {
      double p = chain.predict(tables[i], keys, nowNanos, scratch);
      calibrations[i].add(p, success); // scored before the event is seen: no peeking
      chain.observe(tables[i], keys, success, nowNanos);
    }
    events++;
  }

  /** {@link #observe(long[], boolean, long)} for a one-level chain. */
  public void observe(long key, boolean success, long nowNanos) {
    single[0] = key;
    observe(single, success, nowNanos);
  }

  /** The events scored so far. */
  public long events() {
    return events;
  }

  /** The full calibration (log loss, Brier, ECE) of candidate {@code i}'s predictions. */
  public Calibration calibration(int i) {
    return calibrations[i];
  }

  /** The candidates and their log loss so far. */
  public HalfLifeSelection result() {
    double[] ll = new double[halfLives.length];
    for (int i = 0; i < ll.length; i++) {
      ll[i] = calibrations[i].logLoss();
    }
    return new HalfLifeSelection(halfLives, ll, events);
  }

  /**
   * Golden-section search for the half-life minimising one-step-ahead log loss over {@code
   * replay}, in ln h between {@code loNanos} and {@code hiNanos}; {@code evaluations} plays of
   * the stream in all (the interval shrinks by 0.618 per play after the first two). Assumes the
   * loss is unimodal in ln h over the bracket; bracket it with the neighbours of the best grid
   * point of a one-pass {@link HalfLifeSelector} for that to hold.
   *
   * @return every half-life evaluated with its log loss, ascending
   */
  public static HalfLifeSelection refine(EventReplay replay, FeatureChain chain, long loNanos,
      long hiNanos, int evaluations, int maxRows, long originNanos) {
    if (!(loNanos > 0 && hiNanos > loNanos && evaluations >= 2)) {
      throw new IllegalArgumentException("need 0 < lo < hi and evaluations >= 2, got lo="
          + loNanos + ", hi=" + hiNanos + ", evaluations=" + evaluations);
    }
    final double invPhi = (Math.sqrt(5.0) - 1.0) / 2.0;
    List<long[]> tried = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    long[] eventCount = new long[1];
    java.util.function.DoubleUnaryOperator loss = x -> {
      long h = Math.round(Math.exp(x));
      HalfLifeSelector one = new HalfLifeSelector(chain, new long[] {h}, maxRows, originNanos);
      replay.replay(one::observe);
      eventCount[0] = one.events();
      double ll = one.calibration(0).logLoss();
      tried.add(new long[] {h});
      losses.add(ll);
      return ll;
    };
    double a = Math.log(loNanos);
    double b = Math.log(hiNanos);
    double c = b - invPhi * (b - a);
    double d = a + invPhi * (b - a);
    double fc = loss.applyAsDouble(c);
    double fd = loss.applyAsDouble(d);
    for (int i = 2; i < evaluations; i++) {
      if (fc <= fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - invPhi * (b - a);
        fc = loss.applyAsDouble(c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + invPhi * (b - a);
        fd = loss.applyAsDouble(d);
      }
    }
    // Sort what was tried by half-life (a few dozen entries at most).
    Integer[] order = new Integer[tried.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Long.compare(tried.get(x)[0], tried.get(y)[0]));
    List<Long> hs = new ArrayList<>();
    List<Double> ls = new ArrayList<>();
    for (Integer o : order) {
      long h = tried.get(o)[0];
      if (hs.isEmpty() || hs.get(hs.size() - 1) != h) {
        hs.add(h);
        ls.add(losses.get(o));
      }
    }
    return new HalfLifeSelection(hs.stream().mapToLong(Long::longValue).toArray(),
        ls.stream().mapToDouble(Double::doubleValue).toArray(), eventCount[0]);
  }
}
