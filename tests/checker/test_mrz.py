"""MRZ parsing (ICAO 9303): the published specimens, every check digit, OCR repairs."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.mrz import check_digit, clean_line, parse_mrz

TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]
SPECIMENS = {"TD1": TD1, "TD2": TD2, "TD3": TD3}


@pytest.mark.parametrize("kind", SPECIMENS, ids=list(SPECIMENS))
def test_icao_specimen_parses_with_every_check_digit_passing(kind: str) -> None:
    zone = parse_mrz(SPECIMENS[kind], today=dt.date(2026, 11, 15))
    assert zone is not None
    assert (zone.format, zone.valid, zone.corrected) == (kind, True, False)
    assert (zone.surname, zone.given_names, zone.issuing_country) == (
        "ERIKSSON",
        "ANNA MARIA",
        "UTO",
    )
    assert (zone.birth_date, zone.expiry_date, zone.sex) == (
        dt.date(1974, 8, 12),
        dt.date(2012, 4, 15),
        "F",
    )


def test_td3_specimen_fields() -> None:
    zone = parse_mrz(TD3)
    assert zone is not None
    assert (zone.document_type, zone.document_number, zone.nationality) == ("P", "L898902C3", "UTO")
    assert zone.personal_number == "ZE184226B"
    assert [check.name for check in zone.checks] == [
        "document_number",
        "birth_date",
        "expiry_date",
        "personal_number",
        "composite",
    ]


@pytest.mark.parametrize(
    ("position", "failed"),
    [
        (9, ["document_number", "composite"]),
        (19, ["birth_date", "composite"]),
        (27, ["expiry_date", "composite"]),
        (42, ["personal_number", "composite"]),
        (43, ["composite"]),
    ],
    ids=["document_number", "birth_date", "expiry_date", "personal_number", "composite"],
)
def test_one_wrong_check_digit_is_reported(position: int, failed: list[str]) -> None:
    second = list(TD3[1])
    second[position] = str((int(second[position]) + 1) % 10)
    zone = parse_mrz([TD3[0], "".join(second)])
    assert zone is not None
    assert (zone.valid, zone.failed(), zone.corrected) == (False, failed, False)


@pytest.mark.parametrize(
    ("second", "method_fixed"),
    [
        ("L898902C36UTO74O8122F12O4159ZE184226B<<<<<1O", True),  # O read for 0 in digits
        ("L898902C36UTO7408122F1204I59ZE184226B<<<<<10", True),  # I read for 1
        ("L8989O2C36UTO7408122F1204159ZE184226B<<<<<10", True),  # O for 0 in the number
        ("L898902C36UTO7408122F1204159ZE184226B<<K<<10", True),  # < read as K
    ],
    ids=["O_for_0_in_dates", "I_for_1", "O_for_0_in_number", "K_for_filler"],
)
def test_ocr_confusions_are_undone_where_check_digits_then_pass(
    second: str, method_fixed: bool
) -> None:
    zone = parse_mrz([TD3[0], second])
    assert zone is not None
    assert (zone.valid, zone.corrected) == (True, method_fixed)
    assert zone.lines[1] == TD3[1]


def test_a_filler_read_as_k_in_the_name_line_is_a_filler() -> None:
    zone = parse_mrz(["P<CHNYANG<K<JUNJIE<K<<<<<<<<<<<<<<<<<<<<<<<<", TD3[1]])
    assert zone is not None
    assert (zone.surname, zone.given_names) == ("YANG", "JUNJIE")


def test_a_name_line_that_lost_fillers_still_parses() -> None:
    zone = parse_mrz(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<", TD3[1]])
    assert zone is not None
    assert (zone.valid, zone.given_names) == (True, "ANNA MARIA")


@pytest.mark.parametrize(
    ("data", "digit"), [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("", "0")]
)
def test_check_digit(data: str, digit: str) -> None:
    assert check_digit(data) == digit


def test_lower_case_letters_in_a_zone_are_fillers_misread() -> None:
    assert clean_line("P<CHN YANG<<JUNJIE<<sssee") == "P<CHNYANG<<JUNJIE<<<<<<<"


@pytest.mark.parametrize(
    "lines", [[], ["hello"], ["P<UTO", "123"], ["€" * 44, "\x00" * 44]], ids=str
)
def test_not_a_zone_is_none(lines: list[str]) -> None:
    assert parse_mrz(lines) is None


# -- visas, letters-only fields, and repairs that the check digits must confirm

MRV_A = [
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
]
MRV_B = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"]


@pytest.mark.parametrize(("lines", "kind"), [(MRV_A, "MRV-A"), (MRV_B, "MRV-B")], ids=["A", "B"])
def test_a_visa_zone_has_no_composite_check(lines: list[str], kind: str) -> None:
    zone = parse_mrz(lines)
    assert zone is not None
    assert (zone.format, zone.document_type, zone.valid) == (kind, "V", True)
    assert [check.name for check in zone.checks] == ["document_number", "birth_date", "expiry_date"]
    assert zone.lines == tuple(lines)


def test_a_digit_in_a_name_or_country_code_is_the_letter_it_looks_like() -> None:
    zone = parse_mrz(["P<UT0ERIKSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<", TD3[1]])
    assert zone is not None
    assert zone.lines == tuple(TD3)
    assert (zone.issuing_country, zone.surname, zone.corrected) == ("UTO", "ERIKSSON", True)


def test_a_letter_for_a_digit_is_repaired_when_the_check_digits_confirm_it() -> None:
    # birth date 740812 read with O for 0 and B for 8: its check digit and the composite pass
    zone = parse_mrz([TD3[0], TD3[1].replace("7408122F", "74OB122F")])
    assert zone is not None
    assert (zone.valid, zone.corrected, zone.lines[1]) == (True, True, TD3[1])


def test_a_repair_the_composite_does_not_confirm_is_not_taken() -> None:
    # the document number's digit swapped S -> 5 would pass its own check digit only if the
    # number were different; a genuinely wrong composite digit is reported, not repaired away
    second = TD3[1][:-1] + "3"
    zone = parse_mrz([TD3[0], second])
    assert zone is not None
    assert zone.failed() == ["composite"]
    assert (zone.corrected, zone.lines[1]) == (False, second)


def test_a_wrong_document_number_is_not_repaired_into_another_one() -> None:
    # one character really different (C -> G): no OCR swap makes the check digit pass
    second = "L898902G36" + TD3[1][10:]
    zone = parse_mrz([TD3[0], second])
    assert zone is not None
    assert zone.failed() == ["document_number", "composite"]
    assert zone.document_number == "L898902G3"


def test_a_td1_filler_read_as_k_in_the_optional_data_is_a_filler() -> None:
    zone = parse_mrz([TD1[0][:20] + "K" + TD1[0][21:], TD1[1], TD1[2]])
    assert zone is not None
    assert (zone.valid, zone.lines) == (True, tuple(TD1))
