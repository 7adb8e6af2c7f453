"""Generate src/chainatlas/data/lexicons/org_gazetteer_jieba.tsv: named organisations from the
word list with part-of-speech tags that ships with jieba 0.42 (a dev dependency), whose tag ``nt``
marks an organisation name (交通银行, 民政局, 国防部, 华中科技大学).

The ``nt`` tag is noisy (中南部, 国际化, 建设路, 音乐会 carry it too), so an entry is kept only when
  * it ends in an organisation suffix of org_suffixes.yaml (longest wins; its type is the
    suffix's type) or in one of the few extra suffixes below (银行 → company; 军区, 自卫队,
    通讯社 …), parks excepted (zone names need the park stage's own checks);
  * the part before the suffix holds a proper word: cut into words by jieba's dictionary, one
    of them is a place, person, brand or abbreviation (ns, nr, nz, nt) or a rare word
    (frequency < COMMON_FREQ, three characters or more, not two everyday words joined) (regions and single characters do not count); a head made of everyday words is a generic body (商业银行, 公交公司,
    高级中学, 音乐学院) or a body named by its field only (民政局, 外交部: the bureau cues of
    org_cues.yaml and the suffix stage find those with their region);
  * it is not a region, a known entity of known_entities.tsv, a not_entities stop word, or a
    name of a historical body (BEFORE_1949 words: 清政府, 国民政府, 八国联军);
  * it has at least three characters (two-character ``nt`` words are abbreviations that read as
    common words too often).

Run: .venv/bin/python scripts/jieba_org_gazetteer.py   (rewrites the file; deterministic order)
"""

from __future__ import annotations

from pathlib import Path

import jieba
import yaml

LEX = Path(__file__).resolve().parents[1] / "src" / "chainatlas" / "data" / "lexicons"
OUT = LEX / "org_gazetteer_jieba.tsv"
COMMON_FREQ = 30
PROPER_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt"})
# suffixes the lexicon has no entry for, or types them otherwise, for this list only
EXTRA_SUFFIXES = {
    "银行": "company",
    "军区": "government",
    "自卫队": "government",
    "舰队": "government",
    "海军": "government",
    "空军": "government",
    "陆军": "government",
}
# bodies of the past, and words that end in a suffix but name no body
BEFORE_1949 = ("清政府", "国民政府", "北洋", "苏维埃", "八国联军", "临时政府", "军政府", "国民革命军", "伪")
NOT_BODIES = ("中南部", "社会科学", "人民公社", "国家机关", "联合政府", "国际化", "大会堂", "国集团", "党集团", "党和", "党委政府")
# news agencies appear in datelines and source lines (chrome), never as actors in our articles
NEWS_WORDS = ("社", "台", "报", "网")


def _suffix_types() -> dict[str, str]:
    data = yaml.safe_load((LEX / "org_suffixes.yaml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for typ in ("government", "institution", "park", "company"):
        for s in data[typ]["strong"]:
            out.setdefault(str(s), typ)
    out.update(EXTRA_SUFFIXES)
    return out


def _regions() -> set[str]:
    out: set[str] = set()
    for line in (LEX / "regions.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 4:
            out.add(cols[0])
            out.update(s for s in cols[3].split(",") if s)
    return out


def _stop_names() -> set[str]:
    out = _regions()
    for line in (LEX / "known_entities.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cols = line.split("\t")
            out.update(c for c in cols[1:2] + (cols[2].split(",") if len(cols) > 2 else []) if c)
    stop = yaml.safe_load((LEX / "entity_stopwords.yaml").read_text(encoding="utf-8"))
    out.update(str(w) for w in stop.get("not_entities", []))
    return out


def _proper(seg: str, words: dict[str, tuple[int, str]]) -> bool:
    if len(seg) < 2:
        return False  # a single character is never the proper part on its own
    hit = words.get(seg)
    if hit is None or hit[1] in PROPER_TAGS:
        return True
    if hit[0] >= COMMON_FREQ or len(seg) < 3:
        return False
    # a rare compound of everyday words (商业保险 = 商业 + 保险, 人力资源) is no proper word
    for i in range(2, len(seg) - 1):
        a, b = words.get(seg[:i]), words.get(seg[i:])
        if a is not None and b is not None and a[0] >= COMMON_FREQ and b[0] >= COMMON_FREQ:
            return False
    return True


def main() -> None:
    words: dict[str, tuple[int, str]] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            w, freq, tag = line.split()
            words.setdefault(w, (int(freq), tag))
    suffixes = _suffix_types()
    by_len = sorted(suffixes, key=len, reverse=True)
    stop = _stop_names()
    regions = _regions()
    rows: list[tuple[str, str]] = []
    for w, (_, tag) in words.items():
        if tag != "nt" or len(w) < 3 or w in stop:
            continue
        if any(b in w for b in BEFORE_1949) or any(b in w for b in NOT_BODIES) or w.endswith(NEWS_WORDS):
            continue
        suffix = next((s for s in by_len if w.endswith(s) and len(s) < len(w)), None)
        if suffix is None or suffixes[suffix] == "park":
            continue
        head = w[: -len(suffix)]
        if head[-1] in "东西南北中" and suffixes[suffix] == "government":
            continue  # 中西部, 东中部: parts of a country
        segs = [seg for seg in jieba.lcut(head, HMM=False) if seg not in regions]  # 上海市分行: a region is no proper part
        if not any(_proper(seg, words) for seg in segs):
            continue
        if head in ("中国", "中华", "国家", "中央", "全国", "人民", "国际", "世界") or len(head) < 2 and suffixes[suffix] != "government":
            continue
        rows.append((suffixes[suffix], w))
    rows.sort()
    header = (
        "# Generated by scripts/jieba_org_gazetteer.py from jieba 0.42's dict.txt (tag nt) — do not edit;\n"
        "# rerun the script instead.  Organisation names found without a region or legal suffix\n"
        "# (extract/entity_cues.py).  Columns: type, name.\n"
        "type\tname\n"
    )
    OUT.write_text(header + "".join(f"{t}\t{n}\n" for t, n in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} names")


if __name__ == "__main__":
    main()
