"""Near-duplicate detection of articles: MinHash over character 3-gram shingles + LSH.

The same wire story is republished by many portals with different chrome, a changed
headline or a trimmed paragraph.  Storing it once keeps counts (projects, metrics,
mentions) honest; the copies are remembered only as extra sources of the kept article.

Characters, not words, are shingled so that the signature does not depend on a
segmenter and works equally for Simplified text and stray ASCII.  Whitespace and
punctuation are dropped first because portals reflow paragraphs and swap full- and
half-width punctuation.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 3
SCHEME = "affine32"  # datasketch ≥2 default; persisted signatures are only valid for it
MIN_CHARS = 60  # shorter texts share too many shingles by accident: exact-hash dedup only
DEFAULT_THRESHOLD = 0.8  # estimated Jaccard from which two articles are one story (Settings.dedup_threshold)


_NOT_CONTENT = re.compile(r"[\W_]+")


def shingle_text(text: str) -> str:
    """The text reduced to the characters that carry content (no spaces, punctuation, symbols)."""
    return _NOT_CONTENT.sub("", text.casefold())


BODY_LINE_CHARS = 30  # paragraphs; shorter lines are headlines, bylines, dates, leftover chrome


def prepare(text: str) -> str:
    """The content characters of the body paragraphs: what two copies of one story share.

    Reposts change the headline, the byline/date line and the chrome around the story while
    the paragraphs stay; comparing only paragraph-length lines keeps a lightly rewritten
    repost above the threshold.  Texts without such lines are compared whole.
    """
    body = [shingle_text(line) for line in text.splitlines()]
    kept = "".join(b for b in body if len(b) >= BODY_LINE_CHARS)
    return kept if len(kept) >= MIN_CHARS else "".join(body)


def _hash32(data: bytes) -> int:
    # CRC-32 is deterministic across processes (signatures are persisted) and ~10× cheaper
    # than datasketch's default SHA-1; shingle sets are small, so its quality is ample.
    return zlib.crc32(data)


def shingles(text: str, k: int = SHINGLE, *, prepared: bool = False) -> list[bytes]:
    """Distinct character k-grams of the content characters, UTF-8 encoded for hashing."""
    t = text if prepared else prepare(text)
    if len(t) <= k:
        return [t.encode("utf-8")] if t else []
    return [s.encode("utf-8") for s in {t[i : i + k] for i in range(len(t) - k + 1)}]


def eligible(text: str, *, prepared: bool = False) -> bool:
    """Whether a text is long enough for near-duplicate matching to be meaningful."""
    return len(text if prepared else prepare(text)) >= MIN_CHARS


def _ds() -> Any:
    """datasketch, imported when first used: importing it costs about 0.45 s (it pulls in
    scipy.integrate), which every reading command (lists, report, atlas) paid at start-up."""
    import datasketch

    return datasketch


_TEMPLATE: list[MinHash] = []


def _template() -> MinHash:
    # Generating 128 permutations costs ~1 ms; like ``MinHash.bulk`` we reuse them, but
    # across calls too, since the store asks for one document's signatures at a time.
    if not _TEMPLATE:
        _TEMPLATE.append(_ds().MinHash(num_perm=NUM_PERM, hashfunc=_hash32))
    return _TEMPLATE[0]


def signatures(texts: Sequence[str], *, prepared: bool = False) -> list[LeanMinHash]:
    """MinHash signatures of many texts at once, sharing one set of permutations.

    ``prepared=True`` means the texts already went through ``prepare``.
    """
    out = []
    template = _template()
    for text in texts:
        m = template.copy()
        m.update_batch(shingles(text, prepared=prepared))
        out.append(_ds().LeanMinHash(m))
    return out


def signature(text: str) -> LeanMinHash:
    return signatures([text])[0]


def to_bytes(sig: MinHash | LeanMinHash) -> bytes:
    return np.asarray(sig.hashvalues, dtype=np.uint32).tobytes()


def from_bytes(blob: bytes) -> LeanMinHash:
    values = np.frombuffer(blob, dtype=np.uint32)
    return _ds().LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)


def jaccard(a: MinHash | LeanMinHash, b: MinHash | LeanMinHash) -> float:
    return float(np.count_nonzero(np.asarray(a.hashvalues) == np.asarray(b.hashvalues))) / NUM_PERM


class NearDupIndex:
    """An LSH index over article signatures, filled lazily by a loader callback.

    The loader (e.g. the store reading ``article_minhash``) runs on the first query, so
    opening a store for read-only work never pays for building the index.
    """

    def __init__(self, threshold: float, loader: object | None = None) -> None:
        self.threshold = threshold
        self._loader = loader  # callable() -> Iterable[tuple[str, bytes]]
        self._lsh: MinHashLSH | None = None
        self._sigs: dict[str, LeanMinHash] = {}

    def _ensure(self) -> MinHashLSH:
        if self._lsh is None:
            self._lsh = _ds().MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)
            if self._loader is not None:
                for key, blob in self._loader():  # type: ignore[operator]
                    self._insert(self._lsh, key, from_bytes(blob))
        return self._lsh

    def _insert(self, lsh: MinHashLSH, key: str, sig: LeanMinHash) -> None:
        if key in self._sigs:
            return
        lsh.insert(key, sig)
        self._sigs[key] = sig

    def add(self, key: str, sig: LeanMinHash) -> None:
        self._insert(self._ensure(), key, sig)

    def add_many(self, items: Iterable[tuple[str, LeanMinHash]]) -> None:
        lsh = self._ensure()
        for key, sig in items:
            self._insert(lsh, key, sig)

    def remove(self, key: str) -> None:
        if self._lsh is not None and key in self._sigs:
            self._lsh.remove(key)
            del self._sigs[key]

    def best_match(self, sig: LeanMinHash) -> tuple[str, float] | None:
        """The most similar indexed article whose estimated Jaccard reaches the threshold."""
        best: tuple[str, float] | None = None
        for key in self._ensure().query(sig):
            sim = jaccard(sig, self._sigs[key])
            if sim >= self.threshold and (best is None or sim > best[1]):
                best = (key, sim)
        return best

    def __len__(self) -> int:
        self._ensure()
        return len(self._sigs)


_BANDING: dict[float, tuple[int, int]] = {}


def banding(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) datasketch's ``MinHashLSH`` picks for this threshold (9 × 13 at 0.8)."""
    if threshold not in _BANDING:
        lsh = _ds().MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        _BANDING[threshold] = (lsh.b, lsh.r)
    return _BANDING[threshold]


def lsh_buckets(sig: MinHash | LeanMinHash, threshold: float) -> list[int]:
    """One 64-bit bucket key per LSH band of the signature, for an index kept in the store.

    Two signatures share a bucket when one of their bands is equal — the candidates of
    ``MinHashLSH.query`` (a 64-bit hash collision only adds a candidate, which the Jaccard
    estimate then rejects)."""
    import hashlib

    b, r = banding(threshold)
    values = np.asarray(sig.hashvalues, dtype=np.uint32)
    out = []
    for i in range(b):
        digest = hashlib.blake2b(values[i * r:(i + 1) * r].tobytes(), digest_size=8, person=b"band%04d" % i).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return out
