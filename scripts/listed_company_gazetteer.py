"""Generate src/chainatlas/data/lexicons/listed_companies.tsv: the short names (证券简称) of
companies listed on the Shanghai, Shenzhen and Beijing exchanges, as news writes them without a
legal suffix (宝馨科技, 中粮糖业, 川金诺).

Source: the stock list bundled in the ``adata`` wheel (member ``adata/stock/cache/code.csv``:
stock_code, short_name, list_date2).  adata is not a dependency: download the wheel once
(``pip download adata --no-deps -d /tmp/pkgs``) and pass it with ``--wheel``.

Normalisation: spaces removed (万  科Ａ), a trailing share class A/B/Ａ/Ｂ (or B股) dropped, rows marked
ST, *ST, PT, 退 or carrying a bracketed note dropped (a special-treatment or delisted marker is
no part of the name), prefixes XD, XR, DR (dividend days) and S (an unreformed share) dropped; the A and B shares of one
company collapse into one row (the smallest code is kept).

Every kept name gets a ``use`` that decides how the extractor reads it (extract/entity_cues.py):

* ``name`` — a company wherever it stands as a word of its own (the edges are checked against
  the segmenter; a legal suffix or an industry word after it leaves it to the longer name);
* ``context`` — a company only with a company context, like org_cues.yaml's context_brands: a
  company word after it (公司, 集团, 股份, 董事长 …), a company next to it in a list (A、B), or
  the same name so used elsewhere in the article.

and a name is left out altogether when it is too likely an everyday word or a place.  By the
words of jieba 0.42's dictionary (frequency, tag) and the regions of regions.tsv:

* left out: names of fewer than three characters (一致, 长安, 冰山), numerals (二六三) and the
  few phrases of NOT_NAMES that the dictionary lacks (线上线下); a region's name (张家界,
  连云港); a dictionary word used COMMON_FREQ times or more that is a place (葛洲坝, 华侨城,
  太平洋) or of another everyday tag (老百姓, 农产品, 驱动力, 机器人, 五粮液);
  a name that ends like a bureau (招商局) or a place (…港, …机场, …山, …湖 …);
* ``context``: the other dictionary words (nz/nt/nr words such as 新世界, 京东方, 同仁堂, rare
  everyday words such as 孩子王, rare place words such as 苏泊尔); names made only of everyday
  words and places (中国医药, 上海电力, 国际医学, 新产业, 值得买: each is also a phrase; a single character counts as an
  everyday word when jieba's dictionary uses it COMMON_CHAR_FREQ times or more), except a place before a word only firms end
  in (长江证券, 东北证券);
* ``name``: the rest — names with a part that is no everyday word (宝馨科技 = 宝 馨 + 科技,
  中粮糖业 = the abbreviation 中粮 + 糖业, 江南高纤, 川金诺).

Run: .venv/bin/python scripts/listed_company_gazetteer.py --wheel /tmp/pkgs/adata-2.9.5-py3-none-any.whl
(rewrites the file; deterministic order; ``--report`` prints the left-out names and why).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import zipfile
from pathlib import Path

import jieba

LEX = Path(__file__).resolve().parents[1] / "src" / "chainatlas" / "data" / "lexicons"
OUT = LEX / "listed_companies.tsv"
MEMBER = "adata/stock/cache/code.csv"
COMMON_FREQ = 30  # as in jieba_org_gazetteer.py: a word used this often is an everyday word
# tags of words only a name is (a person's, a brand's, an organisation's, an abbreviation)
PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "nz", "nt", "j", "eng"})
PLACE_TAGS = frozenset({"ns"})
# words only a firm's name ends in: after a place (长江证券) the name is still a firm's
FIRM_WORDS = ("证券", "银行", "股份", "控股", "集团", "保险", "人寿", "信托", "期货", "基金", "置业", "地产")
# endings of a bureau's or a place's name (the name's last word): a listed name ending so (招商局,
# 上海机场, 天目湖, 陆家嘴) is too often the body or the place itself
BODY_ENDS = ("局", "委", "厅", "署", "办")
PLACE_ENDS = frozenset("港山湖岛江河桥街路村镇寺井嘴汇湾峡")  # a single character closing a name of three, or after everyday words
PLACE_WORDS = frozenset({"机场", "空港", "港口", "码头", "港区"})
# everyday phrases the dictionary lacks (so they read as coined names)
NOT_NAMES = frozenset({"线上线下"})
MARKERS = re.compile(r"ST|PT|退|[(（]")
NEW_PREFIX = re.compile(r"\A(?:XD|XR|DR|S)(?=[\u4e00-\u9fff])")  # S: a share not yet reformed (S佳通)
NUMERALS = re.compile(r"[〇零一二三四五六七八九十百千万]+\Z")
PROPER_COMMON_FREQ = 500  # a name-tagged word used this often is an everyday word too (卫星, 智慧, 阳光, 光电)
COMMON_CHAR_FREQ = 10000  # a single character used this often is a word of its own (新, 大, 深, 王)
SHARE_CLASS = re.compile(r"[AB\uff21\uff22]股?\Z")  # 万科Ａ, 大众B股


def _regions() -> set[str]:
    out: set[str] = set()
    for line in (LEX / "regions.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 4:
            out.add(cols[0])
            out.update(s for s in cols[3].split(",") if s)
    for line in (LEX / "regions_county_short.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) == 2 and not line.startswith("#") and cols[0] != "name":
            out.add(cols[1])
    for line in (LEX / "countries.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            out.update(p for p in line.split(",") if p)
    return out


def read_rows(wheel: Path) -> list[tuple[str, str]]:
    """(stock code, normalised short name) of every row that names a company in good standing."""
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(MEMBER).decode("utf-8-sig")
    out: list[tuple[str, str]] = []
    for row in csv.DictReader(io.StringIO(text)):
        raw = "".join((row.get("short_name") or "").split())
        code = (row.get("stock_code") or "").strip()
        if not raw or not code or MARKERS.search(raw):
            continue
        name = SHARE_CLASS.sub("", NEW_PREFIX.sub("", raw))
        out.append((code, name))
    return out


def classify(name: str, words: dict[str, tuple[int, str]], regions: set[str]) -> tuple[str | None, str]:
    """("name" | "context" | None, the reason)."""
    if len(name) < 3:
        return None, "two characters or fewer"
    if name in NOT_NAMES:
        return None, "an everyday phrase"
    if NUMERALS.match(name):
        return None, "a numeral"
    if name in regions:
        return None, "a region"
    if name.endswith(BODY_ENDS):
        return None, "ends like a bureau"
    segs = jieba.lcut(name, HMM=False)
    everyday = [_everyday(segs, i, words, regions) for i in range(len(segs))]
    last = segs[-1]
    if last in PLACE_WORDS or (last in PLACE_ENDS and all(everyday[:-1])) or (len(name) == 3 and name[-1] in PLACE_ENDS):
        return None, "ends like a place"
    hit = words.get(name)
    if hit is not None:
        freq, tag = hit
        if tag in PLACE_TAGS and freq >= COMMON_FREQ:
            return None, f"a dictionary place ({tag} {freq})"
        if tag not in PROPER_TAGS and freq >= COMMON_FREQ:
            return None, f"an everyday word ({tag} {freq})"
        return "context", f"a dictionary word ({tag} {freq})"
    if len(segs) == 2 and segs[0] in regions and len(segs[1]) == 1:
        return "context", "a region and one character"
    if all(everyday):
        if len(segs) >= 2 and name.endswith(FIRM_WORDS) and (segs[0] in regions or words.get(segs[0], (0, ""))[1] in PLACE_TAGS):
            return "name", "a place and a firm's word"
        return "context", "everyday words and places only: " + "/".join(segs)
    return "name", "/".join(segs)


def _everyday(segs: list[str], i: int, words: dict[str, tuple[int, str]], regions: set[str]) -> bool:
    """A word that names nothing by itself: a region, a place word, a dictionary word used
    COMMON_FREQ times or more that is no proper name (rarer words are mostly names' words in the
    dictionary's source: 金风, 汇川), a word tagged as a name or an abbreviation used
    PROPER_COMMON_FREQ times or more (卫星 and 智慧 carry nr, 光电 and 通信 j), or a single character between words used
    COMMON_CHAR_FREQ times or more (新, 大, 深: 新产业, 大智慧 are phrases); rarer single characters
    and two in a row are a coined name's (宝 馨, 中 天, 三 一)."""
    seg = segs[i]
    if seg in regions:
        return True
    if len(seg) < 2 and any(0 <= j < len(segs) and len(segs[j]) < 2 for j in (i - 1, i + 1)):
        return False  # two single characters in a row: a coined name (中 天, 三 一, 宝 馨)
    hit = words.get(seg)
    if hit is None:
        return False
    freq, tag = hit
    if len(seg) < 2:
        return freq >= COMMON_CHAR_FREQ  # 新 + 产业, 值得 + 买: a phrase; 宝 馨, 尚 太: a coined name
    return tag in PLACE_TAGS or freq >= (PROPER_COMMON_FREQ if tag in PROPER_TAGS else COMMON_FREQ)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, required=True, help="the adata wheel (pip download adata --no-deps)")
    ap.add_argument("--report", action="store_true", help="print every left-out or context name and why")
    args = ap.parse_args()
    words: dict[str, tuple[int, str]] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            w, freq, tag = line.split()
            words.setdefault(w, (int(freq), tag))
    regions = _regions()
    codes: dict[str, str] = {}
    for code, name in read_rows(args.wheel):
        if name not in codes or code < codes[name]:
            codes[name] = code
    rows: list[tuple[str, str, str]] = []
    for name in sorted(codes):
        use, why = classify(name, words, regions)
        if args.report and use != "name":
            print(f"{use or 'left out'}\t{name}\t{why}")
        if use is not None:
            rows.append((name, use, codes[name]))
    header = (
        "# Generated by scripts/listed_company_gazetteer.py from the stock list of the adata wheel — do not\n"
        "# edit by hand; rerun the script instead (or delete a row, or the file, to stop using a name).\n"
        "# Short names of listed companies (证券简称) found without a legal suffix (extract/entity_cues.py).\n"
        "# use: name = a company wherever it stands as a word of its own; context = only with a company\n"
        "# word after it, a company beside it in a list, or that use elsewhere in the article.\n"
        "# Columns: name, use, stock code.\n"
        "name\tuse\tcode\n"
    )
    OUT.write_text(header + "".join(f"{n}\t{u}\t{c}\n" for n, u, c in rows), encoding="utf-8")
    n_name = sum(1 for _, u, _ in rows if u == "name")
    print(f"{OUT}: {len(rows)} names ({n_name} name, {len(rows) - n_name} context) of {len(codes)}")


if __name__ == "__main__":
    main()
