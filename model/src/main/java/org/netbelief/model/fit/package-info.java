/**
 * The researcher's toolkit: fit priors and half-lives from event streams, judge how well beliefs
 * predict, and export evidence for pandas or R.
 *
 * <ul>
 *   <li>{@link org.netbelief.model.fit.Calibration}: log loss, Brier score, expected calibration
 *       error and the reliability diagram of (predicted probability, outcome) pairs; mergeable,
 *       allocation-free accumulation.
 *   <li>{@link org.netbelief.model.fit.RowCounts} and {@link
 *       org.netbelief.model.fit.PriorFitter}: empirical Bayes — the Beta prior (mean, strength)
 *       that maximises the beta-binomial marginal likelihood of per-row counts, streamed one
 *       event at a time, with standard errors and an explicit convergence verdict ({@link
 *       org.netbelief.model.fit.PriorFit}).
 *   <li>{@link org.netbelief.model.fit.HalfLifeSelector}: the half-life that minimises
 *       one-step-ahead predictive log loss over a time-ordered stream, a grid in one pass and a
 *       golden-section refinement over a replayable stream.
 *   <li>{@link org.netbelief.model.fit.EvidenceCsv}: evidence tables and beliefs as CSV.
 * </ul>
 *
 * <p>The walk from events to a fitted model, with the mathematics and the measured figures, is
 * {@code docs/tuning-priors.md}.
 */
package org.netbelief.model.fit;
