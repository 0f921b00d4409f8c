"""What ingest produces and readers consume: documents, pages, words and readings."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from schemas.findings import Finding

Box = tuple[int, int, int, int]  # left, top, right, bottom, in page pixels


@dataclass(frozen=True)
class Word:
    """One word (or CJK run) as read, with where it stands on the page."""

    text: str
    box: Box
    confidence: float  # 0..1; 1.0 for a PDF text layer
    line: tuple[int, int, int] = (0, 0, 0)  # block, paragraph, line


@dataclass
class Reading:
    """The text of one page: words with boxes, from a text layer or from OCR."""

    page: int  # 1-based
    words: list[Word]
    source: str  # "text_layer" or "ocr"
    engine: str = ""
    seconds: float = 0.0
    cached: bool = False

    @property
    def text(self) -> str:
        """The words joined in reading order, one line per text line."""
        lines: dict[tuple[int, int, int], list[str]] = {}
        for word in self.words:
            lines.setdefault(word.line, []).append(word.text)
        return "\n".join(" ".join(parts) for parts in lines.values())

    @property
    def mean_confidence(self) -> float | None:
        if not self.words:
            return None
        return sum(word.confidence for word in self.words) / len(self.words)


@dataclass
class Page:
    """One page of a document: an image to read, or a text layer already read."""

    number: int  # 1-based
    width: int
    height: int
    dpi: int
    image: Image.Image | None = None  # None when the text layer is used
    text_layer: Reading | None = None
    # a text-layer page's small colour render, for what only pixels show (a seal drawn as an
    # image or as paths); its scale to the page is `width / preview.width`
    preview: Image.Image | None = None


@dataclass
class Table:
    """A spreadsheet or CSV export, kept as rows of cell strings."""

    name: str  # sheet name, or "csv"
    rows: list[list[str]]
    encoding: str | None = None


@dataclass
class Document:
    """One uploaded file after ingest. `findings` holds what went wrong reading it."""

    file: str
    media_type: str | None
    sha256: str
    size: int
    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
