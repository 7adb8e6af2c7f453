"""Relations between entities/projects of one article, each with its sentence span.

* located_in     company/institution/project → park/region (位于, 落户, 入驻, 在X建设 …)
* part_of        park → region (a park named after its region: 宝坻京津中关村科技城 → 宝坻区;
                 or "园区位于X")
* cooperates_with  organisations in one sentence with a cooperation cue (合作协议, 共建, 携手 …)
* invests_in     investor → project (from projects) or investor → company ("A投资B")
* flow           region → region from division-of-labour statements (北京研发、天津转化、河北配套),
                 relocations (京冀企业落户天津) and 北京流向津冀技术合同.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from importlib import resources
from operator import itemgetter
from typing import Any, Final, cast

import daachorse
import yaml

from chainatlas.extract.lexicon import LexiconError, load_lexicon
from chainatlas.extract.wordre import word_alternation
from chainatlas.model import Entity, Project, Relation

# Memoised helpers below keep their values in plain dicts (bounded: dropped whole when full;
# a value never changes) and loaders in one-element lists, not behind functools.lru_cache:
# compiled, a call through an lru_cache wrapper is a generic Python call, and these are
# called hundreds of times per article (≈5 % of extraction time went to the wrappers).
_MISS: Final = object()  # "not memoised yet" (None may be a memoised value)

_SENT: Final = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_SENT_BREAK: Final = re.compile(r"[。！？!?\n]")
_ORG: Final = ("company", "park", "government", "institution")


@dataclass(frozen=True, slots=True)
class _Patterns:
    abbrev: dict[str, str]
    stages: list[str]
    located: list[str]
    coop: list[str]
    invest: list[str]
    relocate: list[str]
    region_tok: str  # regex alternation of region surfaces usable in flow statements


_PATTERNS_SLOT: Final[list[_Patterns]] = []


def _patterns() -> _Patterns:
    if not _PATTERNS_SLOT:  # built once per process
        _PATTERNS_SLOT.append(_patterns_uncached())
    return _PATTERNS_SLOT[0]


def _patterns_uncached() -> _Patterns:
    name = "relation_patterns.yaml"
    data: Any = yaml.safe_load(resources.files("chainatlas.data.lexicons").joinpath(name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: top level must be a mapping")

    def lst(key: str) -> list[str]:
        val = data.get(key)
        if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
            raise LexiconError(f"{name}: key {key} must be a list of strings")
        if any(_SENT_BREAK.search(v) for v in val):  # cues are found per sentence
            raise LexiconError(f"{name}: key {key}: a cue may not contain a sentence break")
        return sorted(val, key=len, reverse=True)

    abbrev = data.get("region_abbrev")
    if not isinstance(abbrev, dict):
        raise LexiconError(f"{name}: key region_abbrev must be a mapping")
    lex = load_lexicon()
    big = [s for s, r in lex.regions.items() if r.level in ("province", "city") and len(s) >= 2]
    tok = word_alternation(big)
    chars = "".join(re.escape(c) for c in abbrev)
    return _Patterns(
        abbrev={str(k): str(v) for k, v in abbrev.items()},
        stages=lst("flow_stages"),
        located=lst("located_verbs"),
        coop=lst("cooperation_cues"),
        invest=lst("investment_cues"),
        relocate=lst("relocation_verbs"),
        region_tok=f"(?:{tok}|[{chars}]{{1,3}})",
    )


def _expand_regions(token: str, pats: _Patterns) -> list[str]:
    """北京 → [北京]; 津冀 → [天津, 河北]; 京冀 → [北京, 河北]."""
    lex = load_lexicon()
    if token in lex.regions and len(token) >= 2:
        reg = lex.regions[token]
        short = reg.shorts[0] if reg.shorts else reg.name
        return [short]
    if all(c in pats.abbrev for c in token):
        return [pats.abbrev[c] for c in token]
    return []


_TOWARD: Final = ("流向", "输出到", "输出至", "转移到", "转移至")


def _region_first_chars() -> list[str]:
    """Escaped first characters of every region token the flow patterns accept."""
    p = _patterns()
    lex = load_lexicon()
    big = {s[0] for s, r in lex.regions.items() if r.level in ("province", "city") and len(s) >= 2}
    return [re.escape(c) for c in big | set(p.abbrev)]


_FLOW_RES_SLOT: Final[list[tuple[re.Pattern[str], ...]]] = []


def _flow_res() -> tuple[re.Pattern[str], ...]:
    if not _FLOW_RES_SLOT:  # built once per process
        _FLOW_RES_SLOT.append(_flow_res_uncached())
    return _FLOW_RES_SLOT[0]


def _flow_res_uncached() -> tuple[re.Pattern[str], ...]:
    p = _patterns()
    stages = word_alternation(p.stages, longest_first=False)
    reg = p.region_tok
    # a lookahead on the characters a region token can start with: the engine rejects most
    # positions with one set test instead of trying every alternative of the region list
    lead = f"(?=[{''.join(sorted(set(_region_first_chars())))}])"
    # 北京研发、天津转化、河北配套 / 北京研发、津冀制造
    chain = re.compile(
        rf"{lead}(?:({reg})({stages})[、，,\s]*)(?:({reg})({stages}))(?:[、，,\s]*({reg})({stages}))?"
    )
    # 研发在北京、转化在天津、配套在河北
    chain_in = re.compile(rf"({stages})在({reg})[、，,\s]*({stages})在({reg})(?:[、，,\s]*({stages})在({reg}))?")
    relocate = re.compile(
        rf"{lead}({reg})(?:地区|两地|三地)?(?:的)?企业[^。，；]{{0,6}}?(?:{word_alternation(p.relocate, longest_first=False)})({reg})"
    )
    toward = re.compile(rf"{lead}({reg})(?:{word_alternation(_TOWARD, longest_first=False)})({reg})([\u4e00-\u9fff]{{0,6}})")
    return chain, chain_in, relocate, toward


_FLOW_CUES_SLOT: Final[list[tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]]] = []


def _flow_cues() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """Cheap pre-filters for the flow patterns.

    The flow patterns carry an alternation of every province and city name; running them on
    sentences that cannot match dominated extraction time.  A division-of-labour statement
    needs two stage words each next to a region name; a relocation needs 企业 and a
    relocation verb; a transfer needs 流向/输出/转移.
    """
    if not _FLOW_CUES_SLOT:  # built once per process
        _FLOW_CUES_SLOT.append(_flow_cues_uncached())
    return _FLOW_CUES_SLOT[0]


def _flow_cues_uncached() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    p = _patterns()
    stage = re.compile(word_alternation(p.stages, longest_first=False))
    other = re.compile(
        word_alternation({*p.relocate, *_TOWARD})
    )
    lex = load_lexicon()
    surfaces = frozenset(s for s, r in lex.regions.items() if r.level in ("province", "city") and len(s) >= 2)
    return stage, other, surfaces


def _flow_possible(sent: str) -> bool:
    stage, other, _ = _flow_cues()
    abbrev = _patterns().abbrev
    if other.search(sent):
        return True
    near = 0
    ends: set[int] | None = None
    for m in stage.finditer(sent):
        i, j = m.start(), m.end()
        if ends is None:  # where a province/city name of 2-8 characters ends
            ends = {e for s, e, _ in _surface_ac().find_overlapping(sent) if e - s <= 8}
        before = i in ends or (i > 0 and sent[i - 1] in abbrev)
        after = sent[j : j + 1] == "在"
        if before or after:
            near += 1
            if near >= 2:
                return True
    return False


_SURFACE_AC_SLOT: Final[list[daachorse.CharwiseDoubleArrayAhoCorasick]] = []


def _surface_ac() -> daachorse.CharwiseDoubleArrayAhoCorasick:
    """Every province/city surface of the flow cues, for overlapping search."""
    if not _SURFACE_AC_SLOT:  # built once per process
        _SURFACE_AC_SLOT.append(_surface_ac_uncached())
    return _SURFACE_AC_SLOT[0]


def _surface_ac_uncached() -> daachorse.CharwiseDoubleArrayAhoCorasick:
    return daachorse.CharwiseDoubleArrayAhoCorasick(sorted(_flow_cues()[2]))


def _flows(text: str, s0: int, sent: str) -> list[Relation]:
    if not _flow_possible(sent):
        return []
    pats = _patterns()
    chain, chain_in, relocate, toward = _flow_res()
    out: list[Relation] = []
    span = (s0, s0 + len(sent))

    def add(src_tok: str, dst_tok: str, kind: str) -> None:
        for a in _expand_regions(src_tok, pats):
            for b in _expand_regions(dst_tok, pats):
                if a != b:
                    out.append(Relation("flow", a, b, span, {"kind": kind}))

    for m in chain.finditer(sent):
        steps = [(m.group(i), m.group(i + 1)) for i in (1, 3, 5) if m.group(i)]
        for (r1, st1), (r2, st2) in zip(steps, steps[1:], strict=False):
            add(r1, r2, f"{st1}→{st2}")
    for m in chain_in.finditer(sent):
        steps = [(m.group(i + 1), m.group(i)) for i in (1, 3, 5) if m.group(i)]
        for (r1, st1), (r2, st2) in zip(steps, steps[1:], strict=False):
            add(r1, r2, f"{st1}→{st2}")
    if "企业" in sent:  # literal parts of the patterns: skip the scan when they are absent
        for m in relocate.finditer(sent):
            add(m.group(1), m.group(2), "企业落户")
    for m in toward.finditer(sent) if any(w in sent for w in _TOWARD) else ():
        kind = "技术合同" if "技术合同" in m.group(3) else "流向"
        add(m.group(1), m.group(2), kind)
    return out


_CUE_TABLE_SLOT: Final[list[tuple[daachorse.CharwiseDoubleArrayAhoCorasick, list[list[tuple[int, int]]]]]] = []


def _cue_table() -> tuple[daachorse.CharwiseDoubleArrayAhoCorasick, list[list[tuple[int, int]]]]:
    """One automaton over the cue words of every kind, and per word its (kind, rank) entries.
    Kinds, in order: transfer/relocation words, stage words, located, invest, coop — each
    ranked as in its regex alternation (``_flow_cues``, ``_cue_res``)."""
    if not _CUE_TABLE_SLOT:  # built once per process
        _CUE_TABLE_SLOT.append(_cue_table_uncached())
    return _CUE_TABLE_SLOT[0]


def _cue_table_uncached() -> tuple[daachorse.CharwiseDoubleArrayAhoCorasick, list[list[tuple[int, int]]]]:
    p = _patterns()
    kinds = [
        sorted({*p.relocate, *_TOWARD}, key=len, reverse=True), list(p.stages),
        list(p.located), list(p.invest), list(p.coop),
    ]
    entries: dict[str, list[tuple[int, int]]] = {}
    for kind, words in enumerate(kinds):
        for rank, word in enumerate(words):
            if word:
                entries.setdefault(word, []).append((kind, rank))
    words = sorted(entries)
    automaton = daachorse.CharwiseDoubleArrayAhoCorasick(words, match_kind=daachorse.MATCH_KIND_STANDARD)
    return automaton, [entries[w] for w in words]


def _cue_starts(text: str) -> list[list[int]]:
    """Where each kind of cue word starts in ``text``: exactly the match starts of that kind's
    regex alternation under ``finditer`` (leftmost; at one position the alternative listed
    first; no overlaps), from one overlapping automaton pass instead of five regex scans."""
    automaton, entries = _cue_table()
    hits: list[list[tuple[int, int, int]]] = [[], [], [], [], []]
    for s, e, idx in automaton.find_overlapping(text):
        for kind, rank in entries[idx]:
            hits[kind].append((s, rank, e))
    out: list[list[int]] = []
    for kind_hits in hits:
        kind_hits.sort()
        starts: list[int] = []
        pos = 0
        for s, _, e in kind_hits:
            if s >= pos:  # the first hit at the leftmost free start has the lowest rank
                starts.append(s)
                pos = e
        out.append(starts)
    return out


def _mentions(entities: list[Entity]) -> list[tuple[int, int, Entity]]:
    out = [(s, e, ent) for ent in entities for (s, e) in ent.spans]
    out.sort(key=_first)
    return out


_first = itemgetter(0)


def _region_of_park(park: Entity, regions: dict[str, Entity]) -> str | None:
    return _region_of_park_name(park.name)


_REGION_OF_PARK_NAME_MEMO: Final[dict[str, str | None]] = {}


def _region_of_park_name(name: str) -> str | None:
    memo_key = name
    hit = _REGION_OF_PARK_NAME_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("str | None", hit)
    value = _region_of_park_name_uncached(name)
    if len(_REGION_OF_PARK_NAME_MEMO) >= 16384:
        _REGION_OF_PARK_NAME_MEMO.clear()
    _REGION_OF_PARK_NAME_MEMO[memo_key] = value
    return value


def _region_of_park_name_uncached(name: str) -> str | None:
    lex = load_lexicon()
    for n in range(min(len(name) - 2, 6), 1, -1):
        reg = lex.regions.get(name[:n])
        if reg is not None and reg.level != "country":
            return reg.name
    return None


_CUE_RES_SLOT: Final[list[tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]]] = []


def _cue_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    if not _CUE_RES_SLOT:  # built once per process
        _CUE_RES_SLOT.append(_cue_res_uncached())
    return _CUE_RES_SLOT[0]


def _cue_res_uncached() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    pats = _patterns()
    return (
        re.compile(word_alternation(pats.located, longest_first=False)),
        re.compile(word_alternation(pats.coop, longest_first=False)),
        re.compile(word_alternation(pats.invest, longest_first=False)),
    )


_BUILD_AFTER: Final = re.compile(r"(?:建设|建厂|竣工|投产|开工|设立|落地|落户|成立|注册)")


def extract_relations(text: str, entities: list[Entity], projects: list[Project]) -> list[Relation]:
    """All relations stated in ``text``; sources/targets are entity names (or project names)."""
    rels: list[Relation] = []
    mentions = _mentions(entities)
    regions = {e.name: e for e in entities if e.type == "region"}
    seen: set[tuple[str, str, str, str]] = set()

    def add(rel: Relation) -> None:
        key = (rel.type, rel.source, rel.target, str(rel.attrs.get("kind", "")))
        if key not in seen and rel.source != rel.target:
            seen.add(key)
            rels.append(rel)

    # part_of from the park's own name
    for ent in entities:
        if ent.type == "park":
            reg = _region_of_park(ent, regions)
            if reg:
                add(Relation("part_of", ent.name, reg, ent.spans[0] if ent.spans else None))

    located_re, coop_re, invest_re = _cue_res()
    mention_starts = [t[0] for t in mentions]
    # Every cue is found once in the whole text and filed under its sentence (no cue word
    # spans a sentence break, so the matches are exactly the per-sentence ones): the many
    # sentences without any cue cost one step each.
    sents = [m.span() for m in _SENT.finditer(text)]
    starts = [s0 for s0, _ in sents]

    def by_sentence(positions: list[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for pos in positions:
            i = bisect_right(starts, pos) - 1
            if i >= 0 and pos < sents[i][1]:
                out.setdefault(i, []).append(pos)
        return out

    # the flow cues: a sentence with neither a transfer word nor two stage words cannot state a flow
    other_at, stage_at, located_at, invest_at, coop_at = _cue_starts(text)
    flow_other = by_sentence(other_at)
    flow_stage = by_sentence(stage_at)
    located = by_sentence(located_at)
    invest = by_sentence(invest_at)
    coop = by_sentence(coop_at)
    # 在 PLACE + building verb: the places right after 在 (mentions are sorted by start)
    zai = by_sentence(
        [t[0] for t in mentions if t[0] and text[t[0] - 1] == "在" and t[2].type in ("park", "region")]
    )
    active = sorted(
        {*flow_other, *(i for i, v in flow_stage.items() if len(v) >= 2), *located, *invest, *coop, *zai}
    )
    for i in active:
        s0, s1 = sents[i]
        sent = text[s0:s1]
        span = (s0, s1)
        if i in flow_other or len(flow_stage.get(i, ())) >= 2:
            for rel in _flows(text, s0, sent):
                add(rel)
        # mentions are sorted by start: bisect to the sentence instead of scanning them all
        lo = bisect_left(mention_starts, s0)
        hi = bisect_right(mention_starts, s1, lo)
        inside = [t for t in mentions[lo:hi] if t[1] <= s1]
        if not inside:
            continue
        # located_in: subject before the verb, place (park/region) after it
        for vm in located_re.finditer(sent) if i in located else ():
            vpos = s0 + vm.start()
            subj = [t for t in inside if t[1] <= vpos and t[2].type in ("company", "institution", "park")]
            place = [t for t in inside if t[0] >= s0 + vm.end() and t[2].type in ("park", "region")]
            if subj and place:
                src = subj[-1][2]
                dst = place[0][2]
                typ = "part_of" if src.type == "park" else "located_in"
                add(Relation(typ, src.name, dst.name, span))
        # 在X建设/竣工/投产: subject … 在 PLACE verb
        for t in inside if i in zai else ():
            if t[2].type in ("park", "region") and text[t[0] - 1 : t[0]] == "在":
                tail = text[t[1] : t[1] + 4]
                if _BUILD_AFTER.match(tail):
                    subj = [u for u in inside if u[1] <= t[0] and u[2].type in ("company", "institution")]
                    if subj:
                        add(Relation("located_in", subj[-1][2].name, t[2].name, span))
        # cooperates_with
        if i in coop:
            orgs: list[Entity] = []
            for _, _, ent in inside:
                if ent.type in _ORG and ent not in orgs:
                    orgs.append(ent)
            for other in orgs[1:]:
                add(Relation("cooperates_with", orgs[0].name, other.name, span))
        # invests_in: "A投资B" between organisations
        for im in invest_re.finditer(sent) if i in invest else ():
            ipos = s0 + im.start()
            before = [t for t in inside if t[1] <= ipos and t[2].type == "company"]
            after = [t for t in inside if t[0] >= s0 + im.end() and t[2].type == "company"]
            if before and after and after[0][0] - (s0 + im.end()) <= 2:
                add(Relation("invests_in", before[-1][2].name, after[0][2].name, span))

    for proj in projects:
        target = proj.name or (f"{proj.investor}@{proj.location}" if proj.investor and proj.location else None)
        if proj.investor and target:
            add(Relation("invests_in", proj.investor, target, proj.span))
        if proj.name and proj.location:
            add(Relation("located_in", proj.name, proj.location, proj.span))
    return rels
