package org.netbelief.model.fit;

import java.util.HashMap;
import java.util.Map;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.FeatureKeys;

/**
 * Remembers which (level, token) each feature key was made from, so that exports can show
 * {@code remotePrefix, 198.51.100.0/24} instead of a bare hash. Keys are one-way hashes: a key
 * not recorded here has no known tokens.
 *
 * <pre>{@code
 * KeyDictionary dict = new KeyDictionary();
 * long[] keys = dict.record(chain, "*", "198.51.100.0/24", "198.51.100.7:4500");
 * chain.observe(table, keys, true, now);
 * EvidenceCsv.write(table, prior, now, dict, writer);
 * }</pre>
 *
 * <p>A plain {@code HashMap}: meant for exports and analysis, not for the hot path (it boxes).
 * Not thread-safe.
 */
public final class KeyDictionary {
  private final Map<Long, String[]> entries = new HashMap<>();

  /** An empty dictionary. */
  public KeyDictionary() {}

  /**
   * Records the key {@code FeatureKeys.of(level, token)} and returns it.
   *
   * @throws IllegalArgumentException for a null part
   */
  public long record(String level, String token) {
    long key = FeatureKeys.of(level, token);
    entries.put(key, new String[] {level, token});
    return key;
  }

  /** Records every key of a path, as {@link FeatureChain#keys(String...)} makes them. */
  public long[] record(FeatureChain chain, String... tokens) {
    long[] keys = chain.keys(tokens);
    for (int i = 0; i < keys.length; i++) {
      entries.put(keys[i], new String[] {chain.levelName(i), tokens[i]});
    }
    return keys;
  }

  /** The level name of {@code key}, or null when unknown. */
  public String level(long key) {
    String[] e = entries.get(key);
    return e == null ? null : e[0];
  }

  /** The token of {@code key}, or null when unknown. */
  public String token(long key) {
    String[] e = entries.get(key);
    return e == null ? null : e[1];
  }

  /** The number of keys recorded. */
  public int size() {
    return entries.size();
  }
}
