package org.netbelief.model.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;
import org.netbelief.model.Belief;
import org.netbelief.model.EvidenceTable;
import org.netbelief.model.Interval;
import org.netbelief.model.Prior;

/**
 * Exports evidence as CSV for pandas or R: one line per row, sorted by key.
 *
 * <pre>
 * key,level,token,successes,failures,mean,lower95,upper95
 * 3f2a…,remotePrefix,198.51.100.0/24,12.5,0.75,0.9264,0.7872,0.9927
 * </pre>
 *
 * <ul>
 *   <li>{@code key}: the 64-bit feature key, 16 lower-case hex digits (unsigned);
 *   <li>{@code level}, {@code token}: from a {@link KeyDictionary} when known, else empty;
 *   <li>{@code successes}, {@code failures}: the decayed masses at {@code nowNanos};
 *   <li>{@code mean}, {@code lower95}, {@code upper95}: the posterior under the given prior (its
 *       mean and exact equal-tailed 95% credible interval).
 * </ul>
 *
 * <p>RFC 4180: fields holding a comma, a double quote, a CR or LF, or leading or trailing
 * spaces are quoted, with inner quotes doubled; lines end with CRLF as the RFC says (both
 * pandas and R read it); numbers use {@link Double#toString} (locale-free, full precision).
 * Plain {@code java.io}: the format needs only quoting, not worth a dependency in {@code model}.
 *
 * <pre>{@code
 * try (Writer w = Files.newBufferedWriter(Path.of("uplink.csv"))) {
 *   EvidenceCsv.write(table, prior, nowNanos, dictionary, w);
 * }
 * }</pre>
 */
public final class EvidenceCsv {
  /** The header line, without its line end. */
  public static final String HEADER = "key,level,token,successes,failures,mean,lower95,upper95";

  private EvidenceCsv() {}

  /**
   * Writes every row of {@code table} at {@code nowNanos}.
   *
   * @param dictionary tokens for the keys, or null when none are known
   * @return the number of rows written
   * @throws IOException when the writer fails
   */
  public static int write(EvidenceTable table, Prior prior, long nowNanos,
      KeyDictionary dictionary, Writer out) throws IOException {
    RowCounts rows = RowCounts.of(table, nowNanos);
    return write(rows, prior, dictionary, out);
  }

  /**
   * Writes every row of {@code counts} (undecayed or already decayed masses).
   *
   * @return the number of rows written
   * @throws IOException when the writer fails
   */
  public static int write(RowCounts counts, Prior prior, KeyDictionary dictionary, Writer out)
      throws IOException {
    int n = counts.rows();
    long[] keys = new long[n];
    double[] s = new double[n];
    double[] f = new double[n];
    int[] i = {0};
    counts.forEachRow((key, succ, fail) -> {
      keys[i[0]] = key;
      i[0]++;
    });
    // Unsigned order, so the file is the same on every run.
    for (int j = 0; j < n; j++) {
      keys[j] ^= Long.MIN_VALUE;
    }
    java.util.Arrays.sort(keys);
    double[] sf = new double[2];
    for (int j = 0; j < n; j++) {
      keys[j] ^= Long.MIN_VALUE;
      counts.read(keys[j], sf);
      s[j] = sf[0];
      f[j] = sf[1];
    }
    out.write(HEADER);
    out.write("\r\n");
    StringBuilder line = new StringBuilder(128);
    for (int j = 0; j < n; j++) {
      Belief b = prior.posterior(s[j], f[j]);
      Interval ci = b.interval(0.95);
      line.setLength(0);
      line.append(String.format(Locale.ROOT, "%016x", keys[j])).append(',');
      appendField(line, dictionary == null ? null : dictionary.level(keys[j]));
      line.append(',');
      appendField(line, dictionary == null ? null : dictionary.token(keys[j]));
      line.append(',').append(s[j]).append(',').append(f[j]).append(',').append(b.mean())
          .append(',').append(ci.lower()).append(',').append(ci.upper()).append("\r\n");
      out.append(line);
    }
    return n;
  }

  /** Appends {@code value} as one CSV field, quoted when RFC 4180 requires it. */
  static void appendField(StringBuilder line, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0
        || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0
        || value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ';
    if (!quote) {
      line.append(value);
      return;
    }
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        line.append('"');
      }
      line.append(c);
    }
    line.append('"');
  }

  /** {@link #write(EvidenceTable, Prior, long, KeyDictionary, Writer)} to a String. */
  public static String toCsv(EvidenceTable table, Prior prior, long nowNanos,
      KeyDictionary dictionary) {
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      write(table, prior, nowNanos, dictionary, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter never throws
    }
    return w.toString();
  }
}
