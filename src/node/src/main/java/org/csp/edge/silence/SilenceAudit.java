package org.csp.edge.silence;

import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of silences: one structured line per change on the logger {@code csp.audit} (key-value pairs, so
 * that the JSON log format carries them as fields), and a count per action for the metrics.
 */
public final class SilenceAudit {
  private static final Logger audit = LoggerFactory.getLogger("csp.audit");
  private final LongAdder created = new LongAdder();
  private final LongAdder expired = new LongAdder();

  void created(StoredSilence s) {
    created.increment();
    audit.atInfo().addKeyValue("action", "silence.create").addKeyValue("silenceId", s.id())
        .addKeyValue("by", s.createdBy()).addKeyValue("matchers", s.matchers().toString())
        .addKeyValue("startsAt", StoredSilence.iso(s.startsAt())).addKeyValue("endsAt", StoredSilence.iso(s.endsAt()))
        .addKeyValue("comment", s.comment())
        .log("audit action=silence.create silenceId={} by={} matchers={} startsAt={} endsAt={} comment=\"{}\"", s.id(),
            s.createdBy(), s.matchers(), StoredSilence.iso(s.startsAt()), StoredSilence.iso(s.endsAt()), s.comment());
  }

  void expired(StoredSilence s) {
    expired.increment();
    audit.atInfo().addKeyValue("action", "silence.expire").addKeyValue("silenceId", s.id())
        .addKeyValue("by", s.expiredBy()).addKeyValue("at", StoredSilence.iso(s.expiredAt()))
        .log("audit action=silence.expire silenceId={} by={} at={}", s.id(), s.expiredBy(),
            StoredSilence.iso(s.expiredAt()));
  }

  public long createdCount() {
    return created.sum();
  }

  public long expiredCount() {
    return expired.sum();
  }
}
