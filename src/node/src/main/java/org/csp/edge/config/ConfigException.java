package org.csp.edge.config;

import java.util.List;

/**
 * A configuration that cannot be used; each problem names the setting (its key path, and its NODE_* variable when
 * that is where the value came from) and what it may be. All the problems of one configuration come together.
 */
public class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(String message) {
    super(message);
    this.problems = List.of(message);
  }

  public ConfigException(List<String> problems) {
    super(problems.size() == 1 ? problems.get(0)
        : problems.size() + " problems:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem. */
  public List<String> problems() {
    return problems;
  }
}
