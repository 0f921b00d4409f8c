"""Application rules: completeness, cross-document consistency, age, declared vs read.

Each rule takes the documents of one application (their raw, unmasked fields) and returns
findings. A value read with low confidence that disagrees is reported as a likely misread
(asking for a clearer copy), never as a wrong document: marking a valid application invalid
is worse than missing a defect.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from stdnum.cn import ric

from checker.documents.cn_id_back import validity_fits_age
from checker.fields import FIELD_LABELS
from checker.findings import new_finding
from checker.glyphs import Shown
from checker.parse import parse_date, parse_money
from checker.policy import Policy
from checker.statements import SalarySignal, salary_signal, statement_set_findings
from checker.statements.seams import is_continuation, page_file_findings
from schemas.declared import DeclaredFields
from schemas.findings import Code, Evidence, Finding, Severity
from schemas.identity import expected_validity_years
from schemas.report import DocumentReport, FieldValue

KIND_LABELS = {
    "cn_id_front": {"zh": "身份证人像面", "en": "ID card (front)"},
    "cn_id_back": {"zh": "身份证国徽面", "en": "ID card (back)"},
    "passport": {"zh": "护照", "en": "passport"},
    "mrz_id_card": {"zh": "身份证件（机读区）", "en": "ID card (machine-readable zone)"},
    "visa": {"zh": "签证", "en": "visa"},
    "income_certificate": {"zh": "收入证明", "en": "income certificate"},
    "employment_certificate": {"zh": "在职证明", "en": "employment certificate"},
    "payslip": {"zh": "工资条", "en": "payslip"},
    "bank_statement": {"zh": "银行流水", "en": "bank statement"},
    "unknown": {"zh": "文件", "en": "file"},
}
# where each kind carries the applicant's name and ID number
NAME_FIELDS = {
    "income_certificate": "employee_name",
    "employment_certificate": "employee_name",
    "payslip": "employee_name",
    "bank_statement": "account_holder",
}
ID_NUMBER_FIELDS = {"income_certificate": "id_number", "employment_certificate": "id_number"}
QUALITY_CODES = {
    Code.IMAGE_BLURRY,
    Code.IMAGE_LOW_RESOLUTION,
    Code.IMAGE_CUT_OFF,
    Code.IMAGE_GLARE,
    Code.IMAGE_TOO_DARK,
}
EMPLOYER_MATCH = 90  # rapidfuzz ratio of two employer names, 0..100, that counts as the same


_NONE = FieldValue(value=None)


class Agreement(Enum):
    SAME = "same"
    MISREAD = "misread"  # differs, but on an unclear read and by little
    DIFFERENT = "different"
    INCOMPARABLE = "incomparable"  # e.g. a Chinese name against a passport's Latin one


# Does the document's image, at the field's box, show the field's value (FIRST) or the given
# text (SECOND)? Supplied by the pipeline, which holds the images.
Judge = Callable[[DocumentReport, FieldValue, str], Shown]


@dataclass(frozen=True)
class Applicant:
    """Who the application is about, as the identity document says."""

    name: FieldValue | None
    id_number: FieldValue | None
    birth_date: dt.date | None
    source: str  # the file the identity was read from
    source_kind: str = "cn_id_front"  # its kind: cn_id_front or passport


def _text(field: FieldValue | None) -> str | None:
    if field is None or field.value in (None, ""):
        return None
    return unicodedata.normalize("NFKC", str(field.value)).replace(" ", "").upper()


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)


def compare(found: FieldValue, expected: str, *, clean: float) -> Agreement:
    """Whether a value read from one document agrees with the one expected."""
    read = _text(found)
    want = unicodedata.normalize("NFKC", expected).replace(" ", "").upper()
    if read is None or not want:
        return Agreement.INCOMPARABLE
    if read == want:
        return Agreement.SAME
    if _is_cjk(read) != _is_cjk(want):
        return Agreement.INCOMPARABLE
    unclear = found.confidence is not None and found.confidence < clean
    close = Levenshtein.distance(read, want) <= max(1, len(want) // 3)
    return Agreement.MISREAD if unclear and close else Agreement.DIFFERENT


def _evidence(document: DocumentReport, field: FieldValue) -> Evidence:
    return Evidence(
        file=document.file,
        page=field.page,
        box=field.box,
        text=None if field.value is None else str(field.value),
        confidence=field.confidence,
    )


def applicant_of(documents: list[DocumentReport], *, clean: float = 1.0) -> Applicant | None:
    """The applicant from the ID card front, else from the passport (or an ID card with a
    machine-readable zone: its fields are the passport's).

    The card's name is the one other documents must show only when it was read cleanly (at
    least `clean` sure, on an image that passed the quality gate): a name guessed from a
    blurred photo would call every other document someone else's. The card's own findings
    already say what to fix."""
    for document in documents:
        if document.kind == "cn_id_front":
            number = document.fields.get("id_number")
            birth = _date(document.fields.get("birth_date"))
            if birth is None and _text(number) and ric.is_valid(_text(number) or ""):
                birth = ric.get_birth_date(_text(number) or "")
            name = document.fields.get("name")
            if name is not None and (has_quality_error(document) or _unsure(name, clean)):
                name = None
            return Applicant(name, number, birth, document.file)
    for document in documents:
        if document.kind in ("passport", "mrz_id_card"):
            surname = _text(document.fields.get("surname")) or ""
            given = _text(document.fields.get("given_names")) or ""
            name = FieldValue(value=f"{surname} {given}".strip(), confidence=1.0)
            birth_field = document.fields.get("birth_date")
            birth = parse_date(str(birth_field.value)) if birth_field else None
            return Applicant(name, None, birth, document.file, "passport")
    return None


def _unsure(field: FieldValue, clean: float) -> bool:
    return field.confidence is not None and field.confidence < clean


def completeness_findings(
    documents: list[DocumentReport], *, policy: Policy, profile: str
) -> list[Finding]:
    """A `document_missing` error for each requirement no set of documents meets.

    A file too poor to classify may be the missing piece: a requirement already partly met
    is not called missing while such a file is there (its quality error says what to fix).
    """
    kinds = {document.kind for document in documents}
    unclassified = any(
        document.kind == "unknown" and has_quality_error(document) for document in documents
    )
    findings = []
    for requirement in policy.profiles[profile].requires:
        if any(set(alternative) <= kinds for alternative in requirement.any_of):
            continue
        partly_met = any(set(alternative) & kinds for alternative in requirement.any_of)
        if unclassified and partly_met:
            continue
        findings.append(new_finding(Code.DOCUMENT_MISSING, document=requirement.name))
    return findings


def has_quality_error(document: DocumentReport) -> bool:
    """Whether an image-quality error was found on any page of the document."""
    return any(
        finding.code in QUALITY_CODES and finding.severity == Severity.ERROR
        for finding in document.findings
    )


def _disagreements(
    documents: list[DocumentReport], fields_by_kind: dict[str, str], expected: str, clean: float
) -> Iterator[tuple[DocumentReport, str, FieldValue, Agreement]]:
    """Each document whose field (by its kind) disagrees with `expected`, and how."""
    for document in documents:
        name = fields_by_kind.get(document.kind, "")
        field = document.fields.get(name)
        if field is None:
            continue
        agreement = compare(field, expected, clean=clean)
        if agreement in (Agreement.MISREAD, Agreement.DIFFERENT):
            yield document, name, field, agreement


def name_findings(
    documents: list[DocumentReport],
    applicant: Applicant,
    *,
    clean: float,
    judge: Judge | None = None,
) -> list[Finding]:
    """Every document's name against the identity document's; `judge` looks at the images
    where a near miss was read unsurely."""
    expected = _text(applicant.name)
    if expected is None:
        return []
    findings = []
    for document, name, field, agreement in _disagreements(documents, NAME_FIELDS, expected, clean):
        if agreement is Agreement.MISREAD and judge is not None:
            agreement = _judged(documents, document, field, applicant, judge)
        if agreement is Agreement.SAME:
            continue
        if agreement is Agreement.MISREAD:
            code = Code.NAME_LIKELY_MISREAD
        elif document.kind == "bank_statement":
            code = Code.HOLDER_MISMATCH
        else:
            code = Code.NAME_MISMATCH
        findings.append(
            new_finding(
                code,
                file=document.file,
                field=name,
                evidence=_evidence(document, field),
                document=KIND_LABELS[document.kind],
                found=_text(field),
                expected=expected,
                source=KIND_LABELS[applicant.source_kind],
            )
        )
    return findings


def _judged(
    documents: list[DocumentReport],
    document: DocumentReport,
    field: FieldValue,
    applicant: Applicant,
    judge: Judge,
) -> Agreement:
    """A near miss on an unsure read, settled by the shapes of the characters where both
    images are clear about it: the document shows the ID card's name (a misread), or it shows
    its own and the ID card shows the ID card's (two different names)."""
    read, expected = _text(field), _text(applicant.name)
    assert read is not None and expected is not None and applicant.name is not None
    here = judge(document, field, expected)
    if here is Shown.SECOND:
        return Agreement.SAME
    card = next(
        (d for d in documents if d.file == applicant.source and d.kind == "cn_id_front"), None
    )
    card_agrees = card is not None and judge(card, applicant.name, read) is Shown.FIRST
    return Agreement.DIFFERENT if here is Shown.FIRST and card_agrees else Agreement.MISREAD


def id_number_findings(
    documents: list[DocumentReport], applicant: Applicant, *, clean: float
) -> list[Finding]:
    """ID numbers printed on other documents against the ID card's."""
    expected = _text(applicant.id_number)
    if expected is None:
        return []
    codes = {Agreement.DIFFERENT: Code.ID_NUMBER_MISMATCH, Agreement.MISREAD: Code.RETAKE}
    return [
        new_finding(
            codes[agreement],
            file=document.file,
            field=name,
            evidence=_evidence(document, field),
            document=KIND_LABELS[document.kind],
            label=FIELD_LABELS["id_number"],
            found=_text(field),
            expected=expected,
            source=KIND_LABELS[applicant.source_kind],
        )
        for document, name, field, agreement in _disagreements(
            documents, ID_NUMBER_FIELDS, expected, clean
        )
    ]


def age_findings(applicant: Applicant, *, policy: Policy, as_of: dt.date) -> list[Finding]:
    """The applicant's age at `as_of` within the policy's range."""
    if applicant.birth_date is None:
        return []
    birth = applicant.birth_date
    age = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
    limits = policy.applicant
    if limits.min_age <= age <= limits.max_age:
        return []
    return [
        new_finding(
            Code.AGE_OUT_OF_RANGE,
            file=applicant.source,
            field="birth_date",
            source=KIND_LABELS[applicant.source_kind],
            age=age,
            min_age=limits.min_age,
            max_age=limits.max_age,
        )
    ]


def validity_findings(documents: list[DocumentReport]) -> list[Finding]:
    """The card's validity period against the holder's age when it was issued (both sides)."""
    front = next((doc for doc in documents if doc.kind == "cn_id_front"), None)
    back = next((doc for doc in documents if doc.kind == "cn_id_back"), None)
    if front is None or back is None:
        return []
    birth = _date(front.fields.get("birth_date"))
    valid_from = _date(back.fields.get("valid_from"))
    valid_until = _date(back.fields.get("valid_until"))
    long_term = bool(back.fields.get("long_term", _NONE).value)
    if birth is None or valid_from is None or (valid_until is None and not long_term):
        return []
    if validity_fits_age(birth, valid_from, valid_until):
        return []
    expected = expected_validity_years(birth, valid_from)
    years = None if valid_until is None else valid_until.year - valid_from.year
    return [
        new_finding(
            Code.ID_VALIDITY_UNUSUAL,
            file=back.file,
            field="valid_until",
            years=_validity_words(years),
            expected=_validity_words(expected),
        )
    ]


def _validity_words(years: int | None) -> dict[str, str]:
    """A validity period in words: `10 年` / `10 years`, None for long-term (长期)."""
    if years is None:
        return {"zh": "长期", "en": "long-term"}
    return {"zh": f"{years} 年", "en": f"{years} years"}


def _date(field: FieldValue | None) -> dt.date | None:
    if field is None or field.value is None:
        return None
    if isinstance(field.value, dt.date):
        return field.value
    return parse_date(str(field.value))


def _first_with_kind(
    documents: list[DocumentReport], kinds: tuple[str, ...], field: str
) -> tuple[Any, str]:
    """The field's value on the first document of one of `kinds` that has it, and that
    document's kind ("unknown" when none has it)."""
    for document in documents:
        if document.kind in kinds and field in document.fields:
            return document.fields[field].value, document.kind
    return None, "unknown"


def _visible_digits_agree(declared: str, printed: str) -> bool:
    """An account typed in full against one printed whole or masked (`6222 **** 1234`)."""
    typed = "".join(char for char in declared if char.isdigit())
    shown = "".join(char for char in printed if char.isdigit() or char in "*＊xX")
    if "*" not in shown and "＊" not in shown:
        return typed == shown
    head = shown.split("*")[0].split("＊")[0]
    tail = shown.replace("＊", "*").rsplit("*", 1)[-1]
    return typed.startswith(head) and typed.endswith(tail)


def declared_findings_against(
    documents: list[DocumentReport],
    declared: DeclaredFields,
    applicant: Applicant | None,
    *,
    policy: Policy,
) -> list[Finding]:
    """What the applicant typed against what the documents say (where both are known): each
    finding names the typed value, the document's and the document it was read from."""
    clean = policy.quality.clean_read_confidence
    certificates = ("income_certificate", "employment_certificate")
    identity = applicant.source_kind if applicant else "unknown"
    name = applicant.name if applicant else None
    id_number = _text(applicant.id_number) if applicant else None
    employer, employer_kind = _first_with_kind(documents, (*certificates, "payslip"), "employer")
    employer = str(employer or "")
    income, income_kind = _first_with_kind(documents, certificates, "monthly_income")
    monthly = parse_money(str(income or ""))
    typed_income = parse_money(declared.monthly_income)
    tolerance = Decimal(str(policy.tolerances.income_vs_credits))
    account, account_kind = _first_with_kind(documents, ("bank_statement",), "account_number")
    account = str(account or "")
    mismatched: list[tuple[str, str, str, str]] = []  # field, typed, read, kind read from
    if declared.name and name and compare(name, declared.name, clean=clean) is Agreement.DIFFERENT:
        mismatched.append(("name", declared.name, str(name.value), identity))
    if declared.id_number and id_number and id_number != declared.id_number.upper():
        mismatched.append(("id_number", declared.id_number, id_number, identity))
    if declared.employer and employer and fuzz.ratio(declared.employer, employer) < EMPLOYER_MATCH:
        mismatched.append(("employer", declared.employer, employer, employer_kind))
    if monthly and typed_income and abs(typed_income - monthly) > tolerance * monthly:
        typed = declared.monthly_income or ""
        mismatched.append(("monthly_income", typed, str(income), income_kind))
    if (
        declared.bank_account
        and account
        and not _visible_digits_agree(declared.bank_account, account)
    ):
        mismatched.append(("bank_account", declared.bank_account, account, account_kind))
    return [
        new_finding(
            Code.DECLARED_MISMATCH,
            field=field,
            label=FIELD_LABELS[field],
            declared=typed,
            found=read,
            source=KIND_LABELS[kind],
        )
        for field, typed, read, kind in mismatched
    ]


def duplicate_file_findings(documents: list[DocumentReport]) -> list[Finding]:
    """The same image submitted under two names: equal perceptual hashes and equal reads.

    Pages of one template (payslips of several months) share a hash; what was read on them
    differs, so they are not duplicates.
    """
    seen: dict[tuple[str, ...], str] = {}
    findings = []
    for document in documents:
        hashes = tuple(quality.phash or "" for quality in document.quality)
        if not any(hashes):
            continue
        values = tuple(f"{name}={field.value}" for name, field in sorted(document.fields.items()))
        other = seen.setdefault((document.kind, *hashes, *values), document.file)
        if other != document.file:
            findings.append(
                new_finding(
                    Code.DUPLICATE_FILE, file=document.file, first=other, second=document.file
                )
            )
    return findings


def statement_files(documents: list[DocumentReport]) -> list[list[DocumentReport]]:
    """Each statement's files: the one with its header, then any later pages uploaded as files
    of their own (no period, no holder)."""
    groups: list[list[DocumentReport]] = []
    for document in documents:
        if document.kind != "bank_statement":
            continue
        if is_continuation(document.fields) and groups:
            groups[-1].append(document)
        else:
            groups.append([document])
    return groups


def statements_of(documents: list[DocumentReport]) -> list[tuple[str, dict[str, FieldValue]]]:
    """Each statement's file and fields, its later page files' rows joined to its own."""
    statements = []
    for head, *pages in statement_files(documents):
        fields = dict(head.fields)
        if pages and "transactions" in fields:
            rows = list(fields["transactions"].value or [])
            rows += [row for page in pages for row in page.fields["transactions"].value or []]
            fields["transactions"] = fields["transactions"].model_copy(update={"value": rows})
        statements.append((head.file, fields))
    return statements


def seam_findings(documents: list[DocumentReport], *, policy: Policy) -> list[Finding]:
    """Balances across the page files of each statement uploaded page by page."""
    return [
        finding
        for files in statement_files(documents)
        if len(files) > 1
        for finding in page_file_findings([(f.file, f.fields) for f in files], policy)
    ]


def _salary(documents: list[DocumentReport]) -> SalarySignal | None:
    """The strongest salary signal over all statements."""
    signals = [
        signal
        for _, fields in statements_of(documents)
        if (signal := salary_signal(fields)) is not None
    ]
    return max(signals, key=lambda signal: (signal.keyword, signal.months), default=None)


def income_findings(documents: list[DocumentReport], *, policy: Policy) -> list[Finding]:
    """Certified income and employer against the salary credited on the statements.

    Certificates state gross pay; credits are net. A credit counts as consistent from
    `min_net_share` of the certified income (less the tolerance) up to the income plus it.
    """
    signal = _salary(documents)
    if signal is None:
        return []
    tolerance = Decimal(str(policy.tolerances.income_vs_credits))
    net_share = Decimal(str(policy.tolerances.min_net_share))
    findings = []
    for document in documents:
        if document.kind not in ("income_certificate", "employment_certificate"):
            continue
        certified = parse_money(str(document.fields.get("monthly_income", _NONE).value or ""))
        low = (certified or 0) * net_share * (1 - tolerance)
        if certified and not low <= signal.monthly_median <= certified * (1 + tolerance):
            findings.append(
                new_finding(
                    Code.INCOME_MISMATCH,
                    file=document.file,
                    field="monthly_income",
                    document=KIND_LABELS[document.kind],
                    certified=certified,
                    credited=signal.monthly_median,
                    tolerance=f"{tolerance:.0%}",
                )
            )
        employer = str(document.fields.get("employer", _NONE).value or "")
        if (
            employer
            and signal.payer
            and fuzz.partial_ratio(employer, signal.payer) < EMPLOYER_MATCH
        ):
            findings.append(
                new_finding(
                    Code.EMPLOYER_MISMATCH,
                    file=document.file,
                    field="employer",
                    document=KIND_LABELS[document.kind],
                    certified=employer,
                    payer=signal.payer,
                )
            )
    return findings


def application_findings(
    documents: list[DocumentReport],
    declared: DeclaredFields,
    *,
    policy: Policy,
    profile: str,
    as_of: dt.date,
    judge: Judge | None = None,
) -> list[Finding]:
    """Every rule that looks at the application as a whole; `judge` (see `name_findings`)
    looks at the page images, which the reports do not hold."""
    findings = completeness_findings(documents, policy=policy, profile=profile)
    findings += duplicate_file_findings(documents)
    clean = policy.quality.clean_read_confidence
    applicant = applicant_of(documents, clean=clean)
    if applicant is not None:
        findings += name_findings(documents, applicant, clean=clean, judge=judge)
        findings += id_number_findings(documents, applicant, clean=clean)
        findings += age_findings(applicant, policy=policy, as_of=as_of)
    findings += validity_findings(documents)
    findings += declared_findings_against(documents, declared, applicant, policy=policy)
    findings += income_findings(documents, policy=policy)
    findings += seam_findings(documents, policy=policy)
    findings += statement_set_findings(statements_of(documents), policy=policy, as_of=as_of)
    return findings
