"""Two small ASGI middlewares: the request-wide body limit, and an access log that holds no
personal data (method, route template, status and duration; never a query string, a
file name or a client address)."""

from __future__ import annotations

import contextlib
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem_response
from checker.access_log import access_log


class BodyTooLargeError(Exception):
    """The streamed body passed the limit (raised from `receive`)."""


class BodyLimit:
    """Refuses a body over `max_bytes` with 413: from Content-Length before reading a byte,
    else as soon as the streamed body passes the limit."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        exceeded = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            if not exceeded:  # drop what the app answers after its body was cut off
                await send(message)

        with contextlib.suppress(BodyTooLargeError):
            await self.app(scope, limited_receive, guarded_send)
        if exceeded:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413,
            code="request_too_large",
            detail=f"The request body is over the limit of {self.max_bytes} bytes.",
            limit=self.max_bytes,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


class AccessLog:
    """Logs one line per request: method, path, status and milliseconds; nothing else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            milliseconds = (time.perf_counter() - started) * 1000
            # the route's template, never the raw path: an unmatched path may hold anything
            path = getattr(scope.get("route"), "path", None) or "(unmatched)"
            access_log.info("%s %s %d %.1fms", scope["method"], path, status, milliseconds)
