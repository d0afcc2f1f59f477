package org.csp.edge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** What a failed start says of a file it could not use: the file and what went wrong, not the bare path Java gives. */
class RootMessageTest {
  @Test
  void aFileSystemRefusalNamesTheFileAndWhatWentWrong() {
    assertEquals("/data/policy-versions.jsonl: permission denied (the node's user may not use it)",
        CommandLines.rootMessage(new IllegalStateException("start", new AccessDeniedException("/data/policy-versions.jsonl"))));
    assertEquals("/data/x: no such file or directory", CommandLines.rootMessage(new NoSuchFileException("/data/x")));
    assertEquals("/data/y: Read-only file system",
        CommandLines.rootMessage(new FileSystemException("/data/y", null, "Read-only file system")));
    assertEquals("plain", CommandLines.rootMessage(new RuntimeException(new IllegalArgumentException("plain"))));
  }
}
