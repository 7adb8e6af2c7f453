-- chainatlas store schema, migration 0004, PostgreSQL dialect: the deferred constraint triggers of 0003 that
-- moved the store generation are dropped: the writers move it themselves, once per transaction
-- (store.derived.bump), as on SQLite, where the row triggers cost 40-50 % of the store path's CPU.

DROP TRIGGER IF EXISTS gen_documents ON documents;
DROP TRIGGER IF EXISTS gen_articles ON articles;
DROP TRIGGER IF EXISTS gen_article_sources ON article_sources;
DROP TRIGGER IF EXISTS gen_entities ON entities;
DROP TRIGGER IF EXISTS gen_entity_aliases ON entity_aliases;
DROP TRIGGER IF EXISTS gen_entity_merges ON entity_merges;
DROP TRIGGER IF EXISTS gen_mentions ON mentions;
DROP TRIGGER IF EXISTS gen_metrics ON metrics;
DROP TRIGGER IF EXISTS gen_projects ON projects;
DROP TRIGGER IF EXISTS gen_project_events ON project_events;
DROP TRIGGER IF EXISTS gen_relations ON relations;
DROP TRIGGER IF EXISTS gen_chain_mappings ON chain_mappings;
DROP TRIGGER IF EXISTS gen_mapping_overrides ON mapping_overrides;
DROP TRIGGER IF EXISTS gen_directory ON directory;
DROP TRIGGER IF EXISTS gen_judgements ON judgements;
DROP TRIGGER IF EXISTS gen_leads ON leads;
DROP FUNCTION IF EXISTS ca_bump_generation();
