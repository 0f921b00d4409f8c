"""The ID card front's values from text: a name, sex and ethnicity, a birth date, an address,
the number; the page reading's (`parse_*`) and the second reader's single lines, which hold
only the value printed (`SECOND_PARSERS`, `address_line`)."""

from __future__ import annotations

import datetime as dt
import re

from checker.documents._cn_id import chinese_only, normal
from schemas.identity import id_number_problem, normalise_id_number

LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")
_ETHNICITIES = """汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣
黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬
锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲
门巴 珞巴 基诺"""
ETHNICITIES = frozenset(_ETHNICITIES.split())  # the 56 recognised ethnic groups
NUMBER = re.compile(r"\d{17}[\dX]")
_LONE_NUMBER = re.compile(r"(?<!\d)\d{17}[\dX](?![\dX])")
_BIRTH = re.compile(r"(\d{4})\D{0,3}?(\d{1,2})\D{1,3}?(\d{1,2})")
_PRINTED_BIRTH = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_NAME = re.compile(r"[\u3400-\u9fff]{2,4}|[\u3400-\u9fff]{1,8}·[\u3400-\u9fff]{1,12}")


def numbers_in(text: str) -> list[str]:
    """The 18-character numbers in a page's text, each within one line and not inside a longer
    run of digits: an address line ending in a digit, read just before the number's line,
    would lend the number a digit if the lines were joined (`…30号1` + `810000…`)."""
    folded = (normalise_id_number(line.replace("×", "X")) for line in text.splitlines())
    return [number for line in folded for number in _LONE_NUMBER.findall(line)]


def parse_ethnicity(text: str) -> str | None:
    tail = chinese_only(text)
    for size in (4, 3, 2, 1):
        if tail[-size:] in ETHNICITIES:
            return tail[-size:]
    return None


def parse_birth(text: str) -> dt.date | None:
    return _date_of(_BIRTH.search(normal(text)))


def _date_of(match: re.Match[str] | None) -> dt.date | None:
    """The date of a year, month and day matched, None when there is none or it is no date."""
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_name(text: str) -> str | None:
    name = re.sub(r"[^\u3400-\u9fff·]", "", normal(text))
    return name if _NAME.fullmatch(name) else None


def parse_address(text: str) -> str | None:
    address = re.sub(r"[^\u3400-\u9fff0-9A-Za-z·\-#()]", "", normal(text))
    address = re.sub(r"(?<=\d)至$", "室", address)  # 室 (room) misread as 至, never an ending
    return address if len(chinese_only(address)) >= 2 else None


def _printed_number(text: str) -> str | None:
    """An 18-character number that passes its check digit and date, else None."""
    number = re.sub(r"[^\dX]", "", normalise_id_number(text))
    return number if NUMBER.fullmatch(number) and id_number_problem(number) is None else None


def _printed_sex(text: str) -> str | None:
    """男 or 女 alone before the label 民族 (the line as the second reader reads it)."""
    head, label, _ = chinese_only(text).partition("民族")
    return head if label and head in ("男", "女") else None


def _printed_ethnicity(text: str) -> str | None:
    """A recognised ethnicity alone after the label 民族."""
    _, label, tail = chinese_only(text).partition("民族")
    return tail if label and tail in ETHNICITIES else None


def _printed_birth(text: str) -> dt.date | None:
    """The date with its printed 年/月/日."""
    return _date_of(_PRINTED_BIRTH.search(normal(text)))


def _printed_name(text: str) -> str | None:
    """A name alone on its line: 2-4 Chinese characters (or two parts joined by ·), no label
    and nothing else (a line of another row read for the name's fails)."""
    name = normal(text)
    return name if _NAME.fullmatch(name) and not _has_label(name) else None


def address_line(text: str) -> str | None:
    """One line of the address; None when it holds a label, a date or an ID number (another
    row's line in the address band)."""
    line = re.sub(r"[^\u3400-\u9fff0-9A-Za-z·\-#()]", "", normal(text))
    if not line or _has_label(line) or _PRINTED_BIRTH.search(line) or re.search(r"\d{15}", line):
        return None
    return line


def _has_label(text: str) -> bool:
    return any(label in text for label in LABELS)


SECOND_PARSERS = {
    "id_number": _printed_number,
    "name": _printed_name,
    "sex": _printed_sex,
    "ethnicity": _printed_ethnicity,
    "birth_date": _printed_birth,
}
