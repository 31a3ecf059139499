package org.netbelief.punch.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole model configuration: one {@link FactorConfig} per factor name (for example {@code
 * UPLINK}, {@code DOWNLINK}, {@code OPENED}, {@code OPENABLE}), in file order. Read and written
 * by {@link ModelConfigFiles}.
 *
 * @param description free text (where the values came from), may be empty
 * @param factors the factors by name, in order
 */
public record ModelConfig(String description, Map<String, FactorConfig> factors) {
  /** Copies the map, keeping its order (immutable). */
  public ModelConfig {
    description = description == null ? "" : description;
    factors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(factors));
  }

  /**
   * The factor called {@code name}.
   *
   * @throws IllegalArgumentException naming the factors there are when it is absent
   */
  public FactorConfig factor(String name) {
    FactorConfig f = factors.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "model configuration has no factor '" + name + "'; it has " + factors.keySet());
    }
    return f;
  }
}
