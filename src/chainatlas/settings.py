"""Run-time settings: defaults, overridden by environment variables.

Read only when called (no module-level state), so tests build their own Settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: str = "chainatlas.db"
    max_bytes: int = 20 * 1024 * 1024  # per input file / URL body
    http_timeout: float = 10.0  # seconds, connect + read
    dedup_threshold: float = 0.8  # MinHash Jaccard above which two articles are one story
    stalled_months: int = 6  # a project with no update for this long is "stalled"
    editor_token: str | None = None  # web: token required for writes (None → generated at start)
    read_requires_login: bool = False
    chains_dir: str | None = None  # a folder with a full set of chain YAML files (None → built-in chains)
    base_url: str | None = None  # the web app's public address for links in exports (None → the request's)
    # Limits on hostile or broken input (docs/reliability.md); each breach is a per-file error.
    http_deadline: float = 120.0  # seconds for a whole download (a server trickling bytes is cut off)
    max_html_depth: int = 512  # HTML elements nested deeper are flattened (text kept)
    max_unpacked_bytes: int = 50 * 1024 * 1024  # an XLSX workbook's decompressed size
    max_table_rows: int = 50_000  # rows of one CSV/XLSX table
    max_table_cells: int = 300_000  # cells of one CSV/XLSX table (openpyxl reads ~25,000 a second)
    max_cell_chars: int = 32_768  # characters in one CSV/XLSX cell
    max_pdf_pages: int = 2_000  # pages of one PDF
    lock_timeout: float = 30.0  # seconds a writer waits for another one's database lock

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def load_settings(env: dict[str, str] | None = None, **overrides: object) -> Settings:
    env = dict(os.environ) if env is None else env
    s = Settings()
    if env.get("CHAINATLAS_DB"):
        s = s.with_(db_path=env["CHAINATLAS_DB"])
    if env.get("CHAINATLAS_MAX_BYTES"):
        s = s.with_(max_bytes=int(env["CHAINATLAS_MAX_BYTES"]))
    if env.get("CHAINATLAS_EDITOR_TOKEN"):
        s = s.with_(editor_token=env["CHAINATLAS_EDITOR_TOKEN"])
    if env.get("CHAINATLAS_READ_LOGIN") in ("1", "true", "yes"):
        s = s.with_(read_requires_login=True)
    if env.get("CHAINATLAS_CHAINS_DIR"):
        s = s.with_(chains_dir=env["CHAINATLAS_CHAINS_DIR"])
    for key, name, kind in _LIMIT_ENV:
        if env.get(name):
            try:
                value = kind(env[name])
            except ValueError:
                raise ValueError(f"环境变量 {name} 须为数字 / {name} must be a number: {env[name]!r}") from None
            s = s.with_(**{key: value})
    if env.get("CHAINATLAS_BASE_URL"):
        s = s.with_(base_url=env["CHAINATLAS_BASE_URL"])
    clean = {k: v for k, v in overrides.items() if v is not None}
    s = s.with_(**clean) if clean else s
    if str(s.db_path).lower().startswith("sqlite:///"):  # sqlite:///rel.db, sqlite:////abs.db (store.backend)
        s = s.with_(db_path=str(s.db_path)[len("sqlite:///"):])
    return s


_LIMIT_ENV: tuple[tuple[str, str, type], ...] = (
    ("http_deadline", "CHAINATLAS_HTTP_DEADLINE", float),
    ("max_html_depth", "CHAINATLAS_MAX_HTML_DEPTH", int),
    ("max_unpacked_bytes", "CHAINATLAS_MAX_UNPACKED_BYTES", int),
    ("max_table_rows", "CHAINATLAS_MAX_TABLE_ROWS", int),
    ("max_table_cells", "CHAINATLAS_MAX_TABLE_CELLS", int),
    ("max_cell_chars", "CHAINATLAS_MAX_CELL_CHARS", int),
    ("max_pdf_pages", "CHAINATLAS_MAX_PDF_PAGES", int),
    ("lock_timeout", "CHAINATLAS_LOCK_TIMEOUT", float),
)
