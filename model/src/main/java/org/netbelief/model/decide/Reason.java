package org.netbelief.model.decide;

/**
 * One belief a decision used, by name and value, so that a caller can log why it decided.
 *
 * @param name what the value is, e.g. {@code "pSuccess"} or {@code "rttQuantileNanos"}
 * @param value the value used
 */
public record Reason(String name, double value) {
  @Override
  public String toString() {
    return name + "=" + value;
  }
}
