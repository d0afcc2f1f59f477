package org.csp.edge.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.csp.edge.security.HttpGuard;

/**
 * The console's static files, read from the jar once (resource {@code console/files.list} names them) and served
 * from memory: no file cache on disk, nothing fetched from elsewhere. Every answer carries a Content-Security-Policy
 * that allows scripts, styles and connections from the node only and no inline script, so that the page works on a
 * network without internet and a hub id that reached a page can never run as code.
 */
final class ConsoleFiles {
  private static final String LIST = "/console/files.list";
  private static final String INDEX = "index.html";
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");

  private record File(String type, Buffer bytes) {}

  private final Map<String, File> files = new HashMap<>();

  /** Reads every file the list names; a file missing from the jar is a defect of the build. */
  ConsoleFiles() {
    for (String line : read(LIST).toString(StandardCharsets.UTF_8).split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) continue;
      String ext = name.substring(name.lastIndexOf('.') + 1);
      String type = TYPES.get(ext);
      if (type == null) throw new IllegalStateException("console file " + name + ": no content type for ." + ext);
      files.put(name, new File(type, read("/console/" + name)));
    }
    if (!files.containsKey(INDEX)) throw new IllegalStateException("the console has no " + INDEX);
  }

  void mount(Router router) {
    router.get(HttpGuard.CONSOLE_PAGE).handler(rc -> send(rc, files.get(INDEX)));
    router.get(HttpGuard.CONSOLE_PREFIX + "*").handler(rc -> {
      File f = files.get(rc.normalizedPath().substring(HttpGuard.CONSOLE_PREFIX.length()));
      if (f == null) rc.next(); // answered as any unknown path: a 404 problem
      else send(rc, f);
    });
  }

  private static void send(RoutingContext rc, File f) {
    HttpServerResponse r = rc.response();
    secure(r);
    r.putHeader("Content-Type", f.type()).putHeader("Cache-Control", "no-cache").end(f.bytes());
  }

  /** The headers of every console answer. */
  static void secure(HttpServerResponse r) {
    r.putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
  }

  private static Buffer read(String resource) {
    try (InputStream in = ConsoleFiles.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("the jar has no " + resource);
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
