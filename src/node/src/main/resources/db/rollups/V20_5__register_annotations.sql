-- The register of storm-causing device models (src/docs/design.md): operators' annotations of its entries. Only
-- ever inserted: an annotation is a record of what someone said when, never edited. Version 20.5 (issue 20,
-- item 5) so that other tables added beside the rollups do not take the same number.
CREATE TABLE register_annotation (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  manufacturer VARCHAR(1000) NOT NULL,
  model VARCHAR(1000) NOT NULL,
  firmware VARCHAR(1000) NOT NULL,
  alert_code VARCHAR(64) NOT NULL,
  annotated_at BIGINT NOT NULL,
  annotated_by VARCHAR(300) NOT NULL,
  annotation_text VARCHAR(4000) NOT NULL
);
