"""The application rules, one module per concern; `checker.application` runs them all.

`identity` (who the application is about; names, ID numbers, age and the card's validity
against it), `documents` (requirements met, the same file twice), `declared` (what the
applicant typed against what the documents say), `statements` (each statement's page files
joined; certified income against the salary credited), `employment` (one employer across
income proofs, tax and contribution records; certified against taxed income; income against
the housing fund's base), `business` (a business loan's business on the statements), and
`values` (how two values read from different documents are compared).
"""
