"""Business licences (营业执照) drawn in four templates (`fixtures.business_licence`): every
field read as printed from text PDFs and from OCR'd scans and photos (the unseen template
included, the authority under the seal too), nothing reported that is not printed, no error on
a clean licence, the planted defects caught (a USCC with one character changed, an ended term,
another operator); how values broken by the seal or a reader are found and never taken as
they are read. The figures over more seeds: `python -m bench.licence_reading`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.check import check_file
from checker.document import Reading, Word
from checker.documents import CheckContext, Content
from checker.documents import business_licence as module
from checker.documents._licence.cells import labelled_cells, rows_of
from checker.documents._licence.extraction import read_fields
from checker.documents._licence.values import capital_amount, term_value
from checker.ingest import ingest
from checker.ocr import get_reader
from checker.policy import default_policy
from checker.rules.identity import Applicant, name_findings
from fixtures import business_licence as licences
from fixtures import income_layouts
from schemas.business import BusinessLicenceFields
from schemas.findings import Code, Severity
from schemas.reads import Read
from schemas.report import DocumentReport

AS_OF = licences.AS_OF
POLICY = default_policy()
# OCR'd images (each costs seconds): a landscape 正本 scan, a portrait 副本 phone photo, and
# the unseen 个体工商户 template as a phone photo
IMAGES = (("original", "scan"), ("copy", "photo"), ("sole_trader", "photo"))


def _check(folder: Path, name: str, data: bytes):
    path = folder / name
    path.write_bytes(data)
    return check_file(path, policy=POLICY, reader=get_reader(POLICY.ocr), as_of=AS_OF)


def _pdf(tmp_path: Path, template: str = "electronic", seed: int = 7, **changes):
    licence = licences.sample_licence(template, seed, **changes)
    checked = _check(
        tmp_path, f"{template}.pdf", licences.licence_file(licence, template, pdf=True)
    )
    return checked, licences.licence_truth(licence, template)


def _values(fields, truth: dict[str, object]) -> dict[str, object]:
    return {name: (fields[name].value if name in fields else None) for name in truth}


@pytest.fixture(name="images", scope="module")
def _images(tmp_path_factory):
    """Each image of `IMAGES` checked once, with its truth."""
    folder = tmp_path_factory.mktemp("licences")
    checked = {}
    for template, presentation in IMAGES:
        licence = licences.sample_licence(template, 7)
        data = licences.licence_file(licence, template, photo=presentation == "photo", seed=7)
        name = f"{template}.{'jpg' if presentation == 'photo' else 'png'}"
        checked[template] = (_check(folder, name, data), licences.licence_truth(licence, template))
    return checked


# ----------------------------------------------------------------------------- reading


@pytest.mark.parametrize("template", licences.TEMPLATES)
def test_text_pdf_fields_exact(tmp_path, template):
    """Every printed field read exactly from the text layer, every template's layout."""
    checked, truth = _pdf(tmp_path, template)
    assert checked.report.kind == "business_licence"
    assert _values(checked.report.fields, truth) == truth


@pytest.mark.parametrize("template", [template for template, _ in IMAGES])
def test_image_fields_exact(images, template):
    """Every field read exactly from the image, the authority's name under the seal too.
    `sole_trader` is the unseen template: first contact 31 of 36 fields over two seeds as scan
    and photo (the 名称 label lost to the spaced font, the authority under the seal misread as
    市场监督寧理局); after the general fixes it revealed (name and type found by their shape,
    values under the seal confirmed or left unread) 65 of 72 over four seeds, the misses the
    authority under the seal and one 黄 read as 黃. `python -m bench.licence_reading` (seeds
    1-4 as scan and photo) measured that at 66/72 = 91.7 %; after the authority under the seal
    read from levelled line crops (found by what the seal left of it, or over the issue date,
    where no reader saw it) and traditional forms read as the simplified print: 72/72, with
    no value reported that is not printed, and 144/144 over seeds 5-12 (129 before). Seen
    templates, seeds 1-4 before -> after: original 104 -> 104/104, copy 106 -> 112/112 (the
    authority), electronic 112 -> 112/112; seeds 5-12: original 204 -> 207/208 (an issue date
    under the seal left unread), copy 219 -> 224/224, electronic 224/224. These images (seed
    7) are among those measured; the unseen one's authority was left unread before."""
    checked, truth = images[template]
    assert checked.report.kind == "business_licence"
    assert _values(checked.report.fields, truth) == truth


@pytest.mark.parametrize("template", [template for template, _ in IMAGES])
def test_nothing_reported_that_is_not_printed(images, template):
    checked, truth = images[template]
    for name, read in checked.report.fields.items():
        if read.value is not None and name in truth:
            assert read.value == truth[name], name
        elif read.value is not None:  # a field the template does not print
            assert name in ("valid_until", "long_term", "valid_from"), name


@pytest.mark.parametrize("template", [template for template, _ in IMAGES])
def test_clean_image_has_no_error(images, template):
    checked, _ = images[template]
    assert not [f.code for f in checked.report.findings if f.severity == Severity.ERROR]


@pytest.mark.parametrize("template", licences.TEMPLATES)
def test_clean_pdf_has_no_finding(tmp_path, template):
    checked, _ = _pdf(tmp_path, template, seed=3)
    assert checked.report.findings == []


# ----------------------------------------------------------------------------- planted defects


def test_uscc_with_one_character_changed_is_invalid(tmp_path):
    code = licences.sample_licence("electronic", 7).uscc
    checked, _ = _pdf(tmp_path, uscc=licences.with_one_char_changed(code))
    findings = [f for f in checked.report.findings if f.code == Code.USCC_INVALID]
    assert [(f.severity, f.field) for f in findings] == [(Severity.ERROR, "uscc")]
    assert checked.report.fields["uscc"].value is None  # an invalid code is no value


def test_uscc_failing_on_an_unsure_read_asks_for_a_retake():
    fields = BusinessLicenceFields(
        uscc=Read(value=None, raw="91110105MA01ABCD1X", confidence=0.6, method="ocr")
    )
    codes = {(f.code, f.severity) for f in module.check(fields, _context())}
    assert (Code.RETAKE, Severity.WARNING) in codes
    assert not any(severity == Severity.ERROR for _, severity in codes)


def test_ended_term_is_an_error(tmp_path):
    checked, _ = _pdf(tmp_path, established=dt.date(2005, 3, 1), valid_until=dt.date(2025, 2, 28))
    findings = [f for f in checked.report.findings if f.code == Code.LICENCE_EXPIRED]
    assert [(f.severity, f.ctx["valid_until"]) for f in findings] == [
        (Severity.ERROR, "2025-02-28")
    ]


def test_term_ending_soon_is_a_warning(tmp_path):
    checked, _ = _pdf(tmp_path, valid_until=AS_OF + dt.timedelta(days=10))
    codes = {(f.code, f.severity) for f in checked.report.findings}
    assert codes == {(Code.LICENCE_EXPIRES_SOON, Severity.WARNING)}


def test_long_term_never_ends(tmp_path):
    checked, _ = _pdf(tmp_path, valid_until=None)
    fields = checked.report.fields
    assert (fields["long_term"].value, fields["valid_until"].value) == (True, None)
    assert checked.report.findings == []


def test_established_in_the_future_is_an_error(tmp_path):
    later = AS_OF + dt.timedelta(days=40)
    checked, _ = _pdf(tmp_path, established=later, valid_until=None, issue_date=later)
    findings = [f for f in checked.report.findings if f.field == "established"]
    assert [(f.code, f.severity) for f in findings] == [(Code.DATE_IN_FUTURE, Severity.ERROR)]


def test_another_operator_is_a_name_mismatch(tmp_path):
    """A sole trader's licence whose 经营者 is someone else than the applicant: the holder
    facet gives the printed operator, and the name rule tells them apart."""
    checked, truth = _pdf(tmp_path, "sole_trader", representative="欧阳明")
    fields = checked.report.fields
    assert fields.is_sole_trader()
    assert fields.holder_name().read.value == "欧阳明"
    assert fields.business_name().read.value == truth["name"]
    assert fields.business_uscc().read.value == truth["uscc"]
    report = DocumentReport(file="licence.pdf", kind="business_licence", fields=fields)
    applicant = Applicant(Read(value="张伟", confidence=1.0), None, None, "id.jpg", "cn_id_front")
    found = name_findings([report], applicant, clean=0.8)
    assert [(f.code, f.field) for f in found] == [(Code.NAME_MISMATCH, "representative")]


def test_a_company_licence_is_no_sole_traders(tmp_path):
    """A company's legal representative need not be the applicant: no name to hold."""
    checked, _ = _pdf(tmp_path, "copy")
    assert not checked.report.fields.is_sole_trader()
    assert checked.report.fields["representative_label"].value == "法定代表人"
    assert checked.report.fields.holder_name() is None


def test_unread_required_field_is_a_warning_naming_it():
    fields = BusinessLicenceFields(
        uscc=Read(value="91110105MA01ABCD1X", confidence=1.0),
        name=Read(value="北京星河数据科技有限公司", confidence=1.0),
        type=Read(value="有限责任公司（自然人独资）", confidence=1.0),
        representative=Read(value=None, page=1, method="not_found"),
        established=Read(value=dt.date(2016, 5, 12), confidence=1.0),
    )
    findings = module.check(fields, _context())
    assert [(f.code, f.severity, f.field) for f in findings] == [
        (Code.FIELD_UNREADABLE, Severity.WARNING, "representative")
    ]


# ----------------------------------------------------------------------------- detection, values


def test_a_certificate_is_no_licence():
    cert = income_layouts.sample_certificate("rows", 3)
    data = income_layouts.certificate_file(cert, "rows", pdf=True)
    document = ingest(data, name="certificate.pdf", limits=POLICY.limits)
    readings = tuple(page.text_layer for page in document.pages if page.text_layer is not None)
    assert module.detect(Content(readings=readings)) < 0.5


@pytest.mark.parametrize(
    ("printed", "amount"),
    [
        ("壹佰万元整", "1000000.00"),
        ("100万元人民币", "1000000.00"),
        ("人民币50.5万元", "505000.00"),
        ("叁拾万元整", "300000.00"),
        ("一百万", None),
    ],
)
def test_registered_capital_amount(printed, amount):
    assert capital_amount(printed) == amount


@pytest.mark.parametrize(
    ("printed", "term"),
    [
        ("2016年05月12日至2036年05月11日", (dt.date(2016, 5, 12), dt.date(2036, 5, 11), False)),
        ("2016年05月12日至长期", (dt.date(2016, 5, 12), None, True)),
        ("长期", (None, None, True)),
        ("2036年05月11日至2016年05月12日", None),
        ("2016年05月12日", None),
    ],
)
def test_term_of_operation(printed, term):
    assert term_value(printed) == term


def _word(text: str, left: int, top: int, height: int = 40) -> Word:
    return Word(text, (left, top, left + height * len(text), top + height), 0.99)


def test_a_wrapped_address_is_read_whole_and_a_whole_name_is_not_continued():
    """A value wrapped under its start, a line closer than rows stand, goes on; a business
    name that already ends as one does not take the next line's text (a lost label's value)."""
    words = [
        _word("名称", 100, 0),
        _word("星河数据科技有限公司", 300, 0),
        _word("黄思琪", 300, 57),
        _word("住所", 100, 200),
        _word("北京市朝阳区建国路106号", 300, 200),
        _word("3层301室", 300, 257),
    ]
    cells = labelled_cells(rows_of(words))
    assert cells["name"].text == "星河数据科技有限公司"
    assert cells["address"].text == "北京市朝阳区建国路106号3层301室"


def test_a_traditional_form_read_for_simplified_print_is_read_as_printed():
    """RapidOCR gives 黃 for the 黄 a licence prints: the value is the printed name."""
    cells = labelled_cells(rows_of([_word("经营者", 100, 0), _word("黃思琪", 400, 0)]))
    assert cells["representative"].text == "黄思琪"


@pytest.mark.parametrize("half", ["住", "所"])
def test_a_spread_label_read_by_one_character_still_labels_its_value(half):
    """住      所 with one character lost: the other standing apart, then the address."""
    words = [_word(half, 340, 0), _word("成都市武侯区中山北路37号", 400, 0)]
    assert labelled_cells(rows_of(words))["address"].text == "成都市武侯区中山北路37号"


def test_a_value_starting_with_a_labels_character_keeps_it():
    """称 read as a word of its own at the start of a name (a reader splits a run), close to
    the rest: no half of 名称, the name whole."""
    words = [
        _word("名称", 100, 0),
        _word("称", 300, 0),
        Word("心便利店", (345, 0, 505, 40), 0.99),
    ]
    assert labelled_cells(rows_of(words))["name"].text == "称心便利店"


def _page(*words: Word) -> Reading:
    return Reading(page=1, words=list(words), source="ocr")


def test_what_the_seal_left_of_the_authority_is_where_it_stands_never_its_value():
    """Its label lost under the seal and its name broken (管 lost): the row is the authority's
    cell for a second look under the seal, but unread; the issue date still found under it."""
    fields = read_fields(
        _page(
            _word("经营范围", 100, 0),
            _word("零售：日用百货", 400, 0),
            _word("成都市武侯区市场监督理局", 300, 200),
            _word("2011年11月15日", 340, 280),
        )
    )
    authority = fields["registration_authority"]
    assert (authority.value, authority.method, authority.raw) == (
        None,
        "unread",
        "成都市武侯区市场监督理局",
    )
    assert fields["issue_date"].value == dt.date(2011, 11, 15)


def test_a_date_the_seal_broke_is_the_unread_issue_date_not_an_earlier_date():
    """2009年110月31日 (a ring's stroke read as a digit) at the foot of the page: the issue
    date is unread there, for a second look, not the establishment date above it."""
    fields = read_fields(
        _page(
            _word("经营范围", 100, 0),
            _word("零售：日用百货", 400, 0),
            _word("有限责任公司2008年08月13日", 100, 100),
            _word("2009年110月31日", 340, 280),
        )
    )
    issue = fields["issue_date"]
    assert (issue.value, issue.method, issue.raw) == (None, "unread", "2009年110月31日")


def _context() -> CheckContext:
    return CheckContext(policy=POLICY, as_of=AS_OF, file="licence.jpg")
