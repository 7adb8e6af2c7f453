"""Listed companies' short names (listed_companies.tsv, scripts/listed_company_gazetteer.py):
brand-style names without a legal suffix are companies where they stand as a word of their own;
names that are also phrases or places count only with a company context; ordinary words and
places are not listed at all.  The sentences are written for these tests."""

from __future__ import annotations

import csv
import importlib.util
import io
import zipfile
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from chainatlas.extract.entities import extract_entities
from chainatlas.extract.entity_cues import _LISTED, _LISTED_CTX, _parse_listed
from chainatlas.extract.lexicon import LexiconError, load_lexicon

ROOT = Path(__file__).resolve().parents[2]


def _companies(text: str) -> set[str]:
    return {e.name for e in extract_entities(text) if e.type == "company"}


def _listed_rows() -> dict[str, str]:
    text = resources.files("chainatlas.data.lexicons").joinpath("listed_companies.tsv").read_text(encoding="utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert rows[0] == ["name", "use", "code"]
    return {r[0]: r[1] for r in rows[1:]}


# ------------------------------------------------------------------ extraction


def test_brand_style_names_in_a_signing_list_are_companies() -> None:
    found = _companies("上午，开发区管委会与宝馨科技、祥鑫科技和中粮糖业分别签订了投资协议。")
    assert {"宝馨科技", "祥鑫科技", "中粮糖业"} <= found, found


def test_a_three_character_name_before_its_predicate() -> None:
    assert "川金诺" in _companies("川金诺计划在工业园内建设一条磷化工生产线。")
    assert "江南高纤" in _companies("据了解，江南高纤今年将新增两条纺丝线。")


def test_a_listed_name_inside_a_place_or_across_words_is_no_mention() -> None:
    # 川金诺 inside 四川 + 金诺…; 新和成 across 重新 | 和 | 成都
    assert not any("金诺" in n for n in _companies("考察团一行沿四川金诺大道参观了三个项目。"))
    assert "新和成" not in _companies("他重新和成都的几家客户取得了联系。")


def test_a_company_word_after_the_name_belongs_to_it() -> None:
    assert "尚太科技公司" in _companies("尚太科技公司将在这里建设新的负极材料基地。")
    assert "新希望集团" in _companies("区政府与新希望集团签订了战略合作协议。")


def test_a_short_name_in_xincai_is_read_in_full() -> None:
    # 联瑞新材 is listed; news often writes the industry word in full (新材料)
    found = _companies("材料板块中，联瑞新材料去年在科创板上市。")
    assert "联瑞新材料" in found, found


def test_an_industry_word_after_the_name_makes_a_fuller_name() -> None:
    # the listed short name only opens the name written here: it is no mention of its own
    found = _companies("川金诺化工有限公司在当地投资建设磷酸铁项目。")
    assert "川金诺" not in found, found
    found = _companies("川金诺化工的新项目开工了。")
    assert "川金诺" not in found and "川金诺化工" in found, found
    assert "川金诺" not in _companies("辽宁川金诺化工新材料项目开工了。")  # a region opens a fuller name


def test_a_context_name_needs_a_company_context() -> None:
    # 上海电力 and 新希望 are listed, but also a phrase: alone they name nothing
    assert not _companies("今年夏季上海电力需求持续增长，新希望在田野上升起。")
    found = _companies("会上，宝馨科技、上海电力等企业代表作了交流发言。")
    assert {"宝馨科技", "上海电力"} <= found, found


def test_a_context_name_followed_by_a_listed_company_predicate() -> None:
    assert "上海电力" in _companies("上海电力拟在当地新建一座储能电站。")
    assert "上海电力" in _companies("据悉，上海电力公告称将出售部分资产。")
    assert not _companies("上海电力拟定的方案")  # no boundary-free predicate: 拟定 is a verb of its own


def test_a_region_written_before_a_listed_name_is_part_of_it() -> None:
    found = _companies("会上，湖北川金诺与园区签订了合作协议。")
    assert "湖北川金诺" in found and "川金诺" not in found, found


def test_ordinary_words_and_places_among_the_short_names_are_not_companies() -> None:
    found = _companies("会上，驱动力与外高桥等方面的专家发言，天津港的农产品出口增长。")
    assert not found & {"驱动力", "外高桥", "天津港", "农产品"}, found


def test_hand_written_lists_win_over_the_listed_names() -> None:
    # 比亚迪 is a known entity (known_entities.tsv): its canonical name is reported
    found = _companies("比亚迪与园区签约。")
    assert any(n.startswith("比亚迪") for n in found), found


# ------------------------------------------------------------------ the data file


def test_the_shipped_list_is_valid_and_leaves_ordinary_words_out() -> None:
    rows = _listed_rows()
    assert len(rows) > 4000
    lex = load_lexicon()
    for name, use in rows.items():
        assert use in ("name", "context"), name
        assert name not in lex.regions, name
        assert len(name) >= 3, name
    for word in ("驱动力", "外高桥", "天津港", "农产品", "老百姓", "招商局", "张家界", "线上线下"):
        assert word not in rows, word
    assert not _companies("各地大力发展智慧农业，中国卫星导航产业也在提速。")
    assert rows["宝馨科技"] == "name" and rows["川金诺"] == "name"
    assert rows["上海电力"] == "context" and rows["新产业"] == "context"


def test_the_loader_validates_rows_and_allows_no_file() -> None:
    good = "# comment\nname\tuse\tcode\n宝馨科技\tname\t002514\n新产业\tcontext\t300832\n"
    assert _parse_listed(good) == [("宝馨科技", _LISTED), ("新产业", _LISTED_CTX)]
    assert _parse_listed(None) == []  # a user deleted the file: no listed names
    with pytest.raises(LexiconError, match="header"):
        _parse_listed("名称\t用途\n宝馨科技\tname\n")
    with pytest.raises(LexiconError, match="row 2"):
        _parse_listed("name\tuse\tcode\n宝馨科技\talways\t002514\n")
    with pytest.raises(LexiconError, match="row 3"):
        _parse_listed("name\tuse\tcode\n宝馨科技\tname\t002514\n宝 馨\tname\t002514\n")


# ------------------------------------------------------------------ the generator


def _script() -> ModuleType:
    pytest.importorskip("jieba")
    spec = importlib.util.spec_from_file_location("listed_company_gazetteer", ROOT / "scripts" / "listed_company_gazetteer.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_generator_normalises_the_stock_list(tmp_path: Path) -> None:
    mod = _script()
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["stock_code", "short_name", "list_date2"])
    for code, name in [
        ("000002", "万  科Ａ"), ("000003", "PT金田A"), ("000005", "*ST石化A"), ("000006", "神城A退"),
        ("200017", "大众B股"), ("600182", "S佳通"), ("603018", "XD中衡设"), ("600827", "百联股份(已合并)"),
        ("002514", "宝馨科技"),
    ]:
        w.writerow([code, name, "2000-01-01"])
    wheel = tmp_path / "adata-0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(mod.MEMBER, buf.getvalue())
    assert mod.read_rows(wheel) == [
        ("000002", "万科"), ("200017", "大众"), ("600182", "佳通"), ("603018", "中衡设"), ("002514", "宝馨科技"),
    ]


def test_the_generator_sorts_names_by_how_they_read() -> None:
    mod = _script()
    import jieba

    words: dict[str, tuple[int, str]] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            word, freq, tag = line.split()
            words.setdefault(word, (int(freq), tag))
    regions = mod._regions()
    use = {n: mod.classify(n, words, regions)[0] for n in (
        "宝馨科技", "川金诺", "江南高纤", "中粮糖业", "长江证券",  # coined parts, a place + a firm's word
        "上海电力", "中国医药", "新产业", "值得买", "智慧农业", "中国卫星",  # phrases (智慧, 卫星 carry nr)
        "驱动力", "农产品", "天津港", "招商局", "张家界", "万科",  # everyday words, places, bodies, two characters
    )}
    assert use == {
        "宝馨科技": "name", "川金诺": "name", "江南高纤": "name", "中粮糖业": "name", "长江证券": "name",
        "上海电力": "context", "中国医药": "context", "新产业": "context", "值得买": "context",
        "智慧农业": "context", "中国卫星": "context",
        "驱动力": None, "农产品": None, "天津港": None, "招商局": None, "张家界": None, "万科": None,
    }
