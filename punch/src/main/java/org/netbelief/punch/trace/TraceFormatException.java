package org.netbelief.punch.trace;

import java.io.IOException;
import java.nio.file.Path;

/** A trace that cannot be read: the message names the file, the line and the problem. */
public final class TraceFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long line;

  /** A problem at {@code line} (1-based) of {@code file}. */
  public TraceFormatException(Path file, long line, String problem) {
    super(file + ":" + line + ": " + problem);
    this.line = line;
  }

  /** The 1-based line number of the problem. */
  public long line() {
    return line;
  }
}
