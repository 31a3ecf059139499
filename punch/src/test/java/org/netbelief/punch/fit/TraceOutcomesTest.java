package org.netbelief.punch.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.Prior;
import org.netbelief.model.fit.ChainCounts;
import org.netbelief.model.fit.HalfLifeSelector;
import org.netbelief.model.fit.PriorFit;
import org.netbelief.punch.PathObserver;
import org.netbelief.punch.trace.TraceReader;
import org.netbelief.punch.trace.TraceWriter;

public class TraceOutcomesTest {

  /**
   * A trace of two hosts probing 2 000 endpoints (in 200 /24 prefixes of 198.51.100.0/16 and
   * 203.0.113.0/16 documentation space), each endpoint's intro success probability drawn from
   * Beta(mean 0.75, strength 8), 10 intros per host and endpoint, plus keepalives (ignored),
   * one outcome on an unknown path and one malformed line.
   */
  public static Path writeTrace(Path dir) throws Exception {
    StringWriter text = new StringWriter();
    Well19937c rng = new Well19937c(77);
    BetaDistribution beta = new BetaDistribution(rng, 0.75 * 8, 0.25 * 8);
    try (TraceWriter w = TraceWriter.open(text, "test", 77)) {
      PathObserver[] hosts = {w.forHost("peer-1"), w.forHost("peer-2")};
      long t = 0;
      for (int e = 0; e < 2_000; e++) {
        double p = beta.sample();
        String ip = (e % 2 == 0 ? "198.51." : "203.0.") + (e / 20) + "." + (e % 20 + 1);
        for (int h = 0; h < 2; h++) {
          long path = e * 2L + h + 1;
          hosts[h].onPathCreated(path, "peer" + e, new InetSocketAddress(ip, 4500), 1, false);
          for (int i = 0; i < 10; i++) {
            t += 1_000_000;
            hosts[h].onSend(path, PathObserver.PROBE_INTRO, t);
            if (rng.nextDouble() < p) {
              hosts[h].onAck(path, PathObserver.PROBE_INTRO, 20_000_000, t + 20_000_000);
            } else {
              hosts[h].onTimeout(path, PathObserver.PROBE_INTRO, t + 500_000_000);
            }
          }
          hosts[h].onTimeout(path, PathObserver.PROBE_KEEPALIVE, t + 600_000_000);
        }
      }
      hosts[0].onAck(999_999, PathObserver.PROBE_INTRO, 1, t + 1);  // no path line for it
    }
    String[] lines = text.toString().split("\n", -1);
    StringBuilder withBad = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      if (i == 5) {
        withBad.append("{\"t\":1,\"host\":\"peer-1\",\"ev\":\"ack\"\n");  // truncated
      }
      withBad.append(lines[i]).append(i < lines.length - 1 ? "\n" : "");
    }
    Path file = dir.resolve("run.trace");
    Files.writeString(file, withBad);
    return file;
  }

  @Test
  void replay_lenient_fitsEndpointPriorAndReportsBadLine(@TempDir Path dir) throws Exception {
    TraceOutcomes trace = new TraceOutcomes(writeTrace(dir), TraceReader.Mode.LENIENT);
    FeatureChain chain = TraceOutcomes.chain(Prior.of(0.7, 2), 2, 4, 4);
    ChainCounts counts = new ChainCounts(chain);

    trace.replay(counts);

    assertThat(trace.outcomes()).isEqualTo(40_000);
    assertThat(trace.unknownPaths()).isEqualTo(1);
    assertThat(trace.lastResult().skipped()).isEqualTo(1);
    assertThat(trace.lastResult().problems().get(0)).contains("line 6");
    assertThat(counts.level(1).rows()).isEqualTo(200);    // prefixes
    assertThat(counts.level(2).rows()).isEqualTo(2_000);  // endpoints
    assertThat(counts.level(3).rows()).isEqualTo(4_000);  // paths (host × endpoint)
    List<PriorFit> fits = counts.fitLevels();
    // 2 000 endpoints × 20 intros: bounds as derived in PriorFitterTest (s.e. of the mean
    // ≈ 0.0045, of the strength ≈ 7%).
    PriorFit endpoints = fits.get(2);
    assertThat(endpoints.mean()).isCloseTo(0.75, within(0.02));
    assertThat(endpoints.strength()).isCloseTo(8, within(2.0));

    // The same stream drives the half-life search (a static world: the longest half-life wins
    // or ties, since nothing changes).
    HalfLifeSelector sel = new HalfLifeSelector(chain,
        HalfLifeSelector.logGrid(1_000_000_000L, 100_000_000_000_000L, 6), 1 << 14, 0);
    trace.replay(sel::observe);
    assertThat(sel.events()).isEqualTo(40_000);
    double[] ll = sel.result().logLoss();
    assertThat(ll[ll.length - 1]).isLessThan(ll[0]);
  }

  @Test
  void replay_strict_malformedLineIsRefusedWithLineNumber(@TempDir Path dir) throws Exception {
    TraceOutcomes trace = new TraceOutcomes(writeTrace(dir), TraceReader.Mode.STRICT);
    assertThatThrownBy(() -> trace.replay((keys, success, now) -> { }))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(":6");
  }

  @Test
  void prefix_v4AndV6_tokens() throws Exception {
    assertThat(TraceOutcomes.prefix(java.net.InetAddress.getByName("198.51.100.7")))
        .isEqualTo("198.51.100.0/24");
    assertThat(TraceOutcomes.prefix(java.net.InetAddress.getByName("2001:db8:1:2::5")))
        .isEqualTo("2001:0db8:0001::/48");
  }
}
