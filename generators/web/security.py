"""Who may talk to the page: only the browser that was handed the address, from this machine.

Three checks in one ASGI middleware, in front of every route (static files included):

- the **Host** header must name the address the server listens on (a page elsewhere that
  points its own domain at 127.0.0.1 — DNS rebinding — is refused);
- the **session token**: the address ``huiwu serve`` prints and opens carries ``?token=…``;
  the first request with it sets an HttpOnly, SameSite=Strict cookie and drops the token from
  the address bar; any request with neither is refused;
- every **change** (any method but GET/HEAD) must also carry the CSRF token in the
  ``X-Huiwu-CSRF`` header, which the pages read from their own ``<meta>``; another site can make
  the browser send the cookie but cannot read the page to learn this token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

COOKIE = "huiwu_session"
"""The cookie's name begins so; it ends with a digest of the token, because cookies are shared
by every port of a host and two pages started at once must not overwrite each other's."""
CSRF_HEADER = "x-huiwu-csrf"
SAFE_METHODS = frozenset({"GET", "HEAD"})

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class Secrets:
    """The tokens of one server run."""

    session: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def cookie(self) -> str:
        """The session cookie's name for this run."""
        return f"{COOKIE}_{hashlib.sha256(self.session.encode()).hexdigest()[:10]}"


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class Guard:
    """The ASGI middleware that makes the three checks above."""

    def __init__(self, app: ASGIApp, tokens: Secrets, hosts: Iterable[str]) -> None:
        self.app = app
        self.tokens = tokens
        self.hosts = {host.lower() for host in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if _hostname(headers.get("host", "")) not in self.hosts:
            await _refuse(send, 421, "地址不对：请用 huiwu serve 打印的地址（127.0.0.1）打开。")
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if _same(query.get("token"), self.tokens.session):
            await _set_cookie_and_redirect(send, scope, query, self.tokens)
            return
        if not _same(_cookie(headers.get("cookie", ""), self.tokens.cookie), self.tokens.session):
            await _refuse(
                send,
                403,
                "没有访问凭据：请用 huiwu serve 打印的完整地址（含 ?token=…）打开本页面。",
            )
            return
        if scope["method"] not in SAFE_METHODS and not _same(
            headers.get(CSRF_HEADER), self.tokens.csrf
        ):
            await _refuse(send, 403, "请求缺少页面凭据（CSRF），已拒绝。请刷新页面后重试。")
            return
        await self.app(scope, receive, _with_headers(send))


HEADERS = [
    # Only the page's own files; CodeMirror writes its styles inline. No framing (clickjacking).
    (
        b"content-security-policy",
        b"default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def _with_headers(send: Send) -> Send:
    async def sending(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
        await send(message)

    return sending


def _hostname(host: str) -> str:
    """``127.0.0.1:8000`` → ``127.0.0.1``; ``[::1]:8000`` → ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _cookie(header: str, name: str) -> str | None:
    jar = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header is simply no session
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


async def _set_cookie_and_redirect(
    send: Send, scope: Scope, query: dict[str, str], tokens: Secrets
) -> None:
    rest = {k: v for k, v in query.items() if k != "token"}
    location = quote(scope.get("path", "/")) + (f"?{urlencode(rest)}" if rest else "")
    cookie = f"{tokens.cookie}={tokens.session}; Path=/; HttpOnly; SameSite=Strict"
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode("utf-8")),
                (b"set-cookie", cookie.encode("latin-1")),
                (b"content-length", b"0"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _refuse(send: Send, status: int, message: str) -> None:
    body = (
        '<!doctype html><meta charset="utf-8"><title>huiwu</title>'
        f"<p style='font:16px sans-serif;margin:2em'>{message}</p>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
