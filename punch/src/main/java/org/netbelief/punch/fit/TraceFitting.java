package org.netbelief.punch.fit;

import java.util.List;
import org.netbelief.model.EvidenceTable;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.Prior;
import org.netbelief.model.fit.Calibration;
import org.netbelief.model.fit.ChainCounts;
import org.netbelief.model.fit.EventReplay;
import org.netbelief.model.fit.HalfLifeSelection;
import org.netbelief.model.fit.HalfLifeSelector;
import org.netbelief.model.fit.PriorFit;
import org.netbelief.punch.config.FactorConfig;

/**
 * What {@code ./netbelief fit} and {@code ./netbelief evaluate} do, as an API: fit a factor's
 * half-life and priors to an event stream, and score a factor one step ahead.
 *
 * <pre>{@code
 * TraceOutcomes trace = new TraceOutcomes(Path.of("run.trace"), TraceReader.Mode.LENIENT);
 * TraceFitting.Report r = TraceFitting.fit(trace, TraceFitting.defaultFactor(),
 *     HalfLifeSelector.logGrid(1_000_000_000L, 86_400_000_000_000L, 13), 8);
 * Calibration c = TraceFitting.evaluate(trace, r.fitted(), 10);
 * }</pre>
 */
public final class TraceFitting {
  /** The half-life of {@link #defaultFactor()}: 10 minutes. */
  public static final long DEFAULT_HALF_LIFE_NANOS = 600_000_000_000L;

  private TraceFitting() {}

  /**
   * The factor used when no model file is given: root prior (0.7, 2), strengths 2, 4, 4 over
   * {@link TraceOutcomes#LEVELS}, half-life 10 minutes, 2^20 rows.
   */
  public static FactorConfig defaultFactor() {
    return FactorConfig.of(TraceOutcomes.chain(Prior.of(0.7, 2), 2, 4, 4),
        DEFAULT_HALF_LIFE_NANOS, FactorConfig.DEFAULT_MAX_ROWS);
  }

  /**
   * The result of {@link #fit}.
   *
   * @param grid the one-pass grid of half-lives and their log loss
   * @param refined the golden-section evaluations (empty grid record when not refined)
   * @param halfLifeNanos the half-life chosen
   * @param fits one prior fit per level, general first
   * @param fitted the fitted factor: converged fits replace the previous values
   */
  public record Report(HalfLifeSelection grid, HalfLifeSelection refined, long halfLifeNanos,
      List<PriorFit> fits, FactorConfig fitted) {}

  /**
   * Fits {@code previous}'s half-life (a one-pass grid, then {@code refineEvaluations} replays
   * of golden section between the best grid point's neighbours; 0 for none) and its per-level
   * priors. The trace is replayed {@code 2 + refineEvaluations} times, never held.
   */
  public static Report fit(EventReplay trace, FactorConfig previous, long[] grid,
      int refineEvaluations) {
    FeatureChain chain = previous.chain();
    int rows = previous.maxRows();
    HalfLifeSelector selector = new HalfLifeSelector(chain, grid, rows, 0);
    trace.replay(selector::observe);
    HalfLifeSelection g = selector.result();
    long halfLife = g.bestHalfLifeNanos();
    HalfLifeSelection refined = null;
    if (refineEvaluations >= 2 && grid.length >= 2) {
      int b = g.bestIndex();
      refined = HalfLifeSelector.refine(trace, chain, grid[Math.max(0, b - 1)],
          grid[Math.min(grid.length - 1, b + 1)], refineEvaluations, rows, 0);
      if (refined.bestLogLoss() < g.bestLogLoss()) {
        halfLife = refined.bestHalfLifeNanos();
      }
    }
    ChainCounts counts = new ChainCounts(chain);
    trace.replay(counts);
    List<PriorFit> fits = counts.fitLevels();
    FactorConfig fitted = FactorConfig.fitted(chain, fits, halfLife, rows);
    return new Report(g, refined, halfLife, fits, fitted);
  }

  /** Scores {@code factor} one step ahead over {@code events}: predict, score, then learn. */
  public static Calibration evaluate(EventReplay events, FactorConfig factor, int bins) {
    FeatureChain chain = factor.chain();
    EvidenceTable table = factor.newTable(0);
    Calibration cal = new Calibration(bins);
    double[] scratch = new double[2];
    events.replay((keys, success, now) -> {
      cal.add(chain.predict(table, keys, now, scratch), success);
      chain.observe(table, keys, success, now);
    });
    return cal;
  }
}
