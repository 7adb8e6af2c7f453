"""Cross-article resolution: normalisation, keys and the Resolver's merge rules."""

from __future__ import annotations

import pytest

from chainatlas.model import Entity
from chainatlas.resolve import AliasIndex, Resolver, entity_key, normalize_name


def test_normalize_name_folds_width_and_space() -> None:
    assert normalize_name("天大智图（天津） 科技有限公司") == "天大智图(天津)科技有限公司"
    with pytest.raises(TypeError):
        normalize_name(None)  # type: ignore[arg-type]


def test_entity_key_is_deterministic_and_family_based() -> None:
    k1 = entity_key("company", "华海清科股份有限公司")
    assert k1.startswith("CA-") and k1 == entity_key("company", "华海清科股份有限公司")
    assert entity_key("institution", "X研究院") == entity_key("company", "X研究院")  # same org family
    assert entity_key("person", "王浩") != entity_key("region", "王浩")


def _index() -> AliasIndex:
    idx = AliasIndex()
    idx.add("K1", "company", "天大智图(天津)科技有限公司", ["天大智图"])
    idx.add("K2", "company", "华海清科股份有限公司")
    idx.add("K3", "government", "天津市工业和信息化局", ["天津市工信局"])
    idx.add("K4", "government", "上海市经济和信息化委员会")
    return idx


def test_exact_alias_match() -> None:
    r = Resolver()
    assert r.resolve(Entity("company", "天大智图"), _index()) == "K1"


def test_short_form_to_full_name() -> None:
    r = Resolver()
    assert r.resolve(Entity("company", "华海清科"), _index()) == "K2"


def test_government_abbreviation_needs_region_hint() -> None:
    r = Resolver()
    ent = Entity("government", "市工信局")
    assert r.resolve(ent, _index(), region_hint="天津") == "K3"
    assert r.resolve(ent, _index(), region_hint="北京") != "K3"
    assert r.resolve(ent, _index()) != "K3"


def test_unrelated_entity_gets_its_own_key() -> None:
    r = Resolver()
    ent = Entity("company", "远航电子有限公司")
    assert r.resolve(ent, _index()) == entity_key("company", "远航电子有限公司")
