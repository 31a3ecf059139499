package org.netbelief.model.fit;

import org.netbelief.model.Interval;

/**
 * One bin of a reliability diagram: the predictions that fell in {@code [lower, upper)} (the
 * last bin includes 1), how many there were, their mean, and how often the event happened.
 *
 * @param lower the bin's lower edge
 * @param upper the bin's upper edge
 * @param count how many predictions fell in the bin
 * @param meanPredicted the mean prediction in the bin (NaN when empty)
 * @param observedFrequency the fraction of outcomes that were successes (NaN when empty)
 * @param interval the 95% Wilson score interval of the observed frequency ({@code [0, 1]} when
 *     empty); a calibrated bin has {@code meanPredicted} inside it about 95% of the time
 */
public record ReliabilityBin(
    double lower,
    double upper,
    long count,
    double meanPredicted,
    double observedFrequency,
    Interval interval) {}
