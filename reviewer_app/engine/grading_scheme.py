"""A document's grading scheme: its questions (name, maximum, optional page and region) and
its scale (points, or thresholds such as letter grades), read from and written to JSON.

The JSON file (what Export Scheme writes and Import Scheme reads)::

    {"format": "reviewer-grading-scheme", "version": 1,
     "questions": [{"id": "q1", "name": "Question 1", "max": 5,
                    "page": 0, "region": [x, y, width, height]}],
     "scale": {"kind": "points"}
           or {"kind": "thresholds", "basis": "percent" | "points",
               "grades": [{"label": "A", "min": 90}, {"label": "B", "min": 80}, ...]}}

``id`` ties a question to its marks (renaming keeps them); it is made from the name when a
file leaves it out. ``page`` counts from 0; ``region`` is in PDF points, as Instant JSON's
``bbox``. A grade applies from its ``min`` up to the next grade's."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from reviewer_app.engine.errors import BadRequest

FORMAT = "reviewer-grading-scheme"
VERSION = 1
MAX_QUESTIONS = 500
MAX_NAME = 200


@dataclass(frozen=True)
class Question:
    """One question: its stable ``id``, the ``name`` shown, its maximum points, and where it
    is on the paper (``page`` from 0 and ``region`` [x, y, w, h] in points), when known."""

    id: str
    name: str
    max_points: float
    page: int | None = None
    region: tuple[float, float, float, float] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "max": self.max_points}
        if self.page is not None:
            out["page"] = self.page
        if self.region is not None:
            out["region"] = list(self.region)
        return out


@dataclass(frozen=True)
class Grade:
    """A step of a scale: ``label`` from ``minimum`` up (percent or points, see the scale)."""

    label: str
    minimum: float


@dataclass(frozen=True)
class Scale:
    """How a total becomes a grade: ``kind`` "points" (the total is the grade) or
    "thresholds" (the highest grade whose minimum the total reaches; ``basis`` says whether
    minimums are percents of the maximum or points)."""

    kind: str = "points"
    basis: str = "percent"
    grades: tuple[Grade, ...] = ()

    def grade(self, total: float, maximum: float) -> str:
        """The grade of ``total`` out of ``maximum`` ("12.5" on a points scale)."""
        if self.kind == "points":
            return format_points(total)
        value = total if self.basis == "points" else (100 * total / maximum if maximum else 0)
        for step in sorted(self.grades, key=lambda g: g.minimum, reverse=True):
            if value >= step.minimum - 1e-9:
                return step.label
        return ""

    def to_json(self) -> dict[str, Any]:
        if self.kind == "points":
            return {"kind": "points"}
        return {
            "kind": "thresholds",
            "basis": self.basis,
            "grades": [{"label": g.label, "min": g.minimum} for g in self.grades],
        }


@dataclass(frozen=True)
class Scheme:
    """A document's grading scheme: its questions in order and its scale."""

    questions: tuple[Question, ...] = ()
    scale: Scale = field(default_factory=Scale)

    @property
    def max_total(self) -> float:
        return sum(q.max_points for q in self.questions)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "questions": [q.to_json() for q in self.questions],
            "scale": self.scale.to_json(),
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1)


def format_points(value: float) -> str:
    """Points as a person writes them: "2", "2.5", "-1"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def question_id_from(name: str, taken: set[str]) -> str:
    """A readable id made from a question's name ("Question 2" → "question-2"), unique."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "q"
    candidate, number = stem, 2
    while candidate in taken:
        candidate, number = f"{stem}-{number}", number + 1
    return candidate


def read_scheme(data: bytes | str | Mapping[str, Any], page_count: int | None = None) -> Scheme:
    """The scheme a JSON file (or its parsed object) describes; BadRequest listing every
    problem in sentences when it is not one (nothing is half-read)."""
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(f"the grading scheme is not JSON: {exc}") from exc
    if not isinstance(data, Mapping):
        raise BadRequest("the grading scheme must be a JSON object with 'questions' and 'scale'")
    problems: list[str] = []
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f"'format' must be {FORMAT!r}, not {data.get('format')!r}")
    if data.get("version", VERSION) != VERSION:
        problems.append(f"version {data.get('version')!r} is not one this program reads (1)")
    questions = _questions(data.get("questions", []), page_count, problems)
    scale = _scale(data.get("scale", {"kind": "points"}), problems)
    if problems:
        raise BadRequest("the grading scheme cannot be used: " + "; ".join(problems))
    return Scheme(tuple(questions), scale)


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _questions(raw: Any, page_count: int | None, problems: list[str]) -> list[Question]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        problems.append("'questions' must be a list")
        return []
    if len(raw) > MAX_QUESTIONS:
        problems.append(f"{len(raw)} questions is more than {MAX_QUESTIONS}")
        return []
    out: list[Question] = []
    taken: set[str] = set()
    for n, item in enumerate(raw, start=1):
        where = f"question {n}"
        if not isinstance(item, Mapping):
            problems.append(f"{where} must be an object with 'name' and 'max'")
            continue
        name = item.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            problems.append(f"{where} needs a 'name' of 1 to {MAX_NAME} characters")
            continue
        qid = item.get("id")
        if qid is None:
            qid = question_id_from(name, taken)
        if not isinstance(qid, str) or not qid or len(qid) > MAX_NAME:
            problems.append(f"{where} ({name}) has an invalid 'id'")
            continue
        if qid in taken:
            problems.append(f"{where} ({name}) repeats the id {qid!r}")
            continue
        maximum = item.get("max")
        if not _number(maximum) or maximum < 0 or maximum > 1e6:
            problems.append(f"{where} ({name}) needs a 'max' of 0 points or more, not {maximum!r}")
            continue
        page = item.get("page")
        if page is not None and (
            not isinstance(page, int)
            or isinstance(page, bool)
            or page < 0
            or (page_count is not None and page >= page_count)
        ):
            pages = f" (the document has {page_count})" if page_count is not None else ""
            problems.append(f"{where} ({name}) names page {page!r}, which is not a page{pages}")
            continue
        region = item.get("region")
        if region is not None and not (
            isinstance(region, Sequence)
            and len(region) == 4
            and all(_number(v) for v in region)
            and region[2] >= 0
            and region[3] >= 0
        ):
            problems.append(f"{where} ({name}) has a 'region' that is not [x, y, width, height]")
            continue
        taken.add(qid)
        box = None if region is None else (float(region[0]), float(region[1]), *region[2:4])
        out.append(Question(qid, name.strip(), float(maximum), page, box))
    return out


def _scale(raw: Any, problems: list[str]) -> Scale:
    if not isinstance(raw, Mapping):
        problems.append("'scale' must be an object")
        return Scale()
    kind = raw.get("kind", "points")
    if kind == "points":
        return Scale()
    if kind != "thresholds":
        problems.append(f"the scale's 'kind' must be 'points' or 'thresholds', not {kind!r}")
        return Scale()
    basis = raw.get("basis", "percent")
    if basis not in ("percent", "points"):
        problems.append(f"the scale's 'basis' must be 'percent' or 'points', not {basis!r}")
    grades_raw = raw.get("grades")
    if not isinstance(grades_raw, Sequence) or isinstance(grades_raw, str) or not grades_raw:
        problems.append("a thresholds scale needs a list of 'grades' ({'label', 'min'} each)")
        return Scale()
    grades: list[Grade] = []
    for n, step in enumerate(grades_raw, start=1):
        ok = (
            isinstance(step, Mapping)
            and isinstance(step.get("label"), str)
            and 0 < len(step["label"]) <= MAX_NAME
            and _number(step.get("min"))
        )
        if not ok:
            problems.append(f"grade {n} of the scale needs a 'label' and a number 'min'")
            continue
        grades.append(Grade(step["label"], float(step["min"])))
    labels = [g.label for g in grades]
    if len(set(labels)) != len(labels):
        problems.append("the scale names a grade twice")
    return Scale("thresholds", basis, tuple(grades))
