package org.netbelief.model;

/**
 * Read-only view of per-segment beliefs, the bridge from the shared-segment model to the
 * four reachability factors ({@code UPLINK}, {@code DOWNLINK}, {@code OPENED}, {@code OPENABLE}).
 *
 * <p>When the topology is known, the factor model can read {@code UPLINK} from the segments our
 * packets cross before they leave our network (our interface, our NAT) and {@code DOWNLINK} from
 * the segments in front of the target (a carrier-grade NAT, the remote network), instead of
 * keeping only its own per-factor evidence. The intended use:
 *
 * <pre>{@code
 * SegmentReadout segments = belief;                 // a SegmentBelief
 * long[] uplink = {IFACE_WIFI, OUR_NAT};            // segment keys before our packets leave
 * double pUplink = segments.probabilityAllWork(uplink, now);
 * SegmentEstimate nat = segments.estimate(OUR_NAT, 0.9, now);   // mean and 90% interval
 * // Use pUplink as the UPLINK factor's mean (or as a prior mean with the factor's own strength)
 * // when every segment is known; fall back to the factor's own belief otherwise:
 * if (!segments.knowsSegment(OUR_NAT)) { ... }
 * }</pre>
 *
 * <p>The readout carries the correlations the segment belief learnt: {@link #probabilityAllWork}
 * integrates the joint Gaussian, so two segments that are only ever observed together (and so
 * are anti-correlated in the posterior) are not multiplied as if independent.
 *
 * <p>Implementations document their thread-safety; {@link SegmentBelief} is single-threaded.
 */
public interface SegmentReadout {
  /**
   * Tells whether the segment is known to this readout.
   *
   * @param segmentKey the segment's feature key
   * @return whether {@link #probabilityWorks} and {@link #estimate} can answer for it
   */
  boolean knowsSegment(long segmentKey);

  /**
   * Returns the probability that the segment passes a packet now: the posterior mean of its
   * success probability.
   *
   * @param segmentKey a known segment
   * @param nowNanos monotonic time of the question
   * @return a probability in [0, 1]
   * @throws IllegalArgumentException if the segment is unknown
   */
  double probabilityWorks(long segmentKey, long nowNanos);

  /**
   * Returns the segment's success probability with a central credible interval.
   *
   * @param segmentKey a known segment
   * @param credibility the interval's mass, in (0, 1), e.g. 0.9
   * @param nowNanos monotonic time of the question
   * @return the estimate
   * @throws IllegalArgumentException if the segment is unknown or the credibility out of range
   */
  SegmentEstimate estimate(long segmentKey, double credibility, long nowNanos);

  /**
   * Returns the probability that every listed segment passes a packet (a path that was perhaps
   * never tried), integrating over the joint belief including its correlations.
   *
   * @param segmentKeys distinct known segments, at most {@link SegmentGraph#MAX_PATH_SEGMENTS}
   * @param nowNanos monotonic time of the question
   * @return a probability in [0, 1]
   * @throws IllegalArgumentException if a segment is unknown or listed twice
   */
  double probabilityAllWork(long[] segmentKeys, long nowNanos);
}
