"""A page's rows by where its words stand (`checker.rows.lines.page_rows`), on a page read
straight and on one photographed at a tilt: each label stays on the row of its own amount."""

import pytest

from checker.document import Reading, Word
from checker.rows.lines import page_rows

LABELS = ("基本工资", "岗位津贴", "绩效奖金", "应发合计", "扣款合计", "实发工资")
AMOUNTS = ("6,230.00", "1,780.00", "890.00", "8,900.00", "1,886.77", "7,013.23")
PITCH, HEIGHT = 48, 28  # px between rows, and a character's height


def _page(tilt: float) -> Reading:
    """Label–amount rows, each word read as a line of its own (as far-apart words are), the
    page turned so a row climbs `tilt` px a px to the right."""
    words = []
    for row, (label, amount) in enumerate(zip(LABELS, AMOUNTS, strict=True)):
        for column, (text, left) in enumerate(((label, 100), ("：", 260), (amount, 1000))):
            top = 200 + row * PITCH + round(tilt * left)
            box = (left, top, left + 24 * len(text), top + HEIGHT)
            words.append(Word(text, box, 0.95, (row * 3 + column + 1, 1, 1)))
    return Reading(page=1, words=words, source="ocr")


@pytest.mark.parametrize("tilt", [0.0, 0.04, -0.04])
def test_each_label_keeps_its_own_amount(tilt):
    rows = page_rows(_page(tilt))
    assert [[word.text for word in row.words] for row in rows] == [
        [label, "：", amount] for label, amount in zip(LABELS, AMOUNTS, strict=True)
    ]
