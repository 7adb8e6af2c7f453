-- chainatlas store schema, migration 0006, SQLite dialect: entity_surfaces, every (entity, surface form)
-- pair of the mentions with the number of mentions that have it, kept by triggers on mentions (docs/scale.md
-- "Analyses: aggregates kept by the writer (seventh round)").  common.entity_names read every mention
-- (SELECT DISTINCT entity_id, surface FROM mentions: 360,000 rows at 10k documents) for a few thousand
-- pairs; it reads these rows when the table exists.  The triggers see every writer of mentions (ingest,
-- merges and re-keys, judgements and their undo, the cascade of a deleted article or entity), so the
-- table is always the GROUP BY of mentions; the rows are made from the mentions once, here, in the
-- same transaction that creates the triggers.

BEGIN;
CREATE TABLE IF NOT EXISTS entity_surfaces (
  entity_id TEXT NOT NULL,
  surface TEXT NOT NULL,
  n INTEGER NOT NULL,              -- mentions of entity_id with this surface (> 0)
  PRIMARY KEY (entity_id, surface)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS mentions_surfaces_ins AFTER INSERT ON mentions
BEGIN
  INSERT INTO entity_surfaces(entity_id, surface, n) VALUES (new.entity_id, new.surface, 1)
    ON CONFLICT(entity_id, surface) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS mentions_surfaces_del AFTER DELETE ON mentions
BEGIN
  UPDATE entity_surfaces SET n = n - 1 WHERE entity_id = old.entity_id AND surface = old.surface;
  DELETE FROM entity_surfaces WHERE entity_id = old.entity_id AND surface = old.surface AND n <= 0;
END;
CREATE TRIGGER IF NOT EXISTS mentions_surfaces_upd AFTER UPDATE OF entity_id, surface ON mentions
BEGIN
  UPDATE entity_surfaces SET n = n - 1 WHERE entity_id = old.entity_id AND surface = old.surface;
  DELETE FROM entity_surfaces WHERE entity_id = old.entity_id AND surface = old.surface AND n <= 0;
  INSERT INTO entity_surfaces(entity_id, surface, n) VALUES (new.entity_id, new.surface, 1)
    ON CONFLICT(entity_id, surface) DO UPDATE SET n = n + 1;
END;
DELETE FROM entity_surfaces;
INSERT INTO entity_surfaces(entity_id, surface, n)
  SELECT entity_id, surface, count(*) FROM mentions GROUP BY entity_id, surface;
COMMIT;
