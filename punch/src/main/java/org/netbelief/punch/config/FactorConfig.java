package org.netbelief.punch.config;

import java.util.ArrayList;
import java.util.List;
import org.netbelief.model.EvidenceTable;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.Prior;
import org.netbelief.model.fit.PriorFit;

/**
 * The configuration of one factor (one evidence table and its feature chain): half-life, row
 * bound, root prior and level strengths, with the standard errors of fitted values.
 *
 * <pre>{@code
 * FactorConfig uplink = config.factor("UPLINK");
 * EvidenceTable table = uplink.newTable(nowNanos);
 * FeatureChain chain = uplink.chain();
 * }</pre>
 *
 * @param halfLifeNanos the table's half-life
 * @param maxRows the table's row bound
 * @param prior the root prior (level 0)
 * @param priorMeanStdError standard error of a fitted prior mean, NaN when not fitted
 * @param priorStrengthStdError standard error of a fitted prior strength, NaN when not fitted
 * @param levels the levels, general first; level 0's strength is the prior's
 */
public record FactorConfig(long halfLifeNanos, int maxRows, Prior prior,
    double priorMeanStdError, double priorStrengthStdError, List<LevelConfig> levels) {

  /** The default row bound of a table, as {@link EvidenceTable#builder()}. */
  public static final int DEFAULT_MAX_ROWS = 1 << 20;

  /** Copies the level list (immutable). */
  public FactorConfig {
    levels = List.copyOf(levels);
  }

  /** The configuration of an existing chain and half-life, without standard errors. */
  public static FactorConfig of(FeatureChain chain, long halfLifeNanos, int maxRows) {
    List<LevelConfig> levels = new ArrayList<>();
    for (int i = 0; i < chain.depth(); i++) {
      levels.add(LevelConfig.of(chain.levelName(i), chain.strength(i)));
    }
    return new FactorConfig(halfLifeNanos, maxRows, chain.rootPrior(), Double.NaN, Double.NaN,
        levels);
  }

  /**
   * The configuration after a per-level fit ({@code fits.get(i)} for level i, as from {@code
   * ChainCounts.fitLevels()}): converged fits replace {@code previous}'s prior and strengths and
   * bring their standard errors; levels whose fit failed keep their previous values.
   */
  public static FactorConfig fitted(FeatureChain previous, List<PriorFit> fits,
      long halfLifeNanos, int maxRows) {
    if (fits.size() != previous.depth()) {
      throw new IllegalArgumentException(
          "expected one fit per level (" + previous.depth() + "), got " + fits.size());
    }
    PriorFit root = fits.get(0);
    Prior prior = root.priorOr(previous.rootPrior());
    List<LevelConfig> levels = new ArrayList<>();
    for (int i = 0; i < previous.depth(); i++) {
      PriorFit f = fits.get(i);
      double k = i == 0 ? prior.strength() : f.converged() ? f.strength() : previous.strength(i);
      double se = f.converged() ? f.strengthStdError() : Double.NaN;
      levels.add(new LevelConfig(previous.levelName(i), k, se));
    }
    return new FactorConfig(halfLifeNanos, maxRows, prior,
        root.converged() ? root.meanStdError() : Double.NaN,
        root.converged() ? root.strengthStdError() : Double.NaN, levels);
  }

  /** The feature chain this configuration describes. */
  public FeatureChain chain() {
    FeatureChain.Builder b = FeatureChain.builder(prior);
    for (LevelConfig level : levels) {
      b.level(level.name(), level.strength());
    }
    return b.build();
  }

  /** A new, empty evidence table with this half-life and row bound, time origin {@code now}. */
  public EvidenceTable newTable(long originNanos) {
    return EvidenceTable.builder().halfLifeNanos(halfLifeNanos).maxRows(maxRows)
        .originNanos(originNanos).build();
  }
}
