"""Core commands: ``ingest`` (into the store), ``extract`` (contract JSON, no store), ``stats``.

Exit codes: 0 when every input succeeded, 1 when any input failed (the others are still
stored / printed), 2 for usage errors (click's default).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from chainatlas.model import InputError
from chainatlas.settings import Settings


def _settings(ctx: click.Context, max_bytes: int | None = None) -> Settings:
    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    return settings.with_(max_bytes=max_bytes) if max_bytes else settings


def _failure_line(err: InputError) -> str:
    return f"✗ {err.source}: {err.reason}"


def _echo_skipped(skipped: list[Any], verbose: bool) -> None:
    """"N skipped" (directory entries not read: README*, hidden, other file types, .chainatlasignore)."""
    if not skipped:
        return
    hint = "" if verbose else "（-v 列出文件名）"
    click.echo(f"跳过 {len(skipped)} 个文件：说明文档、隐藏文件、不支持的类型或被忽略的文件{hint}", err=True)
    if verbose:
        for item in skipped:
            click.echo(f"  - {item.path}: {item.reason}", err=True)


@click.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--max-bytes", type=int, default=None, help="Largest accepted input in bytes.")
@click.option("--no-progress", is_flag=True, help="Do not draw a progress bar.")
@click.option("--workers", type=click.IntRange(1, 4096), default=1, show_default=True,
              help="Processes for cleaning and extraction (at most 64 locally; with --engine ray: Ray workers).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: this machine (a process pool when --workers > 1); ray: Ray workers "
                   "(a local Ray instance, or the cluster at --ray-address); the store is written here.")
@click.option("--ray-address", default=None, metavar="ADDR",
              help="Join an existing Ray cluster: 'auto' or HOST:PORT of its head (ray start --head).")
@click.option("-v", "--verbose", is_flag=True, help="List the files skipped inside folders.")
@click.pass_context
def ingest(ctx: click.Context, targets: tuple[str, ...], max_bytes: int | None, no_progress: bool,
           workers: int, engine: str, ray_address: str | None, verbose: bool) -> None:
    """Read files, folders or URLs, extract facts and store them (re-ingest is a no-op)."""
    from chainatlas.pipeline import ingest_targets
    from chainatlas.store import Store

    if ray_address and engine != "ray":
        raise click.UsageError("--ray-address 只能与 --engine ray 一起使用")
    if engine == "local" and workers > 64:
        raise click.UsageError("本机引擎最多 64 个进程（--workers）；更多工作进程请用 --engine ray 连接集群")
    unavailable: tuple[type[Exception], ...] = ()  # engine errors shown as a message, not a traceback
    if engine == "ray":
        from chainatlas.ray_engine import RayUnavailable, require_ray

        unavailable = (RayUnavailable,)
        try:
            require_ray()
        except RayUnavailable as exc:
            raise click.ClickException(str(exc)) from exc
    settings = _settings(ctx, max_bytes)
    with Store.open(settings.db_path, dedup_threshold=settings.dedup_threshold,
                    lock_timeout=settings.lock_timeout) as store:
        try:
            report = ingest_targets(list(targets), store, settings, progress=not no_progress, workers=workers,
                                    engine=engine, ray_address=ray_address)
        except unavailable as exc:  # the cluster unreachable or too small: raised before any document is stored
            raise click.ClickException(str(exc)) from exc
    for err in report.errors:
        click.echo(_failure_line(err), err=True)
    for note in report.notes:  # e.g. a table's chain name the taxonomy does not know
        click.echo(f"! {note}", err=True)
    _echo_skipped(report.skipped, verbose)
    if verbose and report.engine:
        e = report.engine
        click.echo(f"Ray：{e['workers']} 个工作进程（集群 {e['cluster_cpus']:g} 个 CPU），启动 {e['start_seconds']:.1f} 秒，"
                   f"{e['batches']} 批 {e['documents']} 个文档，等待工作进程 {e['wait_seconds']:.1f} 秒"
                   + (f"，逐个重试 {e['retried']} 个" if e["retried"] else ""), err=True)
    click.echo(
        f"已入库 {report.documents_ok} 个文档，新增文章 {report.articles_new} 篇，重复 {report.duplicates} 篇，"
        f"未变化 {report.unchanged} 个，失败 {len(report.errors)} 个，跳过 {len(report.skipped)} 个"
        f"（{report.seconds:.1f} 秒）→ {settings.db_path}"
    )
    if report.errors:
        ctx.exit(1)


@click.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.option("--max-bytes", type=int, default=None, help="Largest accepted input in bytes.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="List the files skipped inside folders.")
@click.pass_context
def extract(ctx: click.Context, targets: tuple[str, ...], fmt: str, out: str | None, max_bytes: int | None,
            workers: int, verbose: bool) -> None:
    """Print one JSON object per article (the extraction contract), without a store."""
    from chainatlas.pipeline import extract_targets

    settings = _settings(ctx, max_bytes)
    failed = 0
    skipped: list[Any] = []
    stream: Any = open(out, "w", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
    try:
        records: list[dict[str, Any]] = []
        for item in extract_targets(list(targets), settings, workers=workers, skipped=skipped):
            if isinstance(item, InputError):
                failed += 1
                click.echo(_failure_line(item), err=True)
                continue
            if fmt == "jsonl":
                stream.write(json.dumps(item, ensure_ascii=False) + "\n")
            else:
                records.append(item)
        if fmt == "json":
            stream.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        stream.flush()
    finally:
        if out:
            stream.close()
    _echo_skipped(skipped, verbose)
    if failed:
        ctx.exit(1)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Counts of what the store holds."""
    from chainatlas.store import Store

    settings = _settings(ctx)
    with Store.open(settings.db_path, dedup_threshold=settings.dedup_threshold,
                    lock_timeout=settings.lock_timeout) as store:
        data = store.stats()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    from chainatlas.labels import label

    def sub_label(key: str, sub: str) -> str:  # entity types, relation types; stages are Chinese already
        section = {"entities": "entity_types", "relations": "relation_types"}.get(key)
        return label(section, sub) if section else sub

    table = Table()
    table.add_column("内容")
    table.add_column("数量", justify="right")
    for key, value in data.items():
        if isinstance(value, dict):
            table.add_row(label("ingest_report", key), str(sum(value.values())))
            for sub, n in value.items():
                table.add_row(f"  {sub_label(key, sub)}", str(n))
        else:
            table.add_row(label("ingest_report", key), str(value))
    console = Console(width=100)
    console.print(f"库内统计 · {settings.db_path}", highlight=False, soft_wrap=True)
    console.print(table)


COMMANDS = [ingest, extract, stats]
