package org.csp.edge.register;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of annotations, as of policy changes: one JSON line per annotation on the {@code csp.audit} logger,
 * written by the member that took it.
 */
final class RegisterAudit {
  private static final Logger audit = LoggerFactory.getLogger("csp.audit");

  private RegisterAudit() {}

  static void annotated(Annotation a) {
    audit.info("{}", a.toJson().put("audit", "register.annotate").encode());
  }
}
