"""The pipeline: files in, a report out. Ingest, quality, reading, kind, fields, findings."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker import application
from checker.classify import UNKNOWN, candidates, classify
from checker.document import Box, Document, Reading
from checker.documents import CheckContext, Content, module_for
from checker.fields import declared_findings, parse_declared
from checker.findings import new_finding
from checker.ingest import Source, ingest_source
from checker.labels import kind_label_pair
from checker.mrz_find import forget as forget_zone_search
from checker.mrz_find import keep_page_read, on_its_side
from checker.ocr import (
    OcrError,
    Reader,
    ReaderWrapper,
    card_reader,
    get_reader,
    make_room_for_card,
    process_reader,
    second_reader,
)
from checker.policy import Policy, load_policy
from checker.processes import Submit, process_pool
from checker.read_ahead import PagesRead, ReadAhead, pages_to_read_ahead, read_ahead
from checker.reading import read_document
from checker.reading.flatten import FlatRead, flatten
from checker.reading.glyphs import Shown, shown
from checker.reading.quality import gate, reorient, upright
from checker.report import finish_report
from checker.rules.identity import Judge
from checker.split import Part, split
from checker.statements.photo import top_of
from schemas.catalogue import Lang
from schemas.declared import DeclaredFields
from schemas.fields import UnknownFields
from schemas.findings import Code, Finding, Severity
from schemas.kinds import DocumentKind
from schemas.reads import Read
from schemas.report import DocumentReport, PageQuality, Report

if TYPE_CHECKING:
    from PIL import Image


DECLARED_FILE = "declared.json"


@dataclass
class Checked:
    """One file after the document checks: its report (raw values) and what was read."""

    report: DocumentReport
    content: Content


class PageReadLog(ReaderWrapper):
    """The pipeline's reader, keeping every whole-page reading made through it: the first
    read of each page and any read of it again (a page turned upright, a statement photo
    flattened, the top of a photographed sheet: `checker.statements.photo`), so the report's
    `ocr_seconds` counts them all. Region reads pass through unlogged."""

    def __init__(self, inner: Reader) -> None:
        super().__init__(inner)
        self.readings: list[Reading] = []

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        reading = self.inner.read(image, dpi=dpi, page=page)
        self.readings.append(reading)
        return reading


SEPARATORS = {"zh": "、", "en": ", "}  # between the names of a list, by language
SURE_KIND = 0.8  # a kind less sure than this on an image asks the second reader's opinion
# kinds the card reader settles: ID cards, and payslips photographed or scanned wide (33 payslip
# photos: totals 99 of 99 either way, names 32 against 31 of 33, employers 27 against 24, in
# 24.6 s against 42.9 s with tesseract reading them again)
CARD_FIRST_KINDS = frozenset(
    {DocumentKind.CN_ID_FRONT, DocumentKind.CN_ID_BACK, DocumentKind.PAYSLIP}
)
LANDSCAPE = 1.2  # an image this much wider than tall may be a card: the card reader reads first
UPSIDE_DOWN_SCORE = (
    0.85  # the card reader's median line score below which a page may be upside down
)
UPSIDE_DOWN_WORDS = 3  # ... over at least this many lines
READ_FAILURES = {Code.FIELD_UNREADABLE, Code.ID_NUMBER_UNCLEAR, Code.RETAKE, Code.UNREADABLE}


def content_of(
    document: Document,
    readings: list[Reading],
    reader: Reader | None,
    second_reader: Reader | None = None,
) -> Content:
    """What a document module gets: the readings, the tables, and the read pages with the
    readers (to read a region again)."""
    read_pages = {reading.page for reading in readings}
    return Content(
        readings=tuple(readings),
        tables=tuple(document.tables),
        pages=tuple(page for page in document.pages if page.number in read_pages),
        reader=reader,
        second_reader=second_reader,
    )


def _turn_pages(document: Document) -> bool:
    """Put upside-down or turned image pages upright (tesseract OSD); True if any was."""
    turned = False
    for index, page in enumerate(document.pages):
        upright_page = reorient(page)
        if upright_page is not None:
            document.pages[index] = upright_page
            turned = True
    return turned


def check_file(source: Source, *, policy: Policy, reader: Reader, as_of: dt.date) -> Checked:
    """Every document-level check of a file that holds one document (of one that holds
    several, the first: `check_parts` gives each); findings not yet localized or masked."""
    return check_parts(source, policy=policy, reader=reader, as_of=as_of)[0]


def check_parts(source: Source, *, policy: Policy, reader: Reader, as_of: dt.date) -> list[Checked]:
    """Every document-level check of one file, one `Checked` per document in it: most files
    hold one; a PDF of several kinds, or both ID sides on one image, is split."""
    document = ingest_source(source, policy)
    page_reader = PageReadLog(reader)
    report = DocumentReport(
        file=document.file, media_type=document.media_type, pages=len(document.pages)
    )
    findings = list(document.findings)
    if not (document.pages or document.tables or findings):
        # nothing read and nothing wrong said: never let a file through unchecked
        findings.append(new_finding(Code.DOCUMENT_UNKNOWN, file=document.file))
    quality_findings = _gate_pages(document, report, policy)
    findings += quality_findings
    content, read_findings = _read(document, report, page_reader, policy)
    findings += [finding.model_copy(update={"file": document.file}) for finding in read_findings]
    checked = None
    if content.readings or document.tables:
        # a page too poor to read: its quality finding says what to fix, not the misreads
        # (or the failed classification) it causes
        poor_quality = any(f.severity == Severity.ERROR for f in quality_findings)
        parts = [] if poor_quality else split(content, report.kind)
        if parts:
            checked = _check_split(parts, report, findings, policy, as_of)
        else:
            findings += _kind_findings(content, report, policy, as_of, poor_quality=poor_quality)
    if checked is None:
        report.findings = findings
        checked = [Checked(report=report, content=content)]
    for item in checked:  # after the document checks, which may read a page again
        _note_readings(item.report.quality, content.readings, page_reader.readings)
    forget_zone_search()  # its kept reads hold the file's page images
    return checked


def _check_split(
    parts: list[Part],
    report: DocumentReport,
    file_findings: list[Finding],
    policy: Policy,
    as_of: dt.date,
) -> list[Checked]:
    """Each document of a file that holds several, checked on its own; the file's findings
    (ingest, quality, reading) and a note naming the documents go with the first."""
    labels = [kind_label_pair(part.kind) for part in parts]
    documents = {
        lang: SEPARATORS[lang].join(label[lang] for label in labels) for lang in SEPARATORS
    }
    note = new_finding(Code.SEVERAL_DOCUMENTS, file=report.file, documents=documents)
    checked = []
    for index, part in enumerate(parts):
        numbers = {reading.page for reading in part.content.readings}
        part_report = report.model_copy(
            update={
                "kind": part.kind,
                "kind_confidence": part.confidence,
                "part": part.where,
                "quality": [quality for quality in report.quality if quality.page in numbers],
                "fields": UnknownFields(),
            }
        )
        findings = _kind_findings(part.content, part_report, policy, as_of, poor_quality=False)
        part_report.findings = ([*file_findings, note] if index == 0 else []) + findings
        checked.append(Checked(report=part_report, content=part.content))
    return checked


def _gate_pages(document: Document, report: DocumentReport, policy: Policy) -> list[Finding]:
    """The quality gate on every page (which may turn a page upright); its findings."""
    findings: list[Finding] = []
    for index, page in enumerate(document.pages):
        document.pages[index], quality, page_findings = gate(
            page, policy.quality, file=document.file
        )
        report.quality.append(quality)
        findings += page_findings
    return findings


def _note_readings(
    qualities: Iterable[PageQuality], readings: Iterable[Reading], page_reads: Iterable[Reading]
) -> None:
    """Each page's OCR confidence (of the reading checked) and, in its quality block, the time
    and cache use of every whole-page read of it: a page read again (turned upright, or a
    statement photo flattened) costs both reads."""
    first = {reading.page: reading for reading in readings}
    reads: dict[int, list[Reading]] = {}
    for read in page_reads:
        if read.source == "ocr":
            reads.setdefault(read.page, []).append(read)
    for quality in qualities:
        reading = first.get(quality.page)
        if reading is None:
            continue
        quality.ocr_confidence = reading.mean_confidence
        if quality.page in reads:
            quality.ocr_seconds = round(sum(read.seconds for read in reads[quality.page]), 3)
            quality.ocr_cached = all(read.cached for read in reads[quality.page])


def _read(
    document: Document, report: DocumentReport, log: PageReadLog, policy: Policy
) -> tuple[Content, list[Finding]]:
    """Read the pages and set the report's kind; the content to check and what stopped a
    page being read.

    A one-image document wider than tall may be a card photographed or scanned: the card
    reader (RapidOCR) reads it first (again turned 180° when its lines read as if upside
    down), and when it finds an ID card or a payslip surely, tesseract does not read it at
    all (RapidOCR reads a card's print better, `checker.documents._cn_id_labels`, and a
    payslip photo's table as well or better).
    A one-image document photographed on a sheet whose top reads as a bank statement is read
    flattened (`_statement_photo`). Anything else is read by the page reader as well and
    classified as any page is."""
    second = second_reader(policy.ocr)
    card_reading = None
    card = None
    if _card_shaped(document):
        make_room_for_card(policy.ocr)
        card = card_reader(policy.ocr)
    if card is not None:
        readings, findings = read_document(document, card)
        log.readings += readings
        if readings and document.pages[0].image is not None:  # the zone search's read too
            keep_page_read(document.pages[0].image, readings[0], card)
        content = content_of(document, readings, log, second)
        kind, confidence = classify(content) if readings else (UNKNOWN, 0.0)
        if kind in CARD_FIRST_KINDS and confidence >= SURE_KIND:
            report.kind, report.kind_confidence = kind, confidence
            return content, findings
        if readings and _upside_down(readings[0]):
            turned = _turned_card(document, (180,), log, card, second)
            if turned is not None:
                report.kind, report.kind_confidence = turned.kind, turned.confidence
                return turned.content, findings
        card_reading = readings[0] if readings else None
    elif (statement := _statement_photo(document, report, log, second)) is not None:
        return statement, []
    readings, findings = read_document(document, log)
    turned = _card_on_its_side(document, readings, log, policy, second) if card is None else None
    if turned is not None:
        report.kind, report.kind_confidence = turned.kind, turned.confidence
        return turned.content, findings
    content = content_of(document, readings, log, second)
    if readings or document.tables:
        content = _classify(document, content, report, log, card_reading)
    if card_reading is not None and all(read is not card_reading for read in content.readings):
        content = replace(content, other_readings=(card_reading,))
    return content, findings


@dataclass(frozen=True)
class _TurnedCard:
    content: Content
    kind: str
    confidence: float


def _card_on_its_side(
    document: Document,
    readings: list[Reading],
    log: PageReadLog,
    policy: Policy,
    second: Reader | None,
) -> _TurnedCard | None:
    """A card photographed on its side in a portrait photo (the frame is no card's shape, so
    the gate does not turn it, and tesseract's orientation detection finds too few letters on
    a card): the page reading's text boxes mostly stand on end (`on_its_side`). The card
    reader reads the page turned 90° and 270° (`_turned_card`).

    On the 100-application batch set, 2 of 141 portrait one-image files read so, both ID
    cards turned 90°; the other, a card-shaped crop, the gate turns first."""
    if len(document.pages) != 1 or document.tables or len(readings) != 1:
        return None
    page = document.pages[0]
    if page.image is None or page.width >= page.height or not on_its_side(readings[0]):
        return None
    make_room_for_card(policy.ocr)
    card = card_reader(policy.ocr)
    if card is None:
        return None
    return _turned_card(document, (90, 270), log, card, second)


def _upside_down(reading: Reading) -> bool:
    """Whether the card reader's reading looks upside down: its lines read unsurely (median
    score below UPSIDE_DOWN_SCORE). Measured: 0.62-0.76 on an ID card, a passport, payslip and
    statement photos turned 180°; 1.00 on each of them upright."""
    scores = [word.confidence for word in reading.words]
    return len(scores) >= UPSIDE_DOWN_WORDS and statistics.median(scores) < UPSIDE_DOWN_SCORE


def _turned_card(
    document: Document,
    turns: Sequence[int],
    log: PageReadLog,
    card: Reader,
    second: Reader | None,
) -> _TurnedCard | None:
    """The one-image document's page read by the card reader turned by each of `turns`
    (degrees clockwise) in order: the first turn that reads surely as a card kind becomes the
    document's page. None otherwise, the page left as it was."""
    page = document.pages[0]
    for degrees in turns:
        turned = upright(page, degrees)
        assert turned.image is not None
        try:
            reading = card.read(turned.image, dpi=turned.dpi, page=turned.number)
        except OcrError:
            break
        log.readings.append(reading)
        document.pages[0] = turned
        content = content_of(document, [reading], log, second)
        kind, confidence = classify(content)
        if kind in CARD_FIRST_KINDS and confidence >= SURE_KIND:
            keep_page_read(turned.image, reading, card)  # the zone search's read too
            return _TurnedCard(content, kind, confidence)
    document.pages[0] = page
    return None


def _statement_photo(
    document: Document, report: DocumentReport, log: PageReadLog, second: Reader | None
) -> Content | None:
    """A one-image document photographed on a sheet whose top third, flattened, shows a
    transaction table: the sheet read once, flattened, rather than as taken and then again
    flattened (`checker.statements.photo`). The content holds that read with its boxes on
    the photo, the read itself in `flat_reads`. None, and the page is read as taken, when the
    page is no such photo or the whole sheet does not read as a bank statement."""
    if len(document.pages) != 1 or document.tables:
        return None
    flat = flatten(document.pages[0])
    if flat is None or flat.page.image is None:
        return None
    top_image = top_of(flat.page.image)
    top = replace(flat.page, image=top_image, height=top_image.height)
    try:
        top_reading = log.read(top_image, dpi=top.dpi, page=top.number)
        top_kind, _ = classify(Content(readings=(top_reading,), pages=(top,)))
        if top_kind != DocumentKind.BANK_STATEMENT:
            return None
        reading = log.read(flat.page.image, dpi=flat.page.dpi, page=flat.page.number)
    except OcrError:
        return None  # read as taken, which says what failed
    content = replace(
        content_of(document, [flat.on_photo(reading)], log, second),
        flat_reads=(FlatRead(flat, reading),),
    )
    kind, confidence = classify(content)
    if kind != DocumentKind.BANK_STATEMENT:
        return None
    report.kind, report.kind_confidence = kind, confidence
    return content


def _card_shaped(document: Document) -> bool:
    """One image page, wider than tall: a card's photo or scan, or a page turned on its side
    (which the card reader does not settle, so tesseract reads it as before)."""
    if len(document.pages) != 1 or document.tables:
        return False
    page = document.pages[0]
    if page.image is None or page.text_layer is not None:
        return False
    return page.width >= LANDSCAPE * page.height


def _classify(
    document: Document,
    content: Content,
    report: DocumentReport,
    reader: PageReadLog,
    second_reading: Reading | None,
) -> Content:
    """Set the report's kind; an unknown file is turned upright (OSD) and read once more.
    `second_reading` is the second reader's reading of the page, when it read it already."""
    report.kind, report.kind_confidence = classify(content)
    if report.kind == UNKNOWN and _turn_pages(document):
        # a page upside down keeps its shape, so the gate cannot suspect it cheaply
        readings, _ = read_document(document, reader)
        content = content_of(document, readings, reader, content.second_reader)
        report.kind, report.kind_confidence = classify(content)
        second_reading = None  # read before the page was turned
    if report.kind_confidence < SURE_KIND:
        content = _second_opinion(content, report, reader, second_reading)
    return content


def _second_opinion(
    content: Content, report: DocumentReport, log: PageReadLog, reading: Reading | None
) -> Content:
    """A one-image file whose kind the page reading leaves unsure, read by the second reader
    (unless `reading` is its reading already) and classified again; the surer reading
    becomes the document's. RapidOCR reads a card's Chinese print on a security background
    where tesseract's chi_sim loses even the labels."""
    if content.second_reader is None or content.tables or len(content.pages) != 1:
        return content
    page = content.pages[0]
    if page.image is None:
        return content
    if reading is None:
        try:
            reading = content.second_reader.read(page.image, dpi=page.dpi, page=page.number)
        except OcrError:
            return content
        log.readings.append(reading)
    second = replace(content, readings=(reading,))
    kind, confidence = classify(second)
    if confidence <= report.kind_confidence:
        return content
    report.kind, report.kind_confidence = kind, confidence
    return second


def _kind_findings(
    content: Content,
    report: DocumentReport,
    policy: Policy,
    as_of: dt.date,
    *,
    poor_quality: bool,
) -> list[Finding]:
    """The fields and checks of the file's kind, or `document_unknown`."""
    module = module_for(report.kind)
    if module is None:
        if poor_quality:
            return []
        # the kinds that came close, so that a reviewer sees what it might be
        close = [{"kind": kind, "score": score} for kind, score in candidates(content)]
        return [new_finding(Code.DOCUMENT_UNKNOWN, file=report.file, candidates=close)]
    report.fields = module.extract(content)
    context = CheckContext(policy=policy, as_of=as_of, file=report.file)
    findings = module.check(report.fields, context)
    if poor_quality:
        findings = [finding for finding in findings if finding.code not in READ_FAILURES]
    return findings


class DeclaredError(ValueError):
    """A declared-fields JSON file that cannot be used; the message names the file. The
    reason holds no value from the file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def read_declared(path: Path) -> dict[str, Any]:
    """The intake form's fields from a JSON file: a JSON object, or DeclaredError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DeclaredError(path, f"cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise DeclaredError(path, "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        reason = f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        raise DeclaredError(path, reason) from None
    if not isinstance(data, dict):
        raise DeclaredError(path, "must hold a JSON object of form fields")
    return data


def expand_sources(paths: Iterable[Source]) -> tuple[list[Source], dict[str, Any] | None]:
    """Folders become their files (sorted); a folder's declared.json is the form's fields.

    JSON files inside a folder are not documents and are not checked.
    """
    sources: list[Source] = []
    declared: dict[str, Any] | None = None
    for source in paths:
        if isinstance(source, tuple) or not Path(source).is_dir():
            sources.append(source)
            continue
        folder = Path(source)
        declared_path = folder / DECLARED_FILE
        if declared_path.is_file():
            declared = read_declared(declared_path)
        sources += sorted(
            path for path in folder.iterdir() if path.is_file() and path.suffix != ".json"
        )
    return sources, declared


def run_application(
    paths: Iterable[Source],
    *,
    declared: dict[str, Any] | DeclaredFields | None = None,
    profile: str = "personal_loan",
    as_of: dt.date | None = None,
    lang: Lang = "zh",
    mask: bool = True,
    policy: Policy | None = None,
    reader: Reader | None = None,
    workers: int = 1,
) -> Report:
    """Check every file of one application, then the application as a whole. With `workers`
    above 1 (and no `reader` given) the files, and a scanned PDF's pages, are checked side by
    side in that many worker processes (`check_side_by_side`)."""
    policy = policy or load_policy()
    if profile not in policy.profiles:
        raise ValueError(f"unknown profile {profile!r}; known: {', '.join(policy.profiles)}")
    as_of = as_of or dt.date.today()
    sources, folder_declared = expand_sources(paths)
    form = parse_declared(declared if declared is not None else folder_declared)
    side_by_side = workers > 1 and reader is None
    pages = [pages_to_read_ahead(source, policy) for source in sources] if side_by_side else []
    pieces = sum(max(1, count) for count in pages)  # a worker a file, or a scanned PDF's page
    if pieces > 1:
        checked = _checked_side_by_side(sources, pages, policy, as_of, min(workers, pieces))
    else:
        reader = reader or get_reader(policy.ocr)
        # a file's pages are let go once it is checked
        checked = [_checked_lightly(source, policy, reader, as_of) for source in sources]
    return application_report(
        checked, form, policy=policy, profile=profile, as_of=as_of, lang=lang, mask=mask
    )


def _checked_side_by_side(
    sources: list[Source], pages: list[int], policy: Policy, as_of: dt.date, workers: int
) -> list[CheckedFile]:
    """`check_side_by_side` in a pool of `workers` processes."""
    with process_pool(workers) as pool:
        return check_side_by_side(
            pool.submit, workers, sources, policy=policy, as_of=as_of, page_counts=pages
        )


def check_side_by_side(
    submit: Submit,
    workers: int,
    sources: Sequence[Source],
    *,
    policy: Policy,
    as_of: dt.date,
    page_counts: Sequence[int] | None = None,
) -> list[CheckedFile]:
    """`check_source` of each file, handed to `workers` worker processes by `submit`, the
    biggest files first so that no worker idles long at the end; in the files' order.

    A PDF with several pages to read with OCR has them read first by as many workers at once
    (`checker.read_ahead`), and is checked with those readings as soon as they are all in:
    no more than `workers` calls are handed out at a time, so that check goes before the
    files still waiting. `page_counts`: each file's `pages_to_read_ahead`, when the caller
    has counted them already."""
    check = partial(check_source, policy=policy, as_of=as_of)
    order = sorted(range(len(sources)), key=lambda index: -_size(sources[index]))
    if page_counts is None:
        page_counts = [pages_to_read_ahead(source, policy) for source in sources]
    parts = {index: min(workers, page_counts[index]) for index in order}
    pages_read: dict[int, list[PagesRead]] = {i: [] for i in order if parts[i] > 1}
    # what to hand out next: the file's index, whether it reads pages ahead, the handing out
    to_start: deque[tuple[int, bool, Callable[[], Future[Any]]]] = deque()
    for index in pages_read:
        for part in range(parts[index]):
            pages = partial(
                read_ahead, sources[index], policy=policy, part=part, parts=parts[index]
            )
            to_start.append((index, True, partial(submit, pages)))
    for index in order:
        if index not in pages_read:
            to_start.append((index, False, partial(submit, check, sources[index])))
    checked: dict[int, CheckedFile] = {}
    running: dict[Future[Any], tuple[int, bool]] = {}
    while to_start or running:
        while to_start and len(running) < workers:
            index, ahead, start = to_start.popleft()
            running[start()] = (index, ahead)
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            index, ahead = running.pop(future)
            if not ahead:
                checked[index] = future.result()
                continue
            pages_read[index].append(future.result())
            if len(pages_read[index]) == parts[index]:
                read = {key: reading for part in pages_read[index] for key, reading in part.items()}
                start = partial(submit, check, sources[index], pages_read=read)
                to_start.appendleft((index, False, start))
    return [checked[index] for index in range(len(sources))]


def _size(source: Source) -> int:
    """The file's size in bytes (0 when it cannot be told: the check says what is wrong)."""
    if isinstance(source, tuple):
        return len(source[1])
    try:
        return Path(source).stat().st_size
    except OSError:
        return 0


def check_source(
    source: Source, *, policy: Policy, as_of: dt.date, pages_read: PagesRead | None = None
) -> CheckedFile:
    """One file of an application checked on its own, with this process's reader (answering
    from `pages_read` the pages read ahead, `checker.read_ahead`): what `application_report`
    takes. At module level, so that a worker process can check one file of an application
    while another checks the next (`check_side_by_side`)."""
    reader = process_reader(policy.ocr)
    if pages_read:
        reader = ReadAhead(reader, pages_read)
    return _checked_lightly(source, policy, reader, as_of)


def application_report(
    checked: list[CheckedFile],
    form: DeclaredFields,
    *,
    policy: Policy,
    profile: str,
    as_of: dt.date,
    lang: Lang,
    mask: bool,
) -> Report:
    """The application's report from its files checked one by one (`check_source`): their
    findings, the form's, and the checks across documents."""
    documents, field_images = [], {}
    for report, images in (document for file in checked for document in file):
        documents.append(report)
        field_images[id(report)] = images
    findings = [finding for document in documents for finding in document.findings]
    findings += declared_findings(form)
    findings += application.application_findings(
        documents, form, policy=policy, profile=profile, as_of=as_of, judge=_judge(field_images)
    )
    return finish_report(
        documents, findings, declared=form, as_of=as_of, profile=profile, lang=lang, mask=mask
    )


FieldImages = dict[tuple[int | None, Box], "Image.Image"]  # (page, box) → the image in it
CheckedFile = list[tuple[DocumentReport, FieldImages]]  # a file's documents: report, images


def _checked_lightly(source: Source, policy: Policy, reader: Reader, as_of: dt.date) -> CheckedFile:
    """Each document of one file checked: its report and the images under its fields, not
    its pages (an A4 scan holds 26 MB while the next file is checked)."""
    return [
        (checked.report, images_under_fields(checked))
        for checked in check_parts(source, policy=policy, reader=reader, as_of=as_of)
    ]


def images_under_fields(checked: Checked) -> FieldImages:
    """The page image in the box of each field read from an image: what the name judge may
    look at once the document's pages are let go (a statement photo's page and its flattened
    sheet take 16 MB, an A4 scan 26 MB)."""
    pages: dict[int | None, Image.Image | None] = {
        page.number: page.image for page in checked.content.pages
    }
    images: FieldImages = {}
    for _, field in checked.report.fields.items():
        image = pages.get(field.page)
        if image is not None and field.box is not None:
            images[(field.page, field.box)] = image.crop(field.box)
    return images


def _judge(field_images: dict[int, FieldImages]) -> Judge:
    """Looks at the image kept under a checked document's field (`images_under_fields`): does
    the field's box show its value or `other`? (see checker.reading.glyphs)"""

    def judge(document: DocumentReport, field: Read[Any], other: str) -> Shown:
        if field.box is None or field.value is None:
            return Shown.UNDECIDED
        image = field_images.get(id(document), {}).get((field.page, field.box))
        if image is None:
            return Shown.UNDECIDED
        return shown(image, field.box, str(field.value), other, origin=(field.box[0], field.box[1]))

    return judge


def check_single_document(
    path: Source,
    *,
    as_of: dt.date | None = None,
    lang: Lang = "zh",
    mask: bool = True,
    policy: Policy | None = None,
    reader: Reader | None = None,
) -> DocumentReport:
    """One file's report on its own, localized and masked like an application report."""
    policy = policy or load_policy()
    as_of = as_of or dt.date.today()
    parts = check_parts(path, policy=policy, reader=reader or get_reader(policy.ocr), as_of=as_of)
    report = finish_report(
        [part.report for part in parts],
        [finding for part in parts for finding in part.report.findings],
        declared=DeclaredFields(),
        as_of=as_of,
        profile="",
        lang=lang,
        mask=mask,
    )
    return report.documents[0].model_copy(update={"findings": report.findings})
