# ruff: noqa: B008  (FastAPI declares dependencies and parameters as call defaults)
"""The chain taxonomy in the browser: a read-only view for everyone, a YAML editor for editors.

Edits only ever touch the user's chain folder (``CHAINATLAS_CHAINS_DIR``), never the built-in
chains inside the installed package.  When no folder is set, an editor can create one: a copy of
the built-in files in ``<folder of the db file>/chains/``, used by this server process from then on.

A save is validated before anything changes: the edited text is written into a temporary copy of
the user folder and the *whole* taxonomy is loaded from it (``load_taxonomy`` parses with
``yaml.safe_load`` and names file and key on any problem).  Only then is the file replaced, with
a temporary file and ``os.replace`` so that readers never see half a file.  The file name comes
from the loaded taxonomy (``Chain.source_file``), never from the URL.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chainatlas.labels import labels as zh_labels
from chainatlas.web.app import WORKERS_ENV
from chainatlas.web.deps import WebState, check_csrf, state
from chainatlas.web.pages import render
from chainatlas.web.services import CHAINS_DIR_ENV, chains_dir_in_use, clear_taxonomy_cache, taxonomy

router = APIRouter(include_in_schema=False)

MAX_EDIT_BYTES = 200 * 1024  # a chain file is a few KB; refuse anything beyond this before parsing
TERM_KIND_LABELS = (("products", "产品"), ("technologies", "技术"), ("keywords", "关键词"))
RELATION_LABELS = {"supplies": "供给", "part_of": "属于", "depends_on": "依托", "related": "相关",
                   "uses": "应用", "serves": "服务"}


def builtin_dir() -> Path:
    return Path(str(resources.files("chainatlas") / "data" / "chains"))


def user_dir(web: WebState) -> Path | None:
    """The user's chain folder this server reads and edits, None when it uses the built-in chains."""
    d = chains_dir_in_use() or web.settings.chains_dir
    return Path(d) if d else None


def copy_target(web: WebState) -> Path:
    """Where "创建可编辑副本" puts the copy: ``chains/`` next to the database file (a PostgreSQL store: in
    the working directory)."""
    if str(web.settings.db_path).lower().startswith(("postgresql://", "postgres://")):
        return Path.cwd() / "chains"
    return Path(web.settings.db_path).resolve().parent / "chains"


def _load(folder: Path | str | None) -> Any:
    from chainatlas.chains import load_taxonomy

    return load_taxonomy(folder)


def _forget_caches(web: WebState) -> None:
    """Chain labels, filter dropdowns and atlas graphs were built from the old taxonomy."""
    clear_taxonomy_cache()
    web.cache.clear()


def _require_editor_page(request: Request) -> Response | None:
    if not request.state.session.editor:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    return None


# --------------------------------------------------------------------------- view

@router.get("/taxonomy", response_class=HTMLResponse)
def taxonomy_page(request: Request, saved: str | None = None, copied: str | None = None) -> HTMLResponse:
    web = state(request)
    folder = user_dir(web)
    tax, error = taxonomy(), None
    if tax is None:  # the loader failed: show why instead of an empty page
        try:
            tax = _load(str(folder) if folder else None)
        except Exception as exc:  # TaxonomyError or an unreadable folder
            error = str(exc)
            tax = None
    chains = list(tax) if tax is not None else []
    saved_chain = tax.chains.get(saved) if (tax is not None and saved) else None
    return render(request, "taxonomy.html", chains=chains, groups=getattr(tax, "groups", {}) or {},
                  folder=str(folder) if folder else None, builtin=str(builtin_dir()), load_error=error,
                  saved_chain=saved_chain, copied=bool(copied), copy_target=str(copy_target(web)),
                  kinds=TERM_KIND_LABELS, relations={**zh_labels("relation_types"), **RELATION_LABELS},
                  env_name=CHAINS_DIR_ENV)


# --------------------------------------------------------------------------- edit

def _edit_context(request: Request, chain_id: str) -> tuple[WebState, Path | None, Any]:
    """(state, user folder, chain) — 404 unless ``chain_id`` is a chain of the loaded taxonomy."""
    web = state(request)
    folder = user_dir(web)
    try:
        tax = _load(str(folder) if folder else None)
    except Exception as exc:
        raise HTTPException(500, f"分类体系无法加载：{exc}") from exc
    chain = tax.chains.get(chain_id)
    if chain is None or not chain.source_file:
        raise HTTPException(404, "未知的产业链")
    return web, folder, chain


def _render_edit(request: Request, web: WebState, folder: Path | None, chain: Any, text: str | None = None,
                 error: str | None = None, status_code: int = 200) -> HTMLResponse:
    if text is None and folder is not None:
        text = (folder / chain.source_file).read_text(encoding="utf-8")
    return render(request, "taxonomy_edit.html", status_code=status_code, chain=chain, folder=str(folder) if folder else None,
                  text=text or "", error=error, copy_target=str(copy_target(web)), env_name=CHAINS_DIR_ENV,
                  max_kb=MAX_EDIT_BYTES // 1024)


@router.get("/taxonomy/{chain_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, chain_id: str) -> Response:
    denied = _require_editor_page(request)
    if denied is not None:
        return denied
    web, folder, chain = _edit_context(request, chain_id)
    return _render_edit(request, web, folder, chain)


async def _capped_form(request: Request) -> dict[str, str]:
    """The url-encoded form body, refused with 413 beyond MAX_EDIT_BYTES (read in chunks)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_EDIT_BYTES:
        raise HTTPException(413, f"内容超过 {MAX_EDIT_BYTES // 1024} KB 上限")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_EDIT_BYTES:
            raise HTTPException(413, f"内容超过 {MAX_EDIT_BYTES // 1024} KB 上限")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise HTTPException(415, "expected an url-encoded form")
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "form is not UTF-8") from exc
    return {k: v[0] for k, v in parsed.items() if v}


def validate_edit(folder: Path, file_name: str, chain_id: str, text: str) -> str | None:
    """None when the folder with ``file_name`` replaced by ``text`` loads; else the error (Chinese)."""
    import yaml

    prefix = "校验未通过，未保存任何修改："
    if not text.strip():
        return prefix + "内容为空"
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None  # load_taxonomy below reports the syntax error with file and position
    if isinstance(data, dict) and data.get("id") != chain_id:
        return prefix + f"id 不能修改（应为 {chain_id}）；新增产业链请在文件夹中新建文件"
    with tempfile.TemporaryDirectory(prefix="chainatlas-chains-") as tmp:
        tmp_dir = Path(tmp)
        for f in folder.iterdir():
            if f.is_file() and f.suffix in (".yaml", ".yml"):
                shutil.copy2(f, tmp_dir / f.name)
        (tmp_dir / file_name).write_text(text, encoding="utf-8")
        try:
            tax = _load(tmp_dir)
        except Exception as exc:  # TaxonomyError names the file and the key
            return prefix + str(exc)
    if chain_id not in tax.chains or tax.chains[chain_id].source_file != file_name:
        return prefix + f"id 不能修改（应为 {chain_id}）"
    return None


def replace_file(path: Path, text: str) -> None:
    """Write ``text`` next to ``path`` and move it over ``path`` in one step (os.replace)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@router.post("/taxonomy/{chain_id}/edit", response_class=HTMLResponse)
async def edit_post(request: Request, chain_id: str) -> Response:
    form = await _capped_form(request)
    check_csrf(request, form.get("csrf_token"))
    if not request.state.session.editor:
        raise HTTPException(401, "editor login required")
    return await run_in_threadpool(_save, request, chain_id, form.get("yaml_text", ""))


def _save(request: Request, chain_id: str, text: str) -> Response:
    web, folder, chain = _edit_context(request, chain_id)
    if folder is None:
        return _render_edit(request, web, folder, chain, status_code=409,
                            error="尚未设置可编辑的产业链文件夹，请先创建可编辑副本")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    with web.taxonomy_lock:
        error = validate_edit(folder, chain.source_file, chain_id, text)
        if error:
            return _render_edit(request, web, folder, chain, text=text, error=error, status_code=422)
        replace_file(folder / chain.source_file, text)
        _forget_caches(web)
    return RedirectResponse(f"/taxonomy?saved={quote(chain_id)}#chain-{quote(chain_id)}", status_code=303)


# --------------------------------------------------------------------------- copy

def copy_builtin(target: Path) -> list[str]:
    """Copy the built-in chain files into ``target`` (created); returns the copied file names."""
    source = builtin_dir().resolve()
    target = target.resolve()
    if target == source or source in target.parents or target in source.parents:
        raise ValueError("refusing to write into the installed package")
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for f in sorted(source.iterdir()):
        if f.is_file() and (f.suffix in (".yaml", ".yml") or f.name == "SOURCES.md"):
            shutil.copyfile(f, target / f.name)
            copied.append(f.name)
    return copied


@router.post("/taxonomy/copy")
def copy_post(request: Request, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    if not request.state.session.editor:
        raise HTTPException(401, "editor login required")
    web = state(request)
    if user_dir(web) is not None:
        return RedirectResponse("/taxonomy", status_code=303)
    if int(os.environ.get(WORKERS_ENV, "1") or 1) > 1:  # the other worker processes would keep the built-in chains
        raise HTTPException(409, "多个工作进程运行时不能在网页上切换产业链文件夹：请用 CHAINATLAS_CHAINS_DIR 指定"
                                 "文件夹后重启服务（或先以单进程运行并创建副本）")
    target = copy_target(web)
    with web.taxonomy_lock:
        has_chains = target.is_dir() and any(target.glob("*.y*ml"))
        if has_chains:  # an earlier copy: keep the user's edits, use it if it loads
            try:
                _load(target)
            except Exception as exc:
                raise HTTPException(409, f"{target} 已存在但无法加载：{exc}") from exc
        else:
            try:
                copy_builtin(target)
            except (OSError, ValueError) as exc:
                raise HTTPException(500, f"无法创建可编辑副本：{exc}") from exc
        web.settings = web.settings.with_(chains_dir=str(target))
        os.environ[CHAINS_DIR_ENV] = str(target)  # uploads processed by this server read it too
        _forget_caches(web)
    return RedirectResponse("/taxonomy?copied=1", status_code=303)
