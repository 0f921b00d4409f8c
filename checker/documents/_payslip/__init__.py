"""What `payslip` reads with: its fields and labels (`fields`), its amounts found along lines
or in a header table (`amounts`), totals and labels read again by the second reader
(`reread`), and the amount in words parsed, Chinese or English (`amount_words`)."""
