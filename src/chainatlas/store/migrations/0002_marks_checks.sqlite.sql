-- chainatlas store schema, migration 0002, SQLite dialect: article_marks, figure_checks and
-- relations(type, source_entity_id).  store/schema.sql (run on every open) already creates them, so on
-- SQLite this only records the version; the statements are repeated so the file stands on its own.

CREATE TABLE IF NOT EXISTS article_marks (
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  prev_start INTEGER,
  prev_end INTEGER,
  PRIMARY KEY (article_id, kind, start, "end")
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_marks_kind ON article_marks(kind, article_id);

CREATE TABLE IF NOT EXISTS figure_checks (
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  rows TEXT NOT NULL,
  PRIMARY KEY (article_id, start, "end")
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS relations_type_source ON relations(type, source_entity_id);
