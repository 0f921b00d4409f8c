"""Property tests for the parsers that take text from OCR, where tests/checker has none yet:
MRZ lines, resident ID numbers, statement exports and header lines, and every document
module over arbitrary words. Any input gives a typed value, None or findings; never raises.

(Dates and money, the declared fields, table reading from words and `make_row` already have
theirs in tests/checker/test_parse.py, test_fields.py and statements/test_table.py.)
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import fields as form_fields
from checker import mrz
from checker.document import Reading, Table, Word
from checker.documents import CheckContext, Content, document_modules
from checker.policy import default_policy
from checker.statements.exports import read_export
from checker.statements.header import header_fields
from checker.statements.layout import layouts, pick_layout
from checker.statements.lines import Line, Token
from checker.statements.rows import looks_like_date, parse_row_date
from schemas import identity
from schemas.findings import Finding

from .expect import AS_OF

# what OCR makes of documents: digits, MRZ filler, ID check letters, dates and money marks,
# the Chinese of labels, and some of everything else
DOMAIN = "0123456789X<Kk- .,:/年月日至元角分¥￥+—()（）：，。姓名身份证号码出生住址银行账户交易余额"
ocr_text = st.one_of(
    st.text(alphabet=DOMAIN, max_size=60),
    st.text(max_size=60),
    st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<", min_size=28, max_size=46),
)
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- MRZ


@SLOW
@given(st.lists(ocr_text, max_size=5), st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)))
def test_mrz_lines_give_a_zone_or_none(lines, today):
    zone = mrz.find_zone(lines)
    assert zone is None or all(isinstance(line, str) for line in zone)
    parsed = mrz.parse_mrz(lines, today=today)
    assert parsed is None or isinstance(parsed, mrz.Mrz)


@given(st.text(max_size=60))
def test_mrz_line_cleaning_and_check_digits_never_raise(text):
    cleaned = mrz.clean_line(text)
    assert isinstance(cleaned, str)
    assert mrz.detect_format([cleaned]) in (None, "TD1", "TD2", "TD3")
    digit = mrz.check_digit(cleaned)
    assert isinstance(digit, str)


# ---------------------------------------------------------------- resident ID numbers


@given(st.one_of(st.text(alphabet="0123456789Xx -", max_size=22), st.text(max_size=22)))
def test_id_number_reading_gives_typed_values(text):
    problem = identity.id_number_problem(text, today=AS_OF)
    assert problem is None or isinstance(problem, identity.IdNumberProblem)
    birth = identity.id_birth_date(text)
    assert birth is None or isinstance(birth, dt.date)
    assert identity.id_sex(text) in (None, "男", "女")
    assert isinstance(identity.id_region_known(text), bool)
    reason = form_fields.id_number_problem(text)
    assert (reason is None) == (identity.id_number_problem(text) is None)


# ---------------------------------------------------------------- statements


@given(ocr_text)
def test_row_dates_give_a_date_or_none(text):
    assert isinstance(looks_like_date(text), bool)
    for layout in layouts():
        value = parse_row_date(text, layout)
        assert value is None or isinstance(value, dt.date)


@SLOW
@given(
    st.lists(st.lists(ocr_text, max_size=8), max_size=12), st.sampled_from(["", "支付宝交易明细"])
)
def test_exports_of_any_cells_give_rows_or_nothing(rows, layout_text):
    table = Table(name="csv", rows=rows)
    export = read_export(table, pick_layout(layout_text))
    assert isinstance(export.rows, list)
    found = header_fields(export.other_lines, pick_layout(layout_text))
    assert isinstance(found, dict)


@SLOW
@given(st.lists(st.lists(ocr_text, min_size=1, max_size=5), max_size=10))
def test_header_lines_of_any_text_give_fields_or_nothing(lines):
    parsed = [
        Line(tokens=tuple(Token(text, (0, 0, 10, 10), 0.5, page=1) for text in words), number=n)
        for n, words in enumerate(lines)
    ]
    for layout in layouts():
        assert isinstance(header_fields(parsed, layout), dict)


# ---------------------------------------------------------------- every document module

words = st.builds(
    Word,
    text=ocr_text.filter(bool),
    box=st.tuples(
        st.integers(0, 900), st.integers(0, 600), st.integers(901, 1011), st.integers(601, 638)
    ),
    confidence=st.floats(0, 1),
    line=st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 12)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(words, max_size=30))
def test_every_document_module_reads_any_words_without_raising(items):
    """Detect, extract and check of every kind over one page of arbitrary OCR words (no
    reader: a module cannot re-read regions, as when the page is a text layer)."""
    content = Content(readings=(Reading(page=1, words=items, source="ocr"),))
    context = CheckContext(policy=default_policy(), as_of=AS_OF, file="page.png")
    for module in document_modules():
        score = module.detect(content)
        assert 0.0 <= score <= 1.0
        extracted = module.extract(content)
        assert isinstance(extracted, module.FIELDS)
        findings = module.check(extracted, context)
        assert all(isinstance(finding, Finding) for finding in findings)
