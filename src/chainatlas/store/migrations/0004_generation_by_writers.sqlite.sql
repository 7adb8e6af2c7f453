-- chainatlas store schema, migration 0004, SQLite dialect: the store generation's row triggers of 0003 are
-- dropped.  Each fired an upsert and made every multi-row statement keep a statement journal: +40-50 % of
-- the store path's CPU per document (docs/scale.md).  The writers move the generation themselves, once per
-- transaction (store.derived.bump); tests/store/test_generation.py checks every writer.

DROP TRIGGER IF EXISTS gen_documents_ins;
DROP TRIGGER IF EXISTS gen_documents_upd;
DROP TRIGGER IF EXISTS gen_documents_del;
DROP TRIGGER IF EXISTS gen_articles_ins;
DROP TRIGGER IF EXISTS gen_articles_upd;
DROP TRIGGER IF EXISTS gen_articles_del;
DROP TRIGGER IF EXISTS gen_article_sources_ins;
DROP TRIGGER IF EXISTS gen_article_sources_upd;
DROP TRIGGER IF EXISTS gen_article_sources_del;
DROP TRIGGER IF EXISTS gen_entities_ins;
DROP TRIGGER IF EXISTS gen_entities_upd;
DROP TRIGGER IF EXISTS gen_entities_del;
DROP TRIGGER IF EXISTS gen_entity_aliases_ins;
DROP TRIGGER IF EXISTS gen_entity_aliases_upd;
DROP TRIGGER IF EXISTS gen_entity_aliases_del;
DROP TRIGGER IF EXISTS gen_entity_merges_ins;
DROP TRIGGER IF EXISTS gen_entity_merges_upd;
DROP TRIGGER IF EXISTS gen_entity_merges_del;
DROP TRIGGER IF EXISTS gen_mentions_ins;
DROP TRIGGER IF EXISTS gen_mentions_upd;
DROP TRIGGER IF EXISTS gen_mentions_del;
DROP TRIGGER IF EXISTS gen_metrics_ins;
DROP TRIGGER IF EXISTS gen_metrics_upd;
DROP TRIGGER IF EXISTS gen_metrics_del;
DROP TRIGGER IF EXISTS gen_projects_ins;
DROP TRIGGER IF EXISTS gen_projects_upd;
DROP TRIGGER IF EXISTS gen_projects_del;
DROP TRIGGER IF EXISTS gen_project_events_ins;
DROP TRIGGER IF EXISTS gen_project_events_upd;
DROP TRIGGER IF EXISTS gen_project_events_del;
DROP TRIGGER IF EXISTS gen_relations_ins;
DROP TRIGGER IF EXISTS gen_relations_upd;
DROP TRIGGER IF EXISTS gen_relations_del;
DROP TRIGGER IF EXISTS gen_chain_mappings_ins;
DROP TRIGGER IF EXISTS gen_chain_mappings_upd;
DROP TRIGGER IF EXISTS gen_chain_mappings_del;
DROP TRIGGER IF EXISTS gen_mapping_overrides_ins;
DROP TRIGGER IF EXISTS gen_mapping_overrides_upd;
DROP TRIGGER IF EXISTS gen_mapping_overrides_del;
DROP TRIGGER IF EXISTS gen_directory_ins;
DROP TRIGGER IF EXISTS gen_directory_upd;
DROP TRIGGER IF EXISTS gen_directory_del;
DROP TRIGGER IF EXISTS gen_judgements_ins;
DROP TRIGGER IF EXISTS gen_judgements_upd;
DROP TRIGGER IF EXISTS gen_judgements_del;
DROP TRIGGER IF EXISTS gen_leads_ins;
DROP TRIGGER IF EXISTS gen_leads_upd;
DROP TRIGGER IF EXISTS gen_leads_del;
