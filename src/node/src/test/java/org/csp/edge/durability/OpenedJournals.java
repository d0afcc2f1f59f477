package org.csp.edge.durability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.config.NodeConfig;

/**
 * The journals a test opens, closed after it: a journal's writer and compaction threads would otherwise still write
 * into the test's directory while JUnit deletes it (which then fails the test).
 */
public final class OpenedJournals implements AutoCloseable {
  private final List<Journal> opened = new ArrayList<>();

  public Journal open(Path dir, NodeConfig.Durability settings) throws IOException {
    return kept(Journal.open(dir, settings));
  }

  Journal open(Path dir, NodeConfig.Durability settings, Journal.SegmentOpener opener) throws IOException {
    return kept(Journal.open(dir, settings, opener));
  }

  private Journal kept(Journal j) {
    opened.add(j);
    return j;
  }

  @Override
  public void close() {
    opened.forEach(Journal::close);
    opened.clear();
  }
}
