package org.csp.edge.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One node per data directory. A second process started on a running node's directory (a mistyped unit, a second
 * container on one volume) would replay the live journal as a crashed run's, open its store and publish under its
 * client id before failing on a taken port. The first node holds an exclusive lock on {@link #FILE} for as long as
 * it runs (the operating system lets it go when the process dies, so a crash leaves nothing to clean up); another
 * start on that directory is refused before it touches anything there.
 */
public final class DataDirectoryLock implements AutoCloseable {
  public static final String FILE = "node.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the directory's lock, or throws {@link IllegalStateException} when another node holds it. Throws {@link
   * IOException} when the lock file cannot be written at all (the directory is not writable).
   */
  public static DataDirectoryLock take(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException sameProcess) {
      lock = null;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw new IllegalStateException("the data directory " + dataDir + " is in use by another node"
          + (holder.isEmpty() ? "" : " (process " + holder + ")") + ", which holds " + file
          + ": give each node its own data directory (node.dataDir, NODE_DATA_DIR), or stop the other first");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    channel.force(false);
    return new DataDirectoryLock(channel, lock);
  }

  /** The process id the holder wrote, or empty. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      channel.read(b, 0);
      return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the process's end lets it go anyway
    }
  }
}
