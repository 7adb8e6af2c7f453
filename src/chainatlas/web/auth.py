"""Editor authentication: bearer token for the API, signed session cookie + CSRF for pages.

The session cookie is ``base64(json).hmac`` signed with a key derived from the editor
token and a secret (random per process; with several worker processes one secret that
``chainatlas serve --workers N`` gives them all), so changing the token (or restarting) logs
everyone out and a client cannot forge the editor flag.  Every visitor's session carries a random CSRF
token that each form posts back in a hidden field; comparisons are constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

COOKIE_NAME = "chainatlas_session"
SESSION_SECONDS = 12 * 3600


@dataclass
class Session:
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    editor: bool = False
    issued: float = field(default_factory=time.time)
    dirty: bool = False  # set when the cookie must be (re)written
    user: str | None = None  # the named account (chainatlas.users); None for the shared editor token
    role: str | None = None  # viewer | editor | admin (the token logs in as editor)

    def to_dict(self) -> dict[str, Any]:
        return {"csrf": self.csrf, "editor": self.editor, "issued": self.issued, "user": self.user, "role": self.role}


class Signer:
    def __init__(self, editor_token: str, secret: bytes | None = None) -> None:
        self._key = hashlib.sha256((secret or secrets.token_bytes(32)) + editor_token.encode("utf-8")).digest()

    def sign(self, payload: dict[str, Any]) -> str:
        body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")
        mac = hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()
        return f"{body}.{mac}"

    def unsign(self, value: str | None, max_age: float = SESSION_SECONDS) -> dict[str, Any] | None:
        if not value or "." not in value:
            return None
        body, mac = value.rsplit(".", 1)
        expected = hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, expected):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except (ValueError, TypeError):
            return None
        if not isinstance(data, dict) or time.time() - float(data.get("issued", 0)) > max_age:
            return None
        return data


def load_session(signer: Signer, cookie: str | None) -> Session:
    data = signer.unsign(cookie)
    if data is None or not isinstance(data.get("csrf"), str):
        return Session(dirty=True)
    user, role = data.get("user"), data.get("role")
    return Session(csrf=data["csrf"], editor=bool(data.get("editor")), issued=float(data["issued"]),
                   user=user if isinstance(user, str) else None, role=role if isinstance(role, str) else None)


def token_matches(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def new_editor_token() -> str:
    return secrets.token_urlsafe(18)
