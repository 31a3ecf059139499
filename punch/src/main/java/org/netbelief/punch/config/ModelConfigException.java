package org.netbelief.punch.config;

import java.io.IOException;

/**
 * A model configuration file that cannot be used: malformed JSON, or a field with an impossible
 * value. The message names the file, the field (as a path such as {@code
 * factors.UPLINK.prior.mean}) and the value.
 */
public final class ModelConfigException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String field;

  ModelConfigException(String message, String field, Throwable cause) {
    super(message, cause);
    this.field = field;
  }

  /** The path of the offending field, or empty when the problem is the file as a whole. */
  public String field() {
    return field;
  }
}
