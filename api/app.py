"""The app factory."""

from __future__ import annotations

from fastapi import FastAPI

from api.routes import health
from api.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """A FastAPI app with every router mounted."""
    app = FastAPI(title="docready", version="0.1.0")
    app.state.settings = settings or Settings()
    app.include_router(health.router)
    return app
