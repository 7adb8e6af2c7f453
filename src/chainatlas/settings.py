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
    if env.get("CHAINATLAS_BASE_URL"):
        s = s.with_(base_url=env["CHAINATLAS_BASE_URL"])
    clean = {k: v for k, v in overrides.items() if v is not None}
    return s.with_(**clean) if clean else s
