"""API settings, from the environment with the prefix DOCREADY_."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOCREADY_")

    host: str = "127.0.0.1"
    port: int = 8000
