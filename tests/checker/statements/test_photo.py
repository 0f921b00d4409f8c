"""A photographed statement page through the pipeline: read as taken, flattened, read again,
and the report's time for the page counts both reads."""

from pathlib import Path

import pytest

from checker.check import PageReadLog, check_file
from checker.ocr import get_reader
from checker.policy import default_policy
from fixtures.cases import AS_OF

PHOTO = (
    Path(__file__).parents[3]
    / "fixtures"
    / "applications"
    / "clean_photos_only"
    / "statement_2026-05_2026-10_p4.jpg"
)


@pytest.mark.ocr
def test_statement_photo_ocr_seconds_counts_the_flattened_read():
    policy = default_policy()
    reads = PageReadLog(get_reader(policy.ocr))  # sees every whole-page read the check makes
    report = check_file(PHOTO, policy=policy, reader=reads, as_of=AS_OF).report
    assert report.kind == "bank_statement"
    photo, flattened = reads.readings
    assert photo.page == flattened.page == 1
    assert report.quality[0].ocr_seconds == round(photo.seconds + flattened.seconds, 3)
    assert report.quality[0].ocr_cached == (photo.cached and flattened.cached)
