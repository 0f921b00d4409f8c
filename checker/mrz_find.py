"""Finding a machine-readable zone anywhere on a page, and reading it in OCR-B's alphabet.

Cheap first: the zone is looked for in the page reading the pipeline already has; a zone
read there with every check digit passing is taken as it is. Otherwise the page is read by
the second reader (RapidOCR: its detector finds the zone's lines at any position and size),
turned 90°, 270° or 180° when no zone stands upright, and each line of the zone is read
again as a crop by tesseract with the MRZ alphabet only (eng, psm 7, whitelist A-Z 0-9 <).
Of the readings of each line (page, RapidOCR, tesseract crop) the combination whose check
digits pass best is kept; `checker.mrz` undoes OCR confusions only where check digits then
pass. Without the second reader, the zone's ink lines are cropped from the page reading's
hint and read by tesseract only.

`find_zone(content)` is asked by every MRZ document kind's `detect` and by its `extract`:
the answer is kept for the content it was asked about.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from PIL import Image

from checker import mrz
from checker.document import Box, Page, Reading, Word
from checker.documents import Content
from checker.documents._cn_id import Line, first_page, lines_of, padded
from checker.labelled import union
from checker.ocr import OcrError, Reader, RegionOptions, read_regions
from checker.reading.ink import ink_lines

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
OCR_B = RegionOptions(psm=7, languages="eng", whitelist=ALPHABET)
_MRZ_RUN = re.compile(r"[A-Z0-9<]{20,}")
_JOINED_DIGITS = re.compile(r"\d[.,:/\-]\d")  # an amount's or a date's digits (12.50, 2026-07)
_STRAY_SHARE = 0.15  # of a zone line as read, characters outside its alphabet at most
# a run of lower-case letters with two or more that are not misread fillers (s, e, c, k): a
# printed word ("Account Name: CHAN TAI MAN"), never a zone's fillers
_LOWER_RUN = re.compile(r"[a-z]{3,}")
_FILLER_MISREADS = frozenset("seck")
# words that travel documents print beside their zone: a page with one is worth a closer look
_TRAVEL_WORDS = re.compile(
    r"PASSPORT|PASSEPORT|PASAPORTE|REISEPASS|VISA|IDENTITY|IDENTIT|NATIONALITY|SURNAME|"
    r"DATE OF BIRTH|DATE OF EXPIRY|护照|签证",
    re.IGNORECASE,
)
MAX_SIDE = 1600  # a larger page is scaled down before RapidOCR reads it (its detector does too)
_CACHE_SIZE = 8


@dataclass(frozen=True)
class FoundZone:
    """A zone read from a page: the parsed zone, how it was read, where, how sure."""

    zone: mrz.Mrz
    method: str  # mrz, mrz_corrected, mrz_retry, mrz_retry_corrected (+ _turned_<deg>)
    box: Box | None  # in the page as read (turned by `turned` degrees when not 0)
    confidence: float
    page: int
    turned: int = 0


_found: OrderedDict[int, tuple[Content, FoundZone | None]] = OrderedDict()
# (image, degrees) -> the image, its reading turned, the scale read at, the reader that read it
_page_reads: OrderedDict[tuple[int, int], tuple[Image.Image, Reading, float, Reader]] = (
    OrderedDict()
)


def find_zone(content: Content) -> FoundZone | None:
    """The zone of the content's first page, or None when there is none; kept per content."""
    kept = _found.get(id(content))
    if kept is not None and kept[0] is content:
        return kept[1]
    found = _find(content)
    _keep(_found, id(content), (content, found))
    return found


def _keep(kept: OrderedDict[Any, Any], key: object, value: object) -> None:
    """`value` kept under `key`, the oldest dropped beyond _CACHE_SIZE entries."""
    kept[key] = value
    while len(kept) > _CACHE_SIZE:
        kept.popitem(last=False)


def mrz_like(text: str) -> bool:
    """Whether a line as read may be part of a zone: a long run of A-Z, 0-9 and fillers, and
    not a line of printed words (mostly lower case), of a table (two or more amounts or dates:
    digits joined by . , : / -) or of a label (many characters the zone's alphabet has not).

    Zone lines as read on generated travel documents: at most 9 % stray marks, no amount; a
    statement's, a payslip's or a record's rows: 12 to 40 % and two amounts or more
    (`python -m bench.classify`), which sent every statement photo to a RapidOCR page read
    and a turned one. Nor is a label with a name in capitals ("Account Name: CHAN TAI MAN",
    whose lower-case letters clean up as fillers): an English statement's or payslip's page
    was read twice by RapidOCR's page reader for it (6.6 s and +270 MB, one photo)."""
    cleaned = mrz.clean_line(text)
    if not (_MRZ_RUN.search(cleaned) and (cleaned.count("<") >= 2 or len(cleaned) >= 28)):
        return False
    as_read = mrz.folded(text)
    lower = sum(char.islower() for char in as_read)
    # ">" is a filler upside down: a zone turned 180° keeps its shape
    stray = sum(char not in ALPHABET + ">" and not char.islower() for char in as_read)
    return (
        lower <= len(as_read) // 2
        and stray <= _STRAY_SHARE * len(as_read)
        and len(_JOINED_DIGITS.findall(as_read)) < 2
        and not any(len(set(run) - _FILLER_MISREADS) >= 2 for run in _LOWER_RUN.findall(as_read))
    )


def zone_lines(reading: Reading) -> list[Line]:
    """The reading's lines that look like zone lines, top to bottom (the last three)."""
    found = []
    for line in lines_of(reading.words):
        if sum(char.islower() for char in line.text) > len(line.text) // 2:
            continue  # printed words, not the zone
        if mrz_like(line.text):
            found.append(line)
    return found[-3:]


def zone_rows(reading: Reading) -> list[Line]:
    """The zone lines of a reading whose words are detected text boxes (RapidOCR): boxes on
    one row joined left to right (a check digit set apart by wide spacing is its own box),
    lying across the page (a line on end is read turned), top to bottom, the last three."""
    rows: list[list[Word]] = []
    for word in sorted(reading.words, key=lambda word: (word.box[1] + word.box[3]) / 2):
        middle = (word.box[1] + word.box[3]) / 2
        if (
            rows
            and abs(middle - (rows[-1][0].box[1] + rows[-1][0].box[3]) / 2)
            < (rows[-1][0].box[3] - rows[-1][0].box[1]) / 2
        ):
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = [Line(tuple(sorted(row, key=lambda word: word.box[0]))) for row in rows]
    found = []
    for line in lines:
        left, top, right, bottom = line.box
        words = sum(char.islower() for char in line.text) > len(line.text) // 4
        if right - left > 3 * (bottom - top) and mrz_like(line.text) and not words:
            found.append(line)
    return found[-3:]


def worth_a_look(reading: Reading) -> bool:
    """Whether the page may hold a zone the reading missed: an MRZ-like run, a travel
    document's words, or hardly a confident word (a page on its side reads as noise)."""
    text = reading.text
    if any(mrz_like(line) for line in text.splitlines()) or _TRAVEL_WORDS.search(text):
        return True
    sure = sum(len(word.text.strip()) for word in reading.words if word.confidence >= 0.7)
    return sure < 40


@dataclass
class _Reading:
    """One reading of the zone's lines (top to bottom), with where and how sure."""

    texts: list[str]
    box: Box | None
    confidence: float


def _find(content: Content) -> FoundZone | None:
    found = first_page(content)
    if found is None:
        return None
    reading, page = found
    lines = zone_lines(reading)
    texts = [line.text for line in lines]
    parsed = _parse(texts)
    on_page = None
    if parsed is not None:
        box = union(line.box for line in lines)
        on_page = _Reading(texts, box, min(line.confidence for line in lines))
        if page is None or page.image is None:
            method = "mrz_corrected" if parsed.corrected else "mrz"
            return FoundZone(parsed, method, box, on_page.confidence, reading.page)
    if page is None or page.image is None:
        return None
    # the page reading saw a zone upright when two of its check digits pass
    upright = parsed is not None and sum(check.passed for check in parsed.checks) >= 2
    best, earlier = None, []
    if upright and on_page is not None:
        crops = _crops_read(content, page, lines)
        earlier = [r for r in (crops, on_page) if r is not None]
        best = _zone_from(earlier, page.number, 0, crops)
    if content.second_reader is None or not (lines or worth_a_look(reading)):
        return best or _zone_from([on_page] if on_page else [], page.number, 0, None)
    # the second read combines every reading (the earlier ones too): it wins a tie
    return _better(_second_read(content, page, earlier, upright_hint=upright), best)


def _zone_from(
    readings: list[_Reading], page: int, degrees: int, retry: _Reading | None
) -> FoundZone | None:
    """The best zone from several readings of it (the first wins a tie), with the place and
    confidence of the first reading and the method saying whether it was read again."""
    zone = _best_zone([reading.texts for reading in readings])
    if zone is None:
        return None
    first = readings[0]
    method = "mrz_retry" if retry is not None else "mrz"
    method += "_corrected" if zone.corrected else ""
    method += f"_turned_{degrees}" if degrees else ""
    return FoundZone(zone, method, first.box, first.confidence, page, degrees)


def _good(zone: mrz.Mrz) -> bool:
    return zone.valid and not mrz.implausible(zone)


def _better(one: FoundZone | None, other: FoundZone | None) -> FoundZone | None:
    """The zone read better of two (the first on a tie)."""
    if one is None or (other is not None and _score(other.zone) > _score(one.zone)):
        return other
    return one


def _parse(texts: list[str]) -> mrz.Mrz | None:
    texts = [text for text in texts if mrz.clean_line(text)]
    zone = mrz.find_zone(texts) or texts
    return mrz.parse_mrz(zone)


def _score(zone: mrz.Mrz) -> tuple[int, int]:
    """More check digits passing is better; then fewer impossible letters."""
    return sum(check.passed for check in zone.checks), -mrz.implausible(zone)


def _turned(image: Image.Image, degrees: int) -> Image.Image:
    """The image turned counter-clockwise by `degrees` (0, 90, 180, 270)."""
    if degrees == 0:
        return image
    return image.rotate(degrees, expand=True)


def _smaller(image: Image.Image) -> tuple[Image.Image, float]:
    scale = min(1.0, MAX_SIDE / max(image.size))
    if scale == 1.0:
        return image, 1.0
    size = (round(image.width * scale), round(image.height * scale))
    return image.resize(size, Image.Resampling.LANCZOS), scale


def _second_read(
    content: Content, page: Page, earlier: list[_Reading], *, upright_hint: bool
) -> FoundZone | None:
    """The zone from the second reader's reading of the page, turned until one shows: 90°
    and 270° for a page whose text lines stand on end, else 180°; a page whose reading saw
    the zone upright is not turned. Each zone line the second reader
    finds is read again by tesseract as a crop; the readings are combined (`_best_zone`)."""
    if page.image is None or content.second_reader is None:
        return None
    best: FoundZone | None = None
    turns = [0]
    while turns:
        degrees = turns.pop(0)
        try:
            reading, scale = _page_read(content.second_reader, page, page.image, degrees)
        except OcrError:
            return best
        lines = zone_rows(reading)
        if len(lines) >= 2:
            full = _turned(page.image, degrees)
            box = _page_box(union(line.box for line in lines), scale, full.size)
            second = _Reading(
                [line.text for line in lines], box, min(line.confidence for line in lines)
            )
            boxes = [_page_box(line.box, scale, full.size) for line in lines]
            crops = _tesseract_lines(content, full, boxes, page)
            # RapidOCR first: it wins a tie (a name line has no check digit), as it reads
            # OCR-B's fillers where tesseract often sees K, S or E
            readings = [r for r in (second, crops) if r is not None]
            found = _zone_from(
                readings + (earlier if degrees == 0 else []), page.number, degrees, second
            )
            best = _better(best, found)
        if best is not None and (_good(best.zone) or degrees == 0):
            return best
        if degrees == 0 and not upright_hint:
            turns = [90, 270] if on_its_side(reading) else [180]
    return best


def _page_read(
    reader: Reader, page: Page, image: Image.Image, degrees: int
) -> tuple[Reading, float]:
    """The second reader's reading of the page image turned by `degrees`, scaled down, and the
    scale; kept per image, as a card's page is asked twice (once as the card reader read it,
    once as tesseract did) and each read costs a RapidOCR page read. A page the card reader
    read upright is read turned by the card reader too: its detector sees 960 px, where the
    page reader's sees 1600 (3.2 s and +270 MB for a blurry ID-card photo turned 180°, one
    worker; 0.6 s and +50 MB by the card reader)."""
    key = (id(image), degrees)
    kept = _page_reads.get(key)
    if kept is not None and kept[0] is image:
        return kept[1], kept[2]
    upright = _page_reads.get((id(image), 0))
    if upright is not None and upright[0] is image:
        reader = upright[3]
    smaller, scale = _smaller(_turned(image, degrees))
    reading = reader.read(smaller, dpi=page.dpi, page=page.number)
    _keep(_page_reads, key, (image, reading, scale, reader))
    return reading, scale


def forget() -> None:
    """Drop the kept zones and page reads (and the page images they hold): a file's check
    is done with them."""
    _found.clear()
    _page_reads.clear()


def keep_page_read(image: Image.Image, reading: Reading, reader: Reader) -> None:
    """Keep `reader`'s reading of `image` as taken (the card reader's, which read a
    card-shaped page first), so the zone search reads that page again only turned, and
    with `reader`."""
    _keep(_page_reads, (id(image), 0), (image, reading, 1.0, reader))


def on_its_side(reading: Reading) -> bool:
    """Whether most detected text boxes are taller than wide (the page lies on its side)."""
    boxes = [word.box for word in reading.words]
    tall = sum(1 for b in boxes if (b[3] - b[1]) > 1.5 * (b[2] - b[0]))
    return bool(boxes) and tall > len(boxes) / 2


def _tesseract_lines(
    content: Content, image: Image.Image, boxes: list[Box], page: Page
) -> _Reading | None:
    """The lines in `boxes` read by tesseract in the MRZ alphabet, one crop a line."""
    if content.reader is None or not boxes:
        return None
    try:
        readings = read_regions(
            content.reader, image, boxes, dpi=page.dpi, page=page.number, options=OCR_B
        )
    except OcrError:
        return None
    texts = ["".join(word.text for word in reading.words) for reading in readings]
    words = [word for reading in readings for word in reading.words]
    if not words:
        return None
    confidence = min(word.confidence for word in words)
    return _Reading([text for text in texts if text], union(boxes), confidence)


ROUNDS = 2  # passes over the lines when combining readings


def _best_zone(readings: list[list[str]]) -> mrz.Mrz | None:
    """The best zone from several readings of its lines: line by line, each line's
    readings (and mixes of two that differ in a few places) are tried with the other lines
    held, and kept when more check digits pass or fewer letters are impossible."""
    parsed = [(zone, texts) for texts in readings if (zone := _parse(texts)) is not None]
    if not parsed:
        return None
    best, _ = max(parsed, key=lambda item: _score(item[0]))  # max keeps the first of a tie
    count, length = len(best.lines), mrz.LINE_LENGTH[best.format]
    same = [texts[-count:] for zone, texts in parsed if zone.format == best.format]
    same = [texts for texts in same if len(texts) == count]
    options = [_mixes([texts[i] for texts in same], length) for i in range(count)]
    names = 2 if count == 3 else 0  # the name line: no check digit guards it
    restored = _restored([texts[names] for texts in same], length)
    if restored is not None:
        options[names].insert(0, restored)
    current = list(best.lines)
    if restored is not None:
        current[names] = restored
        best = mrz.parse_mrz(current) or best
    for _ in range(ROUNDS):
        for i in range(count):
            for option in options[i][1:]:
                trial = mrz.parse_mrz([*current[:i], option, *current[i + 1 :]])
                if trial is not None and _score(trial) > _score(best):
                    best, current[i] = trial, option
    return best


def _restored(texts: list[str], length: int) -> str | None:
    """The first reading of a name line with the letters it dropped put back: a letter
    that another reading has between two letters where the first has none (RapidOCR drops
    a letter now and then; a letter next to a filler may be a misread filler, K, and is
    not taken). None when there is nothing to put back."""
    cleaned = [mrz.clean_line(text) for text in texts]
    if len(cleaned) < 2:
        return None
    first = cleaned[0].split("<<<")[0]
    result = first
    for other in cleaned[1:]:
        other_head = other.split("<<<")[0]
        matcher = difflib.SequenceMatcher(None, result, other_head, autojunk=False)
        parts, changed = [], False
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            inserted = other_head[j1:j2]
            before, after = other_head[j1 - 1 : j1], other_head[j2 : j2 + 1]
            if (
                tag == "insert"
                and inserted.isalpha()
                and len(inserted) == 1
                and before.isalpha()
                and after.isalpha()
            ):
                parts.append(inserted)
                changed = True
            else:
                parts.append(result[i1:i2])
        if changed:
            result = "".join(parts)
    if result == first:
        return None
    return mrz.fit_length(result + cleaned[0][len(first) :], length)


def _mixes(texts: list[str], length: int, most: int = 4) -> list[str]:
    """The readings of one line of `length` (fitted to it only when none has it), then
    mixes of two readings that differ in at most `most` places (each place from either)."""
    cleaned = [mrz.clean_line(text) for text in texts]
    whole = [text for text in cleaned if len(text) == length]
    # a reading with the line's length is preferred to one that lost or gained characters
    fitted = list(dict.fromkeys(whole or [mrz.fit_length(text, length) for text in cleaned]))
    mixed = []
    for one, other in itertools.combinations(fitted[:3], 2):
        places = [i for i in range(length) if one[i] != other[i]]
        if len(places) > most:
            continue
        for picks in itertools.product((0, 1), repeat=len(places)):
            chars = list(one)
            for place, pick in zip(places, picks, strict=True):
                chars[place] = (one, other)[pick][place]
            mixed.append("".join(chars))
    return list(dict.fromkeys(fitted + mixed))


def _page_box(box: Box, scale: float, size: tuple[int, int]) -> Box:
    """A box on the scaled image as a padded box on the full-size one of `size`."""
    left, top, right, bottom = (round(value / scale) for value in box)
    pad_y = (bottom - top) // 4
    pad_x = (bottom - top) // 2
    width, height = size
    return (
        max(0, left - pad_x),
        max(0, top - pad_y),
        min(width, right + pad_x),
        min(height, bottom + pad_y),
    )


def _crops_read(content: Content, page: Page, lines: list[Line]) -> _Reading | None:
    """The zone's ink lines, in the band the page reading saw it, read by tesseract."""
    if page.image is None:
        return None
    _, top, _, bottom = union(line.box for line in lines)
    height = max(1, (bottom - top) // max(1, len(lines)))
    band = (0, max(0, top - height), page.width, min(page.height, bottom + height))
    boxes = ink_lines(page, band, min_height=max(6, page.height // 120))
    boxes = [box for box in boxes if box[2] - box[0] > page.width * 0.5] or boxes
    boxes = [padded(box, page, pad_x=0.5, pad_y=0.2) for box in boxes[-3:]]
    return _tesseract_lines(content, page.image, boxes, page)
