"""Doubtful amounts read again: which cells, what the second read changes, what it marks."""

from decimal import Decimal

import pytest
from PIL import Image

from checker.document import Page, Reading, Word
from checker.policy import default_policy
from checker.statements.header import page_of
from checker.statements.lines import Line, Token
from checker.statements.reconcile import transaction_findings
from checker.statements.reread import doubtful_rows, reread_amounts, reread_twins, second_value
from checker.statements.rows import repair_amount
from checker.statements.table import PageTable
from schemas.findings import Code
from schemas.reads import Read

EDGES = {"debit": 600.0, "credit": 760.0, "balance": 920.0}
OPENING = Decimal("100.00")


class ScriptedReader:
    """Reads regions by script: the texts for each call's crops, in order; counts calls."""

    name, version, languages, options = "scripted", "0", "", ""

    def __init__(self, *calls: list[str]) -> None:
        self.calls = list(calls)
        self.asked: list[int] = []

    def read(self, image, *, dpi, page):
        raise AssertionError("a whole page was read")

    def read_regions(self, image, boxes, *, dpi, page, options):
        assert options.whitelist and "chi_sim" not in options.languages
        texts = self.calls.pop(0)
        assert len(texts) == len(boxes)
        self.asked.append(len(boxes))
        return [
            Reading(page, [Word(text, box, 0.95)] if text else [], "ocr")
            for text, box in zip(texts, boxes, strict=True)
        ]


def _row(number, debit, credit, balance):
    top, date = 100 + 40 * number, f"2026-05-0{number + 1}"
    cells = {"date": {"raw": date, "box": [50, top, 200, top + 20]}}
    for column, value in (("debit", debit), ("credit", credit), ("balance", balance)):
        if value:
            width = 12 * len(value)
            right = int(EDGES[column])
            cells[column] = {
                "raw": value,
                "confidence": 0.95,
                "box": [right - width, top, right, top + 20],
            }
    return {
        "date": date,
        "description": "消费",
        "counterparty": "超市",
        "debit": debit.replace(",", ""),
        "credit": credit.replace(",", ""),
        "balance": balance.replace(",", ""),
        "source": "ocr",
        "cells": cells,
        "page": 1,
    }


@pytest.fixture(name="rows")
def fixture_rows():
    return [
        _row(0, "10.00", "", "90.00"),
        _row(1, "", "1,000.00", "1,090.00"),
        _row(2, "0.01", "", "1,089.99"),
        _row(3, "89.99", "", "1,000.00"),
    ]


@pytest.fixture(name="page")
def fixture_page():
    return Page(1, 1000, 400, 150, image=Image.new("L", (1000, 400), 255))


def _reread(rows, page, reader):
    table = PageTable(rows=rows, page=1, amount_edges=dict(EDGES))
    return reread_amounts(rows, [table], [page], reader, opening=OPENING)


def _codes(rows):
    fields = {
        "transactions": Read(value=rows),
        "opening_balance": Read(value=str(OPENING)),
    }
    return [f.code for f in transaction_findings(fields, file="s", policy=default_policy())]


def test_a_clean_chain_reads_nothing_again(rows, page):
    reader = ScriptedReader()
    assert doubtful_rows(rows, OPENING) == []
    assert _reread(rows, page, reader) == 0
    assert reader.asked == []


def test_an_amount_the_first_read_missed_is_taken_from_the_second(rows, page):
    rows[2]["debit"] = ""
    del rows[2]["cells"]["debit"]
    assert doubtful_rows(rows, OPENING) == [2]
    # crops, in order: the balance above, then the row's debit, credit and balance
    reader = ScriptedReader(["1,090.00", "0.01", "", "1,089.99"])
    assert _reread(rows, page, reader) == 4
    assert rows[2]["debit"] == "0.01"
    cell = rows[2]["cells"]["debit"]
    assert cell["method"] == "reread" and cell["confirmed"] is False and cell["box"]
    assert rows[2]["cells"]["credit"]["confirmed"] is True  # both saw an empty cell
    assert _codes(rows) == []


def test_a_slip_the_second_read_corrects_is_corrected(rows, page):
    rows[2]["debit"], rows[2]["cells"]["debit"]["raw"] = "0.07", "0.07"
    # the chain breaks at row 3 (the debit) only: row 4 starts from the shown balance
    reader = ScriptedReader(["1,090.00", "0.01", "", "1,089.99"])
    _reread(rows, page, reader)
    assert rows[2]["debit"] == "0.01"
    assert rows[2]["cells"]["debit"]["confirmed"] is False  # the reads differed
    assert _codes(rows) == []


def test_a_break_both_reads_agree_on_stays(rows, page):
    rows[1]["balance"], rows[1]["cells"]["balance"]["raw"] = "1190.00", "1,190.00"
    # rows 2 and 3 fail: the balance above row 2, then rows 2 and 3's amounts
    reader = ScriptedReader(["90.00", "", "1,000.00", "1,190.00", "0.01", "", "1,089.99"])
    _reread(rows, page, reader)
    assert rows[1]["balance"] == "1190.00"
    assert rows[1]["cells"]["balance"]["confirmed"] is True
    assert _codes(rows) == [Code.BALANCE_BREAK]


def test_a_second_read_that_fits_nothing_changes_nothing(rows, page):
    rows[1]["balance"], rows[1]["cells"]["balance"]["raw"] = "1190.00", "1,190.00"
    reader = ScriptedReader(["90.00", "", "1,000.00", "1,180.00", "0.01", "", "1,089.99"])
    _reread(rows, page, reader)
    assert rows[1]["balance"] == "1190.00"  # no figure read makes the chain hold: the first
    assert rows[1]["cells"]["balance"]["confirmed"] is False
    assert _codes(rows) == [Code.RETAKE]


def test_no_reader_no_second_read(rows, page):
    rows[2]["debit"] = ""
    assert reread_amounts(rows, [PageTable(page=1)], [page], None, opening=OPENING) == 0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,089.99", Decimal("1089.99")),
        ("0.01", Decimal("0.01")),
        ("424,33", Decimal("424.33")),
        ("-10.00", Decimal("10.00")),
        ("1089", None),
        ("12.34 56.78", None),
        ("", None),
        ("---", None),
    ],
)
def test_second_value(text, value):
    assert second_value(text) == value


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("28.45,", "28.45"),
        ("'117.75", "117.75"),
        ("424,33", "424.33"),
        ("1,234.56", "1,234.56"),
        ("1,234", "1,234"),
        ("“3,304.00。", "3,304.00"),
    ],
)
def test_repair_amount(text, repaired):
    assert repair_amount(text) == repaired


def _line(text):
    return Line(tokens=(Token(text, (0, 0, 100, 20), 0.9, 1),), page=1)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["第1页/共4页"], (1, 4)),
        (["第 3 页 / 共 3 页"], (3, 3)),
        (["Page 2 of 5"], (2, 5)),
        (["第1页/共4页", "第2页/共4页"], (2, 4)),
        (["第5页/共4页"], None),
        (["共4页"], None),
    ],
)
def test_page_of(texts, expected):
    assert page_of([_line(text) for text in texts]) == expected


def _twins_page(counterparties: list[str]) -> tuple[Page, list[dict]]:
    """A page with one row a line (date, description, counterparty, debit, balance), and its
    rows as read: the second row's counterparty read as `MEHTA`, 0.46 sure."""
    from PIL import ImageDraw

    from fixtures.draw import font

    image = Image.new("RGB", (1400, 300), "white")
    draw = ImageDraw.Draw(image)
    rows = []
    for number, counterparty in enumerate(counterparties):
        top = 60 + 80 * number
        balance = f"{1000 - 27.55 * (number + 1):.2f}"
        texts = {
            "date": (40, "2026-08-08"),
            "description": (300, "快捷支付"),
            "counterparty": (520, counterparty),
            "debit": (950, "27.55"),
            "balance": (1150, balance),
        }
        cells = {}
        for column, (left, text) in texts.items():
            draw.text((left, top), text, font=font("sans", 30), fill=(20, 20, 20))
            box = draw.textbbox((left, top), text, font=font("sans", 30))
            cells[column] = {"raw": text, "confidence": 0.95, "box": list(box)}
        rows.append(
            {
                **{column: text for column, (_, text) in texts.items()},
                "credit": "",
                "source": "ocr",
                "page": 1,
                "cells": cells,
            }
        )
    rows[1]["counterparty"] = "MEHTA"
    rows[1]["cells"]["counterparty"].update(raw="MEHTA", confidence=0.46)
    return Page(number=1, width=image.width, height=image.height, dpi=300, image=image), rows


@pytest.mark.ocr
@pytest.mark.parametrize(
    "printed", [["支付宝-饿了么", "支付宝-饿了么"], ["支付宝-饿了么", "财付通-美团外卖"]]
)
def test_an_unsure_text_cell_of_a_possible_duplicate_is_read_again(printed) -> None:
    """Two rows of one date and amount whose counterparties were read differently, one of
    them unsurely: the unsure cell is read again and takes what is printed there, whether or
    not that is the other row's."""
    from checker.ocr import second_reader

    page, rows = _twins_page(printed)
    assert reread_twins(rows, [page], second_reader(default_policy().ocr)) == 1
    assert [row["counterparty"] for row in rows] == printed
    assert rows[1]["cells"]["counterparty"]["confirmed"] is False
    assert rows[0]["cells"]["counterparty"].get("reread") is None  # the sure one stands


def test_rows_of_other_amounts_are_not_read_again() -> None:
    page, rows = _twins_page(["支付宝-饿了么", "支付宝-饿了么"])
    rows[1]["debit"] = "27.56"
    assert reread_twins(rows, [page], ScriptedReader()) == 0
    assert rows[1]["counterparty"] == "MEHTA"
