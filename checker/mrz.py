"""Machine-readable zones (ICAO 9303): TD1, TD2, TD3 and visa (MRV-A, MRV-B) parsing, check
digits, OCR repair.

`parse_mrz(lines)` takes the zone as read (two or three lines, spaces allowed) and returns an
`Mrz` with every field and the result of every check digit. Characters commonly confused by
OCR (O/0, I/1, S/5, B/8, Z/2, G/6, `<` read as K) are corrected only inside a field guarded by
a check digit, and only when the check digit then passes; `Mrz.corrected` says whether any was.
Fields that hold letters only (document type, country codes, names, sex) cannot hold a digit:
a digit read there is turned into the letter it is mistaken for (0 O, 1 I, 5 S, 8 B, ...).
Visas (`V` in a 2-line zone) carry no composite check digit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

FILLER = "<"
_WEIGHTS = (7, 3, 1)
_TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "Z": "2", "S": "5"}
_TO_DIGIT |= {"G": "6", "B": "8", "T": "7", "A": "4", "K": FILLER}
_TO_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B", "4": "A", "7": "T"}
MAX_CHANGES = 1  # characters of an alphanumeric field that may be swapped back
_MAX_COMBINATIONS = 4096  # combinations of field spellings tried against the composite

# format: line count, line length
FORMATS = {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44)}
VISAS = {"TD3": "MRV-A", "TD2": "MRV-B"}  # a visa has the shape of the travel document's zone
LINE_LENGTH = {"TD1": 30, "TD2": 36, "TD3": 44, "MRV-A": 44, "MRV-B": 36}


def char_value(char: str) -> int:
    """ICAO value of one MRZ character: digits 0-9, A-Z 10-35, `<` 0; ValueError otherwise."""
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == FILLER:
        return 0
    raise ValueError(f"not an MRZ character: {char!r}")


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit (weights 7, 3, 1, modulo 10) of `data`."""
    return str(sum(char_value(char) * _WEIGHTS[i % 3] for i, char in enumerate(data)) % 10)


def _check_passes(data: str, digit: str) -> bool:
    try:
        # an empty optional field may carry `<` as its check digit
        if digit == FILLER:
            return set(data) <= {FILLER}
        return check_digit(data) == digit
    except ValueError:
        return False


@dataclass(frozen=True)
class Check:
    """One check digit: what it guards, the digit shown, and whether it passes."""

    name: str  # document_number, birth_date, expiry_date, personal_number, composite
    data: str
    digit: str
    passed: bool


@dataclass
class Mrz:
    """A parsed machine-readable zone. Dates are None when not a real date."""

    format: str  # TD1, TD2, TD3, MRV-A, MRV-B
    lines: tuple[str, ...]
    document_type: str
    issuing_country: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: dt.date | None
    sex: str  # M, F or "" (unspecified)
    expiry_date: dt.date | None
    personal_number: str
    checks: list[Check] = field(default_factory=list)
    corrected: bool = False

    @property
    def valid(self) -> bool:
        return all(check.passed for check in self.checks)

    def failed(self) -> list[str]:
        return [check.name for check in self.checks if not check.passed]


# what a multilingual recogniser (RapidOCR's PP-OCR) returns for OCR-B glyphs: fillers as
# angle marks or hiragana く, Latin capitals as their Greek or Cyrillic twins
_LOOKALIKES = str.maketrans(
    {"«": "<<", "‹": "<", "〈": "<", "く": "<", "＜": "<"}
    | dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧАВЕКМНОРСТХУ", "ABEZHIKMNOPTYXABEKMHOPCTXY", strict=True))
)


def folded(text: str) -> str:
    """A line as read with full-width forms folded (NFKC), spaces removed and look-alike
    characters mapped; lower case and stray marks kept."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").translate(_LOOKALIKES)


def clean_line(text: str) -> str:
    """An MRZ line as read, spaces and stray marks removed, look-alike characters mapped.

    The zone has no lower-case letters: OCR's `s`, `e`, `c`, `k` in it are fillers misread.
    Full-width forms (Ｐ, ＜) are folded to ASCII first (NFKC).
    """
    text = re.sub(r"[a-z]", FILLER, folded(text))
    return re.sub(r"[^A-Z0-9<]", "", text)


def fit_length(line: str, length: int) -> str:
    """Stretch or shrink the longest filler run so the line has `length` characters."""
    if len(line) == length:
        return line
    runs = list(re.finditer(r"<{2,}", line))
    if not runs:
        return (line + FILLER * length)[:length]
    run = max(runs, key=lambda match: match.end() - match.start())
    size = max(1, run.end() - run.start() + length - len(line))
    fitted = line[: run.start()] + FILLER * size + line[run.end() :]
    return (fitted + FILLER * length)[:length]


def detect_format(lines: list[str]) -> str | None:
    """TD1, TD2, TD3, MRV-A or MRV-B from the number of lines, their length and, for a
    two-line zone, the document code (`V` is a visa).

    The line with the check digits (the second; TD1's first two) must be within two
    characters of the format's length; a name line may have lost fillers.
    """
    for name, (count, length) in FORMATS.items():
        guarded = lines[:2] if name == "TD1" else lines[1:2]
        fits = all(abs(len(line) - length) <= 2 for line in guarded)
        if len(lines) == count and fits and all(len(line) >= length // 2 for line in lines):
            return VISAS[name] if name in VISAS and lines[0].startswith("V") else name
    return None


def _swaps(char: str, numeric: bool) -> list[str]:
    """What `char` may have been before OCR confused it."""
    if numeric:
        return [_TO_DIGIT[char]] if char in _TO_DIGIT and char != "K" else []
    swaps = [_TO_DIGIT[char]] if char in _TO_DIGIT else []
    return swaps + ([_TO_LETTER[char]] if char in _TO_LETTER else [])


def _variants(text: str, numeric: bool) -> list[str]:
    """Spellings of `text` with OCR confusions undone, the spelling as read first.

    A numeric field (a date, a check digit) cannot hold a letter, so every letter becomes its
    digit; an alphanumeric field gets at most MAX_CHANGES characters swapped.
    """
    if numeric:
        fixed = "".join((_swaps(char, True) or [char])[0] for char in text)
        return [text] if fixed == text else [text, fixed]
    variants = [text]
    positions = [(i, swap) for i, char in enumerate(text) for swap in _swaps(char, False)]
    for count in range(1, MAX_CHANGES + 1):
        for combo in itertools.combinations(positions, count):
            if len({i for i, _ in combo}) == count:
                chars = list(text)
                for i, swap in combo:
                    chars[i] = swap
                variants.append("".join(chars))
    return variants


@dataclass(frozen=True)
class _Field:
    """A field guarded by a check digit, as read."""

    name: str
    data: str
    digit: str
    numeric: bool

    def spellings(self) -> list[tuple[str, str]]:
        """(data, digit) as read, then the repairs whose check digit passes."""
        repairs = [
            (data, digit)
            for digit in _variants(self.digit, True)
            for data in _variants(self.data, self.numeric)
            if _check_passes(data, digit) and (data, digit) != (self.data, self.digit)
        ]
        return [(self.data, self.digit), *repairs]


Chosen = dict[str, tuple[str, str]]  # field name -> (data, check digit)


def _resolve(
    fields: list[_Field], composite: Callable[[Chosen], tuple[str, str]] | None
) -> tuple[Chosen, list[Check], bool]:
    """Each field's (data, digit), the checks, and whether a repair was made.

    A repair is kept only when every field check and the composite check then pass, so a
    genuinely wrong check digit is reported rather than "repaired" away. Without a composite
    (visas) each field's repair is confirmed by its own check digit only.
    """
    as_read = {field.name: (field.data, field.digit) for field in fields}
    if composite is None:
        chosen = {field.name: field.spellings()[0] for field in fields}
        for field in fields:
            passing = [value for value in field.spellings() if _check_passes(*value)]
            chosen[field.name] = passing[0] if passing else chosen[field.name]
        checks = [Check(name, *value, _check_passes(*value)) for name, value in chosen.items()]
        return chosen, checks, chosen != as_read
    options = [field.spellings() for field in fields]
    for combo in itertools.islice(itertools.product(*options), _MAX_COMBINATIONS):
        chosen = {field.name: value for field, value in zip(fields, combo, strict=True)}
        data, digit_read = composite(chosen)
        if not all(_check_passes(*value) for value in chosen.values()):
            continue
        for digit in _variants(digit_read, True):
            if _check_passes(data, digit):
                checks = [Check(name, *value, True) for name, value in chosen.items()]
                repaired = chosen != as_read or digit != digit_read
                return chosen, [*checks, Check("composite", data, digit, True)], repaired
    checks = [Check(name, *value, _check_passes(*value)) for name, value in as_read.items()]
    data, digit = composite(as_read)
    return as_read, [*checks, Check("composite", data, digit, _check_passes(data, digit))], False


def _fillers(text: str) -> str:
    """A K between fillers (or ending them) read back as a filler. K is worth 20, so no check
    digit can tell it from `<`: this is the one repair not confirmed by a check digit."""
    return re.sub(r"(?<=<)K(?=<|$)", FILLER, text)


def _letters(text: str) -> str:
    """A letters-only field with OCR's digits turned back into letters, fillers restored."""
    return _fillers("".join(_TO_LETTER.get(char, char) for char in text))


def _name_field(text: str) -> str:
    """The name field as `_letters`, and only fillers after three fillers: names never hold
    `<<<`, so it ends them, and what OCR read after it (K, S, E for `<`) is filler."""
    text = "".join(_TO_LETTER.get(char, char) for char in text)
    head, ended, rest = text.partition("<<<")
    return _fillers(head + ended + FILLER * len(rest) if ended else text)


def _date(text: str, *, century_pivot: int | None) -> dt.date | None:
    """YYMMDD -> date. Birth dates take the century that is not in the future."""
    if not re.fullmatch(r"\d{6}", text):
        return None
    year, month, day = int(text[:2]), int(text[2:4]), int(text[4:])
    if century_pivot is None:
        full_year = 2000 + year
    else:
        full_year = 2000 + year if year <= century_pivot else 1900 + year
    try:
        return dt.date(full_year, month, day)
    except ValueError:
        return None


def _names(text: str) -> tuple[str, str]:
    """Surname and given names from the name field (`<<` between them, `<` between words)."""
    text = re.sub(r"(?<=<)K(?=<)|(?<=<)K$", FILLER, text)  # a filler read as K
    text = text.strip(FILLER)
    surname, _, given = text.partition("<<")
    given = given.lstrip(FILLER).split("<<<")[0]  # three fillers: the names have ended
    return surname.replace(FILLER, " ").strip(), given.replace(FILLER, " ").strip()


def _sex(char: str) -> str:
    return char if char in "MF" else ""


def parse_mrz(lines: list[str], *, today: dt.date | None = None) -> Mrz | None:
    """The zone parsed, or None when `lines` do not look like a TD1/TD2/TD3 zone."""
    lines = [clean_line(line) for line in lines if clean_line(line)]
    kind = detect_format(lines)
    if kind is None:
        return None
    lines = [fit_length(line, LINE_LENGTH[kind]) for line in lines]
    pivot = (today or dt.date.today()).year % 100
    if kind == "TD1":
        return _parse_td1(lines, pivot)
    return _parse_td2_td3(lines, kind, pivot)


def _joined(chosen: Chosen, *names: str) -> str:
    return "".join(chosen[name][0] + chosen[name][1] for name in names)


def _parse_td2_td3(lines: list[str], kind: str, pivot: int) -> Mrz:
    """Two-line zones: TD3 (passport), TD2, and visas (MRV-A, MRV-B: no composite)."""
    first, second = _letters(lines[0][:5]) + _name_field(lines[0][5:]), lines[1]
    second = (
        second[:10] + _letters(second[10:13]) + second[13:20] + _letters(second[20]) + second[21:]
    )
    visa = kind in VISAS.values()
    end = len(second) - 1  # the composite check digit's position
    fields = [
        _Field("document_number", second[0:9], second[9], numeric=False),
        _Field("birth_date", second[13:19], second[19], numeric=True),
        _Field("expiry_date", second[21:27], second[27], numeric=True),
    ]
    if kind == "TD3":
        fields.append(_Field("personal_number", _fillers(second[28:42]), second[42], False))
    optional = _fillers(second[28:] if visa else second[28:end])

    def tail(chosen: Chosen) -> str:
        return _joined(chosen, "personal_number") if kind == "TD3" else optional

    def composite(chosen: Chosen) -> tuple[str, str]:
        data = _joined(chosen, "document_number", "birth_date", "expiry_date") + tail(chosen)
        return data, second[end]

    chosen, checks, corrected = _resolve(fields, None if visa else composite)
    corrected = corrected or (kind == "TD3" and _fillers(second[28:42]) != second[28:42])
    corrected = corrected or (first, second) != tuple(lines)
    rebuilt = _joined(chosen, "document_number") + second[10:13] + _joined(chosen, "birth_date")
    rebuilt += second[20] + _joined(chosen, "expiry_date") + tail(chosen)
    rebuilt += "" if visa else checks[-1].digit
    surname, given = _names(first[5:])
    personal = chosen["personal_number"][0].strip(FILLER) if kind == "TD3" else ""
    return Mrz(
        format=kind,
        lines=(first, rebuilt),
        document_type=first[0:2].strip(FILLER),
        issuing_country=first[2:5].strip(FILLER),
        surname=surname,
        given_names=given,
        document_number=chosen["document_number"][0].rstrip(FILLER),
        nationality=second[10:13].strip(FILLER),
        birth_date=_date(chosen["birth_date"][0], century_pivot=pivot),
        sex=_sex(second[20]),
        expiry_date=_date(chosen["expiry_date"][0], century_pivot=None),
        personal_number=personal or (optional.strip(FILLER) if visa else ""),
        checks=checks,
        corrected=corrected,
    )


def _parse_td1(lines: list[str], pivot: int) -> Mrz:
    # K and < are worth 20 and 0: no check digit tells them apart in the optional data
    first = _letters(lines[0][:5]) + lines[0][5:15] + _fillers(lines[0][15:])
    second = lines[1][:7] + _letters(lines[1][7]) + lines[1][8:15]
    second += _letters(lines[1][15:18]) + _fillers(lines[1][18:29]) + lines[1][29:]
    third = _name_field(lines[2])
    fields = [
        _Field("document_number", first[5:14], first[14], numeric=False),
        _Field("birth_date", second[0:6], second[6], numeric=True),
        _Field("expiry_date", second[8:14], second[14], numeric=True),
    ]

    def composite(chosen: Chosen) -> tuple[str, str]:
        data = _joined(chosen, "document_number") + first[15:30]
        data += _joined(chosen, "birth_date", "expiry_date") + second[18:29]
        return data, second[29]

    chosen, checks, corrected = _resolve(fields, composite)
    corrected = corrected or (first, second, third) != tuple(lines)
    surname, given = _names(third)
    return Mrz(
        format="TD1",
        lines=(
            first[:5] + _joined(chosen, "document_number") + first[15:],
            _joined(chosen, "birth_date")
            + second[7]
            + _joined(chosen, "expiry_date")
            + second[15:29]
            + checks[-1].digit,
            third,
        ),
        document_type=first[0:2].strip(FILLER),
        issuing_country=first[2:5].strip(FILLER),
        surname=surname,
        given_names=given,
        document_number=chosen["document_number"][0].rstrip(FILLER),
        nationality=second[15:18].strip(FILLER),
        birth_date=_date(chosen["birth_date"][0], century_pivot=pivot),
        sex=_sex(second[7]),
        expiry_date=_date(chosen["expiry_date"][0], century_pivot=None),
        personal_number=first[15:30].strip(FILLER),
        checks=checks,
        corrected=corrected,
    )


def implausible(zone: Mrz) -> int:
    """Characters of the zone's unguarded letter fields that cannot be right: anything but a
    filler after the names have ended (three fillers), a digit in a name or country code."""
    names = zone.lines[2] if zone.format == "TD1" else zone.lines[0][5:]
    count = sum(char.isdigit() for char in names + zone.issuing_country + zone.nationality)
    _, ended, rest = names.partition("<<<")
    if ended:
        count += sum(char != FILLER for char in rest)
    if "<<" not in names.strip(FILLER):
        count += 1  # no `<<` between surname and given names (one name only is rare)
    if not zone.lines[0][:1].isalpha():
        count += 1  # every document code starts with a letter (P, I, A, C, V)
    return count


def find_zone(lines: list[str]) -> list[str] | None:
    """The MRZ lines among a page's text lines: the last 2 or 3 consecutive MRZ-like lines."""
    candidates = [clean_line(line) for line in lines]
    looks = [len(line) >= 28 and (FILLER in line or line.isalnum()) for line in candidates]
    for count in (3, 2):
        for start in range(len(candidates) - count, -1, -1):
            window = candidates[start : start + count]
            if all(looks[start : start + count]) and detect_format(window):
                return window
    return None
