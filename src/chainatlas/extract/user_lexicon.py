"""The analysts' lexicon: names they confirmed and strings they rejected, applied after the rules.

Built by ``chainatlas.review.learning.user_lexicon(conn)`` from the store's judgements and handed
to ``Extractor.user_lexicon``; this module knows nothing of the store.  Applied to one article:

1. an extracted entity whose name is on the stop list loses that mention (and the entity goes
   when no mention is left); a stop-listed alias is dropped;
2. every confirmed name (or one of its aliases) written in the text becomes a mention of that
   entity with the confirmed type and canonical name; extracted entities overlapping such a
   mention without covering it (a cut-off or over-long boundary) lose the overlapping mention,
   and one whose name is a confirmed name takes the confirmed type.
"""

from __future__ import annotations

from typing import Final

from chainatlas.model import Entity

MIN_NAME: Final = 2  # one-character names are never matched


class UserLexicon:
    """Confirmed names (surface → (type, canonical name, aliases)) and a stop list of strings."""

    def __init__(self, names: dict[str, tuple[str, str, list[str]]] | None = None,
                 stop: set[str] | None = None) -> None:
        self.names: dict[str, tuple[str, str, list[str]]] = {}
        for surface, entry in (names or {}).items():
            if len(surface) >= MIN_NAME:
                self.names[surface] = entry
        self.stop: set[str] = {s for s in (stop or set()) if s and s not in self.names}
        # longest surfaces first, so 天津海川新能源科技有限公司 wins over 海川新能源
        self._surfaces: list[str] = sorted(self.names, key=len, reverse=True)

    def __len__(self) -> int:
        return len(self.names) + len(self.stop)

    def _find(self, text: str) -> list[tuple[int, int, str]]:
        taken: list[tuple[int, int, str]] = []
        for surface in self._surfaces:
            pos = text.find(surface)
            while pos >= 0:
                end = pos + len(surface)
                clash = False
                for s, e, _ in taken:
                    if pos < e and s < end:
                        clash = True
                        break
                if not clash:
                    taken.append((pos, end, surface))
                pos = text.find(surface, end)
        taken.sort()
        return taken

    def apply(self, text: str, entities: list[Entity]) -> list[Entity]:
        if not self.names and not self.stop:
            return entities
        kept_spans: list[list[tuple[int, int]]] = []
        for ent in entities:
            spans: list[tuple[int, int]] = []
            if ent.name not in self.stop:
                for span in ent.spans:
                    if text[span[0]:span[1]] not in self.stop:
                        spans.append((span[0], span[1]))
            kept_spans.append(spans)
        found: list[tuple[int, int, str]] = []
        for start, end, surface in (self._find(text) if self.names else []):
            covered = False  # a longer extracted name holds this one (海川新能源 in 天津海川新能源科技有限公司)
            for spans in kept_spans:
                for s, e in spans:
                    if s <= start and end <= e and e - s > end - start:
                        covered = True
                        break
                if covered:
                    break
            if not covered:
                found.append((start, end, surface))
        out: list[Entity] = []
        by_name: dict[tuple[str, str], Entity] = {}
        for ent, spans in zip(entities, kept_spans, strict=True):
            final: list[tuple[int, int]] = []
            for s0, e0 in spans:
                clash = False
                for s, e, _ in found:
                    if s0 < e and s < e0 and (s0, e0) != (s, e):
                        clash = True
                        break
                if not clash:
                    final.append((s0, e0))
            if not final:
                continue
            entry = self.names.get(ent.name)
            etype = entry[0] if entry is not None else ent.type
            name = entry[1] if entry is not None else ent.name
            aliases = [a for a in ent.aliases if a not in self.stop]
            kept = Entity(etype, name, aliases, final, ent.role, ent.chains, ent.alt_types, ent.attrs)
            out.append(kept)
            by_name[(etype, name)] = kept
        for start, end, surface in found:
            etype, name, aliases = self.names[surface]
            have = by_name.get((etype, name))
            if have is None:
                have = Entity(etype, name, [a for a in aliases if a != name], [], None, None, None,
                              {"origin": "user_lexicon"})
                out.append(have)
                by_name[(etype, name)] = have
            if (start, end) not in have.spans:
                have.spans.append((start, end))
                have.spans.sort()
            if surface != name and surface not in have.aliases:
                have.aliases.append(surface)
        return out
