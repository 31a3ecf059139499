package org.netbelief.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A snapshot file that cannot be used: truncated, corrupt, or of an unknown format. The message
 * names the file and the problem. Nothing of such a file is loaded.
 */
public final class SnapshotException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** A problem with {@code file}, described by {@code problem}. */
  public SnapshotException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /** The file that was refused. */
  public Path file() {
    return file;
  }
}
