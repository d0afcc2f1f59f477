package org.csp.edge.ops;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The HTTP API described: the OpenAPI 3.1 document (resource openapi.json) at {@code GET /v1/openapi.json}, for any
 * authenticated caller as the other reads are. A test calls every operation it documents and checks the answers.
 */
final class OpenApiDocument {
  static final String PATH = "/v1/openapi.json";
  private static final String RESOURCE = "/openapi.json";

  private OpenApiDocument() {}

  /** Read once, when the API is built, off the event loop. */
  static Buffer load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("the jar has no " + RESOURCE);
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  static void mount(Router router, Buffer document) {
    router.get(PATH).handler(rc -> rc.response().putHeader("Content-Type", "application/json").end(document));
  }
}
