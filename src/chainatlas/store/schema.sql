-- chainatlas store schema (SQLite dialect; the PostgreSQL backend mirrors it).
-- Every fact row carries article_id + start/end (character offsets into articles.text,
-- end exclusive): that is its provenance.  Ids are deterministic (model.make_id), so
-- re-ingesting the same input inserts nothing new.
-- Every statement is IF NOT EXISTS: Store.open runs this file on every open, so an existing
-- store gains new tables and indexes without a migration step.  Indexes cover the columns
-- the web/analysis queries filter or join on and the article_id foreign keys (ON DELETE
-- CASCADE scans them when a changed document is re-ingested).

CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT
);

-- One row per input (file, URL, feed item page, table file).
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,            -- make_id(source)
  source TEXT NOT NULL UNIQUE,    -- path or URL as given
  sha256 TEXT NOT NULL,           -- of the raw bytes
  encoding TEXT,
  format TEXT,                    -- text | html | markdown | feed | table
  raw_text TEXT NOT NULL,         -- decoded input, kept so offsets can be re-derived
  size INTEGER,
  flags TEXT DEFAULT '[]',        -- JSON list
  ingested_at TEXT NOT NULL
);

-- One row per distinct article (near-duplicates collapse onto the first one seen).
CREATE TABLE IF NOT EXISTS articles (
  id TEXT PRIMARY KEY,            -- make_id(document_id, part)
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  part INTEGER NOT NULL,
  title TEXT,
  published TEXT,                 -- YYYY-MM-DD | YYYY-MM | NULL
  text TEXT NOT NULL,             -- cleaned text; all spans point here
  content_hash TEXT NOT NULL,
  removed TEXT DEFAULT '[]',      -- JSON list of chrome lines the cleaner dropped
  flags TEXT DEFAULT '[]',
  url TEXT,
  region TEXT                     -- main region of the article if determinable
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_document ON articles(document_id);  -- joins to documents, re-ingest
CREATE INDEX IF NOT EXISTS articles_region ON articles(region);         -- region filters, region list

-- Every (document, part) that carried an article, including near-duplicate copies.
CREATE TABLE IF NOT EXISTS article_sources (
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  part INTEGER NOT NULL,
  similarity REAL,                -- estimated Jaccard to the kept article (1.0 = same)
  PRIMARY KEY (document_id, part)
);
CREATE INDEX IF NOT EXISTS article_sources_article ON article_sources(article_id);

-- MinHash signatures for near-duplicate detection (LSH rebuilt from these on open).
CREATE TABLE IF NOT EXISTS article_minhash (
  article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  signature BLOB NOT NULL
);

-- The LSH index over those signatures, on disk: one row per band (dedup.lsh_buckets), so a new
-- article's candidates are a few indexed lookups and no writer rebuilds an index in memory.
-- meta 'lsh_banding' names the banding the rows were made with (rebuilt from article_minhash
-- when it changes or is missing).
CREATE TABLE IF NOT EXISTS article_lsh (
  bucket INTEGER NOT NULL,
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  PRIMARY KEY (bucket, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_lsh_article ON article_lsh(article_id);

-- Where the analyses start in an article (chainatlas.store.marks), found when it is stored:
-- kind 'honour' (an honour term's occurrence), 'trigger' (a sentence with a bottleneck
-- trigger), 'figure' (a sentence with % and a growth/share word; prev_* = the sentence before).
-- meta 'article_marks' = fingerprint of the vocabulary they were made with (rebuilt when it
-- changes or is missing).
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

-- The arithmetic checks of each 'figure' mark (chainatlas.analysis.figures.refresh_checks, run
-- after every ingest): rows = JSON list of check_sentence's rows.  meta 'figure_checks' =
-- fingerprint of the code and vocabulary that made them (all dropped when it changes); a mark
-- without a row is checked when the analysis runs, as before.
CREATE TABLE IF NOT EXISTS figure_checks (
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  rows TEXT NOT NULL,
  PRIMARY KEY (article_id, start, "end")
) WITHOUT ROWID;

-- The analyses' per-sentence work that depends only on an article's own text and the code, vocabulary
-- and taxonomy (chainatlas.analysis.work, made after every ingest for the new articles): kind 'trigger'
-- (a 'trigger' mark's taxonomy hits and technology phrases, for the 卡点 list), 'count' (the sentence of a
-- metric in 家 with its taxonomy hits, for the stated presence of the gaps), 'honour' (the honour terms
-- in a mention's window, for the 重点企业 list), 'done' (one row per article: its work was made).  rows =
-- JSON.  meta 'sentence_work' = fingerprint of what made them (all dropped when it changes); a sentence
-- without a row is worked out when the analysis runs, as before.
CREATE TABLE IF NOT EXISTS sentence_work (
  kind TEXT NOT NULL,
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  rows TEXT NOT NULL,
  PRIMARY KEY (kind, article_id, start, "end")
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sentence_work_article ON sentence_work(article_id);

-- Canonical entities, resolved across articles.
CREATE TABLE IF NOT EXISTS entities (
  id TEXT PRIMARY KEY,            -- 'CA-' + make_id(type, normalized name)
  type TEXT NOT NULL,             -- company | park | government | institution | person | region
  name TEXT NOT NULL,             -- canonical (fullest) name
  region TEXT,                    -- home region when known (天津, 北京, 滨海新区 ...)
  attrs TEXT DEFAULT '{}'         -- JSON: role, listed, tags (龙头, 单项冠军, 小巨人) ...
);
CREATE INDEX IF NOT EXISTS entities_type ON entities(type);
CREATE INDEX IF NOT EXISTS entities_name ON entities(name);
CREATE INDEX IF NOT EXISTS entities_region ON entities(region);

CREATE TABLE IF NOT EXISTS entity_aliases (
  entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  PRIMARY KEY (entity_id, alias)
);
CREATE INDEX IF NOT EXISTS entity_aliases_alias ON entity_aliases(alias);

-- Entities found to be the same legal person as another (康希诺 → 康希诺生物股份公司): the old id
-- now lives on as an alias of ``into_id``; links to the old id are redirected.  ``basis`` says why.
CREATE TABLE IF NOT EXISTS entity_merges (
  from_id TEXT PRIMARY KEY,
  into_id TEXT NOT NULL,
  from_name TEXT NOT NULL,
  basis TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_merges_into ON entity_merges(into_id);

CREATE TABLE IF NOT EXISTS mentions (
  id TEXT PRIMARY KEY,            -- make_id(article_id, entity_id, start)
  entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  surface TEXT NOT NULL,
  role TEXT
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);

CREATE TABLE IF NOT EXISTS metrics (
  id TEXT PRIMARY KEY,            -- make_id(article_id, start, end, unit)
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  indicator TEXT,
  value REAL NOT NULL,
  unit TEXT NOT NULL,
  raw TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  approx INTEGER DEFAULT 0,
  upper REAL,
  region TEXT,
  period TEXT,
  kind TEXT
);
CREATE INDEX IF NOT EXISTS metrics_article ON metrics(article_id);
CREATE INDEX IF NOT EXISTS metrics_indicator ON metrics(indicator, region);

-- Canonical projects (one per real-world project, merged across articles).
CREATE TABLE IF NOT EXISTS projects (
  id TEXT PRIMARY KEY,            -- 'PJ-' + make_id(normalized name or investor+location)
  name TEXT,
  investor TEXT,                  -- canonical investor name
  investor_entity_id TEXT,
  location TEXT,
  amount_value REAL,
  amount_unit TEXT,
  sector TEXT,
  stage TEXT,                     -- latest known stage
  last_date TEXT,                 -- date of the latest event (YYYY-MM-DD / YYYY-MM)
  aggregate INTEGER DEFAULT 0,
  attrs TEXT DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS projects_investor_entity ON projects(investor_entity_id);
CREATE INDEX IF NOT EXISTS projects_investor ON projects(investor);
CREATE INDEX IF NOT EXISTS projects_stage ON projects(stage);

-- One row per (project, article) report: the stage timeline.
CREATE TABLE IF NOT EXISTS project_events (
  id TEXT PRIMARY KEY,            -- make_id(project_id, article_id, start)
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  stage TEXT,
  date TEXT,                      -- when it happened: the stated date, else the article's published date;
                                  -- never later than the article (a later stated date is a plan)
  amount_value REAL,
  amount_unit TEXT,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  reported TEXT,                  -- the article's published date (when it was reported); NULL if undated
  planned TEXT                    -- a planned date stated in the report (预计2025年投产 → 2025); never a report date
);
CREATE INDEX IF NOT EXISTS project_events_project ON project_events(project_id);
CREATE INDEX IF NOT EXISTS project_events_article ON project_events(article_id);

-- What the projects row's stage/last_date/amount are derived from, kept per project so that a new
-- report folds into it instead of re-reading every report of the project (Store._refresh_projects).
-- Any change to project_events by other code drops the project's row (triggers below); it is then
-- recomputed from the events on the next refresh.  Keys compare as the full recompute does:
-- (date or '', stage rank), the first report wins a tie.
CREATE TABLE IF NOT EXISTS project_rollups (
  project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  staged_date TEXT, staged_rank INTEGER, staged_stage TEXT,  -- latest report that has a stage (NULL: none)
  top_date TEXT, top_rank INTEGER, top_stage TEXT,           -- latest report of all
  max_date TEXT,                                             -- newest event date
  amount_date TEXT, amount_value REAL, amount_unit TEXT,     -- newest report stating an amount (NULL: none)
  has_amount INTEGER NOT NULL DEFAULT 0,
  events INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER IF NOT EXISTS project_events_rollup_ins AFTER INSERT ON project_events
BEGIN DELETE FROM project_rollups WHERE project_id = new.project_id; END;
CREATE TRIGGER IF NOT EXISTS project_events_rollup_upd
AFTER UPDATE OF project_id, stage, date, amount_value, amount_unit ON project_events
BEGIN DELETE FROM project_rollups WHERE project_id IN (old.project_id, new.project_id); END;
CREATE TRIGGER IF NOT EXISTS project_events_rollup_del AFTER DELETE ON project_events
BEGIN DELETE FROM project_rollups WHERE project_id = old.project_id; END;

CREATE TABLE IF NOT EXISTS relations (
  id TEXT PRIMARY KEY,            -- make_id(type, source, target, article_id, start)
  type TEXT NOT NULL,             -- located_in | cooperates_with | invests_in | part_of | flow | subsidiary_of
  source TEXT NOT NULL,           -- canonical name
  target TEXT NOT NULL,
  source_entity_id TEXT,
  target_entity_id TEXT,
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start INTEGER,
  "end" INTEGER,
  attrs TEXT DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS relations_type ON relations(type);
CREATE INDEX IF NOT EXISTS relations_article ON relations(article_id);
CREATE INDEX IF NOT EXISTS relations_source_entity ON relations(source_entity_id);
CREATE INDEX IF NOT EXISTS relations_target_entity ON relations(target_entity_id);
-- a new mention moves the quote of its entity's name-inferred subsidiary_of link (Store._insert_facts):
-- by (type, source) that is one probe, not a walk over every relation of a much-mentioned entity
CREATE INDEX IF NOT EXISTS relations_type_source ON relations(type, source_entity_id);

-- Subject (entity or project) → chain segment, automatic or set by a user.
CREATE TABLE IF NOT EXISTS chain_mappings (
  id TEXT PRIMARY KEY,            -- make_id(subject_kind, subject_id, chain, segment)
  subject_kind TEXT NOT NULL,     -- entity | project
  subject_id TEXT NOT NULL,
  chain TEXT NOT NULL,            -- chain id from data/chains (e.g. integrated_circuits)
  segment TEXT,                   -- upstream | midstream | downstream | NULL
  confidence REAL NOT NULL,
  article_id TEXT,
  start INTEGER,
  "end" INTEGER,
  evidence TEXT,                  -- the evidence sentence
  origin TEXT NOT NULL DEFAULT 'auto'  -- auto | user
);
CREATE INDEX IF NOT EXISTS chain_mappings_subject ON chain_mappings(subject_kind, subject_id);
CREATE INDEX IF NOT EXISTS chain_mappings_chain ON chain_mappings(chain, segment);
CREATE INDEX IF NOT EXISTS chain_mappings_article ON chain_mappings(article_id);

-- User decisions survive re-ingest: confirm / override / reject a mapping.
CREATE TABLE IF NOT EXISTS mapping_overrides (
  subject_kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  chain TEXT NOT NULL,
  segment TEXT,
  action TEXT NOT NULL,           -- confirm | reject | set
  editor TEXT,
  at TEXT NOT NULL,
  PRIMARY KEY (subject_kind, subject_id, chain)
);

-- An optional company directory the user imports (CSV/XLSX: 企业名称, 所在地, 产业链, 环节): companies
-- not (yet) in the news, offered as candidates to attract for a region's chain gaps.
CREATE TABLE IF NOT EXISTS directory (
  id TEXT PRIMARY KEY,            -- make_id(name, chain, segment)
  name TEXT NOT NULL,
  region TEXT,                    -- 所在地 as written
  chain TEXT,                     -- chain id when the taxonomy knows it, else the name as written
  chain_written TEXT,             -- 产业链 as written in the file
  segment TEXT,                   -- upstream | midstream | downstream | NULL
  segment_written TEXT,           -- 环节 as written
  source TEXT NOT NULL,           -- file path
  row INTEGER,                    -- row number in the file (header = 1)
  imported_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS directory_chain ON directory(chain, segment);

-- Inputs that failed, with the reason: queryable, never silently dropped.
CREATE TABLE IF NOT EXISTS rejections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL,
  stage TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);

-- Full-text search over CJK bigrams (pre-tokenised; see store.search).
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
  article_id UNINDEXED, title, body, tokenize = 'unicode61'
);
CREATE VIRTUAL TABLE IF NOT EXISTS entities_fts USING fts5(
  entity_id UNINDEXED, names, tokenize = 'unicode61'
);

-- ---------------------------------------------------------------- monitoring (chainatlas.sources, .watch)
-- Sources polled on a schedule (`chainatlas sources add`, `poll`, `watch`); SQL in store/sources.py.
CREATE TABLE IF NOT EXISTS sources (
  id TEXT PRIMARY KEY,            -- make_id(url)
  url TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,             -- feed | list | sitemap | page
  name TEXT,
  pattern TEXT,                   -- list/sitemap: regex a linked URL must match (NULL: same host, a page)
  every_seconds INTEGER NOT NULL DEFAULT 21600,
  enabled INTEGER NOT NULL DEFAULT 1,
  added_at TEXT NOT NULL,
  last_polled TEXT,
  last_success TEXT,
  last_error TEXT,
  last_error_at TEXT,
  failures INTEGER NOT NULL DEFAULT 0,  -- consecutive failed rounds (back-off)
  next_due TEXT,                  -- ISO time of the next round (NULL: now)
  last_new INTEGER NOT NULL DEFAULT 0,     -- new or changed documents in the last round
  total_new INTEGER NOT NULL DEFAULT 0,
  last_requests INTEGER NOT NULL DEFAULT 0,
  last_not_modified INTEGER NOT NULL DEFAULT 0,
  last_disallowed INTEGER NOT NULL DEFAULT 0
);

-- Every URL a source led to (the index itself, list/sitemap links, feed items): conditional-request state.
CREATE TABLE IF NOT EXISTS source_pages (
  url TEXT PRIMARY KEY,
  source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  role TEXT NOT NULL DEFAULT 'page',  -- index | page | item
  etag TEXT,
  last_modified TEXT,
  lastmod TEXT,                   -- sitemap <lastmod> when last fetched
  sha256 TEXT,                    -- of the body last fetched
  first_seen TEXT NOT NULL,
  last_checked TEXT,
  last_changed TEXT,
  last_status INTEGER
);
CREATE INDEX IF NOT EXISTS source_pages_source ON source_pages(source_id);

-- A polled page whose content changed keeps its history: when, and which lines came and went.
CREATE TABLE IF NOT EXISTS page_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL,           -- documents.source (the URL)
  changed_at TEXT NOT NULL,
  old_sha256 TEXT,
  new_sha256 TEXT,
  added TEXT NOT NULL DEFAULT '[]',    -- JSON list of article lines that appeared
  removed TEXT NOT NULL DEFAULT '[]'   -- JSON list of article lines that disappeared
);
CREATE INDEX IF NOT EXISTS page_changes_source ON page_changes(source, changed_at);

-- Watch rules per user; each new matching fact becomes one alert (alerts.id is deterministic).
CREATE TABLE IF NOT EXISTS watch_rules (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user TEXT NOT NULL,
  kind TEXT NOT NULL,             -- chain | region | company | stage | figure | competitor
  value TEXT,                     -- chain id, region, company name, (stage: optional chain id)
  segment TEXT,                   -- chain: upstream | midstream | downstream | NULL
  email TEXT,
  created_at TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY,            -- make_id(rule, kind, article, start, end): a fact alerts once
  rule_id INTEGER NOT NULL,
  user TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  quote TEXT NOT NULL,            -- the sentence the fact was read from
  article_id TEXT,
  start INTEGER,
  "end" INTEGER,
  source TEXT,                    -- document source (URL / file)
  url TEXT,
  place TEXT,                     -- 第3页 / 第5段 / 表1第2行 for PDF and DOCX
  detail TEXT DEFAULT '{}',       -- JSON: chain, segment, stage change, conflicting figure …
  created_at TEXT NOT NULL,
  mailed_at TEXT
);
CREATE INDEX IF NOT EXISTS alerts_user_created ON alerts(user, created_at);

-- ---------------------------------------------------------------- review and curation (chainatlas.review, .users, .leads)
-- Named accounts (`chainatlas users add NAME --role admin`); passwords hashed with argon2id.
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,             -- viewer | editor | admin
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  last_login TEXT
);

-- Human decisions, kept apart from the extracted facts and replayed on them after every ingest
-- (chainatlas.review.replay) by stable keys (names, document sources, quotes — never only row ids).
CREATE TABLE IF NOT EXISTS judgements (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT NOT NULL UNIQUE,       -- the same in every store a judgement is exported to
  action TEXT NOT NULL,           -- accept | reject | set | merge | split | add
  target_kind TEXT NOT NULL,      -- entity | project | metric | relation | mapping
  target_id TEXT,                 -- the row id when the judgement was made (a hint, not the key)
  target_key TEXT NOT NULL,       -- JSON stable key of the target
  other_id TEXT,                  -- merge: the surviving entity/project
  other_key TEXT,                 -- JSON stable key of the surviving one
  field TEXT,                     -- set: name | type | region | stage | amount | date | investor | location …
  value TEXT,                     -- JSON: the new value (set), the names (split), the fact (add)
  old_value TEXT,                 -- JSON: what was shown when the judgement was made
  reason TEXT,
  evidence TEXT,                  -- JSON: {source, article_id, start, end, quote} shown to the user
  user TEXT NOT NULL,
  at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'applied',  -- applied | orphaned | undone
  applied_at TEXT,
  undone_at TEXT,
  undone_by TEXT,
  undo TEXT                       -- JSON snapshot of the rows the last application changed
);
CREATE INDEX IF NOT EXISTS judgements_target ON judgements(target_kind, target_id);
CREATE INDEX IF NOT EXISTS judgements_status ON judgements(status);

-- Every judgement, undo, replay and lead change: who, when, what.
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  action TEXT NOT NULL,           -- judgement | undo | replay | import | lead | login | user
  judgement_uid TEXT,
  lead_id TEXT,
  detail TEXT DEFAULT '{}'        -- JSON
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log(at);

-- Leads on the 堵点 list: a company to attract for a gap (region × chain × segment).
CREATE TABLE IF NOT EXISTS leads (
  id TEXT PRIMARY KEY,            -- make_id(region, chain, segment, company)
  company TEXT NOT NULL,
  entity_id TEXT,                 -- the company's entity when it is in the store
  region TEXT,
  chain TEXT,
  segment TEXT,
  gap TEXT,                       -- the gap's label as the list shows it
  status TEXT NOT NULL DEFAULT '待接触',  -- 待接触 | 已接触 | 洽谈中 | 已签约 | 已落地 | 放弃
  owner TEXT,
  notes TEXT,
  next_step TEXT,
  next_date TEXT,
  project_id TEXT,                -- a project of the company found in the news (signing, landing)
  evidence TEXT,                  -- JSON {article_id, start, end, quote, source} of that report
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT
);
CREATE INDEX IF NOT EXISTS leads_status ON leads(status);

-- ---------------------------------------------------------------- generation and kept analyses (chainatlas.store.derived)
-- The store's generation (chainatlas.store.derived): a counter that every writer of a table the analyses
-- read moves once per transaction, before it commits (store.derived.bump: the Store once per document,
-- judgements, leads, directory, mapping decisions; row triggers did it in migration 0003 and cost the
-- writer 40-50 % more CPU per document, migration 0004 drops them), and the whole-store analysis results
-- kept at the generation they were computed at.  A kept result is read only while the generation is
-- still the one it was computed at.  store.derived.GENERATION_TABLES / EXEMPT say which tables count.
CREATE TABLE IF NOT EXISTS store_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS analysis_cache (
  analysis TEXT NOT NULL,         -- the analysis' name (key_enterprises, coverage, web.project_board …)
  params TEXT NOT NULL,           -- its parameters, canonical JSON
  fingerprint TEXT NOT NULL,      -- of the code, the data files, the taxonomy and the day it depends on
  generation INTEGER NOT NULL,    -- store_generation.n it was computed at
  computed_at TEXT NOT NULL,      -- UTC ISO time
  seconds REAL,                   -- how long the computation took
  result TEXT NOT NULL,           -- JSON (store.derived.encode: tuples, sets and dates tagged)
  PRIMARY KEY (analysis, params, fingerprint)
) WITHOUT ROWID;

