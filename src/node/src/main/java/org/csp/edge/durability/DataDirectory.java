package org.csp.edge.durability;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data directory's layout, checked before the node starts: an entry of the wrong kind (a directory where the node
 * keeps a file, a file where it keeps a directory) would otherwise fail one part at its first write, or be taken for
 * damage and skipped, and the node would run without persisting it. Each part keeps its own entries; this only checks
 * that nothing stands in their way, and names every entry that does.
 */
public final class DataDirectory {
  /** What an entry must be. */
  public enum Kind {
    FILE("a file"),
    DIRECTORY("a directory");

    private final String described;

    Kind(String described) {
      this.described = described;
    }
  }

  /** One entry: its path under the data directory, its kind, and what the node keeps there (for the message). */
  public record Entry(String path, Kind kind, String holds) {}

  private DataDirectory() {}

  /**
   * Throws, naming each entry of the wrong kind, when the layout is not the node's; absent entries are fine (a first
   * start). The data directory itself must be a directory, or absent.
   */
  public static void check(Path dataDir, List<Entry> entries) {
    if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
      throw new IllegalStateException("the data directory " + dataDir + " (node.dataDir, NODE_DATA_DIR) is not a directory");
    }
    List<String> wrong = new ArrayList<>();
    for (Entry e : entries) {
      Path p = dataDir.resolve(e.path());
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) continue;
      boolean directory = Files.isDirectory(p);
      if (!Files.exists(p)) {
        wrong.add(p + " is a link to nothing, where the node keeps " + e.kind().described + " (" + e.holds() + ")");
      } else if (directory != (e.kind() == Kind.DIRECTORY)) {
        wrong.add(p + " is " + (directory ? "a directory" : "not a directory") + ", where the node keeps "
            + e.kind().described + " (" + e.holds() + ")");
      }
    }
    if (!wrong.isEmpty()) {
      throw new IllegalStateException("the data directory holds what the node cannot use: " + String.join("; ", wrong)
          + ". Move each away, or give the node another data directory (node.dataDir, NODE_DATA_DIR)");
    }
  }
}
