-- chainatlas store schema, migration 0005, PostgreSQL dialect: sentence_work, the analyses' per-sentence
-- work kept per article (chainatlas.analysis.work; docs/scale.md "Analyses: maintained aggregates (sixth
-- round)").  WITHOUT ROWID on SQLite, so no rowid column here either.

CREATE TABLE IF NOT EXISTS sentence_work (
  kind TEXT COLLATE "C" NOT NULL,
  article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start BIGINT NOT NULL,
  "end" BIGINT NOT NULL,
  rows TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (kind, article_id, start, "end")
);
CREATE INDEX IF NOT EXISTS sentence_work_article ON sentence_work(article_id);
