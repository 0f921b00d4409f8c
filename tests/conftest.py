"""Suite-wide fixtures: each test session gets its own OCR cache, never the user's."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_ocr_cache(tmp_path_factory):
    """Point the OCR cache at a temporary folder for the whole run."""
    patch = pytest.MonkeyPatch()
    patch.setenv("DOCREADY_CACHE_DIR", str(tmp_path_factory.mktemp("ocr-cache")))
    yield
    patch.undo()
