package org.csp.edge.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secret value (a password, a token) that never prints itself: {@link #toString()} is redacted, so a record or a
 * log line that holds one cannot leak it by accident. Only {@link #reveal()} gives the value, at the point of use.
 */
public final class Secret {
  private static final String REDACTED = "[secret]";
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** Null for null or blank: an unset secret. */
  public static Secret of(String value) {
    return value == null || value.isBlank() ? null : new Secret(value);
  }

  /** The content of a file (a mounted Kubernetes Secret), without its trailing newline. */
  public static Secret fromFile(Path file, String setting) {
    try {
      return of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new ConfigException(setting + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return REDACTED;
  }
}
