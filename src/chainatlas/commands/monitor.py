"""Monitoring commands: ``sources``, ``poll``, ``watch``, ``rules``, ``alerts``, ``digest``, ``history``.

``poll`` runs one round over the due sources (for cron or a systemd timer) and exits 1 when a
source failed; ``watch`` runs rounds in the foreground until interrupted.  See
docs/monitoring.md.
"""

from __future__ import annotations

import json
import re
import sys
import time
from datetime import UTC, datetime, timedelta

import click

from chainatlas.settings import Settings

_REL = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.I)


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj if isinstance(ctx.obj, Settings) else Settings()


def _store(ctx: click.Context):
    from chainatlas.store import Store

    s = _settings(ctx)
    return Store.open(s.db_path, dedup_threshold=s.dedup_threshold)


def parse_since(value: str | None, now: datetime | None = None) -> str | None:
    """'2025-04-01', an ISO time, or relative '24h' / '7d' / '2w' → ISO UTC string."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    m = _REL.match(value)
    if m:
        n, unit = int(m.group(1)), m.group(2).lower()
        delta = {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]
        return (now - delta).isoformat(timespec="seconds")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise click.BadParameter(f"无法识别的时间：{value}（示例：2025-04-01、24h、7d）") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- sources


@click.group()
def sources() -> None:
    """订阅来源：添加、列出、删除（sources add/list/remove/history）。"""


@sources.command("add")
@click.argument("url")
@click.option("--kind", type=click.Choice(["feed", "list", "sitemap", "page"]), default="feed", show_default=True,
              help="feed=RSS/Atom；list=栏目列表页（配合 --pattern）；sitemap=站点地图；page=单个网页。")
@click.option("--every", default="6h", show_default=True, help="轮询间隔，如 30m、6h、1d。")
@click.option("--name", default=None, help="来源名称（如 滨海新区政务网·要闻）。")
@click.option("--pattern", default=None, help="列表页/站点地图：文章网址须匹配的正则表达式。")
@click.pass_context
def sources_add(ctx: click.Context, url: str, kind: str, every: str, name: str | None, pattern: str | None) -> None:
    """登记一个来源（已登记则更新其设置）。"""
    from chainatlas.store import sources as db

    try:
        seconds = db.parse_every(every)
        with _store(ctx) as store:
            src = db.add_source(store.conn, url, kind, seconds, name=name, pattern=pattern)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"已登记来源 {src['id']}：{src['name'] or src['url']}（{kind}，每 {db.format_every(seconds)}）")


@sources.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def sources_list(ctx: click.Context, fmt: str) -> None:
    """列出来源及其健康状况（上次成功、上次错误、新增文档）。"""
    from chainatlas.store import sources as db

    with _store(ctx) as store:
        rows = db.list_sources(store.conn)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("尚未登记来源：chainatlas sources add URL --kind feed|list|sitemap|page")
        return
    for r in rows:
        state = "✓" if not r["failures"] else "✗"
        click.echo(f"{state} {r['id']}  {r['name'] or ''}  {r['url']}  [{r['kind']}，每 {db.format_every(r['every_seconds'])}"
                   f"，已知页面 {r['pages']}]")
        click.echo(f"    {db.health_line(r)}")


@sources.command("remove")
@click.argument("key")
@click.pass_context
def sources_remove(ctx: click.Context, key: str) -> None:
    """删除来源（按编号、网址或名称）；已入库的文档保留。"""
    from chainatlas.store import sources as db

    with _store(ctx) as store:
        ok = db.remove_source(store.conn, key)
    if not ok:
        click.echo(f"没有这个来源：{key}", err=True)
        sys.exit(1)
    click.echo(f"已删除来源 {key}")


@click.command()
@click.argument("source", required=False)
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def history(ctx: click.Context, source: str | None, limit: int, fmt: str) -> None:
    """网页内容变化历史：何时变化、增加和删除了哪些行。"""
    from chainatlas.store import sources as db

    with _store(ctx) as store:
        rows = db.page_history(store.conn, source, limit)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("没有记录到内容变化。")
    for r in rows:
        click.echo(f"{r['changed_at']}  {r['source']}")
        for line in r["removed"]:
            click.echo(f"  - {line}")
        for line in r["added"]:
            click.echo(f"  + {line}")


# ---------------------------------------------------------------- poll / watch


def _round_lines(report) -> list[str]:
    lines = []
    for r in report.rounds:
        mark = "✓" if r.ok else "✗"
        line = (f"{mark} {r.name or r.url}：新增 {len(r.new_documents)}，更新 {len(r.changed_documents)}，"
                f"未变化 {r.unchanged + r.not_modified}，请求 {r.requests}")
        if r.disallowed:
            line += f"，robots.txt 禁止 {len(r.disallowed)}"
        if r.error:
            line += f"；错误：{r.error}"
        lines.append(line)
    t = report.totals()
    lines.append(f"本轮 {t['sources']} 个来源：新增 {t['new']} 篇，更新 {t['changed']} 篇，"
                 f"新提醒 {t['alerts']} 条，{report.seconds:.1f} 秒")
    return lines


@click.command()
@click.option("--force", is_flag=True, help="轮询全部来源，不论是否到期。")
@click.option("--source", "only", default=None, help="只轮询这一个来源（编号、网址或名称）。")
@click.option("--host-interval", type=float, default=1.0, show_default=True,
              help="同一网站两次请求之间至少间隔的秒数。")
@click.option("--max-pages", type=int, default=500, show_default=True, help="每个来源每轮最多抓取的页面数。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def poll(ctx: click.Context, force: bool, only: str | None, host_interval: float, max_pages: int, fmt: str) -> None:
    """轮询一轮到期的来源：只抓取新增或变化的页面，入库并生成提醒（供 cron / systemd 定时器调用）。"""
    from chainatlas.sources.fetch import PoliteFetcher
    from chainatlas.sources.poll import poll as run_poll

    settings = _settings(ctx)
    with _store(ctx) as store, PoliteFetcher(timeout=settings.http_timeout, max_bytes=settings.max_bytes,
                                             min_interval=host_interval) as fetcher:
        try:
            report = run_poll(store, settings, force=force, only=only, fetcher=fetcher, max_pages=max_pages)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        if not report.rounds:
            click.echo("没有到期的来源。")
        for line in _round_lines(report):
            click.echo(line)
    if not report.ok:
        sys.exit(1)


@click.command()
@click.option("--host-interval", type=float, default=1.0, show_default=True,
              help="同一网站两次请求之间至少间隔的秒数。")
@click.option("--max-pages", type=int, default=500, show_default=True)
@click.option("--check-every", type=float, default=60.0, show_default=True,
              help="最长空闲秒数：新登记的来源最迟这么久后被发现。")
@click.option("--rounds", type=int, default=0, help="执行这么多轮后退出（0 = 一直运行）。")
@click.pass_context
def watch(ctx: click.Context, host_interval: float, max_pages: int, check_every: float, rounds: int) -> None:
    """在前台持续运行：每个来源按自己的间隔轮询（Ctrl-C 退出）。"""
    from chainatlas.sources.fetch import PoliteFetcher
    from chainatlas.sources.poll import poll as run_poll
    from chainatlas.store import sources as db

    settings = _settings(ctx)
    done = 0
    click.echo("开始监测（Ctrl-C 退出）")
    try:
        while True:
            with _store(ctx) as store, PoliteFetcher(timeout=settings.http_timeout, max_bytes=settings.max_bytes,
                                                     min_interval=host_interval) as fetcher:
                report = run_poll(store, settings, fetcher=fetcher, max_pages=max_pages)
                nxt = db.next_due_time(store.conn)
            if report.rounds:
                stamp = datetime.now(UTC).isoformat(timespec="seconds")
                for line in _round_lines(report):
                    click.echo(f"[{stamp}] {line}")
            done += 1
            if rounds and done >= rounds:
                break
            wait = check_every
            if nxt:
                due = datetime.fromisoformat(nxt)
                wait = min(check_every, max(1.0, (due - datetime.now(UTC)).total_seconds()))
            time.sleep(wait)
    except KeyboardInterrupt:
        click.echo("已停止监测")


# ---------------------------------------------------------------- rules, alerts, digest


@click.group()
def rules() -> None:
    """关注规则：产业链/环节、地区、企业、项目阶段变化、数字冲突、竞争地区签约。"""


@rules.command("add")
@click.option("--user", required=True, help="用户名（提醒与摘要按用户区分）。")
@click.option("--kind", type=click.Choice(["chain", "region", "company", "stage", "figure", "competitor"]),
              required=True)
@click.option("--value", default=None,
              help="chain：产业链（名称或编号）；region：地区；company：企业名称；stage：可选产业链；"
                   "figure：可选指标名；competitor：本地区。")
@click.option("--segment", default=None, help="chain：环节（上游/中游/下游）。")
@click.option("--email", default=None, help="摘要邮件的收件地址。")
@click.pass_context
def rules_add(ctx: click.Context, user: str, kind: str, value: str | None, segment: str | None,
              email: str | None) -> None:
    """添加一条关注规则。"""
    from chainatlas.store import sources as db

    if kind in ("chain", "stage") and value:
        from chainatlas.chains import load_taxonomy, parse_segment

        tax = load_taxonomy(_settings(ctx).chains_dir)
        cid = tax.resolve(value)
        if cid is None:
            raise click.UsageError(f"未知的产业链：{value}（见 chainatlas chains）")
        value = cid
        if segment:
            seg = parse_segment(segment, tax, cid)
            if seg is None:
                raise click.UsageError(f"未知的环节：{segment}（上游/中游/下游）")
            segment = seg
    try:
        with _store(ctx) as store:
            rid = db.add_rule(store.conn, user, kind, value, segment, email)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"已添加规则 {rid}：{user} 关注 {kind} {value or ''} {segment or ''}".rstrip())


@rules.command("list")
@click.option("--user", default=None)
@click.pass_context
def rules_list(ctx: click.Context, user: str | None) -> None:
    """列出关注规则。"""
    from chainatlas.store import sources as db

    with _store(ctx) as store:
        rows = db.list_rules(store.conn, user)
    if not rows:
        click.echo("没有关注规则：chainatlas rules add --user 用户 --kind chain --value 集成电路")
    for r in rows:
        click.echo(f"{r['id']}  {r['user']}  {r['kind']}  {r['value'] or ''}  {r['segment'] or ''}  {r['email'] or ''}")


@rules.command("remove")
@click.argument("rule_id", type=int)
@click.pass_context
def rules_remove(ctx: click.Context, rule_id: int) -> None:
    """删除一条关注规则。"""
    from chainatlas.store import sources as db

    with _store(ctx) as store:
        ok = db.remove_rule(store.conn, rule_id)
    if not ok:
        click.echo(f"没有这条规则：{rule_id}", err=True)
        sys.exit(1)
    click.echo(f"已删除规则 {rule_id}")


@click.command()
@click.option("--since", default=None, help="起始时间：2025-04-01、24h、7d。")
@click.option("--user", default=None)
@click.option("--limit", type=int, default=200, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def alerts(ctx: click.Context, since: str | None, user: str | None, limit: int, fmt: str) -> None:
    """列出提醒（每条附原文引文与出处）。"""
    from chainatlas.store import sources as db
    from chainatlas.watch.digest import KIND_LABELS

    with _store(ctx) as store:
        rows = db.list_alerts(store.conn, parse_since(since), user, limit)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("没有提醒。")
    for a in rows:
        click.echo(f"{a['created_at']}  [{KIND_LABELS.get(a['kind'], a['kind'])}] {a['user']}：{a['title']}")
        click.echo(f"    “{a['quote']}”")
        where = " · ".join(x for x in (a.get("url") or a.get("source"), a.get("place")) if x)
        if where:
            click.echo(f"    {where}")


@click.command()
@click.option("--since", default="1d", show_default=True, help="起始时间：2025-04-01、24h、1d、7d（周报）。")
@click.option("--user", default=None, help="只含这个用户的提醒（Atom 订阅需要）。")
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="输出文件：.html 摘要页，.xml/.atom 为 Atom 订阅。")
@click.option("--mail-to", default=None, help="以邮件发送（逗号分隔的地址；SMTP 见 CHAINATLAS_SMTP_*）。")
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True, help="Atom 中链接的网站地址。")
@click.pass_context
def digest(ctx: click.Context, since: str, user: str | None, out: str | None, mail_to: str | None,
           base_url: str) -> None:
    """生成日报/周报摘要：HTML 文件、Atom 订阅，或通过 SMTP 发送邮件。"""
    from pathlib import Path

    from chainatlas.store import sources as db
    from chainatlas.watch.digest import render_atom, render_html

    start = parse_since(since)
    with _store(ctx) as store:
        rows = db.list_alerts(store.conn, start, user, limit=2000)
        rule_mails = sorted({r["email"] for r in db.list_rules(store.conn, user) if r.get("email")})
        if not out and not mail_to:
            raise click.UsageError("请给出 --out FILE.html / FILE.xml 或 --mail-to 地址")
        if out:
            path = Path(out)
            if path.suffix.lower() in (".xml", ".atom"):
                path.write_text(render_atom(rows, user or "全部用户", base_url), encoding="utf-8")
            else:
                path.write_text(render_html(rows, since=start, user=user), encoding="utf-8")
            click.echo(f"已写出 {len(rows)} 条提醒 → {path}")
        if mail_to:
            from chainatlas.watch.mail import SmtpConfig, send_digest

            to = [x.strip() for x in mail_to.split(",") if x.strip()] if mail_to != "rules" else rule_mails
            try:
                send_digest(rows, to, SmtpConfig.from_env(), since=start)
            except (ValueError, OSError) as exc:
                click.echo(f"邮件发送失败：{exc}", err=True)
                sys.exit(1)
            db.mark_mailed(store.conn, [r["id"] for r in rows])
            click.echo(f"已发送 {len(rows)} 条提醒 → {', '.join(to)}")


COMMANDS = [sources, poll, watch, rules, alerts, digest, history]
