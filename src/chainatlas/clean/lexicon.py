"""Loading and validating the chrome lexicon (data/lexicons/chrome.yaml).

Compiled once per process (functools.cache): the cleaner runs over tens of megabytes,
and recompiling a few dozen regexes per document would dominate its cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

import yaml

from chainatlas.errors import DataFileError

CHROME_FILE = "chrome.yaml"


class Gated:
    """A regex searched only where a match is possible at all.

    Two C-level pre-checks, both derived from the pattern itself:

    * the *needles*: literal strings one of which every match contains (ICP, 公网安备,
      摄 …); a line holding none of them cannot match, whatever its first characters;
    * the first characters: an unanchored alternation of words (版权所有|©|ICP…) gets no
      prefix scan from the regex engine, which then tries every alternative at every
      position of a long line.  One scan for the characters a match can begin with rejects
      most lines outright and skips to the first candidate position otherwise.

    ``search`` returns exactly what ``re.Pattern.search`` returns.
    """

    __slots__ = ("_gate", "_guarded", "_needles", "pattern", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        needles = _required_literals(regex.pattern, regex.flags)
        # each needle is one more C-level find over the whole line: only a very few pay off
        self._needles = needles if needles is not None and len(needles) <= _MAX_NEEDLES else None
        chars = _first_chars(regex.pattern, regex.flags)
        self._gate = self._guarded = None
        if chars is not None:
            try:
                # the same class as a lookahead: positions after the first candidate are
                # rejected by one set test instead of by trying every alternative
                self._guarded = re.compile(f"(?={chars})(?:{regex.pattern})", regex.flags)
            except re.error:  # pragma: no cover - e.g. global inline flags
                return
            self._gate = re.compile(chars)

    @property
    def useful(self) -> bool:
        return self._gate is not None or self._needles is not None

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        needles = self._needles
        if needles is not None:
            for needle in needles:
                if string.find(needle, pos) >= 0:
                    break
            else:
                return None
        if self._gate is None:
            return self.regex.search(string, pos)
        m = self._gate.search(string, pos)
        return None if m is None else self._guarded.search(string, m.start())  # type: ignore[union-attr]

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self.regex.match(string, pos)

    def sub(self, repl: str, string: str) -> str:
        return self.regex.sub(repl, string)


_MAX_NEEDLES: Final = 2  # more needles than this: testing them all costs more than the gated regex
_MAX_SET: Final = 16  # larger needle sets are not collected at all
_MAX_CLASS_NEEDLES: Final = 4  # a character class of at most this many single characters is a needle set


def _parse_plain(pattern: str, flags: int) -> tuple[Any, Any] | None:
    """The parse tree of ``pattern`` and the ``re`` opcode constants, or None when the pattern
    cannot be read this way (another Python implementation, case folding or verbose flags)."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - other Python implementations
        return None
    if flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        return parser.parse(pattern, flags), c
    except re.error:  # pragma: no cover - validated before
        return None


def _required_literals(pattern: str, flags: int) -> tuple[str, ...] | None:
    """Literal strings one of which every match of ``pattern`` contains (inside the matched
    span), or None when that cannot be told or the set would be too large to pay off.

    Per sequence the best requirement of its items is kept (a run of literal characters, a
    group whose alternatives each require something, a small class, a repeat of at least
    one); lookarounds and anchors require nothing of the matched text."""
    parsed = _parse_plain(pattern, flags)
    if parsed is None:
        return None
    tree, c = parsed

    def better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
        if a is None:
            return b
        if b is None:
            return a
        # fewer needles first, then longer shortest needle (rarer)
        ka = (len(a), -min(map(len, a)))
        kb = (len(b), -min(map(len, b)))
        return b if kb < ka else a

    def seq(items: Any) -> frozenset[str] | None:
        best: frozenset[str] | None = None
        run: list[str] = []
        for op, av in items:
            if op is c.LITERAL:
                run.append(chr(av))
                continue
            if run:
                best = better(best, frozenset(["".join(run)]))
                run = []
            best = better(best, item(op, av))
        if run:
            best = better(best, frozenset(["".join(run)]))
        return best

    def item(op: object, av: Any) -> frozenset[str] | None:
        if op is c.IN:
            chars: list[str] = []
            for iop, iav in av:
                if iop is not c.LITERAL:
                    return None
                chars.append(chr(iav))
            return frozenset(chars) if len(chars) <= _MAX_CLASS_NEEDLES else None
        if op is c.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                req = seq(alt)
                if req is None:
                    return None
                out |= req
            return frozenset(out) if len(out) <= _MAX_SET else None
        if op is c.SUBPATTERN:
            if av[1] & (re.IGNORECASE | re.VERBOSE):  # (group, add_flags, del_flags, items)
                return None
            return seq(av[3])
        if op is c.ATOMIC_GROUP:
            return seq(av)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            return seq(av[2]) if av[0] >= 1 else None  # (min, max, items)
        return None  # anchors, lookarounds, ANY, categories, negated classes ...

    req = seq(tree)
    if req is None or "" in req:
        return None
    # a needle containing another is implied by it: keep the shorter one only
    kept = [n for n in req if not any(o != n and o in n for o in req)]
    return tuple(sorted(kept, key=lambda n: (-len(n), n)))


def _first_chars(pattern: str, flags: int) -> str | None:
    """A character class holding every character a non-empty match of ``pattern`` can start
    with, or None when that cannot be told (case folding, negated or category classes, a
    possible empty match)."""
    parsed = _parse_plain(pattern, flags)
    if parsed is None:
        return None
    tree, c = parsed

    class _Unknown(Exception):
        pass

    def seq(items: object) -> tuple[set[tuple[int, int]], bool]:
        out: set[tuple[int, int]] = set()
        for op, av in items:  # type: ignore[attr-defined]
            first, nullable = item(op, av)
            out |= first
            if not nullable:
                return out, False
        return out, True

    def item(op: object, av: object) -> tuple[set[tuple[int, int]], bool]:
        if op is c.LITERAL:
            return {(av, av)}, False  # type: ignore[misc]
        if op is c.IN:
            ranges: set[tuple[int, int]] = set()
            for iop, iav in av:  # type: ignore[attr-defined]
                if iop is c.LITERAL:
                    ranges.add((iav, iav))
                elif iop is c.RANGE:
                    ranges.add(tuple(iav))
                else:  # NEGATE, CATEGORY: too wide to be a useful gate
                    raise _Unknown
            return ranges, False
        if op is c.BRANCH:
            out: set[tuple[int, int]] = set()
            nullable = False
            for alt in av[1]:  # type: ignore[index]
                first, null = seq(alt)
                out |= first
                nullable = nullable or null
            return out, nullable
        if op is c.SUBPATTERN:
            _, add_flags, _, sub = av  # type: ignore[misc]
            if add_flags & (re.IGNORECASE | re.VERBOSE):
                raise _Unknown
            return seq(sub)
        if op is c.ATOMIC_GROUP:
            return seq(av)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, _, sub = av  # type: ignore[misc]
            first, nullable = seq(sub)
            return first, nullable or lo == 0
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return set(), True  # zero-width: the match still starts with what follows
        raise _Unknown  # ANY, NOT_LITERAL, CATEGORY, back-references ...

    try:
        first, nullable = seq(tree)
    except _Unknown:
        return None
    if nullable or not first:
        return None
    parts = []
    for lo, hi in sorted(first):
        parts.append(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
    return "[" + "".join(parts) + "]"


@dataclass(frozen=True, slots=True)
class ChromeLexicon:
    line_patterns: tuple[tuple[re.Pattern[str] | Gated, int], ...]  # one combined regex per max_len
    block_heading: re.Pattern[str]
    photo_credit: re.Pattern[str] | Gated
    byline: re.Pattern[str]
    headline_list_item: re.Pattern[str]
    dateline: re.Pattern[str]
    text_fixes: dict[str, str]
    # a headline written on one line with the page's source/date fields after it
    # (某县两个项目开工  文章来源：某县融媒体中心  发布时间：…): where the fields start
    title_meta_tail: re.Pattern[str] | None = None
    # Taiwan/Hong Kong technical vocabulary → mainland words, applied (after t2s) only to text
    # that was Traditional: 积体电路 → 集成电路, 资讯 → 信息, 晶片 → 芯片
    tw_phrases: dict[str, str] = field(default_factory=dict)
    # characters of Simplified names that t2s rewrites all the same (新昇 → 新升, 乾县 → 干县, the
    # surname 於): kept as written on a page that is not Traditional
    simplified_keep: str = ""
    # variant Traditional characters t2s leaves as they are (陜 of 陜西 for 陕): replaced after it
    variant_chars: dict[str, str] = field(default_factory=dict)


def _compile(value: Any, where: str) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise DataFileError(f"{CHROME_FILE}: {where} must be a non-empty regex string")
    try:
        return re.compile(value)
    except re.error as exc:
        raise DataFileError(f"{CHROME_FILE}: {where} is not a valid regex: {exc}") from exc


def _scoped(pattern: str) -> str:
    """Turn a leading global flag group ``(?i)x`` into a scoped one ``(?i:x)`` for alternation."""
    m = re.match(r"^\(\?([aiLmsux]+)\)", pattern)
    return f"(?{m.group(1)}:{pattern[m.end():]})" if m else f"(?:{pattern})"


def _top_level_alternation(pattern: str) -> bool:
    """True when ``pattern`` has a ``|`` outside every group and character class."""
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]" or pattern[i - 1] == "["
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


def _anchored_body(pattern: str) -> str | None:
    """The pattern without its leading ``^`` when it is anchored as a whole, else None."""
    if pattern.startswith("^") and not _top_level_alternation(pattern):
        return pattern[1:]
    return None


def _combine(patterns: list[tuple[str, int]]) -> tuple[tuple[re.Pattern[str], int], ...]:
    """A few alternations per distinct max_len: a line is tested against a few regexes, not dozens.

    Line-anchored entries (``^…``) are grouped under one leading ``^``: a regex that starts
    with an anchor is tried at the start of the line only, whereas mixing them into an
    alternation with unanchored entries makes the engine try every one at every position.
    """
    anchored: dict[int, list[str]] = {}
    floating: dict[int, list[str]] = {}
    for pat, max_len in patterns:
        body = _anchored_body(pat)
        if body is not None:
            anchored.setdefault(max_len, []).append(f"(?:{body})")
        else:
            floating.setdefault(max_len, []).append(_scoped(pat))
    combined = [(max_len, "^(?:" + "|".join(pats) + ")") for max_len, pats in anchored.items()]
    combined += [(max_len, "|".join(pats)) for max_len, pats in floating.items()]
    return tuple((_gated(re.compile(src)), max_len) for max_len, src in sorted(combined, key=lambda x: x[0]))


def _gated(regex: re.Pattern[str]) -> re.Pattern[str] | Gated:
    """Wrap an unanchored regex in its gates (``Gated``) when any can be derived from it."""
    if regex.pattern.startswith("^") and not _top_level_alternation(regex.pattern):
        return regex  # tried at the line start only: nothing to skip
    gated = Gated(regex)
    return gated if gated.useful else regex


def parse_chrome(doc: Any) -> ChromeLexicon:
    """Validate the parsed YAML; every error names the file and the key."""
    if not isinstance(doc, dict):
        raise DataFileError(f"{CHROME_FILE}: top level must be a mapping")
    default_max = doc.get("default_max_len", 60)
    if not isinstance(default_max, int) or default_max <= 0:
        raise DataFileError(f"{CHROME_FILE}: default_max_len must be a positive integer")
    raw_lines = doc.get("line_patterns")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise DataFileError(f"{CHROME_FILE}: line_patterns must be a non-empty list")
    patterns = []
    for i, entry in enumerate(raw_lines):
        where = f"line_patterns[{i}]"
        if not isinstance(entry, dict) or "re" not in entry:
            raise DataFileError(f"{CHROME_FILE}: {where} must be a mapping with key 're'")
        max_len = entry.get("max_len", default_max)
        if not isinstance(max_len, int) or max_len <= 0:
            raise DataFileError(f"{CHROME_FILE}: {where}.max_len must be a positive integer")
        _compile(entry["re"], where + ".re")  # validate each alone, so errors name the entry
        patterns.append((entry["re"], max_len))
    fixes = doc.get("text_fixes", {}) or {}
    if not isinstance(fixes, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in fixes.items()):
        raise DataFileError(f"{CHROME_FILE}: text_fixes must map strings to strings")
    phrases = doc.get("tw_phrases", {}) or {}
    if not isinstance(phrases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k and v for k, v in phrases.items()
    ):
        raise DataFileError(f"{CHROME_FILE}: tw_phrases must map non-empty strings to strings")
    keep = doc.get("simplified_keep_chars", []) or []
    if not isinstance(keep, list) or not all(isinstance(c, str) and len(c) == 1 for c in keep):
        raise DataFileError(f"{CHROME_FILE}: simplified_keep_chars must be a list of single characters")
    variants = doc.get("variant_chars", {}) or {}
    if not isinstance(variants, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(k) == 1 and len(v) == 1 for k, v in variants.items()
    ):
        raise DataFileError(f"{CHROME_FILE}: variant_chars must map single characters to single characters")
    for key in ("block_headings", "photo_credit", "byline", "headline_list_item", "dateline"):
        if key not in doc:
            raise DataFileError(f"{CHROME_FILE}: missing key '{key}'")
    dateline = _compile(doc["dateline"], "dateline")
    if "title" not in dateline.groupindex:
        raise DataFileError(f"{CHROME_FILE}: dateline needs a named group 'title'")
    return ChromeLexicon(
        line_patterns=_combine(patterns),
        block_heading=_compile(doc["block_headings"], "block_headings"),
        photo_credit=_gated(_compile(doc["photo_credit"], "photo_credit")),
        byline=_compile(doc["byline"], "byline"),
        headline_list_item=_compile(doc["headline_list_item"], "headline_list_item"),
        dateline=dateline,
        text_fixes=dict(fixes),
        title_meta_tail=_compile(doc["title_meta_tail"], "title_meta_tail") if "title_meta_tail" in doc else None,
        tw_phrases=dict(phrases),
        simplified_keep="".join(keep),
        variant_chars=dict(variants),
    )


@cache
def chrome_lexicon() -> ChromeLexicon:
    text = (resources.files("chainatlas") / "data" / "lexicons" / CHROME_FILE).read_text("utf-8")
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{CHROME_FILE}: invalid YAML: {exc}") from exc
    return parse_chrome(doc)
