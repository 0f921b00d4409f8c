"""Account numbers: masked ones accepted, Luhn failure only a warning on card lengths."""

import pytest

from checker.statements.account import account_issue
from schemas.findings import Severity


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        pytest.param("6222 **** 1234", None, id="masked-short"),
        pytest.param("6222 **** **** 1234", None, id="masked"),
        pytest.param("6222021234567890128", None, id="card-luhn-ok"),
        pytest.param("6222 0212 3456 7890 128", None, id="card-spaced"),
        pytest.param(
            "6222021234567890123", ("check_digit", Severity.WARNING), id="card-luhn-fails"
        ),
        pytest.param("110001234567890", None, id="passbook-account"),
        pytest.param("12345", ("length", Severity.ERROR), id="too-short"),
        pytest.param("62220212345678901234567890", ("length", Severity.ERROR), id="too-long"),
        pytest.param("6222O2123456789O128", ("characters", Severity.ERROR), id="letters"),
    ],
)
def test_account_issue(number, expected):
    issue = account_issue(number)
    assert (issue and (issue.reason, issue.severity)) == expected
