package org.netbelief.model.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.netbelief.model.EvidenceTable;
import org.netbelief.model.FeatureChain;
import org.netbelief.model.FeatureKeys;
import org.netbelief.model.Interval;
import org.netbelief.model.Prior;

class EvidenceCsvTest {
  private static final long HOUR = 3_600_000_000_000L;

  @Test
  void write_tableWithDictionary_oneQuotedLinePerRowSortedByKey() {
    EvidenceTable table = EvidenceTable.builder().halfLifeNanos(HOUR).build();
    FeatureChain chain = FeatureChain.builder(Prior.of(0.7, 2))
        .level("global", 2).level("note", 4).build();
    KeyDictionary dict = new KeyDictionary();
    long[] keys = dict.record(chain, "*", "he said \"hi\", twice");
    chain.observe(table, keys, true, 0);
    chain.observe(table, keys, true, 0);
    chain.observe(table, keys, false, 0);
    long unknown = FeatureKeys.of("other", "x");
    table.observe(unknown, 1.0, 0.0, 0);

    String csv = EvidenceCsv.toCsv(table, Prior.of(0.5, 2), HOUR, dict);

    String[] lines = csv.split("\r\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[0]).isEqualTo(EvidenceCsv.HEADER);
    // Sorted by unsigned key.
    String k1 = lines[1].substring(0, 16);
    String k2 = lines[2].substring(0, 16);
    String k3 = lines[3].substring(0, 16);
    assertThat(Long.compareUnsigned(Long.parseUnsignedLong(k1, 16),
        Long.parseUnsignedLong(k2, 16))).isNegative();
    assertThat(Long.compareUnsigned(Long.parseUnsignedLong(k2, 16),
        Long.parseUnsignedLong(k3, 16))).isNegative();
    String noteLine = java.util.Arrays.stream(lines)
        .filter(l -> l.startsWith(String.format("%016x", keys[1]))).findFirst().orElseThrow();
    // One hour = one half-life later: masses halved. Posterior Beta(1 + 1, 1 + 0.5).
    Interval ci = Prior.of(0.5, 2).posterior(1.0, 0.5).interval(0.95);
    assertThat(noteLine).isEqualTo(String.format("%016x", keys[1])
        + ",note,\"he said \"\"hi\"\", twice\",1.0,0.5," + (2.0 / 3.5) + "," + ci.lower() + ","
        + ci.upper());
    String unknownLine = java.util.Arrays.stream(lines)
        .filter(l -> l.startsWith(String.format("%016x", unknown))).findFirst().orElseThrow();
    assertThat(unknownLine).startsWith(String.format("%016x", unknown) + ",,,0.5,0.0,");
  }

  @Test
  void appendField_specialCharacters_quotedPerRfc4180() {
    StringBuilder sb = new StringBuilder();
    EvidenceCsv.appendField(sb, "198.51.100.0/24");
    sb.append('|');
    EvidenceCsv.appendField(sb, "a\nb");
    sb.append('|');
    EvidenceCsv.appendField(sb, " padded");
    sb.append('|');
    EvidenceCsv.appendField(sb, null);
    assertThat(sb.toString()).isEqualTo("198.51.100.0/24|\"a\nb\"|\" padded\"|");
  }

  @Test
  void write_rowCounts_meanIsPosteriorMean() throws Exception {
    RowCounts counts = new RowCounts();
    counts.add(5, 3, 1);
    java.io.StringWriter w = new java.io.StringWriter();
    assertThat(EvidenceCsv.write(counts, Prior.of(0.5, 2), null, w)).isEqualTo(1);
    String[] fields = w.toString().split("\r\n")[1].split(",");
    assertThat(fields[0]).isEqualTo("0000000000000005");
    assertThat(Double.parseDouble(fields[5])).isCloseTo(4.0 / 6.0, within(1e-12));
  }
}
