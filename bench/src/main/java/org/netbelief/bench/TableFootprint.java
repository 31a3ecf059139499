package org.netbelief.bench;

import org.netbelief.model.EvidenceTable;
import org.openjdk.jol.info.GraphLayout;

/**
 * Measures the retained memory of an {@link EvidenceTable} per row with JOL (the whole object
 * graph: slot array, counters, lock), at several sizes, with each table filled to its capacity.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.netbelief.bench.TableFootprint}
 */
public final class TableFootprint {
  private TableFootprint() {}

  /** Prints one line per size: rows, bytes, bytes per row. */
  public static void main(String[] args) {
    int[] sizes = args.length > 0 ? parse(args) : new int[] {1_000, 100_000, 1_000_000};
    System.out.printf("%10s %14s %12s%n", "rows", "bytes", "bytes/row");
    for (int rows : sizes) {
      EvidenceTable t = EvidenceTable.builder().maxRows(rows).build();
      for (long k = 1; k <= rows; k++) {
        t.observe(k * 0x9E3779B97F4A7C15L | 1, true, 0);
      }
      if (t.size() != rows) {
        throw new IllegalStateException("expected " + rows + " rows, table holds " + t.size());
      }
      long bytes = GraphLayout.parseInstance(t).totalSize();
      System.out.printf("%10d %14d %12.1f%n", rows, bytes, (double) bytes / rows);
    }
  }

  private static int[] parse(String[] args) {
    int[] out = new int[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = Integer.parseInt(args[i]);
    }
    return out;
  }
}
