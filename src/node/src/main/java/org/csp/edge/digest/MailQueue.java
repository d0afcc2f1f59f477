package org.csp.edge.digest;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.csp.edge.durability.AtomicFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The digest e-mails not yet sent or given up, one file each in {@code dataDir/digest-mail/}: written before the first
 * try and removed once the e-mail is sent or given up, so that a stop or a crash between tries loses none; the next
 * start sends what it finds. Blocking file work: called off the event loops.
 */
final class MailQueue {
  static final String DIRECTORY = "digest-mail";
  static final String SUFFIX = ".json";
  /** A file that could not be read is moved aside under this suffix, kept for the operator, and not read again. */
  static final String UNREADABLE_SUFFIX = ".unreadable";
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._-]{1,160}");
  private static final Logger log = LoggerFactory.getLogger(MailQueue.class);

  private final Path directory;

  MailQueue(Path dataDir) {
    this.directory = dataDir.resolve(DIRECTORY);
  }

  /** An e-mail as kept: its digest's event id, addresses, subject and text. */
  record Kept(String eventId, JsonObject mail) {}

  void keep(String eventId, JsonObject mail) throws IOException {
    AtomicFile.writeString(file(eventId), new JsonObject().put("eventId", eventId).put("mail", mail).encode());
  }

  void remove(String eventId) throws IOException {
    Files.deleteIfExists(file(eventId));
  }

  /** Every e-mail kept; a file that cannot be read is moved aside, logged and counted in {@code unreadable}. */
  List<Kept> kept(Runnable unreadable) throws IOException {
    List<Kept> kept = new ArrayList<>();
    if (!Files.isDirectory(directory)) return kept;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path f : files) {
        try {
          JsonObject o = new JsonObject(Files.readString(f, StandardCharsets.UTF_8));
          String eventId = o.getString("eventId");
          JsonObject mail = o.getJsonObject("mail");
          if (eventId == null || mail == null || !f.equals(file(eventId))) throw new IllegalArgumentException("not a kept e-mail");
          kept.add(new Kept(eventId, mail));
        } catch (RuntimeException | IOException e) {
          Path aside = f.resolveSibling(f.getFileName() + UNREADABLE_SUFFIX);
          Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
          unreadable.run();
          log.error("digest e-mail {} could not be read ({}): moved to {}, not sent", f, e.toString(), aside);
        }
      }
    }
    return kept;
  }

  /** The event id as the file's name where it is plain, else its SHA-256: an id never names another path. */
  private Path file(String eventId) {
    String name;
    if (PLAIN_ID.matcher(eventId).matches() && !eventId.startsWith(".")) {
      name = eventId;
    } else {
      try {
        name = "sha256-" + HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(eventId.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e); // every JDK has SHA-256
      }
    }
    return directory.resolve(name + SUFFIX);
  }
}
