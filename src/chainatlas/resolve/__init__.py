"""Cross-article entity resolution: one canonical key per real-world entity.

Pure and in-memory: the store fills an :class:`AliasIndex` from its ``entity_aliases`` table and
asks a :class:`Resolver` for the canonical key of each newly extracted entity.  Merging rules:

* exact name or alias match within the same type family (organisations form one family, since
  the same body may be typed institution in one article and government in another);
* a short form matched to a known full name when unambiguous (天大智图 ↔ 天大智图(天津)科技有限公司);
* a government body written with a bare level prefix (市工信局) only when the article's region
  hint names the region of the full form (天津 → 天津市工业和信息化局).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from chainatlas.model import Entity, make_id

__all__ = ["AliasIndex", "Resolver", "entity_key", "normalize_name", "type_family"]

_ORG = frozenset({"company", "park", "government", "institution"})
_SPACES = re.compile(r"\s+")
_LEGAL = ("控股集团有限公司", "集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "股份公司", "集团", "公司")


def normalize_name(name: str) -> str:
    """Fold widths (（）→(), full-width letters/digits), drop whitespace and dashes variants."""
    if not isinstance(name, str):
        raise TypeError("normalize_name expects str")
    folded = unicodedata.normalize("NFKC", name)
    folded = folded.replace("—", "-").replace("–", "-")
    return _SPACES.sub("", folded)


def type_family(entity_type: str) -> str:
    return "org" if entity_type in _ORG else entity_type


def entity_key(entity_type: str, name: str) -> str:
    """Canonical id: ``CA-`` + make_id(type family, normalised name)."""
    return "CA-" + make_id(type_family(entity_type), normalize_name(name))


def _core(name: str) -> str:
    """Name without legal form and without a parenthesised region: 天大智图(天津)科技有限公司 → 天大智图科技."""
    n = re.sub(r"\([^)]*\)", "", normalize_name(name))
    for legal in _LEGAL:
        if n.endswith(legal) and len(n) > len(legal) + 1:
            return n[: -len(legal)]
    return n


@dataclass(slots=True)
class AliasIndex:
    """alias (normalised) → canonical keys, per type family; plus the canonical names."""

    by_alias: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (type, canonical name)

    def add(self, key: str, entity_type: str, name: str, aliases: list[str] | tuple[str, ...] = ()) -> None:
        fam = type_family(entity_type)
        self.names.setdefault(key, (entity_type, name))
        for alias in (name, *aliases):
            self.by_alias.setdefault((fam, normalize_name(alias)), set()).add(key)

    def lookup(self, entity_type: str, alias: str) -> set[str]:
        return set(self.by_alias.get((type_family(entity_type), normalize_name(alias)), set()))

    def keys_of_family(self, entity_type: str) -> list[str]:
        fam = type_family(entity_type)
        return [k for k, (t, _) in self.names.items() if type_family(t) == fam]


@dataclass(slots=True)
class Resolver:
    """Assign canonical keys.  ``gov_abbrev`` maps short body words to full ones (工信局 → 工业和信息化局)."""

    gov_abbrev: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.gov_abbrev:
            try:
                from chainatlas.extract.lexicon import load_lexicon

                self.gov_abbrev = dict(load_lexicon().gov_abbrev)
            except Exception:  # noqa: BLE001 - resolution still works without abbreviations
                self.gov_abbrev = {}

    def _expand(self, name: str) -> str:
        n = normalize_name(name)
        for short, full in sorted(self.gov_abbrev.items(), key=lambda kv: -len(kv[0])):
            if n.endswith(short):
                return n[: -len(short)] + full
        return n

    def resolve(self, entity: Entity, known: AliasIndex, region_hint: str | None = None) -> str:
        """Canonical key for ``entity``; a new key (from its own name) when nothing matches."""
        forms = [entity.name, *entity.aliases]
        # 1. exact name/alias match within the family
        hits: set[str] = set()
        for form in forms:
            hits |= known.lookup(entity.type, form)
        if len(hits) == 1:
            return next(iter(hits))
        if len(hits) > 1:
            same_type = [k for k in hits if known.names.get(k, ("", ""))[0] == entity.type]
            if len(same_type) == 1:
                return same_type[0]
            return sorted(hits)[0]
        if type_family(entity.type) != "org":
            return entity_key(entity.type, entity.name)
        candidates = known.keys_of_family(entity.type)
        # 2. government: abbreviation-expanded match; bare 市/区 prefix needs the region hint
        if entity.type == "government":
            mine = {self._expand(f) for f in forms}
            for key in candidates:
                typ, name = known.names[key]
                full = self._expand(name)
                if full in mine:
                    return key
                for m in mine:
                    if m[:1] in "市区省县" and region_hint and full.endswith(m[1:]):
                        prefix = full[: len(full) - len(m) + 1]
                        if prefix.startswith(normalize_name(region_hint)) and prefix.endswith(m[0]):
                            return key
        # 3. short form ↔ full name, only when unambiguous
        mine_core = {_core(f) for f in forms}
        matches: set[str] = set()
        for key in candidates:
            typ, name = known.names[key]
            their = _core(name)
            for m in mine_core:
                if len(m) < 2 or len(their) < 2:
                    continue
                if m == their or (len(m) >= 3 and their.startswith(m)) or (len(their) >= 3 and m.startswith(their)):
                    matches.add(key)
        if len(matches) == 1:
            return next(iter(matches))
        return entity_key(entity.type, entity.name)
