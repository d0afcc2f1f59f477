-- Digests (src/docs/design.md, "Digests"): which were published, so that a restart of the whole cluster (whose
-- claim map is gone) does not build them again; and since when this store has watched for them, so that a first
-- start does not send the digests of days before the node ran.
CREATE TABLE digest_sent (
  recipient VARCHAR(64) NOT NULL,
  period_start BIGINT NOT NULL,
  period_millis BIGINT NOT NULL,
  event_id VARCHAR(300) NOT NULL,
  published_at BIGINT NOT NULL,
  PRIMARY KEY (recipient, period_start, period_millis)
);

CREATE TABLE digest_watch (
  id INT NOT NULL PRIMARY KEY,
  since BIGINT NOT NULL
);

-- The storms (storm-start, storm-end) queued on the members, by event id (a repeat is the same row), for the
-- digests' counts: kept here too so that a restart does not lose the storms of a period not yet digested.
CREATE TABLE digest_storm (
  event_id VARCHAR(300) NOT NULL PRIMARY KEY,
  at BIGINT NOT NULL,
  alert_code VARCHAR(64) NOT NULL,
  started BOOLEAN NOT NULL
);
CREATE INDEX digest_storm_at ON digest_storm (at);
