"""The industry-chain taxonomy, loaded from one YAML file per chain.

The taxonomy is data (``chainatlas/data/chains/*.yaml``) so that a user can point at a folder of
their own chains (env ``CHAINATLAS_CHAINS_DIR`` or ``--chains-dir``) without touching code.  Every
file is validated on load and every error names the file and the key, because a user editing
YAML needs to know exactly where the mistake is.

Files whose name starts with ``_`` are not chains: ``_groups.yaml`` declares the known chain
groups (tianjin_12, jjj_six_chains …), ``_regions.yaml`` a fallback region hierarchy and
``_mapping.yaml`` the words that steer chain mapping (customer/context cues, list connectors).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

SEGMENTS = ("upstream", "midstream", "downstream")
SEGMENT_LABELS = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
TERM_KINDS = ("products", "technologies", "keywords")


class TaxonomyError(ValueError):
    """A chain file is malformed; the message starts with ``file: key:``."""


@dataclass(slots=True)
class Segment:
    name: str  # upstream | midstream | downstream
    label: str
    products: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    def terms(self) -> list[tuple[str, str]]:
        """(term, kind) for every product, technology and keyword."""
        out: list[tuple[str, str]] = []
        for kind in TERM_KINDS:
            out.extend((t, kind) for t in getattr(self, kind))
        return out


@dataclass(slots=True)
class Chain:
    id: str
    label: str
    aliases: list[str]
    groups: list[str]
    segments: dict[str, Segment]
    links: list[dict[str, str]] = field(default_factory=list)  # [{"chain": id, "relation": "..."}]
    description: str | None = None
    source_file: str | None = None

    @property
    def names(self) -> list[str]:
        return [self.label, *self.aliases]


@dataclass(slots=True)
class Hit:
    """One automaton match: a term of a chain (segment None for a chain alias/label)."""

    start: int
    end: int
    term: str
    chain: str
    segment: str | None
    kind: str  # products | technologies | keywords | alias


class Taxonomy:
    """All chains, a name resolver and one Aho-Corasick automaton over every term."""

    def __init__(self, chains: list[Chain], groups: dict[str, dict[str, Any]] | None = None,
                 regions: dict[str, Any] | None = None, cues: dict[str, list[str]] | None = None) -> None:
        self.chains: dict[str, Chain] = {c.id: c for c in chains}
        self.groups: dict[str, dict[str, Any]] = groups or {}
        self.regions: dict[str, Any] = regions or {}
        # mapping cues (_mapping.yaml): context_cues, group_connectors
        self.cues: dict[str, list[str]] = {k: list(v) for k, v in (cues or {}).items()}
        self._term_chains: dict[str, int] | None = None
        self._names: dict[str, str] = {}
        for c in chains:
            self._names.setdefault(c.id.lower(), c.id)
            for n in c.names:
                self._names.setdefault(_fold(n), c.id)
        self._automaton: Any = None
        self._pattern_info: list[list[tuple[str, str | None, str]]] = []
        self._patterns: list[str] = []

    def __iter__(self):
        return iter(self.chains.values())

    def __len__(self) -> int:
        return len(self.chains)

    def resolve(self, name: str | None) -> str | None:
        """Chain id for an id, label or alias (芯片 → integrated_circuits); None if unknown."""
        if not name:
            return None
        key = _fold(name)
        return self._names.get(key) or self._names.get(name.strip().lower())

    def label(self, chain_id: str) -> str:
        c = self.chains.get(chain_id)
        return c.label if c else chain_id

    def in_group(self, group: str) -> list[Chain]:
        return [c for c in self.chains.values() if group in c.groups]

    def chains_of_term(self, term: str) -> int:
        """How many chains list ``term`` (as alias or segment term): 2+ means a shared term."""
        if self._term_chains is None:
            if self._automaton is None:
                self._build()
            self._term_chains = {p: len({c for c, _, _ in info}) for p, info in zip(self._patterns, self._pattern_info,
                                                                                     strict=True)}
        return self._term_chains.get(term, 1)

    def _build(self) -> None:
        import daachorse

        info: dict[str, list[tuple[str, str | None, str]]] = {}
        for c in self.chains.values():
            for n in c.names:
                info.setdefault(n, []).append((c.id, None, "alias"))
            for seg in c.segments.values():
                for term, kind in seg.terms():
                    info.setdefault(term, []).append((c.id, seg.name, kind))
        self._patterns = list(info)
        self._pattern_info = [_dedupe(info[p]) for p in self._patterns]
        self._automaton = daachorse.CharwiseDoubleArrayAhoCorasick(
            self._patterns, match_kind=daachorse.MATCH_KIND_LEFTMOST_LONGEST
        )

    def scan(self, text: str) -> list[Hit]:
        """Every taxonomy term in ``text`` (leftmost-longest, non-overlapping), one Hit per chain."""
        if self._automaton is None:
            self._build()
        hits: list[Hit] = []
        if not text:
            return hits
        for start, end, idx in self._automaton.find(text):
            term = self._patterns[idx]
            if _ascii_glued(text, start, end, term):
                continue
            for chain, segment, kind in self._pattern_info[idx]:
                hits.append(Hit(start, end, term, chain, segment, kind))
        return hits


def _dedupe(items: list[tuple[str, str | None, str]]) -> list[tuple[str, str | None, str]]:
    seen: set[tuple[str, str | None]] = set()
    out = []
    for it in items:
        if (it[0], it[1]) not in seen:
            seen.add((it[0], it[1]))
            out.append(it)
    return out


def _ascii_glued(text: str, start: int, end: int, term: str) -> bool:
    """Latin terms (EDA, IC, MES) only count as whole words: 'IC' inside 'ICBC' is not a hit."""
    if not term.isascii():
        return False
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum())


def _fold(s: str) -> str:
    return "".join(s.split()).lower()


# --------------------------------------------------------------------------- loading

def _default_dir() -> Path:
    return Path(str(resources.files("chainatlas") / "data" / "chains"))


def _err(file: str, key: str, msg: str) -> TaxonomyError:
    return TaxonomyError(f"{file}: {key}: {msg}")


def _str_list(value: Any, file: str, key: str, required: bool = False) -> list[str]:
    if value is None:
        if required:
            raise _err(file, key, "missing")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _err(file, key, "expected a list of strings")
    return [v.strip() for v in value]


def _parse_chain(data: Any, file: str) -> Chain:
    if not isinstance(data, dict):
        raise _err(file, "(top)", "expected a mapping")
    for key in ("id", "label", "segments"):
        if key not in data:
            raise _err(file, key, "missing required key")
    cid, label = data["id"], data["label"]
    if not isinstance(cid, str) or not cid.isascii() or not cid.replace("_", "").isalnum():
        raise _err(file, "id", "expected an ASCII identifier")
    if not isinstance(label, str) or not label.strip():
        raise _err(file, "label", "expected a non-empty string")
    segs_raw = data["segments"]
    if not isinstance(segs_raw, dict):
        raise _err(file, "segments", "expected a mapping of upstream/midstream/downstream")
    segments: dict[str, Segment] = {}
    for name, seg in segs_raw.items():
        if name not in SEGMENTS:
            raise _err(file, f"segments.{name}", f"unknown segment (expected one of {', '.join(SEGMENTS)})")
        if not isinstance(seg, dict):
            raise _err(file, f"segments.{name}", "expected a mapping")
        unknown = set(seg) - {"label", *TERM_KINDS}
        if unknown:
            raise _err(file, f"segments.{name}.{sorted(unknown)[0]}", "unknown key")
        seg_label = seg.get("label", SEGMENT_LABELS[name])
        if not isinstance(seg_label, str):
            raise _err(file, f"segments.{name}.label", "expected a string")
        kw = {k: _str_list(seg.get(k), file, f"segments.{name}.{k}") for k in TERM_KINDS}
        if not any(kw.values()):
            raise _err(file, f"segments.{name}", "needs at least one product, technology or keyword")
        segments[name] = Segment(name=name, label=seg_label, **kw)
    if not segments:
        raise _err(file, "segments", "empty")
    links_raw = data.get("links") or []
    if not isinstance(links_raw, list):
        raise _err(file, "links", "expected a list")
    links: list[dict[str, str]] = []
    for i, link in enumerate(links_raw):
        if isinstance(link, str):
            links.append({"chain": link, "relation": "related"})
        elif isinstance(link, dict) and isinstance(link.get("chain"), str):
            links.append({"chain": link["chain"], "relation": str(link.get("relation", "related"))})
        else:
            raise _err(file, f"links[{i}]", "expected a chain id or {chain, relation}")
    desc = data.get("description")
    if desc is not None and not isinstance(desc, str):
        raise _err(file, "description", "expected a string")
    return Chain(
        id=cid,
        label=label.strip(),
        aliases=_str_list(data.get("aliases"), file, "aliases"),
        groups=_str_list(data.get("groups"), file, "groups"),
        segments=segments,
        links=links,
        description=desc,
        source_file=file,
    )


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _err(path.name, "(yaml)", str(exc).splitlines()[0]) from exc


def _load_groups(paths: list[Path]) -> dict[str, dict[str, Any]]:
    for p in paths:
        if p.exists():
            data = _read_yaml(p)
            if not isinstance(data, dict):
                raise _err(p.name, "(top)", "expected a mapping of group id → {label, ...}")
            for gid, g in data.items():
                if not isinstance(g, dict) or not isinstance(g.get("label"), str):
                    raise _err(p.name, f"{gid}.label", "expected a string")
            return data
    return {}


def _load_regions(paths: list[Path]) -> dict[str, Any]:
    for p in paths:
        if p.exists():
            data = _read_yaml(p)
            if not isinstance(data, dict) or not isinstance(data.get("parents"), dict):
                raise _err(p.name, "parents", "expected a mapping region → parent")
            return data
    return {}


MAPPING_CUE_KEYS = ("context_cues", "group_connectors")


def _load_cues(paths: list[Path]) -> dict[str, list[str]]:
    for p in paths:
        if p.exists():
            data = _read_yaml(p)
            if not isinstance(data, dict):
                raise _err(p.name, "(top)", "expected a mapping of cue list name → list of words")
            unknown = set(data) - set(MAPPING_CUE_KEYS)
            if unknown:
                raise _err(p.name, sorted(unknown)[0], f"unknown key (expected {', '.join(MAPPING_CUE_KEYS)})")
            return {k: _str_list(data.get(k), p.name, k) for k in MAPPING_CUE_KEYS}
    return {k: [] for k in MAPPING_CUE_KEYS}


def load_taxonomy(paths: list[str | Path] | str | Path | None = None) -> Taxonomy:
    """Load and validate chains.

    ``paths``: a folder, a list of folders/files, or None for env CHAINATLAS_CHAINS_DIR, else the
    built-in chains.  Raises TaxonomyError naming file and key on any problem.
    """
    if paths is None:
        env = os.environ.get("CHAINATLAS_CHAINS_DIR")
        paths = [env] if env else [_default_dir()]
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    dirs: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            dirs.append(p)
            files.extend(sorted(f for f in p.glob("*.y*ml") if not f.name.startswith("_")))
        elif p.is_file():
            files.append(p)
        else:
            raise TaxonomyError(f"{p}: (path): no such file or folder")
    builtin = _default_dir()
    groups = _load_groups([d / "_groups.yaml" for d in dirs] + [builtin / "_groups.yaml"])
    regions = _load_regions([d / "_regions.yaml" for d in dirs] + [builtin / "_regions.yaml"])
    cues = _load_cues([d / "_mapping.yaml" for d in dirs] + [builtin / "_mapping.yaml"])
    chains: list[Chain] = []
    seen: dict[str, str] = {}
    for f in files:
        chain = _parse_chain(_read_yaml(f), f.name)
        if chain.id in seen:
            raise _err(f.name, "id", f"duplicate chain id {chain.id!r} (also in {seen[chain.id]})")
        seen[chain.id] = f.name
        chains.append(chain)
    if not chains:
        raise TaxonomyError(f"{paths[0]}: (path): no chain files found")
    for c in chains:
        for i, g in enumerate(c.groups):
            if groups and g not in groups:
                raise _err(c.source_file or c.id, f"groups[{i}]", f"unknown group {g!r}")
        for i, link in enumerate(c.links):
            if link["chain"] not in seen:
                raise _err(c.source_file or c.id, f"links[{i}]", f"unknown chain id {link['chain']!r}")
    return Taxonomy(chains, groups, regions, cues)
