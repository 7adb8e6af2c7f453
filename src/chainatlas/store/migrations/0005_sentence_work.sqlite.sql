-- chainatlas store schema, migration 0005, SQLite dialect: sentence_work, the analyses' per-sentence work
-- kept per article (chainatlas.analysis.work; docs/scale.md "Analyses: maintained aggregates (sixth
-- round)").  store/schema.sql (run on every open) already creates it, so on SQLite this only records the
-- version; the statements are repeated so the file stands on its own.

CREATE TABLE IF NOT EXISTS sentence_work (
  kind TEXT NOT NULL,
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  rows TEXT NOT NULL,
  PRIMARY KEY (kind, article_id, start, "end")
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sentence_work_article ON sentence_work(article_id);
