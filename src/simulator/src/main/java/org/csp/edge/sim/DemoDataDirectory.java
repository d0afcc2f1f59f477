package org.csp.edge.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.csp.edge.config.ConfigLoader;

/**
 * Where the demo's node keeps its state. The node remembers hubs, headers and open storms across a restart (its
 * journal), and the simulator sends the same devices and header counters every run: a second demo on the first's
 * state would hold as duplicates what the demo shows being consolidated. So each demo gets a new directory, removed
 * when it ends, unless the user names one ({@code NODE_DATA_DIR}), which is then theirs and kept.
 */
final class DemoDataDirectory {
  private static final String PREFIX = "csp-edge-demo-";

  private final Path path;
  private final boolean ownedByDemo;

  private DemoDataDirectory(Path path, boolean ownedByDemo) {
    this.path = path;
    this.ownedByDemo = ownedByDemo;
  }

  /** The user's directory when {@code NODE_DATA_DIR} names one, else a new one under {@code TMPDIR}. */
  static DemoDataDirectory choose(Map<String, String> env) throws IOException {
    String named = env.get(ConfigLoader.ENV_DATA_DIR);
    if (named != null && !named.isBlank()) return new DemoDataDirectory(Path.of(named), false);
    String tmp = env.get("TMPDIR");
    Path base = Path.of(tmp == null || tmp.isBlank() ? System.getProperty("java.io.tmpdir") : tmp);
    Files.createDirectories(base);
    return new DemoDataDirectory(Files.createTempDirectory(base, PREFIX), true);
  }

  Path path() {
    return path;
  }

  boolean ownedByDemo() {
    return ownedByDemo;
  }

  /** Removes the directory if the demo made it; call once its node has stopped. */
  void removeIfOwned() {
    if (!ownedByDemo) return;
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove the demo's data directory " + path, e);
    }
  }
}
