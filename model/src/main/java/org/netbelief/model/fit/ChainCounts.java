package org.netbelief.model.fit;

import java.util.ArrayList;
import java.util.List;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.Prior;

/**
 * Per-level row counts for a {@link FeatureChain}, accumulated from a stream of events: the
 * streaming front end of a whole-chain prior fit. Memory grows with the distinct rows per level,
 * never with the number of events.
 *
 * <pre>{@code
 * ChainCounts counts = new ChainCounts(chain);
 * trace.replay(counts);                              // an EventSink
 * List<PriorFit> fits = counts.fitLevels();          // one empirical-Bayes fit per level
 * FeatureChain fitted = counts.fittedChain(chain);   // failed levels keep their old values
 * }</pre>
 *
 * <p><b>What level j's fit means.</b> Every row of level j is treated as a draw from one Beta
 * prior (mean μ_j, strength k_j). For level 0 that is the chain's root prior. For a deeper
 * level the chain shrinks each row toward its <em>own parent's</em> estimate with strength k_j;
 * the fitted k_j measures the spread of rows around the level's overall mean, which includes
 * the spread between parents, so it is a conservative (smaller) value of the per-parent strength.
 * A level with a single row (a {@code global} level) cannot be fitted (one row carries no
 * information about spread); it keeps its previous value, and its own evidence soon dominates.
 *
 * <p>Single writer: not thread-safe.
 */
public final class ChainCounts implements EventSink {
  private final FeatureChain chain;
  private final RowCounts[] levels;

  /** Counts for every level of {@code chain}. */
  public ChainCounts(FeatureChain chain) {
    this.chain = chain;
    this.levels = new RowCounts[chain.depth()];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = new RowCounts();
    }
  }

  /**
   * Counts one outcome for every level's row. Time is not used (the counts are undecayed);
   * it is taken so that a {@code ChainCounts} is an {@link EventSink}.
   *
   * @throws IllegalArgumentException when {@code keys} has not one key per level
   */
  @Override
  public void accept(long[] keys, boolean success, long nowNanos) {
    if (keys.length != levels.length) {
      throw new IllegalArgumentException(
          "expected " + levels.length + " keys (one per level), got " + keys.length);
    }
    for (int i = 0; i < keys.length; i++) {
      levels[i].observe(keys[i], success);
    }
  }

  /** The counts of level {@code i}. */
  public RowCounts level(int i) {
    return levels[i];
  }

  /** One {@link PriorFitter#fit(RowCounts)} per level, general first. */
  public List<PriorFit> fitLevels() {
    List<PriorFit> fits = new ArrayList<>(levels.length);
    for (RowCounts level : levels) {
      fits.add(PriorFitter.fit(level));
    }
    return fits;
  }

  /**
   * A chain with the fitted root prior (level 0) and level strengths, keeping {@code previous}'s
   * value wherever a fit did not converge.
   */
  public FeatureChain fittedChain(FeatureChain previous, List<PriorFit> fits) {
    if (fits.size() != previous.depth() || previous.depth() != chain.depth()) {
      throw new IllegalArgumentException("expected " + chain.depth() + " fits and a chain of"
          + " that depth, got " + fits.size() + " fits and depth " + previous.depth());
    }
    Prior root = fits.get(0).priorOr(previous.rootPrior());
    FeatureChain.Builder b = FeatureChain.builder(root);
    for (int i = 0; i < previous.depth(); i++) {
      PriorFit fit = fits.get(i);
      b.level(previous.levelName(i), fit.converged() ? fit.strength() : previous.strength(i));
    }
    return b.build();
  }

  /** {@link #fittedChain(FeatureChain, List)} with {@link #fitLevels()}. */
  public FeatureChain fittedChain(FeatureChain previous) {
    return fittedChain(previous, fitLevels());
  }
}
