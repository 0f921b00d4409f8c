"""API settings, from the environment with the prefix DOCREADY_ (e.g. DOCREADY_API_KEYS=a,b)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from checker.policy import Limits, Policy, load_policy

MiB = 1024 * 1024


class Settings(BaseSettings):
    """Everything the HTTP shell can be told; the policy file stays the source of truth for
    document limits, and the `max_*` settings here can only lower them."""

    model_config = SettingsConfigDict(env_prefix="DOCREADY_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    policy_file: Path | None = None  # the default policy when unset
    default_profile: str = "personal_loan"

    # uploads
    max_file_bytes: int | None = Field(default=None, gt=0)  # lowers the policy's limit
    max_request_bytes: int = Field(default=64 * MiB, gt=0)
    max_files: int = Field(default=12, gt=0)
    max_pixels: int | None = Field(default=None, gt=0)  # lowers the policy's limit
    max_pages: int | None = Field(default=None, gt=0)  # lowers the policy's limit

    # the worker pool that runs checks off the event loop
    check_threads: int = Field(default_factory=lambda: os.cpu_count() or 2, gt=0)
    check_processes: bool = True  # checks run in worker processes (False: in the threads)
    queue_timeout_seconds: float = Field(default=30.0, gt=0)  # waiting for a free worker
    check_timeout_seconds: float = Field(default=300.0, gt=0)  # one request's check
    retry_after_seconds: int = Field(default=10, gt=0)

    # access
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)  # empty: off
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    def policy(self) -> Policy:
        """The policy file's policy, with its limits lowered where these settings say so."""
        policy = load_policy(self.policy_file)
        return policy.model_copy(update={"limits": self.limits(policy.limits)})

    def limits(self, limits: Limits) -> Limits:
        """`limits` with each limit set here taking the lower of the two values."""
        lowered = {
            name: min(getattr(limits, name), ours)
            for name, ours in (
                ("max_file_bytes", self.max_file_bytes),
                ("max_pixels", self.max_pixels),
                ("max_pages", self.max_pages),
            )
            if ours is not None
        }
        return limits.model_copy(update=lowered)
