"""What 收入证明 and 在职证明 share: labelled rows read off the page, the seal, and the checks.

Reading (`extraction`): the page's words (a text layer's or any reader's) are grouped into
lines, and each field is found by its printed label or in a sentence, never by position:
labels and prose patterns are data (`labels/certificate.yaml`, validated when loaded;
`fields`). In turn (`checker.rows`): `label：value` rows (the label matched tolerantly), a
table whose header row holds the labels (`column_rows`), grid cells (`cell_rows`: 姓名 | 张三 |
身份证号码 | …), sentences (`prose_rows`: 兹证明张三同志，…自2019年3月起…月收入人民币…元), a bare
date or organisation under the body (the prose form's signature); values with a shape of their
own (ID number, USCC, amounts, phone) are also found by it (`unlabelled`). Every value is text
read at one place, with the box of the characters it was read from; the employer, when no
label names it, is the issuer as printed on the signature line.
A value that fails its own check (`values`: a name that is not 2–4 Chinese characters, a date
that does not parse, words that do not fit the figures, …) is cropped, cleaned of red seal ink
and read again (`reread`); all such crops go to the reader stacked in one image, so that costs
one small call. Some fields are cropped two ways (`REREAD_CROPS`) and the surer read that
passes is kept.
The amount in words is parsed (cn2an) from the characters printed and read, never completed
from the figures (`words_read`); a read that is no whole amount is read again, by the second
reader too, and with no whole read the words are not read. The check (`checks`) compares the
two.
An issue date the page read missed under the seal is looked for as the printed line nearest
where it should be (`layout.ink_line`: print is dark in the red channel, the seal's ink is
not). The seal's place is checked against the issuer's name and date (`signature_block`).
"""
