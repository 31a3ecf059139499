package org.netbelief.model.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32C;
import org.netbelief.model.EvidenceTable;
import org.netbelief.model.SnapshotException;

/**
 * The on-disk format of an {@link EvidenceTable} snapshot, version 1. Little-endian:
 *
 * <pre>
 *  0       8       12              20      24      28
 *  +-------+-------+---------------+-------+-------+----------------------------+--------+
 *  | magic |version| halfLifeNanos |maxRows| rows  | rows × (key i64, s f64,    | CRC32C |
 *  |NBEVTBL\0| u32 |      i64      |  u32  |  u32  |         f64 failures)      |  u32   |
 *  +-------+-------+---------------+-------+-------+----------------------------+--------+
 * </pre>
 *
 * The masses are the decayed evidence at the time of writing, so the format does not depend on
 * the writer's clock. The CRC-32C covers every byte before it. A reader checks, in order: the
 * length against the header, the magic, the version, the checksum, then each row (non-zero,
 * unique key; finite, non-negative masses) and refuses the whole file on the first problem.
 */
public final class SnapshotFormat {
  static final byte[] MAGIC = {'N', 'B', 'E', 'V', 'T', 'B', 'L', 0};
  static final int VERSION = 1;
  static final int HEADER_BYTES = 28;
  static final int ROW_BYTES = 24;
  static final int TRAILER_BYTES = 4;

  private SnapshotFormat() {}

  /** Writes {@code table} to {@code file} atomically (temporary file, force, rename). */
  public static void write(EvidenceTable table, Path file, long nowNanos) throws IOException {
    // Collect first: the row count goes in the header. Rows are 24 bytes; a full 2^28-row table
    // would need 6 GiB, so gather into a growable buffer.
    ByteBuffer rows = ByteBuffer.allocate(ROW_BYTES * 64).order(ByteOrder.LITTLE_ENDIAN);
    int[] count = {0};
    ByteBuffer[] holder = {rows};
    table.forEachRow(nowNanos, (key, s, f) -> {
      ByteBuffer b = holder[0];
      if (b.remaining() < ROW_BYTES) {
        ByteBuffer bigger = ByteBuffer.allocate(b.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.flip();
        bigger.put(b);
        holder[0] = bigger;
        b = bigger;
      }
      b.putLong(key).putDouble(s).putDouble(f);
      count[0]++;
    });
    rows = holder[0];
    rows.flip();

    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.put(MAGIC).putInt(VERSION).putLong(table.halfLifeNanos()).putInt(table.maxRows())
        .putInt(count[0]);
    header.flip();
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate());
    crc.update(rows.duplicate());
    ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    trailer.putInt((int) crc.getValue()).flip();

    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer[] all = {header, rows, trailer};
        while (header.hasRemaining() || rows.hasRemaining() || trailer.hasRemaining()) {
          ch.write(all);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(
            "cannot replace " + file + " atomically on this file system; snapshot not written", e);
      }
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void forceDirectory(Path dir) {
    // Makes the rename durable on Linux. Some platforms cannot open a directory; the rename is
    // then as durable as the platform makes it.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort, see above
    }
  }

  /** Reads and validates {@code file} whole, then builds the table. */
  public static EvidenceTable read(Path file, long nowNanos, long elapsedNanos)
      throws IOException {
    if (elapsedNanos < 0) {
      throw new IllegalArgumentException("elapsed time must be >= 0, got " + elapsedNanos);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SnapshotException(file, "no such file");
    }
    if (bytes.length < HEADER_BYTES + TRAILER_BYTES) {
      throw new SnapshotException(file, "truncated: " + bytes.length
          + " bytes is shorter than the " + (HEADER_BYTES + TRAILER_BYTES) + "-byte minimum");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.get(i) != MAGIC[i]) {
        throw new SnapshotException(file, "not an evidence table snapshot (bad magic)");
      }
    }
    int version = b.getInt(8);
    if (version != VERSION) {
      throw new SnapshotException(file, "unknown snapshot version " + version
          + " (this library reads version " + VERSION + ")");
    }
    long halfLife = b.getLong(12);
    int maxRows = b.getInt(20);
    int rowCount = b.getInt(24);
    long expected = HEADER_BYTES + (long) ROW_BYTES * rowCount + TRAILER_BYTES;
    if (rowCount < 0 || expected != bytes.length) {
      throw new SnapshotException(file, "truncated or padded: header announces " + rowCount
          + " rows (" + expected + " bytes) but the file has " + bytes.length + " bytes");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - TRAILER_BYTES);
    int stored = b.getInt(bytes.length - TRAILER_BYTES);
    if (stored != (int) crc.getValue()) {
      throw new SnapshotException(file, "checksum mismatch: the file is corrupt");
    }
    EvidenceTable table;
    try {
      table = EvidenceTable.builder().halfLifeNanos(halfLife).maxRows(maxRows)
          .originNanos(nowNanos).build();
    } catch (IllegalArgumentException e) {
      throw new SnapshotException(file, "impossible header: " + e.getMessage());
    }
    if (rowCount > maxRows) {
      throw new SnapshotException(file, rowCount + " rows exceed the table's maxRows " + maxRows);
    }
    double keep = Math.pow(2.0, -(double) elapsedNanos / halfLife);
    // Validate every row before touching the table: nothing is half-loaded.
    Set<Long> seen = new HashSet<>();
    for (int r = 0; r < rowCount; r++) {
      int at = HEADER_BYTES + r * ROW_BYTES;
      long key = b.getLong(at);
      double s = b.getDouble(at + 8);
      double f = b.getDouble(at + 16);
      if (key == 0) {
        throw new SnapshotException(file, "row " + r + " has the reserved key 0");
      }
      if (!seen.add(key)) {
        throw new SnapshotException(file, "row " + r + " repeats key " + Long.toHexString(key));
      }
      if (!(s >= 0.0) || !(f >= 0.0) || Double.isInfinite(s) || Double.isInfinite(f)) {
        throw new SnapshotException(file, "row " + r + " has impossible masses s=" + s
            + ", f=" + f);
      }
    }
    for (int r = 0; r < rowCount; r++) {
      int at = HEADER_BYTES + r * ROW_BYTES;
      table.observe(b.getLong(at), b.getDouble(at + 8) * keep, b.getDouble(at + 16) * keep,
          nowNanos);
    }
    return table;
  }
}
