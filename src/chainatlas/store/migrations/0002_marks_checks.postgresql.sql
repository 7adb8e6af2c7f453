-- chainatlas store schema, migration 0002, PostgreSQL dialect: the tables and index that
-- store/schema.sql gained for the analyses without rescans (issue 14, part 2) — article_marks
-- (store.marks), figure_checks (analysis.figures.refresh_checks) and relations(type, source_entity_id).
-- WITHOUT ROWID tables on SQLite, so no rowid column here either.

CREATE TABLE IF NOT EXISTS article_marks (
  article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  kind TEXT COLLATE "C" NOT NULL,
  start BIGINT NOT NULL,
  "end" BIGINT NOT NULL,
  prev_start BIGINT,
  prev_end BIGINT,
  PRIMARY KEY (article_id, kind, start, "end")
);
CREATE INDEX IF NOT EXISTS article_marks_kind ON article_marks(kind, article_id);

CREATE TABLE IF NOT EXISTS figure_checks (
  article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start BIGINT NOT NULL,
  "end" BIGINT NOT NULL,
  rows TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (article_id, start, "end")
);

CREATE INDEX IF NOT EXISTS relations_type_source ON relations(type, source_entity_id);
