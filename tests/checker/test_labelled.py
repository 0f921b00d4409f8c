"""Fields found by their labels in a page's rows, whatever the engine's word boxes."""

import re

from checker.document import Word
from checker.labelled import find, label_pattern, rows_of


def _word(text, left, top, height=40, confidence=0.99):
    return Word(text, (left, top, left + height * len(text), top + height), confidence)


NAME = re.compile(label_pattern("姓名") + r"(?P<value>[\u3400-\u9fff]+)")


def test_a_value_in_its_own_word_beside_the_label():
    rows = rows_of([_word("姓名", 60, 80), _word("赵佳慧", 180, 76, confidence=0.9)])
    match = find(rows, NAME)
    assert match is not None
    assert match.text == "赵佳慧"
    assert [word.text for word in match.words] == ["赵佳慧"]
    assert match.confidence == 0.9


def test_a_value_run_together_with_its_spaced_label():
    rows = rows_of([_word("姓 名李浩然", 60, 80)])
    match = find(rows, NAME)
    assert match is not None
    assert match.text == "李浩然"


def test_words_a_little_off_the_line_still_share_its_row():
    rows = rows_of([_word("性别男", 60, 400, 60), _word("民族汉", 300, 414, 58)])
    assert [row.text for row in rows] == ["性别男民族汉"]


def test_two_cards_side_by_side_are_two_rows():
    rows = rows_of([_word("姓名", 60, 80), _word("签发机关", 1400, 82)])
    assert [row.text for row in rows] == ["姓名", "签发机关"]


def test_rows_run_top_to_bottom_and_full_width_digits_are_folded():
    rows = rows_of([_word("１９８３年", 60, 300), _word("住址", 60, 400), _word("姓名", 60, 100)])
    assert [row.text for row in rows] == ["姓名", "1983年", "住址"]


def test_a_label_with_no_value_gives_nothing():
    assert find(rows_of([_word("姓名", 60, 80)]), NAME) is None
