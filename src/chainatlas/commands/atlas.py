"""Atlas commands: chains, atlas, lists, projects, check-figures, flows, report, export, map."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from chainatlas.chains.taxonomy import SEGMENT_LABELS, SEGMENTS, Taxonomy, TaxonomyError, load_taxonomy
from chainatlas.store import backend

chains_dir_option = click.option("--chains-dir", type=click.Path(exists=True, file_okay=False), default=None,
                                 envvar="CHAINATLAS_CHAINS_DIR", help="Folder of chain YAML files.")


def _taxonomy(chains_dir: str | None) -> Taxonomy:
    try:
        return load_taxonomy(chains_dir)
    except TaxonomyError as exc:
        raise click.ClickException(str(exc)) from exc


def _db_path(ctx: click.Context) -> str:
    settings = ctx.obj
    path = getattr(settings, "db_path", None) or "chainatlas.db"
    return str(path)


def _connect(ctx: click.Context, write: bool = False) -> sqlite3.Connection:
    path = _db_path(ctx)
    if backend.is_postgres(path):  # a PostgreSQL store (store.pg adapter, the sqlite3 surface)
        return backend.connect(path, readonly=not write)
    path = backend.sqlite_path(path)
    if not Path(path).exists():
        raise click.ClickException(f"no store at {path}: run `chainatlas ingest` first or pass --db")
    if write:
        return sqlite3.connect(path)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


@contextmanager
def _reading(ctx: click.Context) -> Iterator[sqlite3.Connection]:
    """A read connection whose whole-store analyses use the results kept in the store at its current
    generation (store.derived; computed and kept on a miss).  CHAINATLAS_KEPT=0 computes everything."""
    from chainatlas.analysis.kept import attached
    from chainatlas.store.derived import Kept

    conn = _connect(ctx)
    kept = None if os.environ.get("CHAINATLAS_KEPT", "1") == "0" else Kept(_db_path(ctx))
    try:
        with attached(conn, kept):
            yield conn
    finally:
        conn.close()


def _chain_arg(tax: Taxonomy, chain: str | None) -> str | None:
    if chain is None:
        return None
    cid = tax.resolve(chain)
    if cid is None:
        raise click.BadParameter(f"unknown chain {chain!r}; see `chainatlas chains`", param_hint="--chain")
    return cid


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.command("chains")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@chains_dir_option
def chains_cmd(fmt: str, chains_dir: str | None) -> None:
    """List the chain taxonomy (ids, labels, aliases, groups, segments)."""
    tax = _taxonomy(chains_dir)
    if fmt == "json":
        _echo_json([{"id": c.id, "label": c.label, "aliases": c.aliases, "groups": c.groups, "links": c.links,
                     "segments": {s.name: {"label": s.label, "products": s.products,
                                           "technologies": s.technologies, "keywords": s.keywords}
                                  for s in c.segments.values()}} for c in tax])
        return
    for c in sorted(tax, key=lambda c: c.id):
        segs = " / ".join(f"{SEGMENT_LABELS[s]}:{c.segments[s].label}" for s in SEGMENTS if s in c.segments)
        click.echo(f"{c.id:36} {c.label:12} [{','.join(c.groups)}]  {segs}")


@click.command("atlas")
@click.option("--region", default=None, help="Region filter: 京津冀, 天津, 滨海新区, a park …")
@click.option("--chain", default=None, help="Chain label, alias or id (集成电路, 芯片, integrated_circuits).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@chains_dir_option
@click.pass_context
def atlas_cmd(ctx: click.Context, region: str | None, chain: str | None, fmt: str, chains_dir: str | None) -> None:
    """Coverage matrix (segments × regions), gaps and top companies per segment."""
    from chainatlas.analysis import coverage, gaps

    tax = _taxonomy(chains_dir)
    cid = _chain_arg(tax, chain)
    with _reading(ctx) as conn:
        cov = coverage(conn, tax, region=region, chain=cid)
        gap_rows = gaps(conn, tax, region, cid) if region else []
    if fmt == "json":
        _echo_json({"coverage": cov, "gaps": gap_rows})
        return
    cols = cov["regions"]
    for c in cov["chains"]:
        click.echo(f"\n{c['label']}")
        click.echo("  " + "环节".ljust(20) + "".join(f"{r[:8]:>10}" for r in cols) + "   合计(企业/项目/亿元)")
        for s in c["segments"]:
            cells = "".join(f"{_cell(s['cells'].get(r)):>10}" for r in cols)
            t = s["total"]
            click.echo(f"  {s['segment_label'] + '·' + s['label']:20}{cells}   "
                       f"{t['companies']}/{t['projects']}/{t['investment'] / 1e8:.2f}")
            if t["company_names"]:
                click.echo("      " + "、".join(t["company_names"][:5]))
    if gap_rows:
        click.echo("\n缺口环节:")
        for g in gap_rows:
            click.echo(f"  [{'缺失' if g['status'] == 'absent' else '薄弱'}] {g['why']}")


def _cell(cell: dict | None) -> str:
    return "-" if not cell else f"{cell['companies']}/{cell['projects']}"


def _lists(conn: sqlite3.Connection, tax: Taxonomy, region: str | None, cid: str | None) -> dict[str, Any]:
    from chainatlas.analysis import bottleneck_technologies, investment_targets, key_enterprises

    return {
        "region": region, "chain": cid,
        "key_enterprises": key_enterprises(conn, tax, region=region, chain=cid),
        "bottleneck_technologies": bottleneck_technologies(conn, tax, region=region, chain=cid),
        "investment_targets": investment_targets(conn, tax, region, cid) if region else [],
    }


@click.command("lists")
@click.option("--region", default=None)
@click.option("--chain", default=None)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="lists.xlsx | .csv | .json")
@click.option("--base-url", default=None, envvar="CHAINATLAS_BASE_URL",
              help="Address of the web app (chainatlas serve) that the workbook's source links open for sources "
                   "without a URL of their own; default http://127.0.0.1:8000.")
@chains_dir_option
@click.pass_context
def lists_cmd(ctx: click.Context, region: str | None, chain: str | None, out: str, base_url: str | None,
              chains_dir: str | None) -> None:
    """The three lists: 链上重点企业 / 卡点技术攻关 / 堵点招商引资 (+ 来源)."""
    from chainatlas.export import write_lists
    from chainatlas.export.lists import ingest_dates
    from chainatlas.export.xlsx import DEFAULT_BASE_URL

    tax = _taxonomy(chains_dir)
    cid = _chain_arg(tax, chain)
    with _reading(ctx) as conn:
        data = _lists(conn, tax, region, cid)
        ingested = ingest_dates(conn, data)
    try:
        paths = write_lists(out, data, base_url or DEFAULT_BASE_URL, ingested)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from exc
    for p in paths:
        click.echo(f"已写入 {p}")


@click.command("projects")
@click.option("--stalled", is_flag=True, help="Only stalled projects.")
@click.option("--months", type=int, default=None, help="No update for this many months → stalled.")
@click.option("--today", default=None, help="Reference date YYYY-MM-DD (default: date of the newest project report).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def projects_cmd(ctx: click.Context, stalled: bool, months: int | None, today: str | None, fmt: str) -> None:
    """Project pipelines 签约→开工→竣工→投产 with stalled flags."""
    from chainatlas.analysis import project_pipeline

    months = months or getattr(ctx.obj, "stalled_months", 6)
    with _reading(ctx) as conn:
        rows = project_pipeline(conn, stalled_months=months, today=today)
    if stalled:
        rows = [r for r in rows if r["stalled"]]
    if fmt == "json":
        _echo_json(rows)
        return
    if rows:
        n_stalled = sum(1 for r in rows if r["stalled"])
        click.echo(f"参照日 {rows[0]['today']}（{rows[0].get('today_basis') or '库内最新项目报道日期'}；--today 可改）；"
                   f"超过{months}个月无新报道为停滞；"
                   f"共{len(rows)}个项目（多篇报道已合并），停滞{n_stalled}个")
    else:
        click.echo("没有项目")
    for r in rows:
        flag = "停滞" if r["stalled"] else "推进"
        chain = "→".join(r.get("stages") or [e["stage"] or "?" for e in r["timeline"]])
        amount = r.get("amount") or {}
        money = (f"  {amount['value'] / 1e8:g}亿元" if amount.get("unit") == "元" else
                 f"  {amount['value']:g}{amount['unit']}") if amount.get("value") else ""
        click.echo(f"[{flag}] {r['name'] or r['investor'] or r['project_id']}{money}  {r['stage'] or '-'}  "
                   f"最近报道 {r.get('last_report') or r['last_update'] or '-'}  {chain}  {r['stalled_reason'] or ''}")
        for plan in r.get("plans") or []:
            said = f"；原文“{plan['text']}”" if plan.get("text") else ""
            click.echo(f"        计划：{plan['date'] or '时间未注明'} {plan['stage'] or ''}"
                       f"（{plan.get('reported') or '日期不明'}报道{said}；计划，不是已发生的进展）")
        q = r.get("last_quote")
        if r["stalled"] and q:
            click.echo(f"        “{q['text']}” —— {q.get('title') or q.get('source') or ''}")


@click.command("directory")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@chains_dir_option
@click.pass_context
def directory_cmd(ctx: click.Context, files: tuple[str, ...], chains_dir: str | None) -> None:
    """导入企业名录（CSV/XLSX：企业名称、所在地、产业链、环节），作为堵点招商的候选企业。"""
    from chainatlas.directory import import_directory
    from chainatlas.store import Store

    tax = _taxonomy(chains_dir)
    store = Store.open(_db_path(ctx))
    try:
        for f in files:
            try:
                rep = import_directory(store.conn, f, tax)
            except ValueError as exc:
                raise click.ClickException(str(exc)) from exc
            click.echo(f"{f}：导入{rep.imported}家企业")
            for chain_name, n in rep.unknown_chains.items():
                click.echo(f"  注意：产业链“{chain_name}”不在产业链分类中（{n}行），已按原文保留，未归入其他产业链")
            for reason in rep.skipped:
                click.echo(f"  跳过 {reason}")
    finally:
        store.close()


@click.command("check-figures")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--all", "show_all", is_flag=True, help="Also list checks with insufficient data.")
@click.pass_context
def check_figures_cmd(ctx: click.Context, fmt: str, show_all: bool) -> None:
    """Arithmetic cross-checks: CAGR, growth, shares, conflicting duplicates."""
    from chainatlas.analysis import check_figures

    with _reading(ctx) as conn:
        rows = check_figures(conn, include_insufficient=show_all)
    if fmt == "json":
        _echo_json(rows)
        return
    for r in rows:
        from chainatlas.labels import label

        click.echo(f"[{label('verdicts', r['verdict'])}] {label('checks', r['check'])}：声称 {r['stated']}，"
                   f"复算 {r['recomputed'] if r['recomputed'] is not None else '无'}（允差 ±{r['tolerance']}）  "
                   f"{r['statement'][:80]}")


@click.command("flows")
@click.option("--region", default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@chains_dir_option
@click.pass_context
def flows_cmd(ctx: click.Context, region: str | None, fmt: str, chains_dir: str | None) -> None:
    """Cross-region flows (region → region) with counts, kinds and quotes."""
    from chainatlas.analysis import flows

    tax = _taxonomy(chains_dir)
    with _reading(ctx) as conn:
        rows = flows(conn, region=region, taxonomy=tax)
    if fmt == "json":
        _echo_json(rows)
        return
    if not rows:
        click.echo(f"没有一端在{region}的地区间流向。" if region else "暂无地区间流向。")
    for r in rows:
        kinds = "、".join(f"{k}×{v}" for k, v in r["kinds"].items())
        click.echo(f"{r['source']} → {r['target']}  {r['count']}  {kinds}")


@click.command("report")
@click.option("--region", required=True)
@click.option("--chain", default=None)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="report.html | report.pdf")
@chains_dir_option
@click.pass_context
def report_cmd(ctx: click.Context, region: str, chain: str | None, out: str, chains_dir: str | None) -> None:
    """Printable briefing (HTML; PDF when WeasyPrint is installed)."""
    from chainatlas.export import PdfUnavailable, render_report, write_pdf

    tax = _taxonomy(chains_dir)
    cid = _chain_arg(tax, chain)
    with _reading(ctx) as conn:
        html = render_report(conn, tax, region, cid)
    if out.lower().endswith(".pdf"):
        from chainatlas.export.report import cjk_font_available

        if not cjk_font_available():
            raise click.ClickException(
                "本机没有中文字体，生成的 PDF 中文会显示为方框，已停止。请先安装中文字体"
                "（Debian/Ubuntu：sudo apt-get install fonts-noto-cjk），或改用 --out report.html 在浏览器中打印。")
        try:
            write_pdf(html, out)
        except PdfUnavailable as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        Path(out).write_text(html, encoding="utf-8")
    click.echo(f"已写入 {out}")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "json", "csv"]), required=True)
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False),
              help="output file; without it the graph is written to standard output")
@chains_dir_option
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, out: str | None, chains_dir: str | None) -> None:
    """The atlas graph (chain → segment → company/project) as GraphML, JSON or CSV."""
    from chainatlas.export import atlas_graph, write_graph
    from chainatlas.export.graph import graph_text

    tax = _taxonomy(chains_dir)
    with _connect(ctx) as conn:
        graph = atlas_graph(conn, tax)
    if out is None:
        click.echo(graph_text(graph, fmt), nl=False)
        return
    for p in write_graph(out, graph, fmt):
        click.echo(f"已写入 {p}", err=True)


def _subject_kind(conn: sqlite3.Connection, subject_id: str) -> str:
    if conn.execute("SELECT 1 FROM entities WHERE id = ?", (subject_id,)).fetchone():
        return "entity"
    if conn.execute("SELECT 1 FROM projects WHERE id = ?", (subject_id,)).fetchone():
        return "project"
    raise click.BadParameter(f"no entity or project with id {subject_id!r}", param_hint="SUBJECT_ID")


def record_override(conn: sqlite3.Connection, subject_kind: str, subject_id: str, chain: str,
                    segment: str | None, action: str, editor: str | None = None) -> None:
    """Upsert a user decision into mapping_overrides (applied by every analysis; survives re-ingest)."""
    conn.execute(
        "INSERT INTO mapping_overrides (subject_kind, subject_id, chain, segment, action, editor, at) "
        "VALUES (?,?,?,?,?,?,?) ON CONFLICT(subject_kind, subject_id, chain) DO UPDATE SET "
        "segment = excluded.segment, action = excluded.action, editor = excluded.editor, at = excluded.at",
        (subject_kind, subject_id, chain, segment, action, editor,
         datetime.now(UTC).isoformat(timespec="seconds")))
    from chainatlas.store.derived import bump

    bump(conn)  # the kept analyses (store.derived) are stale now
    conn.commit()


@click.command("map")
@click.argument("action", type=click.Choice(["confirm", "reject", "set"]))
@click.argument("subject_id")
@click.argument("chain")
@click.option("--segment", type=click.Choice(list(SEGMENTS) + ["上游", "中游", "下游"]), default=None)
@click.option("--editor", default=None)
@chains_dir_option
@click.pass_context
def map_cmd(ctx: click.Context, action: str, subject_id: str, chain: str, segment: str | None,
            editor: str | None, chains_dir: str | None) -> None:
    """Confirm, reject or set the chain (segment) of an entity or project."""
    from chainatlas.chains import parse_segment

    tax = _taxonomy(chains_dir)
    cid = _chain_arg(tax, chain)
    seg = parse_segment(segment) if segment else None
    if action == "set" and seg is None:
        raise click.BadParameter("`map set` needs --segment", param_hint="--segment")
    with _connect(ctx, write=True) as conn:
        kind = _subject_kind(conn, subject_id)
        record_override(conn, kind, subject_id, cid, seg, action, editor)
    click.echo(f"{action} {kind} {subject_id} → {tax.label(cid)}{'·' + SEGMENT_LABELS[seg] if seg else ''}")


COMMANDS = [chains_cmd, atlas_cmd, lists_cmd, projects_cmd, check_figures_cmd, flows_cmd, report_cmd, export_cmd,
            map_cmd, directory_cmd]
