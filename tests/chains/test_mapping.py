from __future__ import annotations

from pathlib import Path

import pytest

from chainatlas.chains import load_taxonomy, map_article
from chainatlas.model import Article, Entity, Extraction, Project


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def _entity(text: str, name: str, etype: str = "company") -> Entity:
    spans = []
    i = text.find(name)
    while i >= 0:
        spans.append((i, i + len(name)))
        i = text.find(name, i + 1)
    return Entity(etype, name, spans=spans)


def test_company_placed_on_segment_from_its_sentence(tax):
    text = ("渤海精材科技有限公司主要生产电子特气和溅射靶材，产品供应国内晶圆厂。\n"
            "另据介绍，津南智驾科技有限公司研发激光雷达与毫米波雷达。")
    a = Article("mem", 0, None, None, text)
    e1, e2 = _entity(text, "渤海精材科技有限公司"), _entity(text, "津南智驾科技有限公司")
    maps = map_article(a, Extraction(entities=[e1, e2]), tax)
    first = [m for m in maps if m.subject_name == e1.name]
    assert first[0].chain == "integrated_circuits" and first[0].segment == "upstream"
    assert 0 < first[0].confidence <= 1
    s, e = first[0].span
    assert text[s:e] == first[0].evidence and "电子特气" in first[0].evidence
    second = [m for m in maps if m.subject_name == e2.name]
    assert (second[0].chain, second[0].segment) == ("connected_vehicles", "upstream")
    assert e1.chains == ["集成电路"] and e2.chains[0] == "车联网"


def test_chain_alias_in_name_without_context(tax):
    text = "会上，海河半导体有限公司等企业代表发言。"
    e = _entity(text, "海河半导体有限公司")
    maps = map_article(Article("m", 0, None, None, text), Extraction(entities=[e]), tax)
    assert [(m.chain, m.segment) for m in maps] == [("integrated_circuits", None)]
    assert e.chains == ["集成电路"]


def test_same_sentence_beats_same_paragraph(tax):
    text = "某某生物科技有限公司建成创新药生产线。园区另有企业从事光伏组件制造。"
    e = _entity(text, "某某生物科技有限公司")
    maps = map_article(Article("m", 0, None, None, text), Extraction(entities=[e]), tax)
    assert maps[0].chain == "biomedicine"
    assert all(m.chain != "new_energy" or m.confidence < maps[0].confidence for m in maps)


def test_persons_and_regions_are_not_mapped(tax):
    text = "张三在天津介绍芯片设计进展。"
    ents = [_entity(text, "张三", "person"), _entity(text, "天津", "region")]
    assert map_article(Article("m", 0, None, None, text), Extraction(entities=ents), tax) == []


def test_project_mapping_and_table_row(tax):
    text = "北辰新能源电池基地项目总投资30亿元，建设动力电池和储能电池产线。"
    p = Project("北辰新能源电池基地项目", "某电池公司", "北辰区", None, "签约", (0, len(text)))
    maps = map_article(Article("m", 0, None, None, text), Extraction(projects=[p]), tax)
    assert maps[0].subject_kind == "project" and maps[0].chain in ("new_energy", "automobiles")
    assert maps[0].segment in ("midstream", "upstream")
    assert p.chains

    row = {"企业名称": "某某装备有限公司", "所属产业链": "集成电路", "产业链环节": "中游"}
    text2 = "某某装备有限公司"
    e = _entity(text2, "某某装备有限公司")
    a = Article("list.csv", 3, None, None, text2, meta={"table_row": row})
    maps = map_article(a, Extraction(entities=[e]), tax)
    assert [(m.chain, m.segment, m.confidence) for m in maps] == [("integrated_circuits", "midstream", 1.0)]


def test_seed_pages_map_without_errors(tax):
    seeds = Path("/work/shared/seeds")
    if not seeds.is_dir():
        pytest.skip("seeds not available")
    text = (seeds / "004_3cc48ae0d6aefe17.txt").read_text("utf-8")
    name = "华海清科"
    e = _entity(text, name)
    if not e.spans:
        pytest.skip("seed changed")
    maps = map_article(Article("seed", 0, None, None, text), Extraction(entities=[e]), tax)
    assert maps and maps[0].chain == "integrated_circuits"


def test_taxonomy_caches_die_with_their_taxonomy():
    """Each web upload loads a taxonomy: its mapping cache must not keep it alive (a leak of about
    0.8 MB per upload, found by the soak bench)."""
    import gc

    from chainatlas.chains import load_taxonomy, mapping

    gc.collect()
    before = len(mapping._TAX_CACHES)
    for _ in range(3):
        tax = load_taxonomy()
        assert mapping._tax_cache(tax).shared("芯片") in (True, False)
        del tax
    gc.collect()
    assert len(mapping._TAX_CACHES) == before
