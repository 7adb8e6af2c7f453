"""A learned second opinion on organisation names: a character CRF combined with the rules.

The rule extractor (``entities.py``) anchors names on suffixes and gazetteers; it plateaus on
names without a legal suffix (brand-style companies after 与/和 or before 签约) and on generic
phrases that look like names (…中心, …园区).  This stage tags selected sentences with a
linear-chain CRF over characters (python-crfsuite) and combines its output with the rules':

- **add**: a span the CRF labels as an organisation, that overlaps no rule organisation or
  person, whose weakest character marginal is at least ``add_threshold`` and that agrees with a
  cue (it ends with an organisation suffix, or stands right after 与/和/同/携手… or right before
  签约/合作/投资…) becomes a new entity, with every other occurrence of the same name;
- **veto**: a rule organisation (not from the gazetteer) whose every span the CRF sees as
  outside any name — the mean marginal of ``O`` over its characters at least ``veto_threshold``
  — is dropped.

Features per character (deterministic, in a fixed order): the character and its neighbours
(±2), two bigrams, a character class, the rule extractor's own tag (B/I/E + type), hits of
the organisation-suffix lists, region names and the known-entity gazetteer (B/I/E + kind),
the type and distance of the next suffix to the right, and cue words just before or after.

Only short windows around cue words (签约, 合作, 旗下, 等企业, 与 …) are tagged, and only where
the character next to the cue is in no rule name: the CRF costs far more per character than
the rules (≈ 4 % of characters tagged, 0.2 s per MB in pure Python), and elsewhere it has
nothing to add.  ``make train`` ships the model with ``enabled: false`` when no threshold beat
the rules alone in its k-fold over real pages (the case today; see docs/evaluation.md).  The model file and its thresholds ship in
``chainatlas/data/models``; ``make train`` rebuilds them (``chainatlas.train.crf``).

Switches: ``CHAINATLAS_NO_MODEL=1`` runs the rules alone; ``CHAINATLAS_MODEL=/path/model``
uses another model file (its thresholds from ``<path>.json`` when present).  Without
python-crfsuite or without the model file the rules run alone.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Final

import daachorse

from chainatlas.extract.lexicon import Lexicon, load_lexicon
from chainatlas.model import Entity

log = logging.getLogger(__name__)

NO_MODEL_ENV: Final = "CHAINATLAS_NO_MODEL"
MODEL_ENV: Final = "CHAINATLAS_MODEL"
MODEL_NAME: Final = "org_crf.crfsuite"
FEATURE_VERSION: Final = 1

ORG_TYPES: Final = ("company", "park", "government", "institution")
CODE: Final = {"company": "CO", "park": "PK", "government": "GV", "institution": "IN"}
TYPE_OF_CODE: Final = {v: k for k, v in CODE.items()}
LABELS: Final = ("O", "B-CO", "I-CO", "B-PK", "I-PK", "B-GV", "I-GV", "B-IN", "I-IN")

# Cue words.  Before a name: partners and investors are introduced by these; after a name: the
# act that makes it a party.  Gate words make a sentence worth tagging.
CUES_BEFORE: Final = ("与", "和", "同", "及", "携手", "联合", "引进", "引入", "吸引", "由", "依托", "支持",
                      "、", "同时与", "分别与", "并与", "旗下", "子公司", "企业")
CUES_AFTER: Final = ("签约", "签订", "签署", "合作", "携手", "投资", "落户", "入驻", "共建", "联合", "牵头",
                     "旗下", "总部", "建设", "打造", "达成", "举行", "成立", "落地", "拟", "计划", "等",
                     "、", "将", "在", "于", "已")
# Window cues: the CRF tags only the characters around these (names of partners and investors
# stand next to them), which keeps its cost a small fraction of extraction time.
GATE_WORDS: Final = ("签约", "签订", "签署", "携手", "合作", "落户", "旗下", "投资建设", "联手", "等企业",
                     "等公司", "等知名企业", "等龙头企业", "等头部企业", "等一批", "等重点企业", "子公司", "控股",
                     "与")
# A project name often opens with its investor's brand (某某年产…项目).  Windows from the clause
# start to a project word were tried (gate "项目"): they doubled the characters tagged and, in
# the k-fold over realdev, added no correct name, so no word opens such a window now.
PROJECT_GATES: Final = frozenset[str]()
_CLAUSE: Final = "、，,：:；;。！？!?\n（(“\"》 \t"
_CLAUSE_BACK: Final = 40  # how far back a clause start is looked for
_CLAUSE_SPAN: Final = 16  # characters from the clause start in the window
RIGHT_GATES: Final = frozenset({"旗下", "引进", "携手", "子公司", "控股", "与"})
# characters that end no name: a cue after them has no unnamed partner right before it
_NOT_NAME_END: Final = frozenset("的了在于和与及或并将已拟总共再也均又还都是被把对向从为以由就等个项亿万元年月日"
                                 "目业动式此次方期批体家司人作约")
# characters that start no name: a right-hand cue before them has no unnamed partner after it
_NOT_NAME_START: Final = frozenset("此其各相会我你他本该这那上下中内外多新的了个家批项")
_LEFT: Final = 12  # characters before a cue in its window
_RIGHT: Final = 3  # characters after it
_RIGHT_R: Final = 12  # characters after a right-hand cue
_STOPS: Final = "。！？；!?;\n"

# automaton value kinds
_K_SUFFIX: Final = 0
_K_REGION: Final = 1
_K_KNOWN: Final = 2
_K_BEFORE: Final = 3
_K_AFTER: Final = 4
_K_GATE: Final = 5


class Features:
    """The compiled lexicon automaton behind the features (built once from the lexicons)."""

    def __init__(self, lex: Lexicon) -> None:
        entries: dict[str, list[tuple[int, str]]] = {}

        def put(key: str, kind: int, tag: str) -> None:
            if key:
                entries.setdefault(key, []).append((kind, tag))

        for typ in ORG_TYPES:
            for s in lex.suffixes.get(typ, []):
                put(s, _K_SUFFIX, CODE[typ])
        for s in lex.weak_company:
            put(s, _K_SUFFIX, "cw")
        for name in lex.regions:
            if len(name) >= 2:
                put(name, _K_REGION, "rg")
        for name, known in lex.known.items():
            put(name, _K_KNOWN, CODE.get(known.type, "ot"))
        for w in CUES_BEFORE:
            put(w, _K_BEFORE, "")
        for w in CUES_AFTER:
            put(w, _K_AFTER, "")
        for w in GATE_WORDS:
            put(w, _K_GATE, "R" if w in RIGHT_GATES else ("P" if w in PROJECT_GATES else ""))
        self.keys: list[str] = sorted(entries)
        # per key: its (kind, tag) pairs, sorted for a deterministic feature order
        self.values: list[list[tuple[int, str]]] = [sorted(set(entries[k])) for k in self.keys]
        self.ac = daachorse.CharwiseDoubleArrayAhoCorasick(self.keys)
        self.company_suffixes: frozenset[str] = frozenset(lex.suffixes.get("company", []))
        self.not_entities: frozenset[str] = frozenset(lex.not_entities)
        self.regions: frozenset[str] = frozenset(lex.regions)
        self.lexicon = lex

    def hits(self, text: str) -> list[tuple[int, int, int]]:
        """Every (start, end, key index) lexicon hit in ``text``, overlapping."""
        return self.ac.find_overlapping(text)

    def windows(self, text: str, hits: list[tuple[int, int, int]],
                occupied: list[bool] | None = None) -> list[tuple[int, int]]:
        """Spans (start, end) around the cue words, cut at sentence ends, merged when they touch.

        With ``occupied`` (characters the rules already gave to a name), only cues with a name
        character right before them (or right after a right-hand cue) that no rule name covers
        open a window: elsewhere the CRF could add nothing."""
        values = self.values
        raw: list[tuple[int, int]] = []
        n = len(text)
        for s, e, k in hits:
            for kind, tag in values[k]:
                if kind == _K_GATE and tag == "P":
                    cs = _clause_start(text, s)
                    if cs < 0 or cs >= s:
                        break
                    if occupied is not None and (occupied[cs] or not _is_name_char(text[cs])):
                        break
                    raw.append((cs, min(s + 3, cs + _CLAUSE_SPAN, n)))
                    break
                if kind == _K_GATE:
                    if occupied is not None:
                        left = s > 0 and _is_name_char(text[s - 1]) and not occupied[s - 1] \
                            and text[s - 1] not in _NOT_NAME_END
                        right = tag == "R" and e < n and _is_name_char(text[e]) and not occupied[e] \
                            and text[e] not in _NOT_NAME_START
                        if not left and not right:
                            break
                    a = max(0, s - _LEFT)
                    b = min(n, e + (_RIGHT_R if tag == "R" else _RIGHT))
                    for j in range(s - 1, a - 1, -1):
                        if text[j] in _STOPS:
                            a = j + 1
                            break
                    for j in range(e, b):
                        if text[j] in _STOPS:
                            b = j
                            break
                    raw.append((a, b))
                    break
        if not raw:
            return []
        raw.sort()
        out: list[tuple[int, int]] = []
        ca, cb = raw[0]
        for a, b in raw[1:]:
            if a <= cb:
                if b > cb:
                    cb = b
            else:
                out.append((ca, cb))
                ca, cb = a, b
        out.append((ca, cb))
        return out

    def sequence(self, text: str, start: int, end: int, hits: list[tuple[int, int, int]],
                 rule_tags: list[str] | None) -> list[list[str]]:
        """Feature lists for the characters text[start:end] (``hits`` over the whole text,
        ``rule_tags`` one tag per character of the window, or None to leave them out)."""
        w = text[start:end]
        n = len(w)
        lexf: list[list[str]] = [[] for _ in range(n)]
        suffix_end: list[str] = [""] * n  # type code of a suffix ending at i
        project_at: list[bool] = [False] * n  # a project word (项目, 年产) starts at i
        values = self.values
        for s, e, k in hits:
            if e <= start or s >= end:
                continue
            a = s - start
            b = e - start
            for kind, tag in values[k]:
                if kind in (_K_SUFFIX, _K_REGION, _K_KNOWN):
                    p = "s" if kind == _K_SUFFIX else ("g" if kind == _K_REGION else "k")
                    if a >= 0:
                        lexf[a].append(p + "B=" + tag)
                    for j in range(max(a + 1, 0), min(b - 1, n)):
                        lexf[j].append(p + "I=" + tag)
                    if 0 < b <= n:
                        lexf[b - 1].append(p + "E=" + tag)
                        if kind == _K_SUFFIX:
                            suffix_end[b - 1] = tag
                    if 0 <= b < n:
                        lexf[b].append(p + "A")
                elif kind == _K_BEFORE:
                    if 0 <= b < n:
                        lexf[b].append("cb")  # a name may start here
                elif kind == _K_AFTER:
                    if 0 < a <= n:
                        lexf[a - 1].append("ca")  # a name may end here
                elif kind == _K_GATE and (tag == "P" or key_is_output(self.keys[k])) and 0 <= a < n:
                    project_at[a] = True
        # type and distance of the next suffix end at or to the right of each character
        nxt: list[str] = [""] * n
        last = -1
        last_tag = ""
        for i in range(n - 1, -1, -1):
            if suffix_end[i]:
                last = i
                last_tag = suffix_end[i]
            if last >= 0:
                d = last - i
                bucket = "0" if d == 0 else ("1" if d <= 2 else ("2" if d <= 6 else ("3" if d <= 12 else "")))
                if bucket:
                    nxt[i] = "ns=" + last_tag + bucket
        # distance to the next project word in the same clause
        ahead: list[str] = [""] * n
        last = -1
        for i in range(n - 1, -1, -1):
            if project_at[i]:
                last = i
            elif w[i] in _CLAUSE:
                last = -1
            if last > i:
                d = last - i
                ahead[i] = "pa=1" if d <= 2 else ("pa=2" if d <= 6 else ("pa=3" if d <= 14 else ""))
        total = len(text)
        seq: list[list[str]] = []
        for i in range(n):
            c = w[i]
            g = start + i
            p1 = text[g - 1] if g >= 1 else "^"
            p2 = text[g - 2] if g >= 2 else "^"
            n1 = text[g + 1] if g + 1 < total else "$"
            n2 = text[g + 2] if g + 2 < total else "$"
            f = ["c=" + c, "p1=" + p1, "n1=" + n1, "p2=" + p2, "n2=" + n2,
                 "bp=" + p1 + c, "bn=" + c + n1, "t=" + _char_class(c)]
            if rule_tags is not None:
                f.append("r=" + rule_tags[i])
            if nxt[i]:
                f.append(nxt[i])
            if ahead[i]:
                f.append(ahead[i])
            if p1 in _CLAUSE:
                f.append("cs")
            lf = lexf[i]
            if lf:
                lf.sort()
                f.extend(lf)
            seq.append(f)
        return seq


def key_is_output(key: str) -> bool:
    """Gate words that name what a project makes (年产…): a brand may stand before them."""
    return key == "年产"


def _clause_start(text: str, pos: int) -> int:
    """Index after the delimiter that opens the clause holding ``pos`` (-1 if too far back)."""
    lo = max(0, pos - _CLAUSE_BACK)
    for j in range(pos - 1, lo - 1, -1):
        if text[j] in _CLAUSE:
            return j + 1
    return 0 if lo == 0 else -1


def _is_name_char(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or (c.isascii() and c.isalnum())


def _char_class(c: str) -> str:
    if "\u4e00" <= c <= "\u9fff":
        return "H"
    if c.isdigit():
        return "D"
    if c.isascii() and c.isalpha():
        return "L"
    if c in "（）()":
        return "P"
    return "S"


def rule_tags(entities: list[Entity], start: int, end: int) -> list[str]:
    """One tag per character of text[start:end] from the rule entities' spans:
    B-/I-/E- + type code for organisations, + "PE"/"RG" for persons and regions, else "O"."""
    n = end - start
    tags = ["O"] * n
    for e in entities:
        code = CODE.get(e.type, "PE" if e.type == "person" else "RG")
        for sp in e.spans:
            a = sp[0] - start
            b = sp[1] - start
            if b <= 0 or a >= n:
                continue
            for j in range(max(a, 0), min(b, n)):
                tags[j] = ("B-" if j == a else ("E-" if j == b - 1 else "I-")) + code
    return tags


def spans_of(labels: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type code) of the B/I label runs."""
    out: list[tuple[int, int, str]] = []
    i = 0
    n = len(labels)
    while i < n:
        lab = labels[i]
        if lab.startswith("B-"):
            code = lab[2:]
            j = i + 1
            while j < n and labels[j] == "I-" + code:
                j += 1
            out.append((i, j, code))
            i = j
        else:
            i += 1
    return out


# ------------------------------------------------------------------ model and combination


class Refiner:
    """Tags the cue sentences of an article and combines the CRF's spans with the rules'."""

    def __init__(self, tagger: Any, params: dict[str, Any], features: Features) -> None:
        self.tagger = tagger
        self.features = features
        self.add_threshold: float = float(params.get("add_threshold", 0.9))
        self.veto_threshold: float = float(params.get("veto_threshold", 1.01))  # > 1: never
        self.add_types: frozenset[str] = frozenset(params.get("add_types", list(ORG_TYPES)))
        self.veto_types: frozenset[str] = frozenset(params.get("veto_types", []))
        self.chars_tagged = 0

    def tag_window(self, seq: list[list[str]]) -> tuple[list[str], Any]:
        tagger = self.tagger
        tagger.set(seq)
        return list(tagger.tag()), tagger

    def refine(self, text: str, entities: list[Entity]) -> list[Entity]:
        feats = self.features
        hits = feats.hits(text)
        occupied = _occupied(entities, len(text))
        wins = feats.windows(text, hits, _occupied(entities, len(text), True))
        if not wins:
            return entities
        added: dict[str, Entity] = {}
        veto_votes: dict[int, list[float]] = {}  # id(entity) → mean P(O) per span seen
        span_owner: dict[tuple[int, int], Entity] = {}
        if self.veto_types:
            for e in entities:
                if e.type in self.veto_types and e.name not in feats.lexicon.known:  # gazetteer names stay
                    for sp in e.spans:
                        span_owner[(sp[0], sp[1])] = e
        for a, b in wins:
            seq = feats.sequence(text, a, b, hits, rule_tags(entities, a, b))
            labels, tagger = self.tag_window(seq)
            self.chars_tagged += b - a
            for ls, le, code in spans_of(labels):
                typ = TYPE_OF_CODE.get(code)
                if typ is None or typ not in self.add_types:
                    continue
                gs, ge = a + ls, a + le
                if any(occupied[gs:ge]):
                    continue
                name = text[gs:ge]
                if not self._plausible(name):
                    continue
                if self._holds_cue(gs, ge, hits) or not self._cued(text, gs, ge, hits):
                    continue
                conf = min(tagger.marginal(labels[j], j) for j in range(ls, le))
                if conf < self.add_threshold:
                    continue
                ent = added.get(name)
                if ent is None:
                    ent = Entity(type=typ, name=name, spans=[], attrs={"source": "model"})
                    added[name] = ent
                ent.spans.append((gs, ge))
            if span_owner:
                for (ss, se), ent in span_owner.items():
                    if ss >= a and se <= b and se > ss:
                        p = sum(tagger.marginal("O", j - a) for j in range(ss, se)) / (se - ss)
                        veto_votes.setdefault(id(ent), []).append(p)
        out = entities
        if veto_votes:
            drop = set()
            for e in entities:
                votes = veto_votes.get(id(e))
                if votes and len(votes) == len(e.spans) and min(votes) >= self.veto_threshold:
                    drop.add(id(e))
            if drop:
                out = [e for e in entities if id(e) not in drop]
        if added:
            out = list(out)
            for name, ent in added.items():
                # further occurrences of the same name outside other entities
                pos = text.find(name)
                have = set(ent.spans)
                while pos >= 0:
                    sp = (pos, pos + len(name))
                    if sp not in have and not any(occupied[sp[0]:sp[1]]):
                        ent.spans.append(sp)
                        have.add(sp)
                    pos = text.find(name, pos + len(name))
                ent.spans.sort()
                out.append(ent)
        return out

    def _plausible(self, name: str) -> bool:
        if len(name) < 2 or len(name) > 40:
            return False
        if name in self.features.not_entities or name in self.features.regions:
            return False
        han = 0
        for c in name:
            if "\u4e00" <= c <= "\u9fff":
                han += 1
        return han >= 2 or (len(name) >= 3 and name.isascii())

    def _holds_cue(self, s: int, e: int, hits: list[tuple[int, int, int]]) -> bool:
        """A cue word inside the span (禾川精工签约): the CRF ran over the name's end."""
        values = self.features.values
        for hs, he, k in hits:
            if s < he and hs < e and (hs > s or he < e):
                for kind, _tag in values[k]:
                    if kind in (_K_AFTER, _K_GATE):
                        return True
        return False

    def _cued(self, text: str, s: int, e: int, hits: list[tuple[int, int, int]]) -> bool:
        """A suffix ends the span, or a cue word stands right before or right after it."""
        values = self.features.values
        for hs, he, k in hits:
            for kind, _tag in values[k]:
                if kind == _K_SUFFIX and he == e and hs >= s:
                    return True
                if kind == _K_BEFORE and he == s:
                    return True
                if kind == _K_AFTER and hs == e:
                    return True
                if kind == _K_GATE and _tag == "P" and e <= hs <= e + _CLAUSE_BACK and _clause_start(text, hs) <= s:
                    return s == 0 or text[s - 1] in _CLAUSE  # an investor's brand opening a project name
        return False


def _occupied(entities: list[Entity], n: int, regions: bool = False) -> list[bool]:
    """Characters inside a rule organisation or person span (or region, with ``regions``)."""
    occ = [False] * n
    for e in entities:
        if e.type == "region" and not regions:
            continue
        for sp in e.spans:
            for j in range(max(sp[0], 0), min(sp[1], n)):
                occ[j] = True
    return occ


def default_model_path() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "models" / MODEL_NAME


def load_params(model_path: Path) -> dict[str, Any]:
    path = model_path.with_suffix(".json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_refiner(model_path: str | Path | None = None,
                 params: dict[str, Any] | None = None) -> Refiner | None:
    """The model-backed refiner, or None (rules alone) when switched off or unavailable.

    ``make train`` writes ``enabled: false`` next to the model when no threshold beat the rules
    alone in its k-fold over real pages; the model then costs nothing.  ``params`` (thresholds)
    override the file's, and enable the model regardless."""
    if os.environ.get(NO_MODEL_ENV, "") not in ("", "0"):
        return None
    if model_path is None:
        model_path = os.environ.get(MODEL_ENV) or default_model_path()
    path = Path(model_path)
    if not path.exists():
        log.info("no sequence model at %s: rules alone", path)
        return None
    try:
        import pycrfsuite
    except ImportError:
        log.info("python-crfsuite not installed: rules alone")
        return None
    stored = load_params(path)
    if params is None and stored.get("enabled") is False:
        return None
    params = {**stored, **(params or {})}
    if params.get("feature_version", FEATURE_VERSION) != FEATURE_VERSION:
        log.warning("sequence model %s has other features (version %s): rules alone", path,
                    params.get("feature_version"))
        return None
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(path))
    except Exception as exc:  # a damaged file must not stop extraction
        log.warning("cannot open sequence model %s (%s): rules alone", path, exc)
        return None
    return Refiner(tagger, params, load_features())


_FEATURES_SLOT: list[Features] = []


def load_features() -> Features:
    if not _FEATURES_SLOT:
        _FEATURES_SLOT.append(Features(load_lexicon()))
    return _FEATURES_SLOT[0]
