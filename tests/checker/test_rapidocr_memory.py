"""RapidOCR run in less memory with the same results: its card detector compiled for each input
shape, its recogniser shared by the readers of a process and run one line of a batch at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime
import openvino
import pytest
import rapidocr
from PIL import Image

from checker.ocr.rapidocr import RapidOcrReader, _LineByLine, _OpenVinoDetection

MODELS = Path(rapidocr.__file__).parent / "models"  # the models the wheel ships
DETECTOR = next(MODELS.glob("*_det_*.onnx"))
RECOGNISER = next(MODELS.glob("*_rec_*.onnx"))
ID_BACK = (
    Path(__file__).parents[2] / "fixtures" / "applications" / "clean_photos_only" / "id_back.jpg"
)


def _inputs(*shapes: tuple[int, ...]) -> list[np.ndarray]:
    generator = np.random.default_rng(7)
    return [generator.uniform(-1, 1, shape).astype(np.float32) for shape in shapes]


def test_the_detector_compiled_for_a_shape_scores_as_compiled_for_any() -> None:
    core = openvino.Core()
    model = core.read_model(DETECTOR)
    any_shape = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    detection = _OpenVinoDetection(model)
    for batch in _inputs((1, 3, 608, 960), (1, 3, 736, 960), (1, 3, 608, 960)):
        expected = any_shape.create_infer_request().infer([batch])[0]
        scores = detection(batch)
        assert scores.shape == expected.shape
        assert np.abs(scores - expected).max() < 1e-5
    assert len(detection._compiled) == _OpenVinoDetection.SHAPES_KEPT  # the latest only


def test_the_kept_shape_is_let_go_before_a_new_one_is_compiled() -> None:
    """Two compiled models are never held at once (33 MB each in a worker)."""
    detection = _OpenVinoDetection(openvino.Core().read_model(DETECTOR))
    compile_model, held_while_compiling = detection._core.compile_model, []

    def compile_counting(*args: object, **kwargs: object) -> object:
        held_while_compiling.append(len(detection._compiled))
        return compile_model(*args, **kwargs)

    detection._core = type("Core", (), {"compile_model": staticmethod(compile_counting)})()
    for batch in _inputs((1, 3, 64, 96), (1, 3, 96, 64), (1, 3, 64, 96)):
        detection(batch)
    assert held_while_compiling == [0, 0, 0]


class _CountingSession:
    """Stands in for the model: each line's output is a slice of its pixels as (steps,
    classes) scores, and the batches it got."""

    def __init__(self) -> None:
        self.batches: list[tuple[int, ...]] = []

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        self.batches.append(batch.shape)
        return _scores(batch)

    def get_character_list(self) -> list[str]:
        return ["a"]


def _scores(batch: np.ndarray) -> np.ndarray:
    return batch[:, 0, :4, :6]  # 4 steps, 6 classes a line


def test_a_batch_is_run_one_line_at_a_time_in_its_width() -> None:
    session = _CountingSession()
    [batch] = _inputs((3, 3, 48, 320))
    output = _LineByLine(session)(batch)
    assert session.batches == [(1, 3, 48, 320)] * 3
    assert np.array_equal(output.argmax(axis=2), _scores(batch).argmax(axis=2))
    assert np.array_equal(output.max(axis=-1), _scores(batch).max(axis=-1))
    assert _LineByLine(session).get_character_list() == ["a"]  # the rest is the session's


def _recogniser_run() -> Callable[[np.ndarray], np.ndarray]:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(RECOGNISER), options)
    name = session.get_inputs()[0].name
    return lambda batch: session.run(None, {name: batch})[0]


def test_one_line_at_a_time_reads_as_the_batch() -> None:
    run = _recogniser_run()
    [batch] = _inputs((3, 3, 48, 480))
    together, apart = run(batch), _LineByLine(run)(batch)
    assert np.array_equal(together.argmax(axis=-1), apart.argmax(axis=-1))
    assert np.abs(together.max(axis=-1) - apart.max(axis=-1)).max() < 1e-4


def test_a_card_read_from_the_best_classes_reads_as_from_every_score(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """rapidocr's CTC decoding finds the same texts and confidences in the best classes kept
    as in the model's full output."""
    image = Image.open(ID_BACK)
    reader = RapidOcrReader(card=True)
    kept = reader.read(image, dpi=300, page=1).words
    recogniser = reader._engine.text_rec
    monkeypatch.setattr(recogniser, "session", recogniser.session._session)  # every score
    full = reader.read(image, dpi=300, page=1).words
    assert len(kept) >= 5
    assert [word.text for word in kept] == [word.text for word in full]
    confidences = zip([w.confidence for w in kept], [w.confidence for w in full], strict=True)
    assert all(abs(a - b) < 1e-4 for a, b in confidences)


def test_a_wide_lines_output_is_kept_in_under_a_500th_of_its_scores() -> None:
    """A 1789 px line's scores of every class at every step are 15 MB; what is kept of them is
    its best class and score a step."""
    run = _recogniser_run()
    [batch] = _inputs((1, 3, 48, 1789))
    scores, kept = run(batch), _LineByLine(run)(batch)
    assert kept.classes.nbytes + kept.scores.nbytes < scores.nbytes / 500


def test_the_card_and_page_readers_share_one_recogniser() -> None:
    image = Image.open(ID_BACK)
    card, page = RapidOcrReader(card=True), RapidOcrReader()
    box = (0, 0, image.width // 2, image.height // 8)
    for reader in (card, page):
        reader.read_regions(image, [box], dpi=300, page=1, options=None)  # type: ignore[arg-type]
    assert card._engine.text_rec is not None
    assert card._engine.text_rec is page._engine.text_rec


def test_a_colour_image_goes_to_the_engine_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """No copy of a colour photo while it is read (4.6 MB for a passport photo); another mode
    is converted."""
    reader = RapidOcrReader(card=True)
    given: list[Image.Image] = []
    monkeypatch.setattr(reader, "_engine", _Recording(given))
    monkeypatch.setattr(reader, "_detector_ready", True)
    colour, grey = Image.open(ID_BACK).convert("RGB"), Image.new("L", (64, 32), 255)
    reader.read(colour, dpi=300, page=1)
    reader.read(grey, dpi=300, page=1)
    assert given[0] is colour
    assert given[1].mode == "RGB" and given[1].size == grey.size


class _Recording:
    """Stands in for rapidocr's engine: keeps each image it is given, reads nothing."""

    text_rec = object()

    def __init__(self, given: list[Image.Image]) -> None:
        self.given = given

    def __call__(self, image: Image.Image, **_: object) -> object:
        self.given.append(image)
        return type("Nothing", (), {"txts": (), "scores": (), "boxes": None})()
