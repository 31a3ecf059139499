package org.netbelief.model.decide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.special.Gamma;
import org.netbelief.model.AttemptBelief;
import org.netbelief.model.RttBelief;

/**
 * Decisions made from beliefs: pure functions, no state, no clock. Every result carries the
 * beliefs it used ({@link Reason}s) so a caller can log why.
 *
 * <pre>{@code
 * List<Ranked<Endpoint>> order = Decisions.rank(candidates);
 * Pacing next = Decisions.pace(rtt.belief(keys, now), attempt, 0.99, 50_000_000L, 4_000_000_000L);
 * GiveUp g = Decisions.giveUp(model.attempt(path, now), budgetLeft, next.delayNanos(), 0.05);
 * if (g.relay()) { log.info("relaying: {}", g.reasons()); }
 * }</pre>
 *
 * <p>These functions know nothing of the punch engine; a punch policy calls them.
 */
public final class Decisions {
  private Decisions() {}

  /**
   * Ranks candidates by P(success)/expected cost, best first (ties keep the input order).
   *
   * @throws IllegalArgumentException for a null list or element
   */
  public static <T> List<Ranked<T>> rank(List<Candidate<T>> candidates) {
    if (candidates == null) {
      throw new IllegalArgumentException("candidates must not be null");
    }
    List<Ranked<T>> out = new ArrayList<>(candidates.size());
    for (Candidate<T> c : candidates) {
      if (c == null) {
        throw new IllegalArgumentException("candidate must not be null");
      }
      double p = c.belief().mean();
      out.add(new Ranked<>(c.endpoint(), p / c.expectedCost(), List.of(
          new Reason("pSuccess", p),
          new Reason("pSuccessSd", Math.sqrt(c.belief().variance())),
          new Reason("expectedCost", c.expectedCost()))));
    }
    out.sort(Comparator.comparingDouble((Ranked<T> r) -> r.score()).reversed());
    return out;
  }

  /**
   * The delay before retry number {@code attempt} (0 for the first retry): the {@code quantile}
   * of the RTT belief (the time by which an answer would have come with that probability),
   * doubled per earlier retry as RFC 6298 backs off, and clamped to [{@code minNanos}, {@code
   * maxNanos}].
   *
   * @throws IllegalArgumentException for a null belief, a negative attempt, a quantile outside
   *     (0, 1), or bounds with {@code 0 < minNanos <= maxNanos} violated
   */
  public static Pacing pace(RttBelief rtt, int attempt, double quantile, long minNanos,
      long maxNanos) {
    if (rtt == null) {
      throw new IllegalArgumentException("RTT belief must not be null");
    }
    checkPacing(attempt, minNanos, maxNanos);
    long timer = rtt.quantileNanos(quantile);
    long delay = backedOffNanos(timer, attempt, minNanos, maxNanos);
    return new Pacing(delay, List.of(
        new Reason("rttMedianNanos", rtt.medianNanos()),
        new Reason("rttQuantile", quantile),
        new Reason("rttQuantileNanos", timer),
        new Reason("rttEvidence", rtt.evidence()),
        new Reason("backoffDoublings", attempt)));
  }

  /**
   * The delay of {@link #pace} from the timer alone: {@code timerNanos} doubled per earlier
   * retry, clamped to [{@code minNanos}, {@code maxNanos}]. For a caller that needs only the
   * delay, with the timer from {@link org.netbelief.model.RttModel#quantileNanos} (the same
   * nanoseconds as the belief's), without the belief and the reasons {@link #pace} builds.
   *
   * @throws IllegalArgumentException for a negative attempt, or bounds with {@code 0 < minNanos
   *     <= maxNanos} violated
   */
  public static long paceNanos(long timerNanos, int attempt, long minNanos, long maxNanos) {
    checkPacing(attempt, minNanos, maxNanos);
    return backedOffNanos(timerNanos, attempt, minNanos, maxNanos);
  }

  private static void checkPacing(int attempt, long minNanos, long maxNanos) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0, got " + attempt);
    }
    if (!(minNanos > 0 && minNanos <= maxNanos)) {
      throw new IllegalArgumentException(
          "pacing bounds must satisfy 0 < min <= max, got [" + minNanos + ", " + maxNanos + "]");
    }
  }

  private static long backedOffNanos(long timerNanos, int attempt, long minNanos,
      long maxNanos) {
    double backedOff = (double) timerNanos * Math.pow(2.0, Math.min(attempt, 62));
    return (long) Math.max(minNanos, Math.min((double) maxNanos, backedOff));
  }

  /**
   * Whether punching is hopeless: the probability that at least one of the attempts that fit
   * in {@code remainingNanos} (one per {@code retryNanos}) succeeds is below {@code threshold}.
   *
   * <p>Attempts are independent given P ~ Beta(α, β) (the moment-matched attempt belief), so
   * the probability that all n fail is E[(1 − P)^n] = B(α, β + n)/B(α, β) and
   *
   * <pre>
   *   P(success within budget) = 1 − Γ(α+β)·Γ(β+n) / (Γ(β)·Γ(α+β+n))
   * </pre>
   *
   * which is below 1 − (1 − E[P])^n: uncertainty about P makes more tries worth less, since
   * they fail together when P is low.
   *
   * @throws IllegalArgumentException for a null belief, a negative budget, a retry interval
   *     &le; 0 or a threshold outside [0, 1]
   */
  public static GiveUp giveUp(AttemptBelief p, long remainingNanos, long retryNanos,
      double threshold) {
    if (p == null) {
      throw new IllegalArgumentException("attempt belief must not be null");
    }
    checkBudget(remainingNanos, retryNanos, threshold);
    long n = remainingNanos / retryNanos;
    double within = pAnyOf(p.matchedAlpha(), p.matchedBeta(), n);
    return new GiveUp(within < threshold, within, n, List.of(
        new Reason("pSuccess", p.mean()),
        new Reason("pSuccessSd", Math.sqrt(p.variance())),
        new Reason("attemptsLeft", n),
        new Reason("pWithinBudget", within),
        new Reason("threshold", threshold)));
  }

  /**
   * Give up during a punching session in which {@code failedRounds} rounds have already failed,
   * on the model that the pair either works or never will. Before the session it works with
   * probability {@code pWorks}; a round of a pair that works still fails with probability ε
   * (a lost packet, a punch that arrived before the peer's NAT opened), rounds independent
   * given ε ~ Beta(εa, εb). With E[ε^r] = Γ(εa+r)Γ(εa+εb) / (Γ(εa)Γ(εa+εb+r)):
   *
   * <pre>
   *   P(works | r failed)            = π·E[ε^r] / (π·E[ε^r] + 1 − π)
   *   P(success within n more | r)   = P(works | r) · (1 − E[ε^(r+n)] / E[ε^r])
   * </pre>
   *
   * with n = ⌊remaining / retry⌋. Unlike {@link #giveUp}, whose per-round belief P is a smooth
   * Beta, this uses that a working pair's rounds rarely fail, so a few failed rounds in a row
   * make a hopeless pair plain quickly. The uncertainty in ε makes failures of a working pair
   * come together (E[ε²] &gt; E[ε]²), which slows the conclusion appropriately.
   *
   * <pre>{@code
   * GiveUp g = Decisions.giveUpInSession(0.7, 2, 1, 9, 15_000_000_000L, 2_000_000_000L, 0.1);
   * // P(works | 2 failed) = 0.7·0.018 / (0.7·0.018 + 0.3) = 0.041: g.relay() is true
   * }</pre>
   *
   * @throws IllegalArgumentException for pWorks outside [0, 1], a negative round count or
   *     budget, ε parameters not finite and &gt; 0, a retry interval &le; 0 or a threshold
   *     outside [0, 1]
   */
  public static GiveUp giveUpInSession(double pWorks, int failedRounds, double epsA,
      double epsB, long remainingNanos, long retryNanos, double threshold) {
    if (!(pWorks >= 0.0 && pWorks <= 1.0)) {
      throw new IllegalArgumentException("pWorks must lie in [0, 1], got " + pWorks);
    }
    if (failedRounds < 0) {
      throw new IllegalArgumentException("failed rounds must be >= 0, got " + failedRounds);
    }
    if (!(epsA > 0.0) || Double.isInfinite(epsA) || !(epsB > 0.0) || Double.isInfinite(epsB)) {
      throw new IllegalArgumentException("round-failure Beta(" + epsA + ", " + epsB
          + ") needs finite parameters > 0");
    }
    checkBudget(remainingNanos, retryNanos, threshold);
    long n = remainingNanos / retryNanos;
    double logR = logMoment(epsA, epsB, failedRounds);
    double likeWorks = pWorks * Math.exp(logR);
    double denom = likeWorks + (1.0 - pWorks);
    double works = denom > 0.0 ? likeWorks / denom : 0.0;
    double within = n <= 0 ? 0.0
        : works * (1.0 - Math.exp(logMoment(epsA, epsB, failedRounds + n) - logR));
    return new GiveUp(within < threshold, within, n, List.of(
        new Reason("pWorksBeforeSession", pWorks),
        new Reason("failedRounds", failedRounds),
        new Reason("roundFailureMean", epsA / (epsA + epsB)),
        new Reason("pWorks", works),
        new Reason("attemptsLeft", n),
        new Reason("pWithinBudget", within),
        new Reason("threshold", threshold)));
  }

  /** ln E[ε^r] for ε ~ Beta(a, b). */
  static double logMoment(double a, double b, long r) {
    if (r == 0) {
      return 0.0;
    }
    return Gamma.logGamma(a + r) + Gamma.logGamma(a + b) - Gamma.logGamma(a)
        - Gamma.logGamma(a + b + r);
  }

  /** 1 − E[(1 − P)^n] for P ~ Beta(a, b). */
  static double pAnyOf(double a, double b, long n) {
    if (n <= 0) {
      return 0.0;
    }
    double logAllFail = Gamma.logGamma(a + b) + Gamma.logGamma(b + n)
        - Gamma.logGamma(b) - Gamma.logGamma(a + b + n);
    return -Math.expm1(logAllFail);
  }

  private static void checkBudget(long remainingNanos, long retryNanos, double threshold) {
    if (remainingNanos < 0) {
      throw new IllegalArgumentException("remaining budget must be >= 0, got " + remainingNanos);
    }
    if (retryNanos <= 0) {
      throw new IllegalArgumentException("retry interval must be > 0, got " + retryNanos);
    }
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
      throw new IllegalArgumentException("threshold must lie in [0, 1], got " + threshold);
    }
  }
}
