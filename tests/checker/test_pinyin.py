"""Chinese characters against a Latin spelling of them, as a passport's zone gives it."""

import pytest

from checker.reading.pinyin import spells


@pytest.mark.parametrize(
    ("characters", "latin"),
    [
        ("刘", "LIU"),
        ("晓燕", "XIAOYAN"),
        ("晓燕", "Xiao Yan"),
        ("单", "SHAN"),  # a surname's reading, not the common one (DAN)
        ("吕", "LYU"),
        ("吕", "LV"),
        ("吕", "LU"),
        ("欧阳", "OUYANG"),
    ],
)
def test_a_name_spells_its_pinyin(characters: str, latin: str) -> None:
    assert spells(characters, latin)


@pytest.mark.parametrize(
    ("characters", "latin"),
    [
        ("晚燕", "XIAOYAN"),  # one character misread
        ("李俊杰", "LIUXIAOYAN"),
        ("刘", "LIUX"),  # letters left over
        ("刘晓", "LIU"),  # a character left over
        ("", "LIU"),
        ("刘", ""),
        ("A", "A"),  # no Chinese character
        ("刘" * 7, "LIU" * 7),  # longer than any name part
    ],
)
def test_other_characters_do_not(characters: str, latin: str) -> None:
    assert not spells(characters, latin)
