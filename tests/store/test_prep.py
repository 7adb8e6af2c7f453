"""The store's per-document part made before the writer (``store.prep``): the extracting process (a Ray
or pool worker, or the ingesting process) computes the MinHash signatures, bigram text, marks, entity
keys and fact ids, and ``Store.add_document`` only looks up and inserts.  Whether the writer gets the
prep, makes it itself, or gets one that does not fit, every row of every table is the same — on both
backends."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from chainatlas import dedup
from chainatlas.ingest import iter_inputs
from chainatlas.model import InputError
from chainatlas.pipeline import Processor
from chainatlas.settings import Settings
from chainatlas.store import Store, fts, marks
from chainatlas.store import prep as prep_mod

from .conftest import drop_pg_schema, fresh_pg_schema
from .helpers import STORY_A, STORY_A_REPOST, STORY_B

DEMO = Path(__file__).resolve().parents[2] / "src" / "chainatlas" / "data" / "demo"

# every table the writer fills, with the columns compared (wall-clock columns left out)
TABLES = {
    "documents": "id, source, sha256, encoding, format, raw_text, size, flags",
    "articles": "id, document_id, part, title, published, text, content_hash, removed, flags, url, region",
    "article_sources": "article_id, document_id, part, similarity",
    "article_minhash": "article_id, signature",
    "article_lsh": "bucket, article_id",
    "article_marks": 'article_id, kind, start, "end", prev_start, prev_end',
    "articles_fts": "article_id, title, body",
    "entities": "id, type, name, region, attrs",
    "entity_aliases": "entity_id, alias",
    "entity_merges": "from_id, into_id, from_name, basis",
    "entities_fts": "entity_id, names",
    "mentions": 'id, entity_id, article_id, start, "end", surface, role',
    "metrics": 'id, article_id, indicator, value, unit, raw, start, "end", approx, upper, region, period, kind',
    "projects": "id, name, investor, investor_entity_id, location, amount_value, amount_unit, sector, stage, "
                "last_date, aggregate, attrs",
    "project_events": 'id, project_id, article_id, stage, date, amount_value, amount_unit, start, "end", reported, '
                      "planned",
    "relations": 'id, type, source, target, source_entity_id, target_entity_id, article_id, start, "end", attrs',
    "chain_mappings": 'id, subject_kind, subject_id, chain, segment, confidence, article_id, start, "end", evidence, '
                      "origin",
}


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    """The demo corpus plus a story, its near-duplicate repost and another story, through the real
    Processor (decode → clean → extract → map → prep), as an ingest makes them."""
    extra = tmp_path_factory.mktemp("prep_docs")
    for name, text in (("a.txt", STORY_A), ("a_repost.txt", STORY_A_REPOST), ("b.txt", STORY_B)):
        (extra / name).write_text(text, encoding="utf-8")
    processor = Processor()
    out = [processor.process(r) for r in iter_inputs([str(DEMO), str(extra)], Settings())
           if not isinstance(r, InputError)]
    return [p for p in out if not isinstance(p, InputError)]


def dump(store: Store) -> dict[str, list[str]]:
    return {table: sorted(repr(tuple(r)) for r in store.conn.execute(f"SELECT {cols} FROM {table}"))
            for table, cols in TABLES.items()}


def fill(target: str, docs, mode: str, threshold: float = dedup.DEFAULT_THRESHOLD) -> dict[str, list[str]]:
    with Store.open(target, dedup_threshold=threshold) as store:
        with store.batched():
            for i, p in enumerate(docs):
                if mode == "prep":
                    given = p.prep
                elif mode == "pickled":  # what a Ray worker sends back
                    p = pickle.loads(pickle.dumps(p))
                    given = p.prep
                elif mode == "misfit":  # another document's prep: must be ignored, not used
                    given = docs[(i + 1) % len(docs)].prep
                else:
                    given = None
                store.add_document(p.decoded, p.articles, p.extractions, p.mappings, prep=given)
        return dump(store)


@pytest.fixture(params=["sqlite", "postgresql"])
def targets(request, tmp_path, pg_server):
    """Three fresh, empty store targets of one backend."""
    if request.param == "sqlite":
        yield [str(tmp_path / f"{i}.db") for i in range(3)]
        return
    url, why = pg_server
    if url is None:
        pytest.skip(f"PostgreSQL: {why}")
    made = [fresh_pg_schema(url) for _ in range(3)]
    try:
        yield [m[0] for m in made]
    finally:
        for _, schema in made:
            drop_pg_schema(url, schema)


def test_processor_makes_a_prep_that_fits(processed):
    assert len(processed) > 30
    for p in processed:
        assert isinstance(p.prep, prep_mod.DocumentPrep)
        assert prep_mod.fits(p.prep, p.decoded, p.articles, p.extractions)
    # the documents exercise every part: signatures (and none for table rows), marks, entities, projects, relations
    arts = [ap for p in processed for ap in p.prep.articles]
    assert any(ap.signature is not None for ap in arts) and any(ap.signature is None for ap in arts)
    assert any(ap.marks for ap in arts)
    assert any(pid is not None for ap in arts for pid in ap.project_ids)
    assert sum(len(ap.relation_ids) for ap in arts) > 0
    assert all(len(ap.signature) == dedup.NUM_PERM * 4 for ap in arts if ap.signature is not None)


def test_same_rows_with_or_without_prep(processed, targets):
    with_prep = fill(targets[0], processed, "prep")
    made_here = fill(targets[1], processed, "none")
    pickled = fill(targets[2], processed, "pickled")
    for table in TABLES:
        assert with_prep[table] == made_here[table], table
        assert pickled[table] == made_here[table], table
    # the comparison is not empty: near-duplicates were found, marks and signatures written
    assert made_here["article_minhash"] and made_here["article_lsh"] and made_here["mentions"]
    assert made_here["projects"] and made_here["relations"] and made_here["chain_mappings"]
    assert len(made_here["article_sources"]) > len(made_here["articles"])  # the repost is a second source


def test_a_prep_that_does_not_fit_is_made_again(processed, tmp_path):
    assert fill(str(tmp_path / "misfit.db"), processed, "misfit") == fill(str(tmp_path / "none.db"), processed, "none")


def test_another_threshold_or_marks_vocabulary_is_recomputed(processed, tmp_path):
    # the prep's band keys are for 0.8; a store at 0.7 bands the signatures its own way
    assert fill(str(tmp_path / "p.db"), processed, "prep", 0.7) == fill(str(tmp_path / "n.db"), processed, "none", 0.7)
    # a prep made without marks (or with another vocabulary) still gives the store its marks
    bare = [pickle.loads(pickle.dumps(p)) for p in processed]
    for p in bare:
        p.prep = prep_mod.prepare(p.decoded, p.articles, p.extractions, terms=False)
        assert p.prep.marks_fingerprint is None
    rows = fill(str(tmp_path / "bare.db"), bare, "prep")
    assert rows == fill(str(tmp_path / "n8.db"), processed, "none")
    assert rows["article_marks"]


def test_the_writer_does_not_redo_the_work(processed, tmp_path, monkeypatch):
    """Given a fitting prep, the writer makes no signature, no marks, no bigram text of an article and
    does not call ``prepare``: that work happened in the extracting process."""
    def forbidden(*args, **kwargs):
        raise AssertionError("computed in the writer")

    store = Store.open(str(tmp_path / "w.db"))
    store.add_document(processed[0].decoded, processed[0].articles, processed[0].extractions,
                       processed[0].mappings)  # (the first document: made by the writer, as before)
    monkeypatch.setattr(prep_mod, "prepare", forbidden)
    monkeypatch.setattr(dedup, "signatures", forbidden)
    monkeypatch.setattr(marks, "marks_of", forbidden)
    bigrams = fts.bigram_text
    seen: list[str | None] = []

    def recording(text):
        seen.append(text)
        return bigrams(text)

    monkeypatch.setattr(fts, "bigram_text", recording)  # the entities' search text stays the writer's
    with store.batched():
        for p in processed[1:]:
            store.add_document(p.decoded, p.articles, p.extractions, p.mappings, prep=p.prep)
    assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 30
    store.close()
    texts = {a.text for p in processed for a in p.articles if len(a.text) >= 60}  # (not a table row's company)
    assert seen and len(texts) > 30 and not texts & set(seen)


def test_prepare_is_a_pure_function_of_the_document(processed):
    for p in processed[:10]:
        assert prep_mod.prepare(p.decoded, p.articles, p.extractions) == p.prep


def test_rows_follow_the_rules_the_ids_and_texts_are_defined_by(processed, tmp_path):
    """Both paths run ``prepare``, so comparing them cannot catch a mistake inside it: the stored rows
    are checked against their definitions, computed here without ``store.prep``."""
    from chainatlas.model import make_id
    from chainatlas.store.identity import relation_id

    with Store.open(str(tmp_path / "rules.db")) as store:
        with store.batched():
            for p in processed:
                store.add_document(p.decoded, p.articles, p.extractions, p.mappings, prep=p.prep)
        conn = store.conn
        arts = conn.execute("SELECT id, document_id, part, title, text FROM articles").fetchall()
        assert len(arts) > 30
        for aid, doc_id, part, _title, _text in arts:
            assert aid == make_id(doc_id, part)
        for aid, title, body in conn.execute("SELECT article_id, title, body FROM articles_fts"):
            row = next(a for a in arts if a[0] == aid)
            assert (title, body) == (fts.bigram_text(row[3]), fts.bigram_text(row[4]))
        sigs = dict(conn.execute("SELECT article_id, signature FROM article_minhash").fetchall())
        buckets: dict[str, set[int]] = {}
        for bucket, aid in conn.execute("SELECT bucket, article_id FROM article_lsh"):
            buckets.setdefault(aid, set()).add(bucket)
        assert sigs and set(buckets) == set(sigs)
        for aid, blob in sigs.items():
            text = next(a[4] for a in arts if a[0] == aid)
            sig = dedup.signature(text)
            assert bytes(blob) == dedup.to_bytes(sig)
            assert buckets[aid] == set(dedup.lsh_buckets(sig, dedup.DEFAULT_THRESHOLD))
        stored_marks = sorted(tuple(r) for r in conn.execute(
            'SELECT article_id, kind, start, "end", prev_start, prev_end FROM article_marks'))
        assert stored_marks and stored_marks == sorted(
            (a[0], *m) for a in arts for m in marks.marks_of(a[4], marks.load_terms()))
        for table, sql, rule in (
                ("mentions", "SELECT id, article_id, entity_id, start FROM mentions",
                 lambda r: make_id(r[1], r[2], r[3])),
                ("metrics", 'SELECT id, article_id, start, "end", unit FROM metrics',
                 lambda r: make_id(r[1], r[2], r[3], r[4])),
                ("project_events", "SELECT id, project_id, article_id, start FROM project_events",
                 lambda r: make_id(r[1], r[2], r[3])),
                ("relations", "SELECT id, type, source, target, source_entity_id, target_entity_id, article_id, "
                              "start, attrs FROM relations", lambda r: relation_id(*r[1:]))):
            rows = conn.execute(sql).fetchall()
            assert rows, table
            assert [r[0] for r in rows] == [rule(r) for r in rows], table
