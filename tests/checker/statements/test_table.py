"""Tables rebuilt from word positions: columns, page breaks, repeated titles, subtotals."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.document import Reading, Word
from checker.statements.layout import pick_layout
from checker.statements.lines import Token
from checker.statements.rows import make_row
from checker.statements.table import read_pages

TITLES = [
    ("交易日期", 150),
    ("摘要", 420),
    ("对方户名", 680),
    ("支出", 1690),
    ("收入", 1990),
    ("余额", 2270),
]


def _line(y, cells):
    """Words of one printed line: (text, left, right) at height y."""
    return [Word(text, (left, y, right, y + 40), 1.0) for text, left, right in cells]


def _titles(y):
    return _line(y, [(text, x, x + 40 * len(text)) for text, x in TITLES])


def _row(y, date, description, party, debit, credit, balance):
    cells = [(date, 150, 360), (description, 420, 420 + 36 * len(description))]
    if party:
        cells.append((party, 680, 680 + 36 * len(party)))
    if debit:
        cells.append((debit, 1760 - 22 * len(debit), 1760))
    if credit:
        cells.append((credit, 2060 - 22 * len(credit), 2060))
    cells.append((balance, 2340 - 22 * len(balance), 2340))
    return _line(y, cells)


def _page(number, words):
    return Reading(page=number, words=words, source="text_layer")


def test_rows_across_a_page_break_with_repeated_titles_and_subtotals():
    page1 = _page(
        1,
        [
            *_line(100, [("某某银行", 150, 330)]),
            *_titles(300),
            *_row(370, "2026-05-01", "消费", "超市", "10.00", "", "90.00"),
            *_row(430, "2026-05-02", "代发工资", "某公司", "", "1,000.00", "1,090.00"),
            *_line(490, [("本页小计", 150, 310), ("10.00", 1650, 1760), ("1,000.00", 1880, 2060)]),
            *_line(3300, [("第", 1100, 1130), ("1", 1140, 1160), ("页", 1170, 1200)]),
        ],
    )
    page2 = _page(
        2,
        [
            *_titles(200),
            *_row(270, "2026-05-03", "转账", "张三", "90.00", "", "1,000.00"),
            *_line(330, [("承前页", 150, 270), ("1,000.00", 2160, 2340)]),
        ],
    )
    rows = [row for page in read_pages([page1, page2], pick_layout("")) for row in page.rows]
    assert [(r["date"], r["debit"], r["credit"], r["balance"], r["page"]) for r in rows] == [
        ("2026-05-01", "10.00", "", "90.00", 1),
        ("2026-05-02", "", "1000.00", "1090.00", 1),
        ("2026-05-03", "90.00", "", "1000.00", 2),
    ]


def test_wrapped_cell_continues_the_row_above():
    page = _page(
        1,
        [
            *_titles(300),
            *_row(370, "2026-05-01", "消费", "北京某某科技", "10.00", "", "90.00"),
            *_line(415, [("有限公司", 680, 824)]),
            *_row(480, "2026-05-02", "消费", "超市", "10.00", "", "80.00"),
        ],
    )
    rows = read_pages([page], pick_layout(""))[0].rows
    assert [r["counterparty"] for r in rows] == ["北京某某科技有限公司", "超市"]


def test_columns_found_from_data_when_titles_are_lost():
    """OCR often loses the title row; amounts are told apart by where they align."""
    words = []
    for index, (debit, credit, balance) in enumerate(
        [("10.00", "", "90.00"), ("", "5.00", "95.00"), ("1.00", "", "94.00")]
    ):
        words += _row(
            300 + 60 * index, f"2026-05-0{index + 1}", "消费", "超市", debit, credit, balance
        )
    rows = read_pages([_page(1, words)], pick_layout(""))[0].rows
    assert [(r["debit"], r["credit"]) for r in rows] == [("10.00", ""), ("", "5.00"), ("1.00", "")]


def test_a_tilted_page_keeps_its_rows():
    words = [
        Word(
            w.text, (w.box[0], w.box[1] + w.box[0] // 30, w.box[2], w.box[3] + w.box[0] // 30), 0.9
        )
        for w in [*_titles(300), *_row(370, "2026-05-01", "消费", "超市", "10.00", "", "90.00")]
    ]
    rows = read_pages([Reading(page=1, words=words, source="ocr")], pick_layout(""))[0].rows
    assert [(r["date"], r["debit"], r["balance"]) for r in rows] == [
        ("2026-05-01", "10.00", "90.00")
    ]


def test_a_dated_line_whose_figures_were_not_read_stays_a_row():
    """A photo's line can lose its figures (read on another line, or not at all): below a row
    that has them, a dated line is still a transaction, kept with no amount, so the balance
    chain is not checked across it and the row is reported as not read."""
    words = [
        *_titles(300),
        *_row(370, "2026-05-01", "消费", "超市", "10.00", "", "90.00"),
        *_line(430, [("2026-05-02", 150, 360), ("消费", 420, 492), ("超市", 680, 752)]),
        *_row(490, "2026-05-03", "消费", "超市", "5.00", "", "80.00"),
        *_line(550, [("85.00", 2230, 2340)]),  # a figure alone on its line is no row
    ]
    rows = read_pages([Reading(page=1, words=words, source="ocr")], pick_layout(""))[0].rows
    assert [(r["date"], r["debit"], r["credit"], r["balance"]) for r in rows] == [
        ("2026-05-01", "10.00", "", "90.00"),
        ("2026-05-02", "", "", ""),
        ("2026-05-03", "5.00", "", "80.00"),
    ]


def test_a_dated_line_above_the_first_row_is_not_a_row():
    """Without a title row, a date in the header (the period) is not a transaction."""
    words = [
        *_line(200, [("2026-05-01", 150, 360), ("至", 380, 420), ("2026-05-31", 440, 650)]),
        *_row(370, "2026-05-01", "消费", "超市", "10.00", "", "90.00"),
        *_row(430, "2026-05-02", "消费", "超市", "5.00", "", "85.00"),
    ]
    rows = read_pages([Reading(page=1, words=words, source="ocr")], pick_layout(""))[0].rows
    assert [r["date"] for r in rows] == ["2026-05-01", "2026-05-02"]


def test_a_tilt_that_changes_down_the_page_keeps_each_row_whole():
    """A photo taken at an angle: the rows tilt 1% at the top and 3.5% at the bottom (they
    run towards a vanishing point), so no one tilt for the page keeps both ends of the top and
    the bottom rows on one line."""
    printed = []
    for index in range(30):
        day, balance = f"2026-05-{index + 1:02d}", f"{990 - 10 * index}.00"
        printed += _row(370 + 60 * index, day, "消费", "超市", "10.00", "", balance)

    def photographed(word):
        left, top, right, bottom = word.box
        tilt = 0.01 + 0.025 * (top - 370) / (60 * 29)
        lift = round(tilt * (left + right) / 2)
        return Word(word.text, (left, top - lift, right, bottom - lift), 0.9)

    words = [photographed(word) for word in [*_titles(300), *printed]]
    rows = read_pages([Reading(page=1, words=words, source="ocr")], pick_layout(""))[0].rows
    assert [(r["date"], r["debit"], r["balance"]) for r in rows] == [
        (f"2026-05-{index + 1:02d}", "10.00", f"{990 - 10 * index}.00") for index in range(30)
    ]


def test_ocr_slips_around_a_row_do_not_lose_it():
    """A ruling read as `|` before the date, a comma after an amount, a decimal comma."""
    words = [
        *_titles(300),
        Word("|", (100, 370, 110, 410), 0.8),
        *_row(370, "2026-05-01", "消费", "超市", "28.45,", "", "71.55"),
        *_row(430, "2026-05-02", "消费", "超市", "424,33", "", "-352.78"),
    ]
    page = read_pages([Reading(page=1, words=words, source="ocr")], pick_layout(""))[0]
    assert [(r["date"], r["debit"], r["balance"]) for r in page.rows] == [
        ("2026-05-01", "28.45", "71.55"),
        ("2026-05-02", "424.33", "-352.78"),
    ]
    assert page.rows[0]["cells"]["debit"]["raw"] == "28.45,"  # the evidence shows what was read
    assert page.amount_edges["debit"] == pytest.approx(1760, abs=5)
    assert page.title_top == 300


words = st.builds(
    Word,
    text=st.text(min_size=0, max_size=12),
    box=st.tuples(
        st.integers(0, 2500), st.integers(0, 3500), st.integers(0, 2500), st.integers(0, 3500)
    ),
    confidence=st.floats(0, 1),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, max_size=40))
def test_table_reading_never_raises_on_arbitrary_words(items):
    for page in read_pages([Reading(page=1, words=items, source="ocr")], pick_layout("")):
        assert isinstance(page.rows, list)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "date",
                "description",
                "counterparty",
                "debit",
                "credit",
                "amount",
                "direction",
                "balance",
            ]
        ),
        st.text(max_size=20),
        max_size=8,
    )
)
def test_row_parsing_never_raises_on_arbitrary_text(cells):
    for layout_text in ("", "支付宝交易明细", "中国工商银行"):
        layout = pick_layout(layout_text)
        row = make_row({k: [Token(v, None, 1.0)] for k, v in cells.items()}, layout, source="table")
        assert row is None or isinstance(row["debit"], str)
