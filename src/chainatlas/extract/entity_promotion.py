"""Entity extraction after projects: companies that only a project names.

Real pages often name a company only as the prefix of a project's name (某重科工程车桥智能制造
项目, 某某嘉里750吨/天小麦加工项目) or only as a project's investor; the project stage reads the
investor from such a name, but nothing made it an entity.  Run after ``extract_projects`` (see
``Extractor.extract``), this stage

1. promotes a project's investor that no entity names to a company entity with every span where
   it stands outside another entity's name — when it is a plausible brand: 2–6 name characters,
   no place, no common word (by the segmenter's dictionary), no generic or industry word alone,
   no name of another organisation type (器官 from 器官芯片项目 stays out);
2. joins a short company form to the one legal company name in the article it opens (华润 and
   华润新能源控股有限公司: one company, 华润 an alias).  With two legal names it opens (中粮 before
   中粮面业…公司 and 中粮粮谷…公司) the short form stays a company of its own; branches
   (…分公司) are never the target.

No new pass over the text: one ``str.find`` loop per promoted name (a handful per article)."""

from __future__ import annotations

import re
from typing import Final

from chainatlas.extract.entity_base import _has_proper_part, _is_generic, _norm, _region_prefix, _segmenter
from chainatlas.extract.lexicon import Lexicon, load_lexicon
from chainatlas.extract.project_arguments import glued_place
from chainatlas.extract.project_triggers import _pv
from chainatlas.model import Entity, Project

_BRAND_CHARS: Final = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,6}")
# a single dictionary word with one of these tags is a common word, not a brand (器官, 雄狮 …);
# nz/nt/nr/nrt words (华润, 兰格) and words the dictionary lacks may be brands
_COMMON_TAGS: Final = frozenset(
    {"n", "v", "vn", "vd", "a", "ad", "an", "ns", "s", "l", "i", "d", "r", "p", "c", "u", "m", "q", "t", "f",
     "b", "z", "ng", "vg", "ag", "tg", "j"}
)
# first words that never open a brand: pronouns and determiners, quantities, project words
_FUNCTION_FIRST: Final = frozenset({"r", "p", "c", "d", "m", "q", "t", "f", "u", "ul", "uj", "uz", "y"})
_NOT_BRAND_WORDS: Final = ("项目", "工程", "公司", "企业", "集团", "园区", "片区", "城区", "重点", "重大", "相关", "有关")
_BRANCH_WORDS: Final = ("分公司", "子公司", "分行", "支行", "分中心", "办事处")
_LEGAL_ENDINGS: Final = ("有限公司", "有限责任公司", "股份公司", "集团公司", "株式会社")


def promote_investors(
    text: str, entities: list[Entity], projects: list[Project], stop: set[str] | None = None
) -> list[Entity]:
    """Add company entities for plausible brand investors no entity names, then fold short company
    forms into the one legal name they open.  Returns the (possibly changed) entity list.
    ``stop``: strings the analysts rejected (the user lexicon's stop list) are never promoted."""
    if not projects and len(entities) < 2:
        return entities
    lex = load_lexicon()
    count = len(entities)
    _brands_before_products(entities, projects)
    entities = _unglue_places(text, entities, projects, lex)
    known_names: set[str] = set()
    for ent in entities:
        known_names.add(_norm(ent.name))
        for alias in ent.aliases:
            known_names.add(_norm(alias))
    added = len(entities) != count  # (places split off a company's name join the list)
    for proj in projects:
        inv = proj.investor
        if proj.aggregate or not inv or _norm(inv) in known_names or (stop is not None and inv in stop):
            continue
        homed = _homed_brand(inv, proj.name, lex)
        if homed is not None and _norm(homed) not in known_names and text.find(homed) >= 0:
            # 乌兰工业园 + 青海 + 某品 + 驼奶加工: the item writes the firm with its home before its
            # trade name (a function-word-like 尚 opens it): a company, the homed form its alias
            spans = _free_spans(text, inv, entities)
            if spans:
                entities = _drop_inner_regions(entities, [(a - len(homed) + len(inv), b) for a, b in spans])
                entities.append(Entity(type="company", name=inv, aliases=[homed], spans=spans))
                known_names.add(_norm(inv))
                known_names.add(_norm(homed))
                added = True
                continue
        if not _plausible_brand(inv, proj.name, lex):
            continue
        spans = _free_spans(text, inv, entities)
        if not spans:
            continue
        entities = _drop_inner_regions(entities, spans)
        entities.append(Entity(type="company", name=inv, spans=spans))
        known_names.add(_norm(inv))
        added = True
    entities = _fold_short_forms(entities)
    _name_forms_as_aliases(text, entities, projects, lex)
    added = _project_parks(text, entities, projects, lex) or added
    if added:
        entities.sort(key=_first_start)
    return entities


def _homed_brand(inv: str, project_name: str | None, lex: Lexicon) -> str | None:
    """Province or city (written without its level) + a trade name of 2-4 characters, as a
    project item writes its investor (青海 + 某品 + 驼奶加工): the firm's name as written."""
    if not project_name or not 2 <= len(inv) <= 4 or _BRAND_CHARS.fullmatch(inv) is None:
        return None
    at = project_name.find(inv)
    if at < 2:
        return None
    for k in (3, 2):
        home = project_name[at - k : at]
        reg = lex.regions.get(home)
        if reg is not None and reg.level in ("province", "city") and home[-1] not in "省市县区":
            if inv in lex.regions or _is_generic(inv, lex) or inv.startswith(_NOT_BRAND_WORDS):
                return None
            return home + inv
    return None


def _brands_before_products(entities: list[Entity], projects: list[Project]) -> None:
    """某某新能源汽车轴承项目, 某某石材矿山综合开发项目, 某某智能制造产业基地项目: a trade name read with
    the industry word that opens the project's product (新能源 of 新能源汽车轴承) names the firm by its
    trade name alone; the longer form stays the company's alias (project_terms.yaml
    ``brand_product_openers``)."""
    openers = _pv().brand_product_openers
    if not openers:
        return
    renamed: dict[str, str] = {}
    for proj in projects:
        inv, name = proj.investor, proj.name
        if proj.aggregate or not inv or not name:
            continue
        if inv.endswith("新") and len(inv) >= 3 and name.startswith(inv) and name.startswith(_DANGLING_NEW, len(inv)):
            inv = inv[:-1]  # 某泰新 + 材料…: the cut fell inside 新材料; the trade name is before it
            proj.investor = inv
            if name[len(inv):].startswith(openers):
                continue  # (某泰 + 新材料产业基地项目: the trade name alone already)
        word = next((w for w in openers if inv.endswith(w)), None)
        if word is None or len(inv) - len(word) < 2 or not name.startswith(inv):
            continue
        product = name[len(inv):]
        if len(product) < 3 or product.startswith(_PROJECT_NOUNS):
            continue  # 某某新能源项目: the firm's own name before the project noun
        short = inv[: len(inv) - len(word)]
        proj.investor = short
        renamed[inv] = short
    if not renamed:
        return
    for ent in entities:
        if ent.type == "company" and ent.name in renamed:
            short = renamed[ent.name]
            if ent.name not in ent.aliases:
                ent.aliases.append(ent.name)
            ent.name = short
            ent.spans = [(a, a + len(short)) for a, _ in ent.spans]


def _name_forms_as_aliases(text: str, entities: list[Entity], projects: list[Project], lex: Lexicon) -> None:
    """The forms a project's name writes its brand investor in are mentions of the company:
    place + brand (深圳某某 of 深圳某某新材料产业项目) and brand + the head words closing it
    before the project noun (某某精密模具 of 某某精密模具项目) become aliases of the company
    entity the investor names (its canonical name unchanged)."""
    by_form: dict[str, Entity] | None = None
    for proj in projects:
        inv, name = proj.investor, proj.name
        if proj.aggregate or not inv or not name or len(name) <= len(inv) + 2:
            continue
        at = name.find(inv)
        if at < 0:
            continue
        forms: list[str] = []
        if at > 0:
            reg = _region_prefix(name, lex)
            if reg is not None and len(reg) == at:
                forms.append(name[: at + len(inv)])  # 深圳 + 某某
        rest = name[at + len(inv) :]
        tail = _head_words(rest, _pv().brand_heads, _pv().brand_industries)
        if tail:
            forms.append(name[: at + len(inv) + tail])  # 某某 + 精密模具 (项目)
        if not forms:
            continue
        if by_form is None:
            by_form = {}
            for e in entities:
                if e.type == "company":
                    for f in (e.name, *e.aliases):
                        by_form.setdefault(f, e)
        owner = by_form.get(inv)
        if owner is None:
            continue
        for f in forms:
            if f not in by_form and text.find(f) >= 0:
                owner.aliases.append(f)
                by_form[f] = owner


_PROJECT_NOUNS: Final = ("项目", "工程", "基地")
_DANGLING_NEW: Final = ("材料", "能源")


def _head_words(rest: str, heads: tuple[str, ...], industries: tuple[str, ...]) -> int:
    """Length of one or two company head / trade words opening ``rest`` right before the
    project noun that ends it (精密模具 + 项目), else 0."""
    for noun in _PROJECT_NOUNS:
        if rest.endswith(noun):
            body = rest[: -len(noun)]
            if len(body) > 4:
                return 0  # (某某新材料智能制造项目: a project's field, no name the company goes by)
            if body in heads:
                return len(body)
            for k in range(2, len(body) - 1):
                if (body[:k] in industries or body[:k] in heads) and body[k:] in heads:
                    return len(body)
            return 0
    return 0


def _unglue_places(text: str, entities: list[Entity], projects: list[Project], lex: Lexicon) -> list[Entity]:
    """A company entity read with the places written before it (某市某区某某控股集团, 某某新区
    某某实业有限公司) whose project the project stage read without them
    (``project_arguments.glued_place``) is that company; the places are regions (two levels)
    or a park (a zone) of their own."""
    companies = {e.name: e for e in entities if e.type == "company"}
    for proj in projects:
        inv = proj.investor
        if not inv or proj.aggregate or inv in companies:
            continue
        for full, ent in companies.items():
            if len(full) > len(inv) and full.endswith(inv) and glued_place(full) == len(full) - len(inv):
                entities = _split_place(text, entities, ent, len(full) - len(inv), lex)
                companies[inv] = ent
                break
    return entities


def _split_place(text: str, entities: list[Entity], ent: Entity, cut: int, lex: Lexicon) -> list[Entity]:
    full = ent.name
    place = full[:cut]
    ent.name = full[cut:]
    ent.aliases = [a for a in ent.aliases if a != full]
    old = list(ent.spans)
    ent.spans = [(s + cut, e) if text.startswith(full, s) else (s, e) for s, e in old]
    parts: list[tuple[str, str, int]] = []  # (type, name, offset)
    first = _region_prefix(place, lex)
    if first is not None and len(first) < cut and place[len(first):] in lex.regions:
        parts = [("region", first, 0), ("region", place[len(first):], len(first))]
    else:
        parts = [("park", place, 0)]
    for typ, name, off in parts:
        spans = [(s + off, s + off + len(name)) for s, _ in old if text.startswith(full, s)]
        same = next((e for e in entities if e.type == typ and (e.name == name or name in e.aliases)), None)
        if same is None:
            entities.append(Entity(type=typ, name=name, spans=spans))
        else:
            same.spans = sorted(set(same.spans) | set(spans))
    return entities


def _first_start(ent: Entity) -> int:
    return ent.spans[0][0] if ent.spans else 0


_REFERENCE_CHARS: Final = frozenset("该此这其本我各每某那全诸")


def _plausible_brand(name: str, project_name: str | None, lex: Lexicon) -> bool:
    if _BRAND_CHARS.fullmatch(name) is None and not _long_brand(name) and not _headed_brand(name, lex):
        return False
    known = lex.known.get(name)
    if known is not None:
        return known.type == "company"  # a known company the entity stage did not report here
    if name in lex.regions or name in lex.not_entities or _is_generic(name, lex):
        return False
    if _headed_brand(name, lex):
        return True  # 某创制药, 某省某某得石化, 某地染化集团: a trade name before a company's head word
    if name.startswith(_NOT_BRAND_WORDS) or name.endswith(_NOT_BRAND_WORDS):
        return False
    reg = _region_prefix(name, lex)
    if reg is not None and (len(name) - len(reg) < 2 or _is_generic(name[len(reg) :], lex)):
        return False  # 天津新区, 滨海智能: a place with a generic word, not a brand
    if any(level + name in lex.regions or name + level in lex.regions for level in "市县区省"):
        return False  # a place's short form
    for k in range(min(len(name), 5), 0, -1):
        typ = lex.suffix_type.get(name[-k:])
        if typ is not None and typ != "company" and (k >= 2 or len(name) <= 3):
            return False  # 中广核研究院, X产业园: another organisation type, decided elsewhere
    toks = _segmenter().tag(name, False)
    if not toks:
        return False
    first_word, first_tag = toks[0]
    soe = first_word == "中" and len(toks) >= 3 and all(len(w) == 1 for w, _ in toks) and toks[1][1] not in _FUNCTION_FIRST
    # 正|欣|元: a one-character opener the segmenter reads as an adverb before name characters
    named_after = len(first_word) == 1 and first_word not in _REFERENCE_CHARS and len(toks) >= 2 \
        and any(t in _NAME_TAGS for _, t in toks[1:])
    if (first_tag in _FUNCTION_FIRST or first_tag[:1] == "u") and not soe and not named_after:
        return False  # 我县, 该公司, 其…: a reference, not a name (中核汇能: a state group's 中X brand is)
    if (first_word in lex.leading_words or first_word in lex.cut_words) and not named_after:
        return False
    if len(toks) == 1 and first_tag in _COMMON_TAGS:
        # a common word (器官) is a brand only when a place or 中国 follows it in the project's
        # name (某某中国研发总部项目: the company's Chinese arm)
        return _place_follows(name, project_name, lex)
    # 装备制造, 城区改造: words of the dictionary only are an industry or a task, no brand
    return not all(len(w) >= 2 and t in _COMMON_TAGS for w, t in toks)


_LONG_BRAND: Final = re.compile(r"[\u4e00-\u9fff]{7,8}")
_HEADED_BRAND: Final = re.compile(r"[\u4e00-\u9fff]{4,9}")
_HEADED_BRAND_MEMO: Final[dict[str, bool]] = {}


def _headed_brand(name: str, lex: Lexicon) -> bool:
    """An investor written as its trade name and the word that closes a company's short name (a
    head word such as 药业, 集团, or an industry such as 制药, 半导体, 石化), its home before it or not:
    某创制药, 某码半导体, 辽宁某某得石化, 某地染化集团.  The trade name (what is left after the home and
    the head) has 2-4 characters and is no industry, no generic word, no place and opens with no
    function word; the head may not follow another industry word (智能装备制药 is no name)."""
    hit = _HEADED_BRAND_MEMO.get(name)
    if hit is None:
        hit = _headed_brand_uncached(name, lex)
        if len(_HEADED_BRAND_MEMO) >= 8192:
            _HEADED_BRAND_MEMO.clear()
        _HEADED_BRAND_MEMO[name] = hit
    return hit


def _headed_brand_uncached(name: str, lex: Lexicon) -> bool:
    if _HEADED_BRAND.fullmatch(name) is None:
        return False
    v = _pv()
    head = next((h for h in v.brand_heads if name.endswith(h)), None)
    if head is None:
        head = next((h for h in sorted(v.brand_industries, key=len, reverse=True) if name.endswith(h)), None)
    if head is None:
        return False
    reg = _region_prefix(name, lex)
    body = name[len(reg) if reg else 0 : len(name) - len(head)]
    if not 2 <= len(body) <= 4 or body in lex.regions or _region_prefix(body, lex) is not None:
        return False
    if _is_generic(body, lex) or any(w in body for w in v.brand_generic) or body.endswith(v.brand_industries) \
            or body.endswith(v.brand_heads):
        return False
    toks = _segmenter().tag(body, False)
    if not toks or toks[0][1] in _FUNCTION_FIRST or toks[0][1][:1] == "u" or toks[0][0] in _REFERENCE_CHARS:
        return False
    if toks[0][0] in lex.leading_words or toks[0][0] in lex.cut_words:
        return False
    return not any(level + body in lex.regions or body + level in lex.regions for level in "市县区省")


def _long_brand(name: str) -> bool:
    """A trade name with two company words (某某新材料科技, 某某智能装备): 7-8 characters
    ending in a word that closes a company's short name, with 2+ characters before the words."""
    if _LONG_BRAND.fullmatch(name) is None:
        return False
    for head in _pv().brand_heads:  # longest first
        if name.endswith(head):
            return len(name) - len(head) >= 2
    return False


def _place_follows(name: str, project_name: str | None, lex: Lexicon) -> bool:
    if not project_name or not project_name.startswith(name):
        return False
    rest = project_name[len(name) :]
    return rest.startswith("中国") or _region_prefix(rest, lex) is not None


_PROJECT_TAIL: Final = re.compile(r"(?:[（(]?[一二三四五六七八九十0-9]+期[）)]?)?(?:工程)?项目$")
_PARK_ENDS_SLOT: Final[list[tuple[str, ...]]] = []


def _park_ends(lex: Lexicon) -> tuple[str, ...]:
    """The park words a project can be named by (…产业园, …科技城, …新城): the lexicon's park
    suffixes ending in 园 or 城, longest first — not 基地/中心/区 (a project only)."""
    if not _PARK_ENDS_SLOT:  # built once per process
        ends = sorted((sfx for sfx, typ in lex.suffix_type.items() if typ == "park" and sfx[-1] in "园城"),
                      key=len, reverse=True)
        _PARK_ENDS_SLOT.append(tuple(ends))
    return _PARK_ENDS_SLOT[0]


_NAME_TAGS: Final = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "zg", "x", "eng"})


def _named_body(body: str) -> bool:
    """Whether a park's body names something: a place, a known organisation, Latin letters or a
    bracket (entity_base._has_proper_part), or a word the segmenter reads as a name or does not
    know (今麦郎, 璟沃, 河湟) — not industry words alone (氢能装备, 新能源材料)."""
    return _has_proper_part(body) or any(tag in _NAME_TAGS for _, tag in _segmenter().tag(body, False))


def _project_parks(text: str, entities: list[Entity], projects: list[Project], lex: Lexicon) -> bool:
    """A named 产业园/科技园/科技城/新城 that is a project is a park too (某某新材料产业园项目 → the park
    某某新材料产业园, where the page writes that name): the annotation guide's convention, and what an
    analyst looks for on the park list.  Only where the name stands in the text and no park, institution
    or government body already covers it; the name must have a body of its own (not 产业园 alone).
    Returns whether a park was added."""
    known: set[str] | None = None
    ends = _park_ends(lex)
    added = False
    for proj in projects:
        if proj.aggregate or not proj.name:
            continue
        name = _PROJECT_TAIL.sub("", proj.name)
        if not name or (name[-1] != "园" and name[-1] != "城") or name[0].isdigit():
            continue  # (1200亩新能源配套产业园: a size and a kind of park, no park's name)
        end = next((e for e in ends if name.endswith(e)), None)
        if end is None or len(name) - len(end) < 2:
            continue
        if known is None:
            known = {_norm(n) for e in entities for n in (e.name, *e.aliases)}
        if _norm(name) in known:
            continue
        if not _named_body(name[: len(name) - len(end)]):
            continue  # 氢能装备产业园: industry words only, a kind of park, not a name
        taken = [sp for ent in entities if ent.type in ("park", "institution", "government") for sp in ent.spans]
        spans: list[tuple[int, int]] = []
        i = text.find(name)
        while i >= 0:
            j = i + len(name)
            if not any(s < j and i < e for s, e in taken):
                spans.append((i, j))
            i = text.find(name, j)
        if not spans:
            continue
        entities.append(Entity(type="park", name=name, spans=spans))
        known.add(_norm(name))
        added = True
    return added


def _free_spans(text: str, name: str, entities: list[Entity]) -> list[tuple[int, int]]:
    """Every occurrence of ``name`` not inside another (non-region) entity's span (a park's name
    that opens with it excepted)."""
    # a park named after the company (某某(西安)电子信息产业园) keeps the company's name inside it
    taken = [
        sp for ent in entities if ent.type != "region" for sp in ent.spans
        if not (ent.type == "park" and text.startswith(name, sp[0]) and sp[1] - sp[0] > len(name))
        # 华润 inside 华润电力风电项目: the investor with its head word is the longer brand
        and not (ent.type == "company" and text.startswith(name, sp[0]) and sp[1] - sp[0] < len(name))
    ]
    out: list[tuple[int, int]] = []
    size = len(name)
    i = text.find(name)
    while i >= 0:
        j = i + size
        if not any(s < j and i < e for s, e in taken):
            out.append((i, j))
        i = text.find(name, j)
    return out


def _drop_inner_regions(entities: list[Entity], spans: list[tuple[int, int]]) -> list[Entity]:
    """Places inside a promoted name (中国 in 中国电科) are no region mentions, and a shorter
    company form opening it (华润 in 华润电力) is no mention of its own there."""
    out: list[Entity] = []
    for ent in entities:
        if ent.type in ("region", "company") and any(
            s <= a and b <= e and (b - a) < (e - s) for a, b in ent.spans for s, e in spans
        ):
            keep = [(a, b) for a, b in ent.spans if not any(s <= a and b <= e and (b - a) < (e - s) for s, e in spans)]
            if not keep:
                continue
            ent.spans = keep
        out.append(ent)
    return out


def _fold_short_forms(entities: list[Entity]) -> list[Entity]:
    """A short company form that opens exactly one legal company name of the article is that
    company's alias (its spans join the legal name's entity)."""
    legal = [
        e for e in entities
        if e.type == "company" and _norm(e.name).endswith(_LEGAL_ENDINGS) and not any(w in e.name for w in _BRANCH_WORDS)
    ]
    if not legal:
        return entities
    merged: set[int] = set()
    legal_normed = [(e, _norm(e.name)) for e in legal]  # (names never change below: normalised once)
    for short in entities:
        if short.type != "company" or _norm(short.name).endswith(_LEGAL_ENDINGS) or not 2 <= len(short.name) <= 6:
            continue
        forms = [short.name, *short.aliases]
        normed_forms = [_norm(f) for f in forms]
        targets = [e for e, n in legal_normed if e is not short and any(n.startswith(nf) for nf in normed_forms)]
        # legal names that differ only by a branch or bracket count once (same entity written twice)
        if len(targets) != 1:
            continue
        target = targets[0]
        for f in forms:
            if f != target.name and f not in target.aliases:
                target.aliases.append(f)
        target.spans = sorted(set(target.spans) | set(short.spans))
        merged.add(id(short))
    if not merged:
        return entities
    return [e for e in entities if id(e) not in merged]
