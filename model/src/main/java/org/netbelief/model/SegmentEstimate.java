package org.netbelief.model;

/**
 * A segment's success probability at one moment: the posterior mean and a central credible
 * interval.
 *
 * @param segmentKey the segment's feature key
 * @param probabilityWorks posterior mean of the probability that the segment passes a packet
 * @param lower lower end of the central credible interval
 * @param upper upper end of the central credible interval
 * @param credibility the interval's mass, e.g. 0.9
 */
public record SegmentEstimate(
    long segmentKey, double probabilityWorks, double lower, double upper, double credibility) {}
