package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Compiles and runs the API example of README.md; keep the two identical. */
class ReadmeExampleTest {

  @Test
  void readmeExample_runsAsWritten() {
    // --- README example start
    EvidenceTable table = EvidenceTable.builder()
        .halfLife(Duration.ofMinutes(10))       // evidence 10 minutes old weighs half
        .maxRows(100_000)                       // bounded memory; least informative rows go first
        .build();
    FeatureChain chain = FeatureChain.builder(Prior.of(0.7, 2))   // before any evidence: 0.7
        .level("global", 2)
        .level("remotePrefix", 4)
        .level("remoteEndpoint", 4)
        .build();

    long now = 0;                                                  // your monotonic clock, in ns
    long[] path = chain.keys("*", "198.51.100.0/24", "198.51.100.7:4500");
    chain.observe(table, path, true, now);                         // an intro was acknowledged
    chain.observe(table, path, false, now + 1_000_000_000L);       // a later one was not

    long later = now + Duration.ofMinutes(30).toNanos();
    Belief belief = chain.belief(table, path, later);
    double p = belief.mean();                                      // P(success): about 0.66
    Interval ci = belief.interval(0.95);                           // exact 95% credible interval
    double evidence = belief.evidence();                           // decayed observations: 0.25
    // --- README example end

    assertThat(p).isCloseTo(0.66, org.assertj.core.api.Assertions.within(0.01));
    assertThat(ci.contains(p)).isTrue();
    assertThat(evidence).isCloseTo(0.25, org.assertj.core.api.Assertions.within(1e-3));
  }
}
