"""What every request passes before it reaches a page: the Host allow-list,
the Origin check on requests that change state, and HEAD answered as GET.

The server holds texts people uploaded, so a page elsewhere must not read them
through DNS rebinding (a foreign name resolving to 127.0.0.1: refused by the
Host allow-list) nor start or delete comparisons from the user's browser (a
foreign Origin: refused on every method but GET, HEAD and OPTIONS).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def host_name(value: str) -> str | None:
    """The host of a Host header or an origin's netloc, without port or brackets."""
    try:
        return urlsplit("//" + value.strip()).hostname
    except ValueError:
        return None


class Guard:
    """Pure ASGI middleware; ``allow_hosts`` adds names to the loopback ones
    (``*`` allows any, for a server behind a proxy that checks hosts itself)."""

    def __init__(self, app: ASGIApp, allow_hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.hosts = {h.lower().strip("[]") for h in (*LOOPBACK, *allow_hosts)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        name = host_name(host)
        if "*" not in self.hosts and (name is None or name.lower() not in self.hosts):
            await _refuse(
                send,
                400,
                f"this server answers only to {', '.join(sorted(self.hosts))}, not {host!r}; "
                "start it with --allow-host NAME to serve it under another name",
            )
            return
        method = scope["method"]
        if method not in SAFE_METHODS and not _same_origin(headers, host):
            await _refuse(send, 403, "a request from another site may not change anything here")
            return
        if method == "HEAD":
            await self.app(dict(scope, method="GET"), receive, _without_body(send))
            return
        await self.app(scope, receive, send)


def _same_origin(headers: dict[str, str], host: str) -> bool:
    """True unless the browser says the request comes from another site.

    Browsers that send Sec-Fetch-Site are believed first: under this app's
    ``Referrer-Policy: no-referrer`` Chromium sends ``Origin: null`` with its
    own form posts. Clients that send neither header (curl, scripts) are not
    browsers acting for a page."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return True
    if origin == "null":  # sandboxed frames and some redirects: not this site
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


def _without_body(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return wrapped


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    start: dict[str, Any] = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body})
