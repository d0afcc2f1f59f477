package org.csp.edge.silence;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of silences: one line per change on the logger {@code csp.audit}, a JSON object as the policy's and
 * the register's are. Matchers and comments are an operator's free text: encoded as JSON strings, a quote or a
 * {@code by=} in them stays inside its own value and cannot add a field (an author) to the line. And a count per
 * action for the metrics.
 */
public final class SilenceAudit {
  private static final Logger audit = LoggerFactory.getLogger("csp.audit");
  private final LongAdder created = new LongAdder();
  private final LongAdder expired = new LongAdder();

  void created(StoredSilence s) {
    created.increment();
    audit.info("{}", new JsonObject().put("audit", "silence.create").put("silenceId", s.id()).put("by", s.createdBy())
        .put("matchers", new JsonObject(new java.util.LinkedHashMap<>(s.matchers())))
        .put("startsAt", StoredSilence.iso(s.startsAt())).put("endsAt", StoredSilence.iso(s.endsAt()))
        .put("comment", s.comment()).encode());
  }

  void expired(StoredSilence s) {
    expired.increment();
    audit.info("{}", new JsonObject().put("audit", "silence.expire").put("silenceId", s.id()).put("by", s.expiredBy())
        .put("at", StoredSilence.iso(s.expiredAt())).encode());
  }

  public long createdCount() {
    return created.sum();
  }

  public long expiredCount() {
    return expired.sum();
  }
}
