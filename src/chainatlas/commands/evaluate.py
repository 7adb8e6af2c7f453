"""`chainatlas eval`: score extraction output against a folder of gold annotations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from chainatlas.evaluate import ROW_ORDER, Report, load_gold, load_split, read_predictions, score


def _doc_targets(docs_dir: Path, wanted: set[str]) -> list[str]:
    """The files in docs_dir whose basename has gold (all of docs_dir if none match)."""
    files = sorted(p for p in docs_dir.rglob("*") if p.is_file() and p.name in wanted)
    return [str(p) for p in files] or [str(docs_dir)]


def _run_extraction(targets: list[str], settings: Any) -> list[dict[str, Any]]:
    """Contract dicts from the pipeline; per-input failures are reported, not fatal."""
    try:
        from chainatlas.pipeline import extract_targets  # late: heavy, and only needed for --docs

        records = []
        for item in extract_targets(targets, settings):
            if isinstance(item, dict):
                records.append(item)
            else:  # InputError
                click.echo(f"skipped {getattr(item, 'source', '?')}: {getattr(item, 'reason', item)}", err=True)
        return records
    except ImportError as exc:
        raise click.ClickException(f"extraction pipeline not available: {exc}") from exc


def _print_table(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="chainatlas eval (micro-averaged)")
    for col in ("row", "P", "R", "F1", "pred", "correct", "gold", "found"):
        table.add_column(col, justify="left" if col == "row" else "right")
    for key in ROW_ORDER:
        r = report.rows[key]
        if not (r.gold or r.pred):
            continue
        table.add_row(
            key, f"{r.precision:.3f}", f"{r.recall:.3f}", f"{r.f1:.3f}",
            str(r.pred), str(r.pred_correct), str(r.gold), str(r.gold_found),
        )
    console = Console()
    console.print(table)
    a = report.articles
    console.print(
        f"articles: gold {a.gold}, predicted {a.pred}, matched {a.matched}, titles exact {a.titles_exact}"
    )
    console.print(f"gold files: {report.files_gold}; without prediction: {len(report.files_missing)}")
    for f in report.files_missing:
        console.print(f"  missing: {f}")


@click.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("pred_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Run extraction on these documents instead of reading PRED_FILE.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--split", type=click.Choice(["dev", "heldout"]), default=None,
              help="Score only the files of this split (split.json in or above GOLD_DIR).")
@click.option("--details", is_flag=True, help="JSON: include every miss and false positive.")
@click.pass_context
def eval_cmd(
    ctx: click.Context, gold_dir: Path, pred_file: Path | None, docs_dir: Path | None,
    fmt: str, split: str | None, details: bool,
) -> None:
    """Score PRED_FILE (contract JSONL) or --docs DOCS_DIR against the gold in GOLD_DIR."""
    if (pred_file is None) == (docs_dir is None):
        raise click.UsageError("give exactly one of PRED_FILE or --docs DOCS_DIR")
    try:
        gold = load_gold(gold_dir)
        if split:
            keep = load_split(gold_dir, split)
            gold = {f: g for f, g in gold.items() if f in keep}
        if pred_file is not None:
            predictions = read_predictions(pred_file)
        else:
            settings = ctx.obj
            if settings is None:
                from chainatlas.settings import load_settings

                settings = load_settings()
            assert docs_dir is not None
            predictions = _run_extraction(_doc_targets(docs_dir, set(gold)), settings)
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if not gold:
        raise click.ClickException(f"no gold files in {gold_dir}" + (f" for split {split}" if split else ""))
    report = score(gold, predictions)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(details=details), ensure_ascii=False, indent=1))
    else:
        _print_table(report)


COMMANDS = [eval_cmd]
