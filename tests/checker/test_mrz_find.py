"""Which lines as read may be part of a machine-readable zone (`mrz_find.mrz_like`): the test
that sends a page to the second reader's page read, a costly one (two RapidOCR page reads)."""

import pytest

from checker.mrz_find import mrz_like


@pytest.mark.parametrize(
    "line",
    [
        "P<CHNYANGく<JUNJIEくくくくくく<く<<くくくくくくくくく<く<<<<く<",  # chi_sim's fillers
        "P<KORSMITH<JONES<K<ZOE<K<<<<<<sssssssssssssK<s",  # fillers read as letters
        "E219037033CHN9306303M3004250<<<<<<<<<<<<<<<0",
        "P<BRADUPONT<<HIROSHI<<<<<<<<<<<<“<<“<<“<“<<<<<",  # a few stray quotes
        "B>>>>>>>>>>>>>>>LO0LLOOZSIALILLOOSVIT6d4d54LAAVI",  # a zone upside down
    ],
)
def test_a_zone_line_as_read_is_zone_like(line: str) -> None:
    assert mrz_like(line)


@pytest.mark.parametrize(
    "line",
    [
        "2026-07-25 jj 北京 地 铁 4.00 58,347.06",  # a statement photo's row
        "04-07-2026POSPURCHASE197.72Dr21,523.14",
        "2025-11汇缴1,760.001,760.003,520.0056,320.00",  # a housing-fund record's row
        "Basic20,860.00ProvidentFund2,384.00",  # a payslip's
        "Sunrise Infotech Private Limited",  # printed words
        "类型/Type国家码/Country Code护照号/Passport No.",  # a passport's labels
    ],
)
def test_a_table_row_or_printed_words_are_not_zone_like(line: str) -> None:
    assert not mrz_like(line)
