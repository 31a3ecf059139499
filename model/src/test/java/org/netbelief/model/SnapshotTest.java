package org.netbelief.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {
  private static final long H = 60_000_000_000L;

  @TempDir Path dir;

  private static EvidenceTable sample(int rows) {
    EvidenceTable t = EvidenceTable.builder().halfLifeNanos(H).maxRows(1 << 16).build();
    SplittableRandom rnd = new SplittableRandom(3);
    for (long k = 1; k <= rows; k++) {
      t.observe(FeatureKeys.of("k", Long.toString(k)), rnd.nextDouble(5), rnd.nextDouble(5),
          rnd.nextLong(H));
    }
    return t;
  }

  @Test
  void writeThenRead_roundTripsEveryRow() throws IOException {
    EvidenceTable t = sample(1000);
    Path file = dir.resolve("uplink.nbt");
    t.writeSnapshot(file, 2 * H);
    EvidenceTable back = EvidenceTable.readSnapshot(file, 77, 0);
    assertThat(back.size()).isEqualTo(1000);
    assertThat(back.halfLifeNanos()).isEqualTo(H);
    t.forEachRow(2 * H, (key, s, f) -> {
      assertThat(back.successes(key, 77)).isCloseTo(s, within(1e-12 * (1 + s)));
      assertThat(back.failures(key, 77)).isCloseTo(f, within(1e-12 * (1 + f)));
    });
    // Time keeps working after restore: one half-life later, half the evidence.
    long any = FeatureKeys.of("k", "1");
    assertThat(back.successes(any, 77 + H))
        .isCloseTo(back.successes(any, 77) / 2, within(1e-12));
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void read_withElapsedTime_decaysTheDowntime() throws IOException {
    EvidenceTable t = sample(10);
    Path file = dir.resolve("t.nbt");
    t.writeSnapshot(file, H);
    EvidenceTable back = EvidenceTable.readSnapshot(file, 0, 2 * H);
    long key = FeatureKeys.of("k", "3");
    assertThat(back.successes(key, 0)).isCloseTo(t.successes(key, H) / 4, within(1e-12));
  }

  @Test
  void read_truncatedFile_isRefusedNamingTheFile() throws IOException {
    Path file = dir.resolve("t.nbt");
    sample(50).writeSnapshot(file, H);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.nbt");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 7));
    assertThatThrownBy(() -> EvidenceTable.readSnapshot(cut, 0, 0))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining("cut.nbt")
        .hasMessageContaining("truncated");
    Files.write(cut, java.util.Arrays.copyOf(bytes, 10));
    assertThatThrownBy(() -> EvidenceTable.readSnapshot(cut, 0, 0))
        .hasMessageContaining("truncated");
  }

  @Test
  void read_flippedByte_isRefusedByChecksum() throws IOException {
    Path file = dir.resolve("t.nbt");
    sample(50).writeSnapshot(file, H);
    byte[] bytes = Files.readAllBytes(file);
    bytes[100] ^= 0x10;
    Files.write(file, bytes);
    assertThatThrownBy(() -> EvidenceTable.readSnapshot(file, 0, 0))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void read_wrongMagicOrVersion_isRefused() throws IOException {
    Path file = dir.resolve("t.nbt");
    sample(5).writeSnapshot(file, H);
    byte[] bytes = Files.readAllBytes(file);
    byte[] magic = bytes.clone();
    magic[0] = 'X';
    Files.write(file, magic);
    assertThatThrownBy(() -> EvidenceTable.readSnapshot(file, 0, 0)).hasMessageContaining("magic");
    byte[] version = bytes.clone();
    version[8] = 9;
    Files.write(file, version);
    assertThatThrownBy(() -> EvidenceTable.readSnapshot(file, 0, 0))
        .hasMessageContaining("version 9");
    assertThatThrownBy(() -> EvidenceTable.readSnapshot(dir.resolve("absent"), 0, 0))
        .isInstanceOf(SnapshotException.class).hasMessageContaining("no such file");
  }

  @Test
  void write_failure_leavesPreviousSnapshotIntact() throws IOException {
    Path file = dir.resolve("t.nbt");
    sample(20).writeSnapshot(file, H);
    byte[] before = Files.readAllBytes(file);
    // The target's folder path runs through a regular file: the new snapshot cannot be written.
    Path blocker = dir.resolve("blocker");
    Files.write(blocker, new byte[] {1});
    assertThatThrownBy(() -> sample(30).writeSnapshot(blocker.resolve("t.nbt"), H))
        .isInstanceOf(IOException.class);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  @Timeout(120)
  void killedWriter_neverLeavesAHalfWrittenSnapshot() throws Exception {
    // A child JVM rewrites the same snapshot in a loop with a growing table; we kill -9 it at
    // varying moments. Each time, the file must read back whole: some complete version.
    Path file = dir.resolve("crash.nbt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int round = 0; round < 5; round++) {
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          SnapshotWriterProcess.class.getName(), file.toString())
          .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "child.log"))
          .start();
      // Wait for the first complete snapshot, then a little more, then kill mid-stream.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(file) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(50 + 37L * round);
      p.destroyForcibly().waitFor();
      EvidenceTable back = EvidenceTable.readSnapshot(file, 0, 0);
      assertThat(back.size()).isPositive();
      // Each version the child writes has rows 1..n each with n successes: check consistency.
      int n = back.size();
      back.forEachRow(0, (key, s, f) -> assertThat(s).isEqualTo((double) n));
    }
  }
}
