package org.netbelief.model.fit;

/**
 * Receives a time-ordered stream of outcomes, one event at a time: the path's feature keys
 * (general to specific, one per level of a {@link org.netbelief.model.FeatureChain}), whether
 * the attempt succeeded, and when.
 *
 * <p>A sink may not keep {@code keys}: the producer may reuse the array for the next event.
 */
@FunctionalInterface
public interface EventSink {
  /** One event. */
  void accept(long[] keys, boolean success, long nowNanos);
}
