from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from chainatlas.chains import TaxonomyError, load_taxonomy
from chainatlas.chains.taxonomy import _default_dir


def test_builtin_taxonomy_groups_and_resolution():
    tax = load_taxonomy()
    assert len(tax.in_group("tianjin_12")) == 12
    assert len(tax.in_group("jjj_six_chains")) == 6
    assert len(tax.in_group("jjj_five_clusters")) == 5
    assert tax.resolve("芯片") == "integrated_circuits"
    assert tax.resolve("集成电路") == "integrated_circuits"
    assert tax.resolve("integrated_circuits") == "integrated_circuits"
    assert tax.resolve("轻工") == "light_textiles"
    assert tax.resolve("不存在的链") is None
    for c in tax:
        assert set(c.segments) == {"upstream", "midstream", "downstream"}, c.id


def test_scan_finds_segment_terms_and_latin_words_only_whole():
    tax = load_taxonomy()
    hits = tax.scan("企业生产光刻胶和刻蚀设备，并提供EDA工具")
    got = {(h.term, h.chain, h.segment) for h in hits}
    assert ("光刻胶", "integrated_circuits", "upstream") in got
    assert ("刻蚀设备", "integrated_circuits", "upstream") in got
    assert not [h for h in tax.scan("ICBCX银行") if h.term == "IC"]


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "chains"
    shutil.copytree(_default_dir(), d)
    return d


def _edit(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["segments"]["upstream"].__setitem__("keywords", "光刻胶"),
         "integrated_circuits.yaml: segments.upstream.keywords: expected a list of strings"),
        (lambda d: d["segments"].__setitem__("sidestream", {"keywords": ["x"]}),
         "integrated_circuits.yaml: segments.sidestream: unknown segment"),
        (lambda d: d.pop("label"), "integrated_circuits.yaml: label: missing required key"),
        (lambda d: d["links"].append({"chain": "no_such_chain"}), "integrated_circuits.yaml: links[4]: unknown chain id"),
        (lambda d: d["groups"].append("made_up_group"), "integrated_circuits.yaml: groups[3]: unknown group"),
    ],
)
def test_validation_errors_name_file_and_key(tmp_path, mutate, expected):
    d = _copy(tmp_path)
    _edit(d / "integrated_circuits.yaml", mutate)
    with pytest.raises(TaxonomyError) as exc:
        load_taxonomy(d)
    assert expected in str(exc.value)


def test_duplicate_ids_rejected(tmp_path):
    d = _copy(tmp_path)
    shutil.copy(d / "integrated_circuits.yaml", d / "zz_copy.yaml")
    with pytest.raises(TaxonomyError, match="zz_copy.yaml: id: duplicate chain id"):
        load_taxonomy(d)


def test_user_folder_via_env(tmp_path, monkeypatch):
    d = tmp_path / "mine"
    d.mkdir()
    (d / "pets.yaml").write_text(yaml.safe_dump({
        "id": "pet_food", "label": "宠物食品", "aliases": ["宠物粮"],
        "segments": {"upstream": {"products": ["肉粉"]}, "midstream": {"products": ["猫粮"]}},
    }, allow_unicode=True), "utf-8")
    monkeypatch.setenv("CHAINATLAS_CHAINS_DIR", str(d))
    tax = load_taxonomy()
    assert list(tax.chains) == ["pet_food"]
    assert tax.resolve("宠物粮") == "pet_food"
    assert [(h.chain, h.segment) for h in tax.scan("生产猫粮")] == [("pet_food", "midstream")]


def test_mapping_cues_loaded_and_validated(tmp_path):
    tax = load_taxonomy()
    assert "供应" in tax.cues["context_cues"] and "、" in tax.cues["group_connectors"]
    assert tax.chains_of_term("动力电池") == 2 and tax.chains_of_term("光刻胶") == 1
    d = _copy(tmp_path)
    (d / "_mapping.yaml").write_text("context_cues: [供应]\nsurprise: [x]\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="_mapping.yaml: surprise: unknown key"):
        load_taxonomy(d)
    (d / "_mapping.yaml").write_text("context_cues: 供应\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="_mapping.yaml: context_cues: expected a list of strings"):
        load_taxonomy(d)
