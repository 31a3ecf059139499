package org.netbelief.punch.sim;

import java.util.Arrays;
import java.util.List;

/**
 * The figures of one policy over one run, as written under {@code policies} in
 * {@code report.json} and in {@code summary.csv}. Undefined figures (a median of nothing, a
 * calibration without predictions) are NaN and written as {@code null} / empty.
 *
 * @param attempts connection requests
 * @param directSuccessRate share of requests that got a direct path
 * @param oracleSuccessRate share of requests whose NATs allow a direct path (the oracle's rate)
 * @param connectP50Seconds median time from request to direct path, over direct successes
 * @param connectP95Seconds 95th percentile of the same
 * @param packetsPerConnection packets sent over all requests, per request that got carried
 * @param keepalivesPerConnectionHour keepalives per hour a connection was carried
 * @param holesLostPerConnectionHour lost holes per hour a connection was direct
 * @param relayShare share of requests carried by the relay and never direct
 * @param giveUpMedianSeconds median time from request to giving up, over the hopeless pairs
 *     (those the oracle says cannot punch) that gave up
 * @param firstAttemptShare share of direct successes that needed one attempt
 * @param brierScore mean squared error of the predicted probabilities against outcomes
 * @param expectedCalibrationError 10 equal-width bins, weighted mean |mean prediction - rate|
 * @param logLoss mean negative log-likelihood of outcomes under the predictions (clipped 1e-6)
 * @param oracleLogLoss the same under the oracle's probabilities
 */
public record PolicySummary(
    long attempts,
    double directSuccessRate,
    double oracleSuccessRate,
    double connectP50Seconds,
    double connectP95Seconds,
    double packetsPerConnection,
    double keepalivesPerConnectionHour,
    double holesLostPerConnectionHour,
    double relayShare,
    double giveUpMedianSeconds,
    double firstAttemptShare,
    double brierScore,
    double expectedCalibrationError,
    double logLoss,
    double oracleLogLoss) {

  /** Field names in output order (JSON keys and CSV header). */
  public static final List<String> FIELDS = List.of("attempts", "directSuccessRate",
      "oracleSuccessRate", "connectP50Seconds", "connectP95Seconds", "packetsPerConnection",
      "keepalivesPerConnectionHour", "holesLostPerConnectionHour", "relayShare",
      "giveUpMedianSeconds", "firstAttemptShare", "brierScore", "expectedCalibrationError",
      "logLoss", "oracleLogLoss");

  private static final double CLIP = 1e-6;
  private static final int ECE_BINS = 10;

  /** Values in {@link #FIELDS} order. */
  public double[] values() {
    return new double[] {attempts, directSuccessRate, oracleSuccessRate, connectP50Seconds,
        connectP95Seconds, packetsPerConnection, keepalivesPerConnectionHour,
        holesLostPerConnectionHour, relayShare, giveUpMedianSeconds, firstAttemptShare,
        brierScore, expectedCalibrationError, logLoss, oracleLogLoss};
  }

  /**
   * Computes the figures of {@code records}; connections still open count as carried until
   * {@code runEndNanos}.
   */
  public static PolicySummary of(List<ConnectionRecord> records, long runEndNanos) {
    int n = records.size();
    long direct = 0;
    long oracleOk = 0;
    long carried = 0;
    long relayOnly = 0;
    long packets = 0;
    long keepalives = 0;
    long holesLost = 0;
    long firstAttempt = 0;
    double carriedHours = 0;
    double directHours = 0;
    double[] connect = new double[n];
    int nc = 0;
    double[] giveUp = new double[n];
    int ng = 0;
    for (ConnectionRecord r : records) {
      long end = r.endedAt() >= 0 ? r.endedAt() : runEndNanos;
      packets += r.packets();
      keepalives += r.keepalives();
      holesLost += r.holesLost();
      if (r.oraclePunchable()) {
        oracleOk++;
      }
      long carriedFrom = first(r.directAt(), r.relayAt());
      if (carriedFrom >= 0) {
        carried++;
        carriedHours += Math.max(0, end - carriedFrom) / 3.6e12;
      }
      if (r.directAt() >= 0) {
        direct++;
        directHours += Math.max(0, end - r.directAt()) / 3.6e12;
        connect[nc++] = (r.directAt() - r.requestedAt()) / 1e9;
        if (r.attempts() <= 1) {
          firstAttempt++;
        }
      } else if (r.relayAt() >= 0) {
        relayOnly++;
      }
      if (r.gaveUpAt() >= 0 && !r.oraclePunchable()) {
        giveUp[ng++] = (r.gaveUpAt() - r.requestedAt()) / 1e9;
      }
    }
    double[] c = Arrays.copyOf(connect, nc);
    double[] g = Arrays.copyOf(giveUp, ng);
    Arrays.sort(c);
    Arrays.sort(g);
    return new PolicySummary(
        n,
        ratio(direct, n),
        ratio(oracleOk, n),
        quantile(c, 0.50),
        quantile(c, 0.95),
        ratio(packets, carried),
        carriedHours > 0 ? keepalives / carriedHours : Double.NaN,
        directHours > 0 ? holesLost / directHours : Double.NaN,
        ratio(relayOnly, n),
        quantile(g, 0.50),
        ratio(firstAttempt, direct),
        brier(records),
        ece(records),
        logLoss(records, false),
        logLoss(records, true));
  }

  private static long first(long a, long b) {
    if (a < 0) {
      return b;
    }
    if (b < 0) {
      return a;
    }
    return Math.min(a, b);
  }

  private static double ratio(long a, long b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  /** Nearest-rank quantile of sorted values; NaN when empty. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  private static double outcome(ConnectionRecord r) {
    return r.directAt() >= 0 ? 1.0 : 0.0;
  }

  private static double brier(List<ConnectionRecord> rs) {
    double s = 0;
    int k = 0;
    for (ConnectionRecord r : rs) {
      double p = r.predictedProbability();
      if (!Double.isNaN(p)) {
        double d = p - outcome(r);
        s += d * d;
        k++;
      }
    }
    return k == 0 ? Double.NaN : s / k;
  }

  private static double ece(List<ConnectionRecord> rs) {
    double[] sumP = new double[ECE_BINS];
    double[] sumY = new double[ECE_BINS];
    int[] cnt = new int[ECE_BINS];
    int k = 0;
    for (ConnectionRecord r : rs) {
      double p = r.predictedProbability();
      if (!Double.isNaN(p)) {
        int b = Math.min(ECE_BINS - 1, (int) (p * ECE_BINS));
        sumP[b] += p;
        sumY[b] += outcome(r);
        cnt[b]++;
        k++;
      }
    }
    if (k == 0) {
      return Double.NaN;
    }
    double e = 0;
    for (int b = 0; b < ECE_BINS; b++) {
      if (cnt[b] > 0) {
        e += (double) cnt[b] / k * Math.abs(sumP[b] / cnt[b] - sumY[b] / cnt[b]);
      }
    }
    return e;
  }

  private static double logLoss(List<ConnectionRecord> rs, boolean oracle) {
    double s = 0;
    int k = 0;
    for (ConnectionRecord r : rs) {
      double p = oracle ? r.oracleProbability() : r.predictedProbability();
      if (!Double.isNaN(p)) {
        double q = Math.min(1 - CLIP, Math.max(CLIP, p));
        s -= outcome(r) == 1.0 ? Math.log(q) : Math.log(1 - q);
        k++;
      }
    }
    return k == 0 ? Double.NaN : s / k;
  }
}
