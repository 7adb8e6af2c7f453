"""Entity lexicons: load the data files under ``chainatlas/data/lexicons`` once, validate them,
and compile the matchers (regexes, Aho-Corasick automata) the entity extractor needs.

Vocabulary lives in data files so that users (and other regions) can extend it without touching
code; every loader names the file and key when the data is malformed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Final

import daachorse
import yaml

from chainatlas.extract.wordre import word_alternation

_PKG = "chainatlas.data.lexicons"


class LexiconError(ValueError):
    """A lexicon file is missing or malformed (message names file and key)."""


def _read(name: str) -> str:
    try:
        return resources.files(_PKG).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - packaging error
        raise LexiconError(f"lexicon file {name} is missing") from exc


def _read_optional(name: str) -> str | None:
    """A lexicon file a user may delete (listed_companies.tsv): its text, or None when absent."""
    path = resources.files(_PKG).joinpath(name)
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _yaml(name: str) -> dict[str, Any]:
    data = yaml.safe_load(_read(name))
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: top level must be a mapping")
    return data


def _str_list(data: dict[str, Any], name: str, *keys: str) -> list[str]:
    node: Any = data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise LexiconError(f"{name}: missing key {'.'.join(keys)}")
        node = node[key]
    if isinstance(node, str):
        return list(node)
    if not isinstance(node, list) or not all(isinstance(x, (str, int)) for x in node):
        raise LexiconError(f"{name}: key {'.'.join(keys)} must be a list of strings")
    return [str(x) for x in node if str(x)]


def _lines(name: str) -> list[str]:
    return [ln.strip() for ln in _read(name).splitlines() if ln.strip() and not ln.startswith("#")]


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    level: str  # province | city | district | county | country
    parent: str
    shorts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KnownEntity:
    type: str
    name: str
    aliases: tuple[str, ...]


def _placeholder() -> daachorse.CharwiseDoubleArrayAhoCorasick:
    return daachorse.CharwiseDoubleArrayAhoCorasick(["\uffff"])


@dataclass(slots=True)
class Lexicon:
    """Everything the entity extractor matches against, compiled once."""

    suffixes: dict[str, list[str]]  # type -> strong suffixes
    weak_company: list[str]
    gov_needs_prefix: set[str]
    gov_prefixes: list[str]
    gov_abbrev: dict[str, str]
    boundary_chars: str
    protected_words: list[str]
    leading_words: set[str]
    generic_modifiers: list[str]
    not_entities: set[str]
    reporter_markers: list[str]
    not_regions: set[str]
    regions: dict[str, Region]  # surface form -> region
    known: dict[str, KnownEntity]  # surface form -> known entity
    roles: list[str]
    cut_words: set[str]
    suffix_continuations: set[str]
    gov_bare_ok: set[str]
    speech_verbs: list[str]
    surnames: set[str]
    time_adverbs: list[str] = field(default_factory=list)  # 副市长X日前调研: between name and verb
    facility_bases: tuple[str, ...] = ()  # X生产基地: a company's facility, not a park
    weak_park_suffixes: frozenset[str] = frozenset()  # 集聚区, 小镇: a park only with a proper name
    suffix_type: dict[str, str] = field(default_factory=dict)
    suffix_re: re.Pattern[str] | None = None
    # The automata are built by load_lexicon() right after construction; until then they hold
    # a placeholder (a real automaton, so the fields' types always hold, compiled or not).
    gazetteer: daachorse.CharwiseDoubleArrayAhoCorasick = field(default_factory=_placeholder)
    gazetteer_keys: list[str] = field(default_factory=list)
    # Compiled once for speed (see entities.py): suffix automaton, masking automaton for left runs.
    suffix_ac: daachorse.CharwiseDoubleArrayAhoCorasick = field(default_factory=_placeholder)
    suffix_keys: list[str] = field(default_factory=list)
    # protected words + region/known names (>= 2 chars), never cut inside
    mask_ac: daachorse.CharwiseDoubleArrayAhoCorasick = field(default_factory=_placeholder)
    gov_abbrev_sorted: list[tuple[str, str]] = field(default_factory=list)
    generic_set: frozenset[str] = frozenset()
    facility_verbs: tuple[str, ...] = ()  # "共建X实验室": a generic planned facility follows
    enum_category_words: tuple[str, ...] = ()  # "A、B等上游核心部件企业": items are categories
    enum_company_markers: tuple[str, ...] = ()  # "A、B等一批链主企业": items are companies
    country_prefix_keep: frozenset[str] = frozenset()  # 中国石化: a country that stays in the name
    event_words: tuple[str, ...] = ()  # "中国国际软件博览会": a region inside an event name
    name_roles: tuple[str, ...] = ()  # titles after a name: 习近平总书记
    action_verbs: tuple[str, ...] = ()  # other words closing "role + name": 共同, 一边, 作
    author_markers: tuple[str, ...] = ()
    not_name_final: str = ""
    title_modifiers: frozenset[str] = frozenset()  # 常务, 执行: words that open a title, never a name
    brand_chars_after_place: frozenset[str] = frozenset()  # 山西并X, 河南豫能X: not a cut after a place
    descriptor_words: frozenset[str] = frozenset()  # 日资企业X: the name starts after the descriptor
    facility_centres: tuple[str, ...] = ()  # 数据中心, 加工中心: facilities, not institutions
    facility_centres_keep: tuple[str, ...] = ()
    region_blockers: frozenset[str] = frozenset()  # 新中国: never a region mention
    company_legal: tuple[str, ...] = ()  # 有限公司 …: inside a park/government name → not one
    venue_words: tuple[str, ...] = ()  # 会展中心, 酒店: venues, never organisations
    area_prefixes: tuple[str, ...] = ()  # 京津, 成渝: multi-province areas that open a named zone
    park_branch_heads: tuple[str, ...] = ()  # 中关村: a zone whose branches are named 中关村某某园
    business_kinds: tuple[str, ...] = ()  # 外贸, 中介, 拍卖: kinds of firm (外贸公司 names no company)
    trade_heads: tuple[str, ...] = ()  # 科技, 新材料: industry words after a trade name (longest first)
    lead_list_roles: tuple[str, ...] = ()  # 龙头, 代表: "以A、B为龙头" closes a list of companies
    category_modifiers: frozenset[str] = frozenset()  # 高端, 新型: open an industry class, not a name
    industry_terms: frozenset[str] = frozenset()  # the chains' names and product words (新能源汽车, 光伏)


def _add_county_shorts(out: dict[str, Region], short_stop: set[str]) -> None:
    """Short forms of county-level divisions (明光 → 明光市) from regions_county_short.tsv, a file
    generated by scripts/region_short_forms.py; a surface already taken keeps its region."""
    name = "regions_county_short.tsv"
    rows = [ln for ln in _read(name).splitlines() if ln and not ln.startswith("#")]
    if not rows or rows[0] != "name\tshort":
        raise LexiconError(f"{name}: header row 'name\\tshort' missing")
    for i, row in enumerate(rows[1:], start=2):
        cols = row.split("\t")
        if len(cols) != 2 or len(cols[1]) < 2 or not cols[0].startswith(cols[1]):
            raise LexiconError(f"{name}: row {i} is not 'full name<TAB>its short form'")
        reg = out.get(cols[0])
        if reg is None or reg.name != cols[0]:
            raise LexiconError(f"{name}: row {i}: {cols[0]} is no region of regions.tsv")
        if cols[1] not in out and cols[1] not in short_stop:
            out[cols[1]] = reg


def _load_regions(short_stop: set[str]) -> dict[str, Region]:
    name = "regions.tsv"
    out: dict[str, Region] = {}
    rows = [ln for ln in _read(name).splitlines() if ln and not ln.startswith("#")]
    if not rows or not rows[0].startswith("name\t"):
        raise LexiconError(f"{name}: header row 'name\\tlevel\\tparent\\tshort\\tadcode' missing")
    full: list[Region] = []
    for i, row in enumerate(rows[1:], start=2):
        cols = row.split("\t")
        if len(cols) < 4:
            raise LexiconError(f"{name}: row {i} has {len(cols)} columns, expected 5")
        shorts = tuple(s for s in cols[3].split(",") if s)
        full.append(Region(cols[0], cols[1], cols[2], shorts))
    for reg in full:
        # a higher level keeps its name when a lower level shares it (e.g. 朝阳区 in two cities)
        out.setdefault(reg.name, reg)
    rank = {"province": 0, "city": 1, "district": 2, "county": 3}
    for reg in sorted(full, key=lambda r: rank.get(r.level, 4)):
        for short in reg.shorts:
            if len(short) < 2 or short in out or short in short_stop:
                continue  # 河北 (province) beats 河北区's short form
            out[short] = reg
    _add_county_shorts(out, short_stop)
    for line in _lines("countries.txt"):
        parts = line.split(",")
        reg = Region(parts[0], "country", "", tuple(parts[1:]))
        for surface in parts:
            out.setdefault(surface, reg)
    return out


def _load_known() -> dict[str, KnownEntity]:
    name = "known_entities.tsv"
    out: dict[str, KnownEntity] = {}
    rows = [ln for ln in _read(name).splitlines() if ln and not ln.startswith("#")]
    if not rows or not rows[0].startswith("type\t"):
        raise LexiconError(f"{name}: header row 'type\\tname\\taliases' missing")
    valid = {"company", "park", "government", "institution"}
    for i, row in enumerate(rows[1:], start=2):
        cols = row.split("\t")
        if len(cols) < 2 or cols[0] not in valid:
            raise LexiconError(f"{name}: row {i}: bad type or too few columns: {row!r}")
        aliases = tuple(a for a in (cols[2].split(",") if len(cols) > 2 else []) if a)
        ent = KnownEntity(cols[0], cols[1], aliases)
        for surface in (ent.name, *aliases):
            out.setdefault(surface, ent)
    return out


_LOAD_LEXICON_SLOT: Final[list[Lexicon]] = []


def load_lexicon() -> Lexicon:
    """Load and compile every entity lexicon (cached: call freely)."""
    if not _LOAD_LEXICON_SLOT:  # built once per process
        _LOAD_LEXICON_SLOT.append(load_lexicon_uncached())
    return _LOAD_LEXICON_SLOT[0]


def load_lexicon_uncached() -> Lexicon:
    suf = _yaml("org_suffixes.yaml")
    stop = _yaml("entity_stopwords.yaml")
    roles = _yaml("person_roles.yaml")
    fname_s, fname_w, fname_r = "org_suffixes.yaml", "entity_stopwords.yaml", "person_roles.yaml"
    suffixes = {t: _str_list(suf, fname_s, t, "strong") for t in ("company", "park", "institution", "government")}
    abbrev = suf.get("gov_abbreviations")
    if not isinstance(abbrev, dict):
        raise LexiconError(f"{fname_s}: gov_abbreviations must be a mapping")
    lex = Lexicon(
        suffixes=suffixes,
        weak_company=_str_list(suf, fname_s, "company", "weak"),
        gov_needs_prefix=set(_str_list(suf, fname_s, "government", "needs_prefix")),
        gov_prefixes=_str_list(suf, fname_s, "government", "prefixes"),
        gov_abbrev={str(k): str(v) for k, v in abbrev.items()},
        boundary_chars="".join(_str_list(stop, fname_w, "boundary_chars")),
        protected_words=_str_list(stop, fname_w, "protected_words"),
        leading_words=set(_str_list(stop, fname_w, "leading_words")),
        generic_modifiers=sorted(set(_str_list(stop, fname_w, "generic_modifiers")), key=len, reverse=True),
        not_entities=set(_str_list(stop, fname_w, "not_entities")),
        reporter_markers=_str_list(stop, fname_w, "reporter_markers"),
        not_regions=set(_str_list(stop, fname_w, "not_regions")),
        regions=_load_regions(set(_str_list(stop, fname_w, "region_short_stop"))),
        known=_load_known(),
        roles=sorted(set(_str_list(roles, fname_r, "roles")), key=len, reverse=True),
        cut_words=set(_str_list(stop, fname_w, "cut_words")),
        suffix_continuations=set(_str_list(stop, fname_w, "suffix_continuations")),
        gov_bare_ok=set(_str_list(stop, fname_w, "gov_bare_ok")),
        speech_verbs=sorted(set(_str_list(roles, fname_r, "speech_verbs")), key=len, reverse=True),
        surnames=set(_lines("surnames.txt")),
        time_adverbs=_str_list(roles, fname_r, "time_adverbs"),
        facility_bases=tuple(_str_list(stop, fname_w, "facility_bases")),
        weak_park_suffixes=frozenset(_str_list(stop, fname_w, "weak_park_suffixes")),
    )
    # Suffix → type; a suffix listed under several types keeps the first (company < park < ...)
    for typ in ("government", "institution", "park", "company"):
        for s in suffixes[typ]:
            lex.suffix_type.setdefault(s, typ)
    lex.suffix_re = re.compile(word_alternation(lex.suffix_type))
    keys = sorted(set(lex.regions) | set(lex.known))
    # 新中国 (listed by hand) and ordinary words holding a county's short form (定海神针: generated)
    blockers = set(_str_list(stop, fname_w, "region_blockers")) | set(_lines("regions_short_blockers.txt"))
    lex.region_blockers = frozenset(blockers) - set(keys)
    lex.gazetteer_keys = sorted(set(keys) | lex.region_blockers)
    lex.gazetteer = daachorse.CharwiseDoubleArrayAhoCorasick(lex.gazetteer_keys, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST)
    lex.suffix_keys = sorted(lex.suffix_type)
    lex.suffix_ac = daachorse.CharwiseDoubleArrayAhoCorasick(
        lex.suffix_keys, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST
    )
    mask = sorted({w for w in lex.protected_words} | {k for k in keys if len(k) >= 2})
    lex.mask_ac = daachorse.CharwiseDoubleArrayAhoCorasick(mask, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST)
    lex.gov_abbrev_sorted = sorted(lex.gov_abbrev.items(), key=lambda kv: -len(kv[0]))
    lex.generic_set = frozenset(lex.generic_modifiers)
    lex.facility_verbs = tuple(sorted(_str_list(stop, fname_w, "facility_verbs"), key=len, reverse=True))
    lex.enum_category_words = tuple(_str_list(stop, fname_w, "enum_category_words"))
    lex.enum_company_markers = tuple(_str_list(stop, fname_w, "enum_company_markers"))
    lex.country_prefix_keep = frozenset(_str_list(stop, fname_w, "country_prefix_keep"))
    lex.event_words = tuple(_str_list(stop, fname_w, "event_words"))
    lex.name_roles = tuple(sorted(_str_list(roles, fname_r, "name_roles"), key=len, reverse=True))
    lex.action_verbs = tuple(sorted(_str_list(roles, fname_r, "action_verbs"), key=len, reverse=True))
    lex.author_markers = tuple(sorted(_str_list(roles, fname_r, "author_markers"), key=len, reverse=True))
    lex.not_name_final = "".join(_str_list(roles, fname_r, "not_name_final"))
    lex.title_modifiers = frozenset(_str_list(roles, fname_r, "title_modifiers"))
    lex.brand_chars_after_place = frozenset(_str_list(stop, fname_w, "brand_chars_after_place"))
    lex.descriptor_words = frozenset(_str_list(stop, fname_w, "descriptor_words"))
    lex.facility_centres = tuple(_str_list(stop, fname_w, "facility_centres"))
    lex.facility_centres_keep = tuple(_str_list(stop, fname_w, "facility_centres_keep"))
    lex.company_legal = tuple(_str_list(stop, fname_w, "company_legal_suffixes"))
    lex.venue_words = tuple(_str_list(stop, fname_w, "venue_words"))
    lex.area_prefixes = tuple(_str_list(stop, fname_w, "area_prefixes"))
    lex.park_branch_heads = tuple(_str_list(stop, fname_w, "park_branch_heads"))
    lex.business_kinds = tuple(sorted(set(_str_list(stop, fname_w, "business_kinds")), key=len, reverse=True))
    lex.trade_heads = tuple(sorted(set(_str_list(stop, fname_w, "trade_heads")), key=len, reverse=True))
    lex.lead_list_roles = tuple(_str_list(stop, fname_w, "lead_list_roles"))
    lex.category_modifiers = frozenset(_str_list(stop, fname_w, "category_modifiers"))
    lex.industry_terms = _industry_terms()
    return lex


_CHAINS_PKG: Final = "chainatlas.data.chains"
_YAML_LOADER: Final[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _industry_terms() -> frozenset[str]:
    """Industry names and product words of the chain taxonomy's data files (labels, aliases,
    products, technologies): list items made of them are classes of industry, not companies.
    Only the data files are read (no import of the mapping stage)."""
    out: set[str] = set()
    for entry in resources.files(_CHAINS_PKG).iterdir():
        fname = entry.name
        if not fname.endswith(".yaml") or fname.startswith("_"):
            continue
        data = yaml.load(entry.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        if not isinstance(data, dict):
            raise LexiconError(f"chains/{fname}: top level must be a mapping")
        label = data.get("label")
        if isinstance(label, str):
            out.add(label)
        out.update(str(x) for x in data.get("aliases") or [] if isinstance(x, (str, int)))
        segments = data.get("segments") or {}
        if not isinstance(segments, dict):
            raise LexiconError(f"chains/{fname}: segments must be a mapping")
        for seg in segments.values():
            if isinstance(seg, dict):
                for key in ("products", "technologies"):
                    out.update(str(x) for x in seg.get(key) or [] if isinstance(x, (str, int)))
    return frozenset(w for w in out if len(w) >= 2)
