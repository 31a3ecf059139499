package org.netbelief.punch.config;

/**
 * One feature level of a factor's chain.
 *
 * @param name the level name (part of every feature key of the level)
 * @param strength the level strength k_j: how many observations the parent's estimate is worth;
 *     for level 0 this is the root prior's strength
 * @param strengthStdError the standard error of a fitted strength, NaN when not fitted
 */
public record LevelConfig(String name, double strength, double strengthStdError) {
  /** A level without a standard error. */
  public static LevelConfig of(String name, double strength) {
    return new LevelConfig(name, strength, Double.NaN);
  }
}
