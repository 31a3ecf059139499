package org.netbelief.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The features of a path from general to specific, for example {@code global → localNetwork →
 * remoteNatClass → remotePrefix → remoteEndpoint → path}, and the prediction that shrinks each
 * level toward its parent.
 *
 * <p>Level 0 starts from the root prior (mean μ0, strength k0); each following level {@code j}
 * has a strength {@code k_j}, the number of pseudo-observations with which its parent's estimate
 * counts against the level's own evidence (Robinson's f(w) with the parent as the assumed
 * probability):
 *
 * <pre>
 *   m_0 = (k_0·μ0 + s_0) / (k_0 + s_0 + f_0)
 *   m_j = (k_j·m_{j−1} + s_j) / (k_j + s_j + f_j)
 * </pre>
 *
 * A path never seen is predicted from its general features; a heavily observed one from its own
 * evidence. The belief for the path is the last level's posterior Beta(k_K·m_{K−1} + s_K,
 * k_K·(1 − m_{K−1}) + f_K): its interval shows how much the path's own evidence, plus its
 * parent's estimate worth k_K observations, pins the probability down (the parent's own
 * uncertainty is not propagated; see {@code docs/model.md}).
 *
 * <pre>{@code
 * FeatureChain chain = FeatureChain.builder(Prior.of(0.7, 2))
 *     .level("global", 2).level("remotePrefix", 4).level("endpoint", 4).build();
 * long[] keys = chain.keys("*", "198.51.100.0/24", "198.51.100.7:4500");
 * chain.observe(table, keys, true, nowNanos);
 * double p = chain.predict(table, keys, nowNanos);
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #predict} and {@link #observe} allocate nothing.
 */
public final class FeatureChain {
  private final Prior root;
  private final String[] names;
  private final double[] strengths;

  private FeatureChain(Prior root, String[] names, double[] strengths) {
    this.root = root;
    this.names = names;
    this.strengths = strengths;
  }

  /** A builder whose level 0 starts from {@code root}. */
  public static Builder builder(Prior root) {
    if (root == null) {
      throw new IllegalArgumentException("root prior must not be null");
    }
    return new Builder(root);
  }

  /** Builds a {@link FeatureChain}, general levels first. */
  public static final class Builder {
    private final Prior root;
    private final List<String> names = new ArrayList<>();
    private final List<Double> strengths = new ArrayList<>();

    private Builder(Prior root) {
      this.root = root;
    }

    /**
     * Adds the next, more specific level. The first level's strength is the root prior's and
     * {@code strength} is ignored there (pass the prior's); later levels' strength says how many
     * observations the parent's estimate is worth.
     *
     * @throws IllegalArgumentException for a blank or repeated name or a strength not finite
     *     and &gt; 0
     */
    public Builder level(String name, double strength) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("level name must not be blank");
      }
      if (names.contains(name)) {
        throw new IllegalArgumentException("level name repeated: " + name);
      }
      if (!(strength > 0.0) || Double.isInfinite(strength)) {
        throw new IllegalArgumentException(
            "strength of level " + name + " must be finite and > 0, got " + strength);
      }
      names.add(name);
      strengths.add(names.size() == 1 ? root.strength() : strength);
      return this;
    }

    /** The chain; at least one level. */
    public FeatureChain build() {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("a feature chain needs at least one level");
      }
      return new FeatureChain(root, names.toArray(new String[0]),
          strengths.stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  /** The number of levels. */
  public int depth() {
    return names.length;
  }

  /** The name of level {@code i}, 0 the most general. */
  public String levelName(int i) {
    return names[i];
  }

  /** The strength of level {@code i}. */
  public double strength(int i) {
    return strengths[i];
  }

  /** The root prior. */
  public Prior rootPrior() {
    return root;
  }

  /**
   * The keys of a path's features: {@code FeatureKeys.of(levelName(i), tokens[i])}.
   *
   * @throws IllegalArgumentException when the number of tokens is not {@link #depth()}
   */
  public long[] keys(String... tokens) {
    if (tokens.length != names.length) {
      throw new IllegalArgumentException("expected " + names.length + " tokens "
          + Arrays.toString(names) + ", got " + tokens.length);
    }
    long[] keys = new long[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      keys[i] = FeatureKeys.of(names[i], tokens[i]);
    }
    return keys;
  }

  /** Records one outcome for every feature of the path (the decay weight is computed once). */
  public void observe(EvidenceTable table, long[] keys, boolean success, long nowNanos) {
    checkKeys(keys);
    table.observeAll(keys, 0, keys.length, success ? 1.0 : 0.0, success ? 0.0 : 1.0, nowNanos);
  }

  /**
   * The shrunk prediction {@code m_K} for the path at {@code nowNanos}. Allocation-free when
   * {@code scratch} is a reusable {@code double[2]}.
   */
  public double predict(EvidenceTable table, long[] keys, long nowNanos, double[] scratch) {
    checkKeys(keys);
    int epoch = table.epochAt(nowNanos);
    double invW = table.inverseWeightAt(nowNanos, epoch);
    double m = root.mean();
    for (int i = 0; i < keys.length; i++) {
      table.readAt(keys[i], epoch, invW, scratch);
      double k = strengths[i];
      m = (k * m + scratch[0]) / (k + scratch[0] + scratch[1]);
    }
    return m;
  }

  /** {@link #predict(EvidenceTable, long[], long, double[])} with its own scratch array. */
  public double predict(EvidenceTable table, long[] keys, long nowNanos) {
    return predict(table, keys, nowNanos, new double[2]);
  }

  /** The path's belief: the most specific level's posterior with its parent as prior. */
  public Belief belief(EvidenceTable table, long[] keys, long nowNanos) {
    checkKeys(keys);
    double[] sf = new double[2];
    int epoch = table.epochAt(nowNanos);
    double invW = table.inverseWeightAt(nowNanos, epoch);
    double m = root.mean();
    int last = keys.length - 1;
    for (int i = 0; i < last; i++) {
      table.readAt(keys[i], epoch, invW, sf);
      double k = strengths[i];
      m = (k * m + sf[0]) / (k + sf[0] + sf[1]);
    }
    table.readAt(keys[last], epoch, invW, sf);
    double k = strengths[last];
    return Belief.of(k * m + sf[0], k * (1.0 - m) + sf[1], sf[0] + sf[1]);
  }

  private void checkKeys(long[] keys) {
    if (keys.length != names.length) {
      throw new IllegalArgumentException(
          "expected " + names.length + " keys (one per level), got " + keys.length);
    }
  }
}
