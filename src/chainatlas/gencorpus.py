"""Generated corpora for scale tests: the demo documents' sentences recombined into new articles.

``chainatlas gen-corpus --articles N --out DIR`` writes N documents that look like the genre
(government releases as plain text, portal pages with their chrome as HTML) so that cleaning,
extraction and the store do realistic work, deterministically (seeded RNG: the same N and seed
give the same bytes on every machine).  Nothing is downloaded: every sentence comes from
``chainatlas/data/demo/``, which the team wrote.

Each generated document's *known facts* are written next to it in ``facts.jsonl``: which
company/park/institution names (seen as such in the demo corpus) the generator put into it,
the publication date it stated, its title.  A test or a benchmark can check that the pipeline
finds them, and two backends can be compared on the same input.

The generator sits at the edge of the data flow (like the commands): it reads the demo corpus
through ``ingest`` → ``clean`` → ``extract`` and writes files; nothing in the pipeline imports it.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 20240601
DOCS_PER_DIR = 1000

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_NUMBER = re.compile(r"\d+")
_ARTICLE_BODY = re.compile(r"(<article[^>]*>)(.*?)(</article>)", re.S | re.I)
_TITLE_TAG = re.compile(r"(<h[12][^>]*>)(.*?)(</h[12]>)", re.S | re.I)


@dataclass(slots=True)
class Material:
    sentences: list[str]
    names: dict[str, list[str]]  # entity type → names seen in the demo corpus
    html_shells: list[str]  # demo HTML pages, used as chrome around generated bodies
    name_re: re.Pattern[str] | None = None  # every known name, longest first (one pass per sentence)
    name_type: dict[str, str] | None = None  # known name → its type

    def __post_init__(self) -> None:
        if self.name_re is None:
            types = {n: t for t, names in sorted(self.names.items()) for n in names}
            self.name_type = types
            self.name_re = (re.compile("|".join(re.escape(n) for n in sorted(types, key=lambda n: (-len(n), n))))
                            if types else None)


@dataclass(slots=True)
class Generated:
    ext: str  # ".txt" | ".html"
    text: str
    title: str
    published: str  # "" when the document does not state the generated date
    names: dict[str, list[str]]  # entity type → known names the generator put in (sorted)


def demo_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("chainatlas").joinpath("data/demo")))


def _demo_articles() -> tuple[list[str], list[str]]:
    """Cleaned article texts of every demo document, and the raw demo HTML pages."""
    from chainatlas.articles import document_articles
    from chainatlas.ingest import iter_inputs
    from chainatlas.ingest.detect import decode
    from chainatlas.settings import Settings

    texts: list[str] = []
    shells: list[str] = []
    for raw in iter_inputs([str(demo_dir())], Settings()):
        if not hasattr(raw, "data"):
            continue
        try:
            doc = decode(raw)
        except Exception:  # noqa: BLE001 - a demo file the decoder refuses is simply not material
            continue
        if doc.format == "table":
            continue
        if doc.format == "html":
            shells.append(doc.text)
        texts.extend(a.text for a in document_articles(doc))
    return texts, shells


def _demo_names(texts: list[str]) -> dict[str, list[str]]:
    from chainatlas.extract.entities import extract_entities

    names: dict[str, set[str]] = {}
    for text in texts:
        for ent in extract_entities(text):
            if ent.type in ("company", "park", "institution") and len(ent.name) >= 4:
                names.setdefault(ent.type, set()).add(ent.name)
    return {t: sorted(v) for t, v in names.items() if len(v) >= 2}


def load_material() -> Material:
    texts, shells = _demo_articles()
    sentences = sorted({s.strip() for t in texts for s in _SENTENCE.findall(t) if len(s.strip()) >= 8})
    if not sentences:
        raise SystemExit(f"no demo sentences found under {demo_dir()}")
    return Material(sentences, _demo_names(texts), shells)


def _swap(sentence: str, material: Material, rng: random.Random, used: dict[str, set[str]]) -> str:
    """Replace known names by other names of the same type, and every number by a random one.

    One pass over the sentence (longest name first at each position): a name put in is never
    rewritten again.  Replacing name after name in turn did that — a new name containing another
    known name was rewritten inside, and so on — and built monsters such as a company name glued
    into a park name, one of which then had ~7 mentions per generated article."""
    if material.name_re is not None and material.name_type is not None:
        types = material.name_type

        def _other(m: re.Match[str]) -> str:
            type_ = types[m.group(0)]
            new = rng.choice(material.names[type_])
            used.setdefault(type_, set()).add(new)
            return new

        sentence = material.name_re.sub(_other, sentence)
    return _NUMBER.sub(lambda m: str(rng.randint(10 ** (len(m.group(0)) - 1) if len(m.group(0)) > 1 else 1,
                                                  10 ** len(m.group(0)) - 1)), sentence)


def make_article(material: Material, rng: random.Random) -> Generated:
    """One generated document and the names it was built with."""
    n = rng.randint(8, 40)
    used: dict[str, set[str]] = {}
    sentences = [_swap(rng.choice(material.sentences), material, rng, used) for _ in range(n)]
    title = re.sub(r"[，。！？、：；“”]", "", sentences[0])[:24]
    paragraphs: list[str] = []
    i = 1
    while i < n:
        k = rng.randint(2, 5)
        paragraphs.append("".join(sentences[i : i + k]))
        i += k
    date = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    # a name replaced again by a later swap, or cut from the title, is not in the document: keep what is
    body_text = "".join(sentences[1:])
    names = {t: sorted(n_ for n_ in v if n_ in body_text or n_ in title) for t, v in sorted(used.items())}
    names = {t: v for t, v in names.items() if v}
    if material.html_shells and rng.random() < 0.25:
        shell = rng.choice(material.html_shells)
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        html = _ARTICLE_BODY.sub(lambda m: m.group(1) + f"<h2>{title}</h2>\n<p>{date}</p>\n{body}" + m.group(3),
                                 shell, count=1)
        if html == shell:  # shell without <article>: swap the headline and append the body
            html = _TITLE_TAG.sub(lambda m: m.group(1) + title + m.group(3), shell, count=1) + body
        # known facts only: a shell without <article> carries its own date (and maybe no headline)
        names = {t: [n_ for n_ in v if n_ in html] for t, v in names.items()}
        return Generated(".html", html, title if title in html else "", date if date in html else "",
                         {t: v for t, v in names.items() if v})
    return Generated(".txt", f"{title}\n{date}\n\n" + "\n\n".join(paragraphs) + "\n", title, date, names)


def make_document(material: Material, rng: random.Random) -> tuple[str, str]:
    """One generated document: (extension, text)."""
    g = make_article(material, rng)
    return g.ext, g.text


def iter_articles(material: Material, seed: int = SEED) -> Iterator[Generated]:
    rng = random.Random(seed)
    while True:
        yield make_article(material, rng)


def doc_path(out: Path, index: int, ext: str) -> Path:
    return out / f"{index // DOCS_PER_DIR:04d}" / f"doc{index:06d}{ext}"


def write_corpus(out: Path, articles: int | None = None, target_bytes: int | None = None, seed: int = SEED,
                 material: Material | None = None, facts: bool = True) -> dict[str, Any]:
    """Write ``articles`` documents (or until ``target_bytes``) under ``out`` (replacing it).

    Returns the manifest (also written as ``out/manifest.json``); known facts per document go to
    ``out/facts.jsonl`` (one JSON object per line: file, title, published, names by type).
    """
    if articles is None and target_bytes is None:
        raise ValueError("write_corpus: give articles or target_bytes")
    material = material or load_material()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    total = docs = 0
    facts_fh = (out / "facts.jsonl").open("w", encoding="utf-8") if facts else None
    try:
        for g in iter_articles(material, seed):
            if articles is not None and docs >= articles:
                break
            if target_bytes is not None and total >= target_bytes:
                break
            data = g.text.encode("utf-8")
            path = doc_path(out, docs, g.ext)
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            if facts_fh is not None:
                facts_fh.write(json.dumps({"file": str(path.relative_to(out)), "title": g.title,
                                           "published": g.published, "names": g.names},
                                          ensure_ascii=False) + "\n")
            total += len(data)
            docs += 1
    finally:
        if facts_fh is not None:
            facts_fh.close()
    manifest = {"seed": seed, "documents": docs, "bytes": total, "sentences": len(material.sentences),
                "names": {k: len(v) for k, v in material.names.items()}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    # ``chainatlas ingest DIR`` reads the documents, not the generator's own paperwork
    (out / ".chainatlasignore").write_text("manifest.json\nfacts.jsonl\n", encoding="utf-8")
    return manifest


def iter_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("doc*") if p.is_file())
