package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The worked example of docs/model.md (§9), printed step by step. */
class SegmentBeliefWorkedExampleTest {
  static final long S = 1_000_000_000L;
  static final long UPLINK = 1;
  static final long CGNAT = 2;
  static final long PEER5 = 5;
  static final long PEER7 = 7;
  static final long PEER9 = 9;
  static final long PEER3 = 3;
  static final long PEER11 = 11;

  @Test
  void workedExample_twoFailuresBehindCgnat_blameMovesToCgnat() {
    SegmentBelief b = new SegmentBelief(8);
    long halfLife = 600 * S;
    b.addSegment(UPLINK, 0.99, 1.5, halfLife, 0);
    b.addSegment(CGNAT, 0.98, 1.5, halfLife, 0);
    for (long peer : new long[] {PEER3, PEER5, PEER7, PEER9, PEER11}) {
      b.addSegment(peer, 0.9, 1.5, halfLife, 0);
      b.setBreakPrior(peer, 1e-2);
    }
    b.setBreakPrior(UPLINK, 1e-4);
    b.setBreakPrior(CGNAT, 1e-4);
    b.addPath(15, new long[] {UPLINK, PEER5});
    b.addPath(127, new long[] {UPLINK, CGNAT, PEER7});
    b.addPath(129, new long[] {UPLINK, CGNAT, PEER9});
    b.addPath(1211, new long[] {UPLINK, CGNAT, PEER11});
    print(b, "prior", 0);
    b.observe(15, true, 1 * S);
    b.observe(15, true, 2 * S);
    print(b, "after 2 successes to P5 (U,P5)", 2 * S);
    b.observe(127, false, 3 * S);
    print(b, "after P7 fails (U,C,P7)", 3 * S);
    b.observe(129, false, 4 * S);
    print(b, "after P9 fails (U,C,P9)", 4 * S);
    b.observe(1211, false, 5 * S);
    print(b, "after P11 fails (U,C,P11)", 5 * S);
    b.observe(127, false, 6 * S);
    print(b, "after P7 fails again", 6 * S);
    b.observe(129, false, 7 * S);
    print(b, "after P9 fails again", 7 * S);
    double fresh = b.probabilityAllWork(new long[] {UPLINK, CGNAT, PEER3}, 7 * S);
    double independent = b.probabilityWorks(UPLINK, 7 * S) * b.probabilityWorks(CGNAT, 7 * S)
        * b.probabilityWorks(PEER3, 7 * S);
    System.out.printf(Locale.ROOT,
        "P(path U,C,P3 never tried succeeds) = %.3f (product of marginals %.3f)%n",
        fresh, independent);
    System.out.printf(Locale.ROOT, "cov(C,P7) = %.3f, cov(U,C) = %.3f%n",
        b.logOddsCovariance(CGNAT, PEER7, 7 * S), b.logOddsCovariance(UPLINK, CGNAT, 7 * S));
    assertThat(b.mostLikelyAtFault(7 * S)).hasValue(CGNAT);
    assertThat(b.probabilityWorks(CGNAT, 7 * S)).isLessThan(b.probabilityWorks(UPLINK, 7 * S));
  }

  private static void print(SegmentBelief b, String label, long now) {
    StringBuilder sb = new StringBuilder();
    for (long k : new long[] {UPLINK, CGNAT, PEER5, PEER7, PEER9, PEER11}) {
      SegmentEstimate e = b.estimate(k, 0.9, now);
      sb.append(String.format(Locale.ROOT, " | %s %.2f [%.2f, %.2f]", name(k),
          e.probabilityWorks(), e.lower(), e.upper()));
    }
    String culprit = b.mostLikelyAtFault(now).isPresent()
        ? name(b.mostLikelyAtFault(now).getAsLong()) : "-";
    System.out.printf(Locale.ROOT, "%-30s%s | at fault: %s%n", label, sb, culprit);
  }

  private static String name(long k) {
    return k == UPLINK ? "U" : k == CGNAT ? "C" : "P" + k;
  }
}
