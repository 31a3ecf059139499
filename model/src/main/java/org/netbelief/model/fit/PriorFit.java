package org.netbelief.model.fit;

import org.netbelief.model.Prior;

/**
 * The outcome of an empirical-Bayes prior fit ({@link PriorFitter}): the fitted Beta prior with
 * standard errors, or a clear statement that the fit did not converge.
 *
 * <pre>{@code
 * PriorFit fit = PriorFitter.fit(counts);
 * Prior prior = fit.priorOr(previousPrior);   // keep the old prior when the fit failed
 * if (!fit.converged()) {
 *   System.err.println("prior fit failed: " + fit.message());
 * }
 * }</pre>
 *
 * <p>Immutable.
 */
public final class PriorFit {
  private final boolean converged;
  private final String message;
  private final double mean;
  private final double strength;
  private final double meanStdError;
  private final double strengthStdError;
  private final double logLikelihood;
  private final int rows;
  private final double evidence;
  private final int evaluations;

  PriorFit(boolean converged, String message, double mean, double strength,
      double meanStdError, double strengthStdError, double logLikelihood, int rows,
      double evidence, int evaluations) {
    this.converged = converged;
    this.message = message;
    this.mean = mean;
    this.strength = strength;
    this.meanStdError = meanStdError;
    this.strengthStdError = strengthStdError;
    this.logLikelihood = logLikelihood;
    this.rows = rows;
    this.evidence = evidence;
    this.evaluations = evaluations;
  }

  static PriorFit failed(String message, int rows, double evidence, int evaluations) {
    return new PriorFit(false, message, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, rows, evidence, evaluations);
  }

  /** Whether the optimiser converged to an interior maximum with a finite standard error. */
  public boolean converged() {
    return converged;
  }

  /** What happened, in words: a summary when converged, the reason otherwise. */
  public String message() {
    return message;
  }

  /**
   * The fitted prior.
   *
   * @throws IllegalStateException when the fit did not converge (the message says why)
   */
  public Prior prior() {
    if (!converged) {
      throw new IllegalStateException("prior fit did not converge: " + message);
    }
    return Prior.of(mean, strength);
  }

  /** The fitted prior when the fit converged, else {@code previous}. */
  public Prior priorOr(Prior previous) {
    return converged ? Prior.of(mean, strength) : previous;
  }

  /** The fitted prior mean μ0; NaN when not converged. */
  public double mean() {
    return mean;
  }

  /** The fitted strength k; NaN when not converged. */
  public double strength() {
    return strength;
  }

  /** Standard error of the mean from the observed information (delta method); NaN if none. */
  public double meanStdError() {
    return meanStdError;
  }

  /** Standard error of the strength from the observed information (delta method). */
  public double strengthStdError() {
    return strengthStdError;
  }

  /**
   * The maximised beta-binomial log marginal likelihood, without the binomial coefficients
   * (which do not depend on the prior); NaN when not converged.
   */
  public double logLikelihood() {
    return logLikelihood;
  }

  /** The number of rows with evidence that entered the fit. */
  public int rows() {
    return rows;
  }

  /** The total evidence (successes + failures over all rows) that entered the fit. */
  public double evidence() {
    return evidence;
  }

  /** How many times the optimiser evaluated the likelihood. */
  public int evaluations() {
    return evaluations;
  }

  @Override
  public String toString() {
    return converged
        ? String.format("PriorFit[mean=%.4f ± %.4f, strength=%.4g ± %.3g, rows=%d, logL=%.6g]",
            mean, meanStdError, strength, strengthStdError, rows, logLikelihood)
        : "PriorFit[not converged: " + message + "]";
  }
}
