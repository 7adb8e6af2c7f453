-- chainatlas store schema, migration 0006, PostgreSQL dialect: entity_surfaces, every (entity, surface form)
-- pair of the mentions with the number of mentions that have it, kept by a trigger on mentions (see the
-- SQLite file).  WITHOUT ROWID on SQLite, so no rowid column here either.  The script runs as one
-- simple query, hence in one transaction: the rows are made from the mentions with the trigger in place.

CREATE TABLE IF NOT EXISTS entity_surfaces (
  entity_id TEXT COLLATE "C" NOT NULL,
  surface TEXT COLLATE "C" NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (entity_id, surface)
);
CREATE OR REPLACE FUNCTION ca_mentions_surfaces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.entity_id = NEW.entity_id AND OLD.surface = NEW.surface THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE entity_surfaces SET n = n - 1 WHERE entity_id = OLD.entity_id AND surface = OLD.surface;
    DELETE FROM entity_surfaces WHERE entity_id = OLD.entity_id AND surface = OLD.surface AND n <= 0;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO entity_surfaces(entity_id, surface, n) VALUES (NEW.entity_id, NEW.surface, 1)
      ON CONFLICT (entity_id, surface) DO UPDATE SET n = entity_surfaces.n + 1;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS mentions_surfaces_ins ON mentions;
CREATE TRIGGER mentions_surfaces_ins AFTER INSERT ON mentions
  FOR EACH ROW EXECUTE FUNCTION ca_mentions_surfaces();
DROP TRIGGER IF EXISTS mentions_surfaces_del ON mentions;
CREATE TRIGGER mentions_surfaces_del AFTER DELETE ON mentions
  FOR EACH ROW EXECUTE FUNCTION ca_mentions_surfaces();
DROP TRIGGER IF EXISTS mentions_surfaces_upd ON mentions;
CREATE TRIGGER mentions_surfaces_upd AFTER UPDATE OF entity_id, surface ON mentions
  FOR EACH ROW EXECUTE FUNCTION ca_mentions_surfaces();
DELETE FROM entity_surfaces;
INSERT INTO entity_surfaces(entity_id, surface, n)
  SELECT entity_id, surface, count(*) FROM mentions GROUP BY entity_id, surface;
