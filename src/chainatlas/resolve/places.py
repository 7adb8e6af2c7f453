"""Places for resolution: one canonical spelling per region, and bodies that are in no city.

* :func:`canonical_region` — 天津市 → 天津, 西青 → 西青区, 美国 → 美国: the same canonical form the
  analysis region tree uses (province/city: first short form of regions.tsv; district: full
  name), so the store writes, and every filter lists, one spelling per region.
* :func:`region_prefix` — the region a name starts with (天津海川… → 天津).
* :func:`place_kind` — ``exchange`` (上交所), ``country`` (中国, 美国) or ``national`` (科技部,
  国家发展改革委): such an entity is never placed in a city (data/lexicons/place_kinds.yaml).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["PlaceKinds", "canonical_region", "load_place_kinds", "place_kind", "region_inside", "region_level", "region_prefix"]

_CANONICAL_LEVELS = ("province", "city")


@lru_cache(maxsize=1)
def _regions() -> dict[str, Any]:
    from chainatlas.extract.lexicon import load_lexicon

    return dict(load_lexicon().regions)


def _canon_of(reg: Any) -> str:
    if reg.level in _CANONICAL_LEVELS and reg.shorts:
        return str(reg.shorts[0])
    return str(reg.name)


def canonical_region(name: str | None) -> str | None:
    """Canonical spelling of a region name, or None when ``name`` is no known region."""
    if not name:
        return None
    n = "".join(str(name).split())
    reg = _regions().get(n)
    return _canon_of(reg) if reg is not None else None


def region_level(name: str | None) -> str | None:
    """province | city | district | county | country for a known region name, else None."""
    if not name:
        return None
    reg = _regions().get("".join(str(name).split()))
    return str(reg.level) if reg is not None else None


def region_prefix(name: str, max_len: int = 8) -> tuple[str, str] | None:
    """(surface, canonical) of the longest known region ``name`` starts with, leaving ≥ 2 characters."""
    regs = _regions()
    for k in range(min(max_len, len(name) - 2), 1, -1):
        reg = regs.get(name[:k])
        if reg is not None and reg.level != "country":
            return name[:k], _canon_of(reg)
    return None


def region_inside(name: str) -> str | None:
    """Canonical form of the first known region (≥ 2 characters, not a country) written anywhere in ``name``."""
    regs = _regions()
    for i in range(len(name) - 1):
        for k in range(min(8, len(name) - i), 1, -1):
            reg = regs.get(name[i:i + k])
            if reg is not None and reg.level != "country":
                return _canon_of(reg)
    return None


class PlaceKinds:
    """The validated contents of place_kinds.yaml."""

    def __init__(self, data: dict[str, Any]) -> None:
        def words(section: str, key: str) -> tuple[str, ...]:
            node = (data.get(section) or {}).get(key, [])
            if not isinstance(node, list) or not all(isinstance(x, str) and x for x in node):
                raise ValueError(f"place_kinds.yaml: {section}.{key} must be a list of non-empty strings")
            return tuple(node)

        for section in ("exchange", "national", "country"):
            if not isinstance(data.get(section), dict):
                raise ValueError(f"place_kinds.yaml: section {section!r} missing")
        self.exchange_suffixes = words("exchange", "suffixes")
        self.exchange_names = frozenset(words("exchange", "names"))
        self.national_prefixes = words("national", "prefixes")
        self.national_bare_suffixes = words("national", "bare_suffixes")
        self.national_names = frozenset(words("national", "names"))
        self.country_names = frozenset(words("country", "names"))


@lru_cache(maxsize=1)
def load_place_kinds() -> PlaceKinds:
    text = (resources.files("chainatlas") / "data" / "lexicons" / "place_kinds.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("place_kinds.yaml: top level must be a mapping")
    return PlaceKinds(data)


def place_kind(entity_type: str | None, name: str | None) -> str | None:
    """``exchange`` | ``country`` | ``national`` for entities that are in no city, else None."""
    if not name:
        return None
    n = "".join(name.split())
    kinds = load_place_kinds()
    if n in kinds.country_names or (entity_type == "region" and region_level(n) == "country"):
        return "country"
    if n in kinds.exchange_names or n.endswith(kinds.exchange_suffixes):
        return "exchange"
    if entity_type in ("government", "institution", "company", None):
        if n in kinds.national_names:
            return "national"
        if entity_type != "government" or region_inside(n):
            return None
        if n.startswith(kinds.national_prefixes) and not n.startswith("国家级"):
            return "national"
        if n.endswith(kinds.national_bare_suffixes) and not n.startswith(("市", "区", "县", "省", "镇", "乡")):
            return "national"
    return None
