"""Bank statements beyond one document: tables from word positions, layouts, reconciliation,
checks across statements and income signals.

Public entry points for the application rules:
`statement_set_findings(statements, policy=, as_of=)` (checker.statements.sets) and
`salary_signal(fields)` (checker.statements.income).
"""

from checker.statements.income import SalarySignal, salary_signal
from checker.statements.sets import statement_set_findings

__all__ = ["SalarySignal", "salary_signal", "statement_set_findings"]
