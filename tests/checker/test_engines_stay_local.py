"""The OCR engines leave nothing behind and call nowhere: reading a card with RapidOCR (on
onnxruntime) writes no file into the temp folder or the home folder. onnxruntime's Linux wheels
from 1.29 on start a usage-telemetry uploader at import, which writes a session file into $TMPDIR
and a device id under ~/.cache/Microsoft; pyproject.toml keeps onnxruntime below 1.29."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# onnxruntime keeps its telemetry quiet where it believes it runs in CI: the child is not told so
CI_VARIABLES = (
    "CI",
    "CONTINUOUS_INTEGRATION",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "TF_BUILD",
    "BUILD_ID",
    "BUILD_NUMBER",
    "BUILDKITE",
    "CIRCLECI",
    "JENKINS_URL",
    "TEAMCITY_VERSION",
    "TRAVIS",
)

READ_A_CARD = """
from PIL import Image, ImageDraw
from checker.ocr import card_reader, second_reader
from checker.policy import default_policy
image = Image.new("RGB", (480, 120), "white")
ImageDraw.Draw(image).text((20, 50), "NAME 123456", fill="black")
for reader in (card_reader(default_policy().ocr), second_reader(default_policy().ocr)):
    reader.read(image, dpi=300, page=1)
print("read")
"""


@pytest.mark.ocr
def test_reading_with_rapidocr_writes_nothing_outside_the_check(tmp_path: Path) -> None:
    temp, home = tmp_path / "tmp", tmp_path / "home"
    temp.mkdir()
    home.mkdir()
    env = {name: value for name, value in os.environ.items() if name not in CI_VARIABLES}
    env.update(TMPDIR=str(temp), HOME=str(home))
    env.pop("XDG_CACHE_HOME", None)
    env.pop("DOCREADY_CACHE_DIR", None)
    env["DOCREADY_OCR_CACHE"] = "off"
    done = subprocess.run(
        [sys.executable, "-c", READ_A_CARD],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["read"]
    left = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))
    assert left == ["home", "tmp"]
