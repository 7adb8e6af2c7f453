"""Named accounts with roles (viewer, editor, admin), stored in the ``users`` table.

Passwords are hashed with argon2id (argon2-cffi, its default parameters); a hash made with
older parameters is re-hashed on the next successful login.  Roles are ordered: an admin may do
what an editor may, an editor what a viewer may.  The web app's shared editor token
(CHAINATLAS_EDITOR_TOKEN) still works for scripts as a *service* credential with the editor role.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

ROLES = ("viewer", "editor", "admin")
ROLE_LABELS = {"viewer": "查看者", "editor": "编辑", "admin": "管理员"}
_RANK = {r: i for i, r in enumerate(ROLES)}
SERVICE_USER = "令牌"  # who a change made with the shared editor token is recorded as
MIN_PASSWORD = 8
MAX_NAME = 64


class UserError(ValueError):
    """A bad user name, role or password (message in Chinese, shown to the user)."""


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        return _RANK.get(self.role, -1) >= _RANK[role]


def role_at_least(role: str | None, needed: str) -> bool:
    return role is not None and _RANK.get(role, -1) >= _RANK[needed]


def _hasher():  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME or any(c.isspace() or c in "<>\"'&/\\" for c in name):
        raise UserError(f"用户名不合法（1–{MAX_NAME} 个字符，不含空白和 <>\"'&/\\）")
    if name == SERVICE_USER:
        raise UserError(f"“{SERVICE_USER}”保留给编辑令牌使用")
    return name


def add_user(conn: sqlite3.Connection, name: str, role: str, password: str, *, replace: bool = False,
             by: str | None = None) -> User:
    """Create (or with ``replace`` reset) an account; raises UserError with a Chinese message."""
    name = check_name(name)
    if role not in ROLES:
        raise UserError(f"角色须为 {'/'.join(ROLES)}")
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 个字符")
    exists = conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is not None
    if exists and not replace:
        raise UserError(f"用户 {name} 已存在（重设密码或角色请加 --replace）")
    conn.execute(
        "INSERT INTO users(name, role, password_hash, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, "
        "disabled = 0",
        (name, role, hash_password(password), _now()))
    conn.execute("INSERT INTO audit_log(at, user, action, detail) VALUES (?, ?, 'user', ?)",
                 (_now(), by or name, json.dumps({"user": name, "role": role, "replaced": exists}, ensure_ascii=False)))
    conn.commit()
    return User(name, role)


def set_disabled(conn: sqlite3.Connection, name: str, disabled: bool = True) -> bool:
    cur = conn.execute("UPDATE users SET disabled = ? WHERE name = ?", (int(disabled), name))
    conn.commit()
    return cur.rowcount > 0


def get_user(conn: sqlite3.Connection, name: str | None) -> User | None:
    """The active account of that name (None if unknown or disabled)."""
    if not name:
        return None
    row = conn.execute("SELECT name, role FROM users WHERE name = ? AND disabled = 0", (name,)).fetchone()
    return User(row[0], row[1]) if row else None


def authenticate(conn: sqlite3.Connection, name: str, password: str) -> User | None:
    """The account if the password is right; constant work whether or not the name exists."""
    from argon2.exceptions import InvalidHashError, VerificationError

    ph = _hasher()
    row = conn.execute("SELECT name, role, password_hash FROM users WHERE name = ? AND disabled = 0",
                       ((name or "").strip(),)).fetchone()
    stored = row[2] if row else _DUMMY[0] if _DUMMY else None
    if stored is None:
        _DUMMY.append(ph.hash("not-a-password"))
        stored = _DUMMY[0]
    try:
        ph.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if ph.check_needs_rehash(row[2]):
        conn.execute("UPDATE users SET password_hash = ? WHERE name = ?", (ph.hash(password), row[0]))
    conn.execute("UPDATE users SET last_login = ? WHERE name = ?", (_now(), row[0]))
    conn.commit()
    return User(row[0], row[1])


_DUMMY: list[str] = []


def list_users(conn: sqlite3.Connection) -> list[dict[str, object]]:
    return [dict(zip(("name", "role", "created_at", "disabled", "last_login"), r, strict=True)) for r in conn.execute(
        "SELECT name, role, created_at, disabled, last_login FROM users ORDER BY name")]


def count_users(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])
