package org.csp.edge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The problems found while reading one configuration: collected, so that a start names them all at once. */
final class Problems {
  private final List<String> found = new ArrayList<>();

  void add(String setting, String problem) {
    found.add(setting + ": " + problem);
  }

  void add(ConfigException e) {
    found.addAll(e.problems());
  }

  int count() {
    return found.size();
  }

  boolean any() {
    return !found.isEmpty();
  }

  /** The value {@code build} makes, or null when it refuses (its refusal is recorded). */
  <T> T build(Supplier<T> build) {
    try {
      return build.get();
    } catch (ConfigException e) {
      add(e);
      return null;
    }
  }

  void throwIfAny() {
    if (!found.isEmpty()) throw new ConfigException(found);
  }
}
