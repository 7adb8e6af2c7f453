"""users, review, entities, leads: accounts, judgements on facts, finding ids, lead tracking."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click


def _store_conn(ctx: click.Context) -> sqlite3.Connection:
    from chainatlas.store import Store

    path = ctx.obj.db_path if ctx.obj is not None and getattr(ctx.obj, "db_path", None) else "chainatlas.db"
    if not str(path).lower().startswith(("postgresql://", "postgres://")) and not Path(path).exists():
        raise click.ClickException(f"库文件 {path} 不存在：请先运行 chainatlas ingest，或用 --db 指定")
    return Store.open(path).conn


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str))


def _editor(conn: sqlite3.Connection, name: str | None) -> str:
    """The user a change is recorded for: an existing editor or admin account."""
    from chainatlas.users import get_user

    name = name or os.environ.get("CHAINATLAS_USER")
    if not name:
        raise click.UsageError("须用 --by NAME 指明操作人（编辑或管理员账户；也可设 CHAINATLAS_USER）")
    user = get_user(conn, name)
    if user is None:
        raise click.ClickException(f"没有账户 {name}（先运行 chainatlas users add {name} --role editor）")
    if not user.can("editor"):
        raise click.ClickException(f"{name} 是查看者，不能修改数据")
    return user.name


by_option = click.option("--by", "by", default=None, help="操作人（编辑/管理员账户名；环境变量 CHAINATLAS_USER）。")
reason_option = click.option("--reason", default=None, help="理由（记入审计日志）。")


def _kind_of(conn: sqlite3.Connection, fact_id: str) -> str:
    for kind, table in (("entity", "entities"), ("project", "projects"), ("metric", "metrics"),
                        ("relation", "relations")):
        if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (fact_id,)).fetchone():
            return kind
    if fact_id.count(":") >= 2 and fact_id.split(":", 1)[0] in ("entity", "project"):
        return "mapping"
    raise click.ClickException(f"库中没有编号为 {fact_id} 的实体、项目、指标或关系（chainatlas entities --q 名称 查编号）")


def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    from chainatlas.leads import LeadError
    from chainatlas.review import ReviewError
    from chainatlas.users import UserError

    try:
        return fn(*args, **kwargs)
    except (ReviewError, UserError, LeadError) as exc:
        raise click.ClickException(str(exc)) from exc


def _show(j: dict[str, Any]) -> None:
    what = j.get("field_label") and f"{j['field_label']} → {j['value']}" or ""
    click.echo(f"判断 #{j['id']} {j['action_label']}{j['kind_label']} {j.get('target_id') or ''} {what} "
               f"[{j['status_label']}] ({j['user']})")


# ------------------------------------------------------------------ users


@click.group("users")
def users_cmd() -> None:
    """账户与角色（viewer 查看者 / editor 编辑 / admin 管理员）。"""


@users_cmd.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "editor", "admin"]), required=True)
@click.option("--password-stdin", is_flag=True, help="从标准输入读密码（脚本用）；否则交互输入两次。")
@click.option("--replace", is_flag=True, help="已存在时重设密码和角色。")
@click.pass_context
def users_add(ctx: click.Context, name: str, role: str, password_stdin: bool, replace: bool) -> None:
    """创建账户（第一个管理员：chainatlas users add NAME --role admin）。"""
    from chainatlas.users import add_user

    conn = _store_conn(ctx)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")
    user = _run(add_user, conn, name, role, password, replace=replace)
    click.echo(f"已创建账户 {user.name}（{role}）")


@users_cmd.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def users_list(ctx: click.Context, fmt: str) -> None:
    from chainatlas.users import ROLE_LABELS, list_users

    rows = list_users(_store_conn(ctx))
    if fmt == "json":
        _echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['name']}\t{ROLE_LABELS.get(str(r['role']), r['role'])}\t"
                   f"{'已停用' if r['disabled'] else '启用'}\t最近登录 {r['last_login'] or '从未'}")


@users_cmd.command("disable")
@click.argument("name")
@click.pass_context
def users_disable(ctx: click.Context, name: str) -> None:
    from chainatlas.users import set_disabled

    if not set_disabled(_store_conn(ctx), name):
        raise click.ClickException(f"没有账户 {name}")
    click.echo(f"已停用 {name}")


# ------------------------------------------------------------------ review


@click.group("review")
def review_cmd() -> None:
    """人工判断：确认、否决、更正、合并、拆分、补录；撤销、列表、导出导入。"""


def _judge(ctx: click.Context, action: str, fact_id: str | None, by: str | None, **kw: Any) -> None:
    from chainatlas.review import judge

    conn = _store_conn(ctx)
    user = _editor(conn, by)
    kind = kw.pop("kind", None) or _kind_of(conn, fact_id or "")
    j = _run(judge, conn, action, kind, fact_id, user=user, **kw)
    _show(j)


@review_cmd.command("accept")
@click.argument("fact_id")
@by_option
@reason_option
@click.pass_context
def review_accept(ctx: click.Context, fact_id: str, by: str | None, reason: str | None) -> None:
    """确认一条事实（实体名确认后进入用户词典，下次抽取即可识别）。"""
    _judge(ctx, "accept", fact_id, by, reason=reason)


@review_cmd.command("reject")
@click.argument("fact_id")
@by_option
@reason_option
@click.pass_context
def review_reject(ctx: click.Context, fact_id: str, by: str | None, reason: str | None) -> None:
    """否决一条事实（实体、项目、指标、关系；实体名进入停用表）。"""
    _judge(ctx, "reject", fact_id, by, reason=reason)


@review_cmd.command("set")
@click.argument("fact_id")
@click.argument("field")
@click.argument("value")
@by_option
@reason_option
@click.pass_context
def review_set(ctx: click.Context, fact_id: str, field: str, value: str, by: str | None, reason: str | None) -> None:
    """更正字段：实体 name/type/region；项目 name/stage/amount/date/investor/location/sector；指标 value/unit/indicator。"""
    _judge(ctx, "set", fact_id, by, field=field, value=value, reason=reason)


@review_cmd.command("merge")
@click.argument("from_id")
@click.argument("into_id")
@by_option
@reason_option
@click.pass_context
def review_merge(ctx: click.Context, from_id: str, into_id: str, by: str | None, reason: str | None) -> None:
    """把 FROM_ID 合并进 INTO_ID（两个实体或两个项目）。"""
    _judge(ctx, "merge", from_id, by, other_id=into_id, reason=reason)


@review_cmd.command("split")
@click.argument("fact_id")
@click.option("--name", "names", multiple=True, help="拆出的名称（默认：并入该实体的全部名称）。")
@click.option("--apart", default=None, help="项目：与之分开显示的另一个项目编号。")
@by_option
@reason_option
@click.pass_context
def review_split(ctx: click.Context, fact_id: str, names: tuple[str, ...], apart: str | None, by: str | None,
                 reason: str | None) -> None:
    """拆分被误合并的实体（按名称拆出），或让两个项目不再合并显示。"""
    _judge(ctx, "split", fact_id, by, value=list(names) or None, other_id=apart, reason=reason)


@review_cmd.command("add")
@click.argument("kind", type=click.Choice(["entity", "project"]))
@click.option("--name", required=True)
@click.option("--quote", required=True, help="原文引语（逐字复制，须包含在库中某篇文章里）。")
@click.option("--type", "etype", type=click.Choice(["company", "park", "government", "institution", "person",
                                                    "region"]), default=None, help="实体类型。")
@click.option("--alias", "aliases", multiple=True)
@click.option("--source", default=None, help="文档来源（路径或网址），引语在多篇文章中出现时用它定位。")
@click.option("--stage", default=None)
@click.option("--amount", default=None, help="如 12亿元")
@click.option("--investor", default=None)
@click.option("--location", default=None)
@click.option("--date", default=None)
@by_option
@reason_option
@click.pass_context
def review_add(ctx: click.Context, kind: str, name: str, quote: str, etype: str | None, aliases: tuple[str, ...],
               source: str | None, stage: str | None, amount: str | None, investor: str | None,
               location: str | None, date: str | None, by: str | None, reason: str | None) -> None:
    """补录漏抽的实体或项目（附原文引语）。"""
    value = {"name": name, "quote": quote, "type": etype, "aliases": list(aliases), "source": source, "stage": stage,
             "amount": amount, "investor": investor, "location": location, "date": date}
    _judge(ctx, "add", None, by, kind=kind, value=value, reason=reason)


@review_cmd.command("undo")
@click.argument("judgement_id")
@by_option
@click.pass_context
def review_undo(ctx: click.Context, judgement_id: str, by: str | None) -> None:
    """撤销一条判断（恢复它改动的数据；判断留在日志中，标为已撤销）。"""
    from chainatlas.review import undo

    conn = _store_conn(ctx)
    j = _run(undo, conn, judgement_id, _editor(conn, by))
    _show(j)


@review_cmd.command("list")
@click.option("--status", type=click.Choice(["applied", "orphaned", "undone"]), default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def review_list(ctx: click.Context, status: str | None, fmt: str) -> None:
    """列出判断（--status orphaned：对象已不存在的判断）。"""
    from chainatlas.review import list_judgements

    rows = list_judgements(_store_conn(ctx), status=status)
    if fmt == "json":
        _echo_json(rows)
        return
    if not rows:
        click.echo("没有判断")
    for j in rows:
        key = j["target_key"] or {}
        label = key.get("name") or key.get("raw") or key.get("type") or ""
        click.echo(f"#{j['id']}\t{j['at'][:16]}\t{j['user']}\t{j['action_label']}{j['kind_label']}\t{label}\t"
                   f"{(j['field_label'] or '') + ('→' + json.dumps(j['value'], ensure_ascii=False) if j['field'] else '')}"
                   f"\t{j['status_label']}")


@review_cmd.command("log")
@click.option("--limit", default=50, show_default=True)
@click.pass_context
def review_log(ctx: click.Context, limit: int) -> None:
    """审计日志（判断、撤销、重放、导入、线索变更、账户）。"""
    from chainatlas.review import audit_log

    for r in audit_log(_store_conn(ctx), limit):
        click.echo(f"{r['at']}\t{r['user']}\t{r['action']}\t{json.dumps(r['detail'], ensure_ascii=False)}")


@review_cmd.command("replay")
@click.pass_context
def review_replay(ctx: click.Context) -> None:
    """把全部判断重新应用到当前数据（每次导入后自动运行）。"""
    from chainatlas.review import replay

    counts = replay(_store_conn(ctx))
    click.echo(f"生效 {counts.get('applied', 0)} 条，找不到对象 {counts.get('orphaned', 0)} 条")


@review_cmd.command("export")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="FILE.json 或 FILE.xlsx")
@click.pass_context
def review_export(ctx: click.Context, out: str) -> None:
    """导出全部判断和招商线索（JSON 或 xlsx）。"""
    from chainatlas.review.exchange import write_export

    n = write_export(_store_conn(ctx), out)
    click.echo(f"已导出 {n['judgements']} 条判断、{n['leads']} 条线索 → {out}")


def _import_file(ctx: click.Context, file: str, by: str | None, leads_only: bool) -> dict:
    """Read an export file (JSON or xlsx) and import it as the editor ``by``; leads only on request."""
    from chainatlas.review.exchange import import_data, read_import

    conn = _store_conn(ctx)
    user = _editor(conn, by)
    try:
        data = read_import(file)
    except (ValueError, KeyError) as exc:
        raise click.ClickException(f"读不了 {file}：{exc}") from exc
    if leads_only:
        data["judgements"] = []
    return import_data(conn, data, user)


@review_cmd.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@by_option
@click.pass_context
def review_import(ctx: click.Context, file: str, by: str | None) -> None:
    """导入判断和线索（校验、报告冲突，然后重放到本库数据上）。"""
    rep = _import_file(ctx, file, by, leads_only=False)
    click.echo(f"判断：新增 {rep['judgements_added']}，已有 {rep['judgements_known']}；"
               f"线索：新增 {rep['leads_added']}，已有 {rep['leads_known']}；"
               f"重放：生效 {rep['replay'].get('applied', 0)}，找不到对象 {rep['replay'].get('orphaned', 0)}")
    for line in rep["invalid"]:
        click.echo(f"无效：{line}", err=True)
    for line in rep["conflicts"]:
        click.echo(f"冲突：{line}", err=True)


@review_cmd.command("lexicon")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def review_lexicon(ctx: click.Context, fmt: str) -> None:
    """从判断学到的用户词典（确认的名称）与停用表（否决的字符串）。"""
    from chainatlas.review.learning import lexicon_entries

    names, stop = lexicon_entries(_store_conn(ctx))
    if fmt == "json":
        _echo_json({"names": {k: {"type": v[0], "name": v[1], "aliases": v[2]} for k, v in names.items()},
                    "stop": sorted(stop)})
        return
    for surface, (etype, name, aliases) in sorted(names.items()):
        click.echo(f"词典\t{surface}\t{etype}\t{name}\t{'、'.join(aliases)}")
    for s in sorted(stop):
        click.echo(f"停用\t{s}")


@review_cmd.command("queue")
@click.option("--limit", default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def review_queue(ctx: click.Context, limit: int, fmt: str) -> None:
    """待审队列（按期望价值：低置信 × 高影响）。"""
    from chainatlas.review.queue import review_queue as build

    conn = _store_conn(ctx)
    items, total = build(conn, limit=limit)
    if fmt == "json":
        _echo_json({"total": total, "items": items})
        return
    click.echo(f"待审 {total} 条")
    for it in items:
        click.echo(f"{it['value']:.2f}\t{it['kind_label']}\t{it['id']}\t{it['label']}\t{'；'.join(it['why'])}")


# ------------------------------------------------------------------ entities


@click.command("entities")
@click.option("--q", "q", default=None, help="名称或别名中包含的文字。")
@click.option("--type", "etype", default=None)
@click.option("--limit", default=30, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def entities_cmd(ctx: click.Context, q: str | None, etype: str | None, limit: int, fmt: str) -> None:
    """查实体编号（供 review 命令使用）。"""
    from chainatlas.store import Store

    conn = _store_conn(ctx)
    rows = Store(conn, ":cli:").list_entities(type=etype, q=q, limit=limit)
    for r in rows:
        r["aliases"] = [a[0] for a in conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? AND alias != ? ORDER BY alias", (r["id"], r["name"]))]
    if fmt == "json":
        _echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['id']}\t{r['type']}\t{r['name']}\t{r['mentions']} 次提及\t{'、'.join(r['aliases'])}")


# ------------------------------------------------------------------ leads


@click.group("leads")
def leads_cmd() -> None:
    """堵点招商线索：状态（待接触/已接触/洽谈中/已签约/已落地/放弃）、负责人、备注、下一步。"""


@leads_cmd.command("list")
@click.option("--status", default=None)
@click.option("--region", default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def leads_list(ctx: click.Context, status: str | None, region: str | None, fmt: str) -> None:
    from chainatlas.leads import list_leads

    rows = list_leads(_store_conn(ctx), status=status, region=region)
    if fmt == "json":
        _echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['id']}\t{r['status']}\t{r['company']}\t{r['region'] or ''}\t{r['gap'] or ''}\t"
                   f"{r['owner'] or ''}\t{r['next_step'] or ''} {r['next_date'] or ''}")


@leads_cmd.command("add")
@click.argument("company")
@click.option("--region", required=True)
@click.option("--chain", default=None)
@click.option("--segment", type=click.Choice(["upstream", "midstream", "downstream"]), default=None)
@click.option("--owner", default=None)
@click.option("--notes", default=None)
@by_option
@click.pass_context
def leads_add(ctx: click.Context, company: str, region: str, chain: str | None, segment: str | None,
              owner: str | None, notes: str | None, by: str | None) -> None:
    from chainatlas.leads import add_lead

    conn = _store_conn(ctx)
    lead = _run(add_lead, conn, company, region=region, chain=chain, segment=segment, owner=owner, notes=notes,
                user=_editor(conn, by))
    click.echo(f"已建线索 {lead['id']} {lead['company']}（{lead['status']}）")


@leads_cmd.command("from-list")
@click.option("--region", required=True)
@click.option("--chain", default=None)
@click.option("--top", default=3, show_default=True, help="每个缺口取前几家候选企业。")
@by_option
@click.pass_context
def leads_from_list(ctx: click.Context, region: str, chain: str | None, top: int, by: str | None) -> None:
    """把堵点招商引资清单上每个缺口的前几家候选企业建为线索。"""
    from chainatlas.chains import load_taxonomy
    from chainatlas.leads import leads_from_list as make

    conn = _store_conn(ctx)
    made = _run(make, conn, load_taxonomy(), region, user=_editor(conn, by), chain=chain, top=top)
    click.echo(f"新建 {len(made)} 条线索")


@leads_cmd.command("set")
@click.argument("lead_id")
@click.option("--status", default=None)
@click.option("--owner", default=None)
@click.option("--notes", default=None)
@click.option("--next-step", default=None)
@click.option("--next-date", default=None)
@by_option
@click.pass_context
def leads_set(ctx: click.Context, lead_id: str, status: str | None, owner: str | None, notes: str | None,
              next_step: str | None, next_date: str | None, by: str | None) -> None:
    from chainatlas.leads import update_lead

    conn = _store_conn(ctx)
    lead = _run(update_lead, conn, lead_id, user=_editor(conn, by), status=status, owner=owner, notes=notes,
                next_step=next_step, next_date=next_date)
    click.echo(f"{lead['id']} {lead['company']}：{lead['status']}")


@leads_cmd.command("export")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="FILE.xlsx 或 FILE.json")
@click.pass_context
def leads_export(ctx: click.Context, out: str) -> None:
    """只导出招商线索（xlsx 工作表“招商线索”，或 JSON）。"""
    from chainatlas.review.exchange import export_data, write_data

    data = export_data(_store_conn(ctx))
    data["judgements"] = []
    write_data(data, out)
    click.echo(f"已导出 {len(data['leads'])} 条线索 → {out}")


@leads_cmd.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@by_option
@click.pass_context
def leads_import(ctx: click.Context, file: str, by: str | None) -> None:
    """只导入招商线索（已有的保留；两边不同的报告为冲突）。"""
    rep = _import_file(ctx, file, by, leads_only=True)
    click.echo(f"线索：新增 {rep['leads_added']}，已有 {rep['leads_known']}")
    for line in rep["invalid"] + rep["conflicts"]:
        click.echo(line, err=True)


COMMANDS = [users_cmd, review_cmd, entities_cmd, leads_cmd]
