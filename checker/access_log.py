"""The HTTP access log: one line per request (method, route template, status, milliseconds;
never a query string, a file name or a client address). The API's middleware writes it
(`api.middleware.AccessLog`); `docready serve` runs uvicorn with `log_config`, which sends it to
the console in place of uvicorn's own access log."""

from __future__ import annotations

import copy
import logging
from typing import Any

access_log = logging.getLogger("docready.access")


def log_config() -> dict[str, Any]:
    """uvicorn's logging config plus this access log at INFO; run uvicorn with
    `access_log=False` so that its own access lines (client address, query string) go."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"][access_log.name] = {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    return config
