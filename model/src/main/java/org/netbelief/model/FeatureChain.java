package org.netbelief.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
 * <p><b>Token priors.</b> A level may name priors for particular tokens ({@link
 * Builder#tokenPrior}): a row with such a token starts from its own prior instead of from its
 * parent's estimate, {@code m_j = (k_t·μ_t + s_j) / (k_t + s_j + f_j)} for the token's prior
 * (μ_t, k_t). With no evidence of its own the row predicts μ_t; its evidence overturns the prior
 * as it does a parent's, after about k_t observations. Use it when something known before any
 * observation separates the tokens of a level (for example which pairs of NAT classes a
 * punching strategy can open); other tokens of the level shrink toward the parent as usual.
 *
 * <pre>{@code
 * FeatureChain openable = FeatureChain.builder(Prior.of(0.7, 2))
 *     .level("global", 2).level("remoteNatClass", 4).level("remoteEndpoint", 4)
 *     .tokenPrior("remoteNatClass", "public|EIM/EIF>APDM/APDF", Prior.of(0.97, 20))
 *     .build();
 * }</pre>
 *
 * <p><b>Token priors set at run time.</b> A token prior's value may be replaced while the chain
 * is in use ({@link #setTokenPrior}), for example by evidence about the token pooled elsewhere
 * (a rendezvous's outcome counts per NAT class pair). Only the value changes, never the set of
 * tokens: {@link #tokenPriorIndex(String, String)} finds a token's slot once, and {@link
 * #resetTokenPrior} goes back to the prior the chain was built with.
 *
 * <pre>{@code
 * int slot = openable.tokenPriorIndex("remoteNatClass", "public|EIM/EIF>APDM/APDF");
 * openable.setTokenPrior(slot, Prior.of(0.995, 200));   // every path with the token sees it
 * }</pre>
 *
 * <p>Thread-safe. Levels, strengths and the set of tokens are immutable; each token prior's
 * value is one immutable {@link Prior} published through an atomic reference array, so a reader
 * sees either the old or the new (mean, strength) pair, never half of each, and a value set on
 * one thread is visible to the next read on any other. A chain whose token priors are set at
 * run time is shared state: give each model that sets them its own chain ({@link #copy()}
 * copies the priors it was built with). {@link #predict} and {@link #observe} allocate nothing
 * (a token prior is found by a binary search over a sorted primitive array and read with one
 * volatile load).
 */
public final class FeatureChain {
  private final Prior root;
  private final String[] names;
  private final double[] strengths;
  /** Whether level i has any token prior (most levels have none: no search). */
  private final boolean[] levelHasTokenPriors;
  /** Token-prior keys, sorted, each one's prior as built, and its current prior. */
  private final long[] tokenKeys;
  private final Prior[] tokenBase;
  private final AtomicReferenceArray<Prior> tokenCurrent;
  /** Each slot's (level, token), aligned with {@link #tokenKeys}. */
  private final String[][] tokenNames;
  /** Token priors by level and token, in the order given (for {@link #toBuilder()}). */
  private final List<String[]> tokenPriorSpecs;
  private final List<Prior> tokenPriorValues;

  private FeatureChain(Builder b) {
    this.root = b.root;
    this.names = b.names.toArray(new String[0]);
    this.strengths = b.strengths.stream().mapToDouble(Double::doubleValue).toArray();
    this.levelHasTokenPriors = new boolean[names.length];
    int n = b.tokenSpecs.size();
    long[] keys = new long[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      String[] spec = b.tokenSpecs.get(i);
      int level = b.names.indexOf(spec[0]);
      if (level < 0) {
        throw new IllegalArgumentException("token prior for '" + spec[1] + "' names level '"
            + spec[0] + "', which the chain does not have " + b.names);
      }
      levelHasTokenPriors[level] = true;
      keys[i] = FeatureKeys.of(spec[0], spec[1]);
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Long.compare(keys[x], keys[y]));
    this.tokenKeys = new long[n];
    this.tokenBase = new Prior[n];
    this.tokenCurrent = new AtomicReferenceArray<>(n);
    this.tokenNames = new String[n][];
    for (int i = 0; i < n; i++) {
      tokenKeys[i] = keys[order[i]];
      tokenBase[i] = b.tokenValues.get(order[i]);
      tokenCurrent.set(i, tokenBase[i]);
      tokenNames[i] = b.tokenSpecs.get(order[i]).clone();
      if (i > 0 && tokenKeys[i] == tokenKeys[i - 1]) {
        throw new IllegalArgumentException("token prior given twice: "
            + Arrays.toString(b.tokenSpecs.get(order[i])));
      }
    }
    this.tokenPriorSpecs = List.copyOf(b.tokenSpecs);
    this.tokenPriorValues = List.copyOf(b.tokenValues);
  }

  /** A copy of {@code from} with its own token prior values, each as built. */
  private FeatureChain(FeatureChain from) {
    // Everything but the current token priors is immutable after construction: shared, so a
    // copy per peer costs one array of references, not the keys and names again.
    this.root = from.root;
    this.names = from.names;
    this.strengths = from.strengths;
    this.levelHasTokenPriors = from.levelHasTokenPriors;
    this.tokenKeys = from.tokenKeys;
    this.tokenBase = from.tokenBase;
    this.tokenNames = from.tokenNames;
    this.tokenPriorSpecs = from.tokenPriorSpecs;
    this.tokenPriorValues = from.tokenPriorValues;
    this.tokenCurrent = new AtomicReferenceArray<>(from.tokenBase);
  }

  /**
   * This chain with token priors of its own, each at the value the chain was built with (as
   * {@code toBuilder().build()}, without building again): give one to each model that sets
   * token priors at run time ({@link #setTokenPrior}). Levels, strengths and the set of tokens
   * are shared with this chain.
   */
  public FeatureChain copy() {
    return new FeatureChain(this);
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
    private final List<String[]> tokenSpecs = new ArrayList<>();
    private final List<Prior> tokenValues = new ArrayList<>();

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

    /**
     * Gives the row of {@code token} at {@code level} its own prior: it starts from {@code
     * prior}'s mean with {@code prior}'s strength instead of from its parent's estimate (see the
     * class comment). The level must be added (before or after) by {@link #level}.
     *
     * @throws IllegalArgumentException for a blank level or token, or a null prior; {@link
     *     #build} refuses a level the chain lacks and a (level, token) given twice
     */
    public Builder tokenPrior(String level, String token, Prior prior) {
      if (level == null || level.isBlank() || token == null || token.isBlank()) {
        throw new IllegalArgumentException("token prior needs a level and a token, got level '"
            + level + "', token '" + token + "'");
      }
      if (prior == null) {
        throw new IllegalArgumentException("token prior for '" + token + "' must not be null");
      }
      tokenSpecs.add(new String[] {level, token});
      tokenValues.add(prior);
      return this;
    }

    /** The chain; at least one level. */
    public FeatureChain build() {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("a feature chain needs at least one level");
      }
      return new FeatureChain(this);
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
   * A builder holding this chain's root prior, levels and token priors, to add to them (for
   * example token priors on a chain read from a configuration file).
   */
  public Builder toBuilder() {
    Builder b = new Builder(root);
    for (int i = 0; i < names.length; i++) {
      b.level(names[i], strengths[i]);
    }
    for (int i = 0; i < tokenPriorSpecs.size(); i++) {
      b.tokenPrior(tokenPriorSpecs.get(i)[0], tokenPriorSpecs.get(i)[1], tokenPriorValues.get(i));
    }
    return b;
  }

  /** The number of token priors. */
  public int tokenPriorCount() {
    return tokenKeys.length;
  }

  /**
   * The index of the token prior of the row {@code key} at level {@code level}, or -1 when it has
   * none (then the row shrinks toward its parent with {@link #strength(int)}). Allocation-free.
   */
  public int tokenPriorIndex(int level, long key) {
    if (!levelHasTokenPriors[level]) {
      return -1;
    }
    int i = Arrays.binarySearch(tokenKeys, key);
    return i >= 0 ? i : -1;
  }

  /**
   * The slot of the token prior of {@code token} at level {@code level}, or -1 when the chain
   * has none (for {@link #setTokenPrior}; not for the hot path, it hashes the names).
   */
  public int tokenPriorIndex(String level, String token) {
    int l = Arrays.asList(names).indexOf(level);
    return l < 0 ? -1 : tokenPriorIndex(l, FeatureKeys.of(level, token));
  }

  /**
   * The current prior of token-prior slot {@code index} (from {@link #tokenPriorIndex}): the
   * one the chain was built with unless {@link #setTokenPrior} replaced it. One volatile read;
   * mean and strength come from the same immutable value.
   */
  public Prior tokenPrior(int index) {
    return tokenCurrent.get(index);
  }

  /** The mean of token prior {@code index}'s current value ({@link #tokenPrior}). */
  public double tokenPriorMean(int index) {
    return tokenCurrent.get(index).mean();
  }

  /** The strength of token prior {@code index}'s current value ({@link #tokenPrior}). */
  public double tokenPriorStrength(int index) {
    return tokenCurrent.get(index).strength();
  }

  /** The prior slot {@code index} was built with ({@link Builder#tokenPrior}). */
  public Prior baseTokenPrior(int index) {
    return tokenBase[index];
  }

  /** The (level, token) of slot {@code index}, as given to {@link Builder#tokenPrior}. */
  public String tokenPriorToken(int index) {
    return tokenNames[index][1];
  }

  /**
   * Replaces the value of token-prior slot {@code index}: every path whose row has that token
   * starts from {@code prior} from the next prediction on (the row's own evidence still moves
   * it, as it moves a built-in token prior). Thread-safe (a volatile store of an immutable
   * value); allocates nothing itself.
   *
   * @throws IllegalArgumentException for a null prior or an index that is not a slot
   */
  public void setTokenPrior(int index, Prior prior) {
    if (prior == null) {
      throw new IllegalArgumentException("token prior for slot " + index + " must not be null");
    }
    if (index < 0 || index >= tokenKeys.length) {
      throw new IllegalArgumentException("token prior slot " + index + " is not in 0.."
          + (tokenKeys.length - 1));
    }
    tokenCurrent.set(index, prior);
  }

  /** Puts slot {@code index} back to the prior the chain was built with. Thread-safe. */
  public void resetTokenPrior(int index) {
    setTokenPrior(index, tokenBase[index]);
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
      int t = tokenPriorIndex(i, keys[i]);
      Prior tp = t < 0 ? null : tokenCurrent.get(t); // one read: mean and strength agree
      double k = t < 0 ? strengths[i] : tp.strength();
      double parent = t < 0 ? m : tp.mean();
      m = (k * parent + scratch[0]) / (k + scratch[0] + scratch[1]);
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
      int t = tokenPriorIndex(i, keys[i]);
      Prior tp = t < 0 ? null : tokenCurrent.get(t);
      double k = t < 0 ? strengths[i] : tp.strength();
      double parent = t < 0 ? m : tp.mean();
      m = (k * parent + sf[0]) / (k + sf[0] + sf[1]);
    }
    table.readAt(keys[last], epoch, invW, sf);
    int t = tokenPriorIndex(last, keys[last]);
    Prior tp = t < 0 ? null : tokenCurrent.get(t);
    double k = t < 0 ? strengths[last] : tp.strength();
    double parent = t < 0 ? m : tp.mean();
    return Belief.of(k * parent + sf[0], k * (1.0 - parent) + sf[1], sf[0] + sf[1]);
  }

  private void checkKeys(long[] keys) {
    if (keys.length != names.length) {
      throw new IllegalArgumentException(
          "expected " + names.length + " keys (one per level), got " + keys.length);
    }
  }
}
