"""E-mail a digest through the configured SMTP server.

Configuration (environment): ``CHAINATLAS_SMTP_HOST`` (required), ``CHAINATLAS_SMTP_PORT``
(25; 465 means implicit TLS), ``CHAINATLAS_SMTP_USER`` / ``CHAINATLAS_SMTP_PASSWORD``
(login when set), ``CHAINATLAS_SMTP_STARTTLS=1`` (upgrade the connection),
``CHAINATLAS_SMTP_FROM`` (default ``chainatlas@localhost``).
"""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from chainatlas.watch.digest import render_html, render_text


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = "chainatlas@localhost"
    timeout: float = 30.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SmtpConfig:
        env = dict(os.environ) if env is None else env
        host = env.get("CHAINATLAS_SMTP_HOST")
        if not host:
            raise ValueError("未配置邮件服务器：请设置 CHAINATLAS_SMTP_HOST（及 CHAINATLAS_SMTP_PORT 等）")
        return cls(host=host, port=int(env.get("CHAINATLAS_SMTP_PORT") or 25),
                   user=env.get("CHAINATLAS_SMTP_USER") or None, password=env.get("CHAINATLAS_SMTP_PASSWORD") or None,
                   starttls=env.get("CHAINATLAS_SMTP_STARTTLS") in ("1", "true", "yes"),
                   sender=env.get("CHAINATLAS_SMTP_FROM") or "chainatlas@localhost")


def build_message(alerts: list[dict[str, Any]], to: list[str], sender: str, subject: str | None = None,
                  since: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject or f"产业链动态摘要：{len(alerts)} 条提醒"
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="chainatlas")
    msg.set_content(render_text(alerts))
    msg.add_alternative(render_html(alerts, since=since), subtype="html")
    return msg


def send_digest(alerts: list[dict[str, Any]], to: list[str], config: SmtpConfig, subject: str | None = None,
                since: str | None = None) -> EmailMessage:
    """Send one digest message to ``to``; raises smtplib/OSError errors to the caller."""
    if not to:
        raise ValueError("没有收件人")
    msg = build_message(alerts, to, config.sender, subject, since)
    smtp_cls = smtplib.SMTP_SSL if config.port == 465 else smtplib.SMTP
    with smtp_cls(config.host, config.port, timeout=config.timeout) as smtp:
        if config.starttls and smtp_cls is smtplib.SMTP:
            smtp.starttls()
        if config.user and config.password:
            smtp.login(config.user, config.password)
        smtp.send_message(msg)
    return msg
