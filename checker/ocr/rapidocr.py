"""RapidOCR reader (optional extra `docready[rapidocr]`): PP-OCR models on onnxruntime,
shipped inside the wheel, so it runs offline.

The checker's reader stays tesseract. This one serves as the second reader: a field that
tesseract could not read, even from cleaned crops, is read once more here
(`checker.ocr.second_reader`). It can also be the page reader (`ocr.engine: rapidocr`).

- Regions are read recognition-only, one text line a crop: the detector upscales small
  crops and costs more than the recognition (../shared/NOTES-OCR.md). A crop comes back as one
  word with the crop's box.
- A page is read with detection, one word per detected line. The detector sees the page
  scaled to at most PAGE_DETECT_SIDE px (the lines are then cut from the page at full size
  for recognition): its working memory grows with the pixels it sees, about 110 MB a
  megapixel (+214 MB for a 1600×1200 photo, +750 MB for an A4 page at rapidocr's 2000 px).
  At 1280 px it lost a spaced label (名  称 read into its value as 称朝阳区…) on a 1600×2133
  licence photo and an address on an ID card scanned on A4; at 1600 both read as before.
  A card's reader (`card=True`) shows it at most CARD_DETECT_SIDE px: a card's print is
  large, and detection at full size was 0.52 of the 0.70 s a 1600×1200 card photo took
  (`python -m bench identity`).
- Its recognizer reads lines REC_BATCH at a time, each batch padded to its widest line: at
  rapidocr's default of 6, a passport's six longest lines took +240 MB (1476×1039 photo); at 3,
  +140 MB and no slower (342 lines of six photos: 340 read the same, two with a colon or
  bracket of the other width). The batches keep that padding, but the model runs on one line
  of a batch at a time (`_LineByLine`): the same input for each line, +46 MB for the widest.
- A card reader's detector runs on OpenVINO (the same ONNX model, `_OpenVinoDetection`) when
  it is installed: 0.10 s against onnxruntime's 0.38 s for a 960×736 input on two threads, 0.18
  against 0.72 s on one (this machine's Xeon, one run each). It is compiled in float32: OpenVINO
  would otherwise pick bfloat16 on a CPU that has it (this one: 0.14 s, and numbers that differ
  from one machine to the next). OpenVINO keeps its working memory for the shapes it has run
  (+230 MB at 960 px, +600 MB at 1600 px), so the page reader's detector stays on onnxruntime,
  which frees it after each run. A batch or API worker, which maps large blocks on their own
  (`checker.memory`), has the card detector's memory released after each detection, before
  recognition: +20 MB kept after a card photo instead of +224, for 0.26 s a detection instead
  of 0.19 on one thread. It is compiled for each input shape (`_OpenVinoDetection`), which
  lets OpenVINO reuse working memory from layer to layer: a card photo's read then peaks at
  +85 MB instead of +185 (1600×1200, one thread).
- The card's and the page's readers share one line recogniser a process (the same model and
  settings): 24 MB less once both have read.
- rapidocr keeps per-call options (`use_det=False`) for the calls after it on the same
  engine, so every call passes all of them, under a lock.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import Any

import numpy as np
from PIL import Image

from checker.document import Box, Reading, Word
from checker.memory import large_blocks_given_back
from checker.ocr import OcrError, RegionOptions
from checker.policy import OcrSettings

NAME = "rapidocr"
TELEMETRY_OFF_VARIABLE = "ORT_TELEMETRY_DISABLED"
_INSTALL_HINT = "install it with `pip install 'docready[rapidocr]'`"


LANGUAGES = "ch"  # the bundled Chinese and English recognition model
CARD_DETECT_SIDE = 960  # a card reader's detector sees the image scaled to this long side
PAGE_DETECT_SIDE = 1600  # a page reader's detector: at most this long side
REC_BATCH = 3  # lines recognised in one run of the model


def _detect_side(card: bool) -> int:
    return CARD_DETECT_SIDE if card else PAGE_DETECT_SIDE


def _detect_on_openvino(card: bool) -> bool:
    return card and _openvino_installed()


@cache
def _openvino_installed() -> bool:
    return importlib.util.find_spec("openvino") is not None


def _options(card: bool) -> str:
    engine = "ov" if _detect_on_openvino(card) else ""
    return f"det{_detect_side(card)}{engine}+rec{REC_BATCH}"


def describe(*, card: bool = False) -> tuple[str, str, str]:
    """The reader's version, languages and options, known without loading its model (the
    cache key of a read it would make); raises OcrError when it is not installed."""
    try:
        return metadata.version("rapidocr"), LANGUAGES, _options(card)
    except metadata.PackageNotFoundError as error:
        raise OcrError(f"RapidOCR is not installed; {_INSTALL_HINT}") from error


def make_reader(settings: OcrSettings, *, card: bool = False) -> RapidOcrReader:
    """The RapidOCR reader (a card's, with `card`); raises OcrError with an install hint
    when it is missing."""
    return RapidOcrReader(card=card)


ONNX_THREADS_VARIABLE = "DOCREADY_ONNX_THREADS"


def _thread_limit() -> int | None:
    """The threads a model run may use when `DOCREADY_ONNX_THREADS` limits them: a batch
    worker process sets 1, so two workers on two cores do not each spread a run over both (a
    single check keeps the engines' default, every core)."""
    limit = os.environ.get(ONNX_THREADS_VARIABLE, "")
    return int(limit) if limit.isdigit() and int(limit) >= 1 else None


def _thread_params() -> dict[str, Any]:
    """onnxruntime's thread settings under `_thread_limit` (OpenVINO's: `_OpenVinoDetection`)."""
    limit = _thread_limit()
    if limit is None:
        return {}
    return {
        "EngineConfig.onnxruntime.intra_op_num_threads": limit,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }


def _keep_engines_local() -> None:
    """Neither engine starts its usage telemetry. onnxruntime is told so by its variable (and
    pyproject.toml keeps it below 1.29, whose uploader ignored the variable). `import openvino`
    loads its model converter, which at import wrote a client id and usage counts into ~/intel
    (consent taken as given when no consent file exists) and falls back to its own stub when
    `openvino_telemetry` cannot be imported: that import is blocked in this process."""
    os.environ.setdefault(TELEMETRY_OFF_VARIABLE, "1")
    if "openvino" not in sys.modules:
        sys.modules.setdefault("openvino_telemetry", None)  # type: ignore[arg-type]


class RapidOcrReader:
    """Reads pages and line crops with RapidOCR; its model loads at the first read."""

    name = NAME
    languages = LANGUAGES

    def __init__(self, *, card: bool = False) -> None:
        _keep_engines_local()
        try:
            from rapidocr import EngineType, RapidOCR
        except ImportError as error:
            raise OcrError(f"RapidOCR is not installed; {_INSTALL_HINT}") from error
        # it logs every model load, and a warning for a page without text (ours: `unreadable`)
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        self.version = metadata.version("rapidocr")
        self.options = _options(card)
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Det.limit_type": "max",
            "Det.limit_side_len": _detect_side(card),
            "Rec.rec_batch_num": REC_BATCH,
        }
        self._detect_on_openvino = _detect_on_openvino(card)
        if self._detect_on_openvino:
            params["Det.engine_type"] = EngineType.OPENVINO
        params |= _thread_params()
        self._engine = RapidOCR(params=params)
        self._detector_ready = False
        self._lock = threading.Lock()

    def read(self, image: Image.Image, *, dpi: int, page: int) -> Reading:
        """The lines on `image`, each as one word with its box."""
        started = time.perf_counter()
        result = self._run(image, detect=True)
        words = []
        for index, (text, score, corners) in enumerate(
            zip(result.txts or (), result.scores or (), _boxes(result), strict=False)
        ):
            if text.strip():
                words.append(Word(text, corners, float(score), (0, 0, index)))
        return Reading(
            page=page,
            words=words,
            source="ocr",
            engine=f"{NAME} {self.version}",
            seconds=time.perf_counter() - started,
        )

    def read_regions(
        self,
        image: Image.Image,
        boxes: Sequence[Box],
        *,
        dpi: int,
        page: int,
        options: RegionOptions,
    ) -> list[Reading]:
        """Each box of `image` read as one text line; the languages and whitelist of
        `options` do not apply to this model and are ignored."""
        readings = []
        for box in boxes:
            started = time.perf_counter()
            result = self._run(image.crop(box), detect=False)
            text = "".join(result.txts or ()).strip()
            score = float(result.scores[0]) if text and result.scores else 0.0
            words = [Word(text, tuple(box), score)] if text else []  # type: ignore[arg-type]
            readings.append(
                Reading(
                    page=page,
                    words=words,
                    source="ocr",
                    engine=f"{NAME} {self.version}",
                    seconds=time.perf_counter() - started,
                )
            )
        return readings

    def _run(self, image: Image.Image, *, detect: bool) -> Any:
        try:
            with self._lock:
                if detect and not self._detector_ready:
                    self._load_detector()
                if self._engine.text_rec is None:
                    self._engine.text_rec = _shared_recognizer(self._engine)
                return self._engine(
                    image if image.mode == "RGB" else image.convert("RGB"),  # not one more copy
                    use_det=detect,
                    use_cls=False,
                    use_rec=True,
                    return_word_box=False,
                )
        except Exception as error:  # the engine raises its own and onnxruntime's errors
            raise OcrError(f"RapidOCR could not read the image ({type(error).__name__})") from error

    def _load_detector(self) -> None:
        """Load the detection model; on OpenVINO, compiled again in float32 (rapidocr compiles
        it at the CPU's default precision, which may be bfloat16; the second compile costs
        about 0.3 s once a process and no memory kept)."""
        # rapidocr's own loader, which it calls at the first read otherwise
        detector = self._engine._load_det_model()  # type: ignore[no-untyped-call]
        if self._detect_on_openvino:
            detector.session = _OpenVinoDetection(detector.session.model)
        self._detector_ready = True


_recognizers: dict[int, Any] = {}  # rapidocr's line recogniser, one a process (by pid)
_recognizer_lock = threading.Lock()


def _shared_recognizer(engine: Any) -> Any:
    """The line recogniser of every reader in this process, loaded by the first to read: the
    card's and the page's readers load the same model with the same settings (24 MB each)."""
    with _recognizer_lock:
        if os.getpid() not in _recognizers:
            recognizer = engine._load_rec_model()
            recognizer.session = _LineByLine(recognizer.session)
            _recognizers[os.getpid()] = recognizer
        return _recognizers[os.getpid()]


class _LineByLine:
    """The recognition model run on one line of a batch at a time, each padded as in its
    batch (rapidocr pads a batch's lines to the widest): the same input for every line, the
    scores the same within 3e-6, in less memory and no more time. A batch of three lines
    1700 px wide at 48 px: +136 MB while it runs, against +46 for one; one thread, three lines
    one at a time against the batch: 0.083 s and 0.083 s at 320 px, 0.39 and 0.44 s at 1700.
    Each line's output is kept as its `BestClasses`: its scores of every class are 15 MB for a
    1789 px line, and rapidocr holds a batch's while it runs the next."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def __call__(self, batch: np.ndarray) -> BestClasses:
        lines = [
            BestClasses.of(self._session(batch[index : index + 1])) for index in range(len(batch))
        ]
        return BestClasses(
            np.concatenate([line.classes for line in lines]),
            np.concatenate([line.scores for line in lines]),
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


@dataclass(frozen=True)
class BestClasses:
    """A recognition output reduced to what rapidocr's CTC decoding reads of it: each time
    step's best class and that class's score (`argmax` and `max` over the classes, the last
    axis). The full output scores every one of the model's classes (18710) at every step."""

    classes: np.ndarray  # (lines, steps)
    scores: np.ndarray  # (lines, steps)

    @classmethod
    def of(cls, output: np.ndarray) -> BestClasses:
        return cls(output.argmax(axis=-1), output.max(axis=-1))

    def argmax(self, axis: int) -> np.ndarray:
        self._check_axis(axis)
        return self.classes

    def max(self, axis: int) -> np.ndarray:
        self._check_axis(axis)
        return self.scores

    def _check_axis(self, axis: int) -> None:
        if axis not in (2, -1):
            raise ValueError(f"only the classes' axis is kept, not axis {axis}")


class _OpenVinoDetection:
    """The text detector's model compiled by OpenVINO in float32, run as rapidocr's detector
    runs its session. It is compiled for each input shape it meets (the last SHAPES_KEPT kept):
    compiled for one shape, OpenVINO plans the model's working memory to be reused from layer
    to layer; compiled for any shape, it allocates each layer's anew. On a 960×736 input, one
    thread: +65 MB while it runs instead of +170, 0.25 s instead of 0.34, the same scores
    within 1e-7; 0.33 s to compile a new shape, 33 MB held for each shape kept (four kept let a
    batch worker hold 130 MB more, hence one). In a process that gives large blocks back
    (`checker.memory`), its working memory is released after each run, before the lines are
    recognised."""

    SHAPES_KEPT = 1

    def __init__(self, model: Any) -> None:
        import openvino

        self._core = openvino.Core()
        self._model = model
        self._config: dict[str, Any] = {"INFERENCE_PRECISION_HINT": "f32"}
        limit = _thread_limit()
        if limit is not None:
            self._config["INFERENCE_NUM_THREADS"] = limit
        self._compiled: dict[tuple[int, ...], tuple[Any, Any]] = {}  # oldest first

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        compiled, request = self._for_shape(tuple(batch.shape))
        request.infer([batch])
        scores: np.ndarray = request.get_output_tensor().data.copy()
        if large_blocks_given_back():
            compiled.release_memory()
        return scores

    def _for_shape(self, shape: tuple[int, ...]) -> tuple[Any, Any]:
        """The model compiled for inputs of `shape` and its request, made now if not kept."""
        kept = self._compiled.pop(shape, None)
        if kept is None:
            while len(self._compiled) >= self.SHAPES_KEPT:  # gone before the new one is made
                del self._compiled[next(iter(self._compiled))]
            model = self._model.clone()
            model.reshape(list(shape))
            compiled = self._core.compile_model(model, "CPU", self._config)
            kept = compiled, compiled.create_infer_request()
        self._compiled[shape] = kept  # now the latest
        return kept


def _boxes(result: Any) -> list[Box]:
    """Each detected line's corner points as a (left, top, right, bottom) box."""
    if result.boxes is None:
        return []
    return [
        (
            int(np.min(corners[:, 0])),
            int(np.min(corners[:, 1])),
            int(np.max(corners[:, 0])),
            int(np.max(corners[:, 1])),
        )
        for corners in np.asarray(result.boxes)
    ]
