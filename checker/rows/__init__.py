"""The text of printed forms (certificates, payslips) as lines and labelled rows.

Kind-independent reading helpers: a page's words grouped into lines (`lines`), a field found
on a `label：value` line (`label_value`), in a grid or under a table's header row (`tables`)
or in a sentence (`prose`). Each gives `Row`s that keep the words a value was read from, so
its box and confidence are those of the print. (`checker.labelled` does the same for ID
cards, one pattern per label over rows it groups itself.)
"""
