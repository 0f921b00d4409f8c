"""The app factory: settings, policy, worker pool, middleware, error mapping and routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from api import errors, openapi
from api.middleware import AccessLog, BodyLimit
from api.routes import checks, demo, documents, fields, finding_codes, health, policies
from api.routes.demo import STATIC
from api.settings import Settings
from api.workers import WorkerPool

DOCS_ASSETS = "/static/docs"  # Swagger UI and ReDoc, served from the fastapi-offline package
DESCRIPTION = """Checks a loan application's documents before submission and says, in Chinese
and English, what to fix. Errors are RFC 9457 `application/problem+json`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A FastAPI app with every router mounted; the policy file is loaded (and checked) now."""
    settings = settings or Settings()
    policy = settings.policy()
    if settings.default_profile not in policy.profiles:
        raise ValueError(f"default_profile {settings.default_profile!r} is not in the policy")
    pool = WorkerPool(
        settings.check_threads,
        queue_timeout=settings.queue_timeout_seconds,
        timeout=settings.check_timeout_seconds,
        retry_after=settings.retry_after_seconds,
        processes=settings.check_processes,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    # /docs and /redoc load Swagger UI and ReDoc from files inside the fastapi-offline
    # package, not from a CDN: an intake server without internet access still shows them
    app = FastAPIOffline(
        title="docready",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        static_url=DOCS_ASSETS,
    )
    app.state.settings, app.state.policy, app.state.pool = settings, policy, pool
    errors.install(app)
    for router in (health, checks, documents, fields, policies, finding_codes, demo):
        app.include_router(router.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    openapi.install(app, settings, policy)
    # the last added runs first: access log, then CORS (so that a 413 carries its headers)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["X-API-Key", "Content-Type", "Accept-Language"],
            expose_headers=["Docready-Verdict", "Retry-After"],
        )
    app.add_middleware(AccessLog)
    return app
