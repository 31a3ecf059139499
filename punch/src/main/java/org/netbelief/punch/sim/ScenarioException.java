package org.netbelief.punch.sim;

/**
 * A scenario file was refused. The message names the file, the line and column, and the field;
 * so do the accessors.
 */
public final class ScenarioException extends IllegalArgumentException {
  private final String file;
  private final int line;
  private final int column;
  private final String field;

  /** Creates the exception; {@code line} and {@code column} are 1-based, 0 when unknown. */
  public ScenarioException(
      String file, int line, int column, String field, String reason, Throwable cause) {
    super(file + ":" + line + ":" + column + ": "
        + (field == null || field.isEmpty() ? "" : "field '" + field + "': ") + reason, cause);
    this.file = file;
    this.line = line;
    this.column = column;
    this.field = field;
  }

  /** The file that was refused. */
  public String file() {
    return file;
  }

  /** 1-based line of the problem, 0 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based column of the problem, 0 when unknown. */
  public int column() {
    return column;
  }

  /** Path of the offending field, such as {@code natMix[2].weight}; empty when none. */
  public String field() {
    return field;
  }
}
