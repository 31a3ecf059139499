package org.netbelief.model;

import java.nio.file.Path;

/** Child process for {@link SnapshotTest}: writes ever-larger snapshots until killed. */
public final class SnapshotWriterProcess {
  private SnapshotWriterProcess() {}

  /** Writes version n with rows 1..n, each holding n successes, for n = 1, 2, 3, ... */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    for (int n = 1; ; n++) {
      EvidenceTable t = EvidenceTable.builder().halfLifeNanos(60_000_000_000L)
          .maxRows(1 << 20).build();
      for (long k = 1; k <= n; k++) {
        t.observe(k, n, 0, 0);
      }
      t.writeSnapshot(file, 0);
      if (n > 5000) {
        n = 1000; // keep the files moderate
      }
    }
  }
}
