/**
 * Beliefs about network paths: decaying evidence tables, priors, posteriors with credible
 * intervals, and the decisions made from them. No I/O, no threads, no clock: every call takes
 * time as monotonic nanoseconds.
 *
 * <p>Start with {@link org.netbelief.model.EvidenceTable} and {@link
 * org.netbelief.model.FeatureChain} for one kind of evidence; {@link
 * org.netbelief.model.ReachabilityModel} for the four factors of an introduction attempt ({@link
 * org.netbelief.model.Factor}), with blame on failure and a {@link
 * org.netbelief.model.ChangeDetector} per row; {@link org.netbelief.model.RttModel} for round-trip
 * times and timers; and {@code org.netbelief.model.decide} for decisions made from them.
 */
package org.netbelief.model;
