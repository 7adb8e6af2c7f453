"""Chinese labels for codes (relation types, entity types, statuses, verdicts, report keys).

One vocabulary (``data/labels_zh.yaml``) for every view — web pages, CLI output, Excel and the
briefing — so that a code such as ``invests_in`` or ``inconsistent`` never reaches a reader.
JSON keys and codes stay English; only what a person reads is translated.

    >>> label("relation_types", "invests_in")
    '投资'
    >>> label("relation_types", "made_up")   # unknown codes are shown as written
    'made_up'
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

FILE = "labels_zh.yaml"
SECTIONS = ("entity_types", "relation_types", "segments", "term_kinds", "verdicts", "checks", "gap_status",
            "stages", "mapping_decisions", "region_basis", "indicator_classes", "indicator_status",
            "ingest_report", "entity_attrs")


class LabelsError(ValueError):
    """labels_zh.yaml is malformed; the message names the section and key."""


def parse_labels(data: Any, file: str = FILE) -> dict[str, dict[str, str]]:
    if not isinstance(data, dict):
        raise LabelsError(f"{file}: (top): expected a mapping")
    out: dict[str, dict[str, str]] = {}
    for section in SECTIONS:
        v = data.get(section)
        if not isinstance(v, dict) or not v:
            raise LabelsError(f"{file}: {section}: expected a non-empty mapping")
        for k, text in v.items():
            if not isinstance(k, str) or not isinstance(text, str) or not text.strip():
                raise LabelsError(f"{file}: {section}.{k}: expected a non-empty string")
        out[section] = dict(v)
    unknown = set(data) - set(SECTIONS)
    if unknown:
        raise LabelsError(f"{file}: unknown section(s): {', '.join(sorted(unknown))}")
    return out


@lru_cache(maxsize=1)
def load_labels() -> dict[str, dict[str, str]]:
    text = (resources.files("chainatlas") / "data" / FILE).read_text("utf-8")
    return parse_labels(yaml.safe_load(text))


def labels(section: str) -> dict[str, str]:
    """The whole section (code → label)."""
    return load_labels()[section]


def label(section: str, code: Any, default: str | None = None) -> str:
    """The Chinese label of ``code`` in ``section``; the code itself (or ``default``) when unknown."""
    if code is None or code == "":
        return default or ""
    return load_labels()[section].get(str(code), default if default is not None else str(code))


def relation(code: str | None) -> str:
    return label("relation_types", code)


def entity_type(code: str | None) -> str:
    return label("entity_types", code)


def verdict(code: str | None) -> str:
    return label("verdicts", code)


def check(code: str | None) -> str:
    return label("checks", code)


def report_key(key: str) -> str:
    return label("ingest_report", key)
