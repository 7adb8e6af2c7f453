-- chainatlas store schema, migration 0003, PostgreSQL dialect: the store generation and the kept analysis
-- results (store/derived.py, issue 14 part 2).  On SQLite every table an analysis reads has three row
-- triggers; here one deferred constraint trigger per table, which bumps the generation once per
-- transaction when it commits (a transaction-local setting remembers that it did).

CREATE TABLE IF NOT EXISTS store_generation (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  n BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS analysis_cache (
  analysis TEXT COLLATE "C" NOT NULL,
  params TEXT COLLATE "C" NOT NULL,
  fingerprint TEXT COLLATE "C" NOT NULL,
  generation BIGINT NOT NULL,
  computed_at TEXT COLLATE "C" NOT NULL,
  seconds DOUBLE PRECISION,
  result TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (analysis, params, fingerprint)
);

-- once per transaction, when it commits: the row lock on store_generation is taken last and held only
-- while committing, so it neither serialises writers nor joins a deadlock
CREATE OR REPLACE FUNCTION ca_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('chainatlas.generation_bumped', true), '') = '' THEN
    INSERT INTO store_generation(id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = store_generation.n + 1;
    PERFORM set_config('chainatlas.generation_bumped', '1', true);
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS gen_documents ON documents;
CREATE CONSTRAINT TRIGGER gen_documents AFTER INSERT OR UPDATE OR DELETE ON documents
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_articles ON articles;
CREATE CONSTRAINT TRIGGER gen_articles AFTER INSERT OR UPDATE OR DELETE ON articles
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_article_sources ON article_sources;
CREATE CONSTRAINT TRIGGER gen_article_sources AFTER INSERT OR UPDATE OR DELETE ON article_sources
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_entities ON entities;
CREATE CONSTRAINT TRIGGER gen_entities AFTER INSERT OR UPDATE OR DELETE ON entities
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_entity_aliases ON entity_aliases;
CREATE CONSTRAINT TRIGGER gen_entity_aliases AFTER INSERT OR UPDATE OR DELETE ON entity_aliases
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_entity_merges ON entity_merges;
CREATE CONSTRAINT TRIGGER gen_entity_merges AFTER INSERT OR UPDATE OR DELETE ON entity_merges
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_mentions ON mentions;
CREATE CONSTRAINT TRIGGER gen_mentions AFTER INSERT OR UPDATE OR DELETE ON mentions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_metrics ON metrics;
CREATE CONSTRAINT TRIGGER gen_metrics AFTER INSERT OR UPDATE OR DELETE ON metrics
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_projects ON projects;
CREATE CONSTRAINT TRIGGER gen_projects AFTER INSERT OR UPDATE OR DELETE ON projects
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_project_events ON project_events;
CREATE CONSTRAINT TRIGGER gen_project_events AFTER INSERT OR UPDATE OR DELETE ON project_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_relations ON relations;
CREATE CONSTRAINT TRIGGER gen_relations AFTER INSERT OR UPDATE OR DELETE ON relations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_chain_mappings ON chain_mappings;
CREATE CONSTRAINT TRIGGER gen_chain_mappings AFTER INSERT OR UPDATE OR DELETE ON chain_mappings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_mapping_overrides ON mapping_overrides;
CREATE CONSTRAINT TRIGGER gen_mapping_overrides AFTER INSERT OR UPDATE OR DELETE ON mapping_overrides
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_directory ON directory;
CREATE CONSTRAINT TRIGGER gen_directory AFTER INSERT OR UPDATE OR DELETE ON directory
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_judgements ON judgements;
CREATE CONSTRAINT TRIGGER gen_judgements AFTER INSERT OR UPDATE OR DELETE ON judgements
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
DROP TRIGGER IF EXISTS gen_leads ON leads;
CREATE CONSTRAINT TRIGGER gen_leads AFTER INSERT OR UPDATE OR DELETE ON leads
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ca_bump_generation();
