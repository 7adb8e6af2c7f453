-- chainatlas store schema, migration 0003, SQLite dialect: the store generation and the kept analysis
-- results (store/derived.py, issue 14 part 2).  store/schema.sql (run on every open) already creates
-- them, so on SQLite this only records the version; the statements are repeated so the file stands on
-- its own.  Every table an analysis reads has three triggers that move the generation in the writing
-- transaction; tests/store/test_generation.py checks that no such table lacks them.

-- The store's generation (chainatlas.store.derived): a counter that every write to a table the analyses read
-- moves, in the writing transaction itself (the triggers below, so no writer can forget it), and the
-- whole-store analysis results kept at the generation they were computed at.  A kept result is read
-- only while the generation is still the one it was computed at.  Tables not listed below (dedup and
-- search indexes, article marks, kept figure checks, project rollups, monitoring, accounts, the audit
-- log, meta) are derived from the listed ones or feed no analysis: store.derived.EXEMPT says why.
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

CREATE TRIGGER IF NOT EXISTS gen_documents_ins AFTER INSERT ON documents BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_documents_upd AFTER UPDATE ON documents BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_documents_del AFTER DELETE ON documents BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_articles_ins AFTER INSERT ON articles BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_articles_upd AFTER UPDATE ON articles BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_articles_del AFTER DELETE ON articles BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_article_sources_ins AFTER INSERT ON article_sources BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_article_sources_upd AFTER UPDATE ON article_sources BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_article_sources_del AFTER DELETE ON article_sources BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_entities_ins AFTER INSERT ON entities BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_entities_upd AFTER UPDATE ON entities BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_entities_del AFTER DELETE ON entities BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_entity_aliases_ins AFTER INSERT ON entity_aliases BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_entity_aliases_upd AFTER UPDATE ON entity_aliases BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_entity_aliases_del AFTER DELETE ON entity_aliases BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_entity_merges_ins AFTER INSERT ON entity_merges BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_entity_merges_upd AFTER UPDATE ON entity_merges BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_entity_merges_del AFTER DELETE ON entity_merges BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_mentions_ins AFTER INSERT ON mentions BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_mentions_upd AFTER UPDATE ON mentions BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_mentions_del AFTER DELETE ON mentions BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_metrics_ins AFTER INSERT ON metrics BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_metrics_upd AFTER UPDATE ON metrics BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_metrics_del AFTER DELETE ON metrics BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_projects_ins AFTER INSERT ON projects BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_projects_upd AFTER UPDATE ON projects BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_projects_del AFTER DELETE ON projects BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_project_events_ins AFTER INSERT ON project_events BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_project_events_upd AFTER UPDATE ON project_events BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_project_events_del AFTER DELETE ON project_events BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_relations_ins AFTER INSERT ON relations BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_relations_upd AFTER UPDATE ON relations BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_relations_del AFTER DELETE ON relations BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_chain_mappings_ins AFTER INSERT ON chain_mappings BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_chain_mappings_upd AFTER UPDATE ON chain_mappings BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_chain_mappings_del AFTER DELETE ON chain_mappings BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_mapping_overrides_ins AFTER INSERT ON mapping_overrides BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_mapping_overrides_upd AFTER UPDATE ON mapping_overrides BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_mapping_overrides_del AFTER DELETE ON mapping_overrides BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_directory_ins AFTER INSERT ON directory BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_directory_upd AFTER UPDATE ON directory BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_directory_del AFTER DELETE ON directory BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_judgements_ins AFTER INSERT ON judgements BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_judgements_upd AFTER UPDATE ON judgements BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_judgements_del AFTER DELETE ON judgements BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_leads_ins AFTER INSERT ON leads BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_leads_upd AFTER UPDATE ON leads BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS gen_leads_del AFTER DELETE ON leads BEGIN INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET n = n + 1; END;
