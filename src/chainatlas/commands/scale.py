"""Scale tooling: ``gen-corpus`` (a generated corpus with known facts, for benchmarks and tests)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("gen-corpus")
@click.option("--articles", type=click.IntRange(1, 10_000_000), required=True, help="Number of documents.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output folder (replaced if it exists).")
@click.option("--seed", type=int, default=None, help="Random seed (default: the benchmark's fixed seed).")
def gen_corpus(articles: int, out: Path, seed: int | None) -> None:
    """Generate N articles recombined from the demo documents (same seed → same bytes).

    Known facts per document are written to OUT/facts.jsonl; OUT/.chainatlasignore keeps that file
    and manifest.json out of ``chainatlas ingest OUT``."""
    from chainatlas.gencorpus import SEED, write_corpus

    if out.exists() and any(out.iterdir()) and not (out / "manifest.json").exists():
        raise click.ClickException(f"{out} 不是空目录，也不是生成的语料目录，未覆盖；"
                                   f"{out} is neither empty nor a generated corpus: not replaced")
    manifest = write_corpus(out, articles=articles, seed=SEED if seed is None else seed)
    click.echo(f"已生成 {manifest['documents']} 篇文章（{manifest['bytes'] / 1e6:.1f} MB）→ {out}；"
               f"已知事实见 {out / 'facts.jsonl'}")


COMMANDS = [gen_corpus]
