"""Security headers on every response, and the API docs pages with the one policy that differs.

The web UI loads only its own stylesheet and icon, runs no script and sets no inline style, so its
policy allows nothing else: injected markup could neither run a script nor load anything. The API
docs (Swagger UI at ``/docs``, ReDoc at ``/redoc``) load their bundles from this server (the assets
of the fastapi-offline package, mounted at ``DOCS_ASSETS``: no CDN, so they work offline) and start
them with one inline script, allowed by its hash. They show no stored content, so inline styles
(which both set) and their own workers are allowed there alone.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources
from pathlib import Path

from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DOCS_ASSETS = "/static/docs"  # where app.py mounts docs_assets()
FAVICON = "/static/favicon.svg"
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


def docs_assets() -> Path:
    """The folder of Swagger UI's and ReDoc's bundles that fastapi-offline ships."""
    return Path(str(resources.files("fastapi_offline").joinpath("static")))


def docs_page(title: str, openapi_url: str) -> HTMLResponse:
    """Swagger UI from this server's own copy, with a policy that allows it and its start script."""
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=title,
        swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=FAVICON,
    )
    return _with_policy(page)


def redoc_page(title: str, openapi_url: str) -> HTMLResponse:
    """ReDoc from this server's own copy, without Google's fonts."""
    page = get_redoc_html(
        openapi_url=openapi_url,
        title=title,
        redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )
    return _with_policy(page)


def _with_policy(page: HTMLResponse) -> HTMLResponse:
    """Scripts from this server and the page's own inline ones (by hash); nothing from elsewhere.
    ReDoc runs its search in a worker it makes from a blob."""
    scripts = re.findall(r"<script>(.*?)</script>", bytes(page.body).decode("utf-8"), re.S)
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts
    )
    page.headers[CSP] = (
        f"default-src 'none'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return page
