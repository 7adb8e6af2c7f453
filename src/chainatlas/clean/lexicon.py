"""Loading and validating the chrome lexicon (data/lexicons/chrome.yaml).

Compiled once per process (functools.cache): the cleaner runs over tens of megabytes,
and recompiling a few dozen regexes per document would dominate its cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from chainatlas.errors import DataFileError

CHROME_FILE = "chrome.yaml"


@dataclass(frozen=True, slots=True)
class ChromeLexicon:
    line_patterns: tuple[tuple[re.Pattern[str], int], ...]  # one combined regex per max_len
    block_heading: re.Pattern[str]
    photo_credit: re.Pattern[str]
    byline: re.Pattern[str]
    headline_list_item: re.Pattern[str]
    dateline: re.Pattern[str]
    text_fixes: dict[str, str]


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
    return tuple((re.compile(src), max_len) for max_len, src in sorted(combined, key=lambda x: x[0]))


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
    for key in ("block_headings", "photo_credit", "byline", "headline_list_item", "dateline"):
        if key not in doc:
            raise DataFileError(f"{CHROME_FILE}: missing key '{key}'")
    dateline = _compile(doc["dateline"], "dateline")
    if "title" not in dateline.groupindex:
        raise DataFileError(f"{CHROME_FILE}: dateline needs a named group 'title'")
    return ChromeLexicon(
        line_patterns=_combine(patterns),
        block_heading=_compile(doc["block_headings"], "block_headings"),
        photo_credit=_compile(doc["photo_credit"], "photo_credit"),
        byline=_compile(doc["byline"], "byline"),
        headline_list_item=_compile(doc["headline_list_item"], "headline_list_item"),
        dateline=dateline,
        text_fixes=dict(fixes),
    )


@cache
def chrome_lexicon() -> ChromeLexicon:
    text = (resources.files("chainatlas") / "data" / "lexicons" / CHROME_FILE).read_text("utf-8")
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{CHROME_FILE}: invalid YAML: {exc}") from exc
    return parse_chrome(doc)
