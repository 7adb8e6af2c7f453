"""Deterministic benchmark corpus: the demo documents' sentences recombined, names and numbers swapped.

The corpus must look like the genre (government releases, portal pages with chrome) so that
cleaning and extraction do realistic work, but be large (≥50 MB by default) and identical on
every run (seeded RNG) so numbers are comparable between commits.  Nothing is downloaded:
every sentence comes from ``src/chainatlas/data/demo/``, which the team wrote.

    python -m bench.corpus            # BENCH_MB=5 for a smaller corpus
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
CORPUS = OUT / "corpus"
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


def demo_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("chainatlas").joinpath("data/demo")))


def _demo_articles() -> tuple[list[str], list[str]]:
    """Cleaned article texts of every demo document, and the raw demo HTML pages."""
    from chainatlas.ingest import iter_inputs
    from chainatlas.ingest.detect import decode
    from chainatlas.settings import Settings

    try:
        from chainatlas.clean import clean_document
    except ImportError:  # cleaner not installed: crude tag stripping is enough for sentences
        clean_document = None
    texts: list[str] = []
    shells: list[str] = []
    for raw in iter_inputs([str(demo_dir())], Settings()):
        if not hasattr(raw, "data"):
            continue
        try:
            doc = decode(raw)
        except Exception:
            continue
        if doc.format == "table":
            continue
        if doc.format == "html":
            shells.append(doc.text)
        if clean_document is not None:
            texts.extend(a.text for a in clean_document(doc))
        else:
            texts.append(re.sub(r"<[^>]+>", "\n", doc.text))
    return texts, shells


def _demo_names(texts: list[str]) -> dict[str, list[str]]:
    try:
        from chainatlas.extract.entities import extract_entities
    except ImportError:
        return {}
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


def _swap(sentence: str, material: Material, rng: random.Random) -> str:
    """Replace known names by other names of the same type, and every number by a random one."""
    for names in material.names.values():
        for name in names:
            if name in sentence:
                sentence = sentence.replace(name, rng.choice(names))
    return _NUMBER.sub(lambda m: str(rng.randint(10 ** (len(m.group(0)) - 1) if len(m.group(0)) > 1 else 1,
                                                  10 ** len(m.group(0)) - 1)), sentence)


def make_document(material: Material, rng: random.Random) -> tuple[str, str]:
    """One generated document: (extension, text)."""
    n = rng.randint(8, 40)
    sentences = [_swap(rng.choice(material.sentences), material, rng) for _ in range(n)]
    title = re.sub(r"[，。！？、：；“”]", "", sentences[0])[:24]
    paragraphs: list[str] = []
    i = 1
    while i < n:
        k = rng.randint(2, 5)
        paragraphs.append("".join(sentences[i : i + k]))
        i += k
    date = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if material.html_shells and rng.random() < 0.25:
        shell = rng.choice(material.html_shells)
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        html = _ARTICLE_BODY.sub(lambda m: m.group(1) + f"<h2>{title}</h2>\n<p>{date}</p>\n{body}" + m.group(3),
                                 shell, count=1)
        if html == shell:  # shell without <article>: swap the headline and append the body
            html = _TITLE_TAG.sub(lambda m: m.group(1) + title + m.group(3), shell, count=1) + body
        return ".html", html
    return ".txt", f"{title}\n{date}\n\n" + "\n\n".join(paragraphs) + "\n"


def build(target_mb: float, out: Path = CORPUS, seed: int = SEED) -> dict:
    """Write the corpus (replacing any previous one) and return its manifest."""
    material = load_material()
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    target = int(target_mb * 1024 * 1024)
    total = docs = 0
    while total < target:
        ext, text = make_document(material, rng)
        data = text.encode("utf-8")
        sub = out / f"{docs // DOCS_PER_DIR:04d}"
        sub.mkdir(exist_ok=True)
        (sub / f"doc{docs:06d}{ext}").write_bytes(data)
        total += len(data)
        docs += 1
    manifest = {"seed": seed, "documents": docs, "bytes": total, "sentences": len(material.sentences),
                "names": {k: len(v) for k, v in material.names.items()}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def ensure(target_mb: float, out: Path = CORPUS) -> dict:
    """Reuse an existing corpus of the requested size, else build it."""
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        target = int(target_mb * 1024 * 1024)
        if manifest.get("seed") == SEED and 0 <= manifest["bytes"] - target < 512 * 1024:
            return manifest
    return build(target_mb, out)


def iter_files(out: Path = CORPUS) -> list[Path]:
    return sorted(p for p in out.rglob("doc*") if p.is_file())


def target_mb_from_env() -> float:
    return float(os.environ.get("BENCH_MB", "50"))


if __name__ == "__main__":
    print(json.dumps(build(target_mb_from_env()), indent=2))
