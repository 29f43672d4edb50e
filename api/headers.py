"""Security headers on every response, and the API docs page with the one policy that differs.

The web UI loads only its own stylesheet and icon, runs no script and sets no inline style, so its
policy allows nothing else: injected markup could neither run a script nor load anything. The
Swagger UI page at ``/docs`` loads its bundle from FastAPI's CDN and starts it with one inline
script, allowed by its hash; it shows no stored content, so inline styles (which Swagger UI sets)
are allowed there alone.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CDN = "https://cdn.jsdelivr.net"
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
FIXED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
CSP = "content-security-policy"


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers to every HTTP response, keeping a policy a route set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._fixed = [(k.encode(), v.encode()) for k, v in FIXED.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in self._fixed if k not in names]
                if CSP.encode() not in names:
                    headers.append((CSP.encode(), POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def docs_page(title: str, openapi_url: str) -> HTMLResponse:
    """Swagger UI, with a policy that allows its CDN bundle and its own inline start script."""
    page = get_swagger_ui_html(
        openapi_url=openapi_url, title=title, swagger_favicon_url="/static/favicon.svg"
    )
    scripts = re.findall(r"<script>(.*?)</script>", bytes(page.body).decode("utf-8"), re.S)
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts
    )
    policy = (
        f"default-src 'none'; script-src {CDN} {hashes}; style-src {CDN} 'unsafe-inline'; "
        f"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    page.headers[CSP] = policy
    return page
