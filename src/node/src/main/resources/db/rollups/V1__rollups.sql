-- Rollups (src/docs/design.md, "Rollups"): portable SQL, run by Flyway on PostgreSQL and on the embedded H2.
-- One batch per member boot (source), period and period start: its newest flush sequence; its cells and tops are
-- replaced whole when a newer flush arrives, so a flush written twice or by two members never double counts.
CREATE TABLE rollup_batch (
  period VARCHAR(8) NOT NULL,
  period_start BIGINT NOT NULL,
  source VARCHAR(300) NOT NULL,
  seq BIGINT NOT NULL,
  written_at BIGINT NOT NULL,
  PRIMARY KEY (period, period_start, source)
);

CREATE TABLE rollup_cell (
  period VARCHAR(8) NOT NULL,
  period_start BIGINT NOT NULL,
  source VARCHAR(300) NOT NULL,
  alert_code VARCHAR(64) NOT NULL,
  dmc_known BOOLEAN NOT NULL,
  manufacturer VARCHAR(1000) NOT NULL,
  model VARCHAR(1000) NOT NULL,
  firmware VARCHAR(1000) NOT NULL,
  outcome VARCHAR(64) NOT NULL,
  alerts BIGINT NOT NULL,
  hubs BYTEA NOT NULL,
  devices BYTEA NOT NULL
);
CREATE INDEX rollup_cell_period ON rollup_cell (period, period_start, source);

CREATE TABLE rollup_top (
  period VARCHAR(8) NOT NULL,
  period_start BIGINT NOT NULL,
  source VARCHAR(300) NOT NULL,
  alert_code VARCHAR(64) NOT NULL,
  top_of VARCHAR(16) NOT NULL,
  sketch BYTEA NOT NULL
);
CREATE INDEX rollup_top_period ON rollup_top (period, period_start, source);
