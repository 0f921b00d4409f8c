"""Reading and checking 个人所得税 income-and-tax records: the header fields and the monthly
table (`reading`), by printed labels and column titles (`labels/tax_record.yaml`), and the
document's own checks (`checks`)."""
