"""Entity extraction: organisations, persons and regions with in-article aliases.

The stages, in the order ``extract_entities`` runs them (no per-character Python loops over the
whole text; every automaton is built once), each in a module of its own:

1. Candidates (``entity_candidates``): organisation names anchored on a suffix (有限公司, 科创园,
   研究院, 工信局 …) found by one Aho-Corasick pass; the gazetteer's regions and well-known
   organisations (places in event names skipped; 福建奔驰: a province before a known brand is a
   regional company); enumerations "A、B、C等…企业" whose items are companies (people, venues
   and parks listed with them are not).  Persons (``entity_persons``) come from role + name +
   speech verb, name + title (习近平总书记), lists of leaders and op-ed bylines; reporters and
   editors are excluded.
2. Boundaries (``entity_boundaries``): a suffix candidate's name extends left over name
   characters to the nearest boundary, then leading verbs, context words, venue and subsidiary
   words and function words are cut with a segmenter (担负徐水工业园区 → 徐水工业园区;
   X股份有限公司全资子集团Y集团 → X股份有限公司 and Y集团).
3. Types (``entity_types``): the trimmed run is judged on the name alone — generic bodies,
   venues, zone slogans without a proper name (生态环保示范区), a company's own units and
   party bodies, government words without a prefix and planned facilities are no names; a park
   or foreign country written before a company is split off.
4. In-article resolution (``entity_resolution``): overlaps resolve longest-first per cluster;
   declared aliases "(以下简称天开园)" and derived short forms (天大智图 ← 天大智图(天津)科技有限
   公司, 市工信局 ← 天津市工信局) join their entity; regions count only outside other entities'
   names, while parks and known companies named inside a longer name (合肥高新区管委会) are
   entities of their own.

Shared pieces (the mention record, compiled patterns, the segmenter) live in ``entity_base``.
"""

from __future__ import annotations

from typing import Final

from chainatlas.extract.entity_base import _ClauseStart, _compiled, _Mention, _region_prefix, load_segmenter
from chainatlas.extract.entity_candidates import (
    _drop_glued_openers,
    _drop_split_places,
    _enumerations,
    _gazetteer,
    _joint_brands,
    _org_candidates,
    _outside_datelines,
    _outside_work_titles,
)
from chainatlas.extract.entity_coined import coined_actors
from chainatlas.extract.entity_cues import _cue_mentions, _drop_brands_opening_names, _sub_brands
from chainatlas.extract.entity_persons import _leftmost_longest, _persons
from chainatlas.extract.entity_resolution import _KNOWN_ROOT_MEMO, _group, _known_root, _known_root_uncached
from chainatlas.extract.lexicon import Lexicon, load_lexicon
from chainatlas.model import Entity

# The public entry points, plus the internals tests reach through this module (one name each).
__all__ = [
    "extract_entities",
    "load_segmenter",
    "_ClauseStart",
    "_compiled",
    "_leftmost_longest",
    "_known_root",
    "_known_root_uncached",
    "_KNOWN_ROOT_MEMO",
]


def extract_entities(text: str) -> list[Entity]:
    """One Entity per distinct real-world entity in ``text``: fullest name, aliases, every span."""
    if not isinstance(text, str):
        raise TypeError("extract_entities expects str")
    if not text:
        return []
    lex = load_lexicon()
    orgs = _org_candidates(text, lex)
    places = _gazetteer(text, lex)
    if len(places) > 1:
        places = _joint_brands(text, places, lex)
    if places and orgs:
        orgs = _drop_split_places(orgs, places)
    if places:
        places = _sub_brands(text, places, places)  # 某浪 + 乐居: a brand's sub-brand written after it
    orgs, cued = _cue_mentions(text, lex, orgs, places)  # no suffix, no region: entity_cues
    if cued and places:  # 某星 before 某星医药: the longer company name is the mention
        places = _drop_brands_opening_names(places, cued)
        cued = _drop_brands_opening_names(cued, places)
    persons = _persons(text, lex)
    names = frozenset(m.key for m in persons)
    enums = _enumerations(text, lex, names)
    if enums and (orgs or cued):  # 以 + 某某科技、…为代表: the list's item is the name
        orgs = _drop_glued_openers(text, orgs, enums)
        cued = _drop_glued_openers(text, cued, enums)
    coined = coined_actors(text, lex, orgs + places + cued + enums + persons)
    mentions = orgs + places + cued + enums + coined + persons
    if "《" in text:
        mentions = _outside_work_titles(text, mentions)
    if "讯" in text or "日电" in text:
        mentions = _outside_datelines(text, mentions)
    if "高新区" in text or "经开区" in text or "开发区" in text:
        mentions = _without_category_parks(text, mentions, lex)
    return _group(text, mentions, lex)


# a class of parks, not a park: a name is one only with a place, a known name or a university before it
_PARK_CATEGORIES: Final = ("国家级高新区", "国家高新区", "国家级经开区", "国家经开区", "国家级开发区")


def _without_category_parks(text: str, mentions: list[_Mention], lex: Lexicon) -> list[_Mention]:
    """Park mentions that are a class of parks read with the words before it (年度 + 国家高新区, 已经
    站稳 + 国家级高新区): no park.  Kept when what comes before the class is a place,
    a known name or a university (南昌国家高新区, 某某大学国家大学科技园)."""
    out = []
    for m in mentions:
        if m.type == "park":
            name = text[m.start:m.end]
            cat = next((c for c in _PARK_CATEGORIES if name.endswith(c)), None)
            if cat is not None:
                head = name[: len(name) - len(cat)]
                if head and len(head) <= 8 and not (
                    head in lex.regions or _region_prefix(head, lex) is not None or head in lex.known
                    or head.endswith(("大学", "学院"))
                ):
                    continue
        out.append(m)
    return out
