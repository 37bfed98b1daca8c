"""Scores derived from the marks in a student's layer.

A **grading mark** is a normal annotation of the student's layer (a ``pspdfkit/text`` free
text, so every PDF reader shows it) whose ``customData.grading`` says what it counts for:

``{"question": "<question id>", "points": 2}``
    a points mark ("+2", "−1"): the question's score is the sum of its points marks;
``{"question": "<question id>", "score": 4}``
    a direct score ("4/5", typed in the score sheet): it replaces the sum of the marks (the
    newest one, by ``updatedAt``, when there are several);
``"comment": "<bank comment id>"`` (optional, either form)
    the mark came from the comment bank; changing that comment's points can be applied to it.

A bank comment with a stamp look is a ``pspdfkit/stamp`` instead, its text in ``note`` (and
in ``title``, the words a framed stamp shows; a check mark or a cross has none).

A question's score is capped at its maximum (and at 0 from below); a score that went past
the maximum is flagged. A mark for a question the scheme no longer has stays in the layer
and is listed as *unassigned*, never counted nor dropped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeGuard

from reviewer_app.engine.grading_scheme import Scheme, format_points
from reviewer_app.instant.records import Record

GRADED, PARTLY, UNGRADED = "graded", "partly graded", "ungraded"
FEEDBACK_TYPES = ("pspdfkit/note", "pspdfkit/text")


class Mark(NamedTuple):
    """A grading mark read from an annotation: its record, question, points or direct
    score, page, text and the bank comment it came from (if any). A named tuple: a class of
    thousands is made in a blink (the score sheet reads them all)."""

    record_id: str
    question: str
    points: float | None
    score: float | None
    page: int
    updated_at: str
    text: str
    comment: str | None = None

    @property
    def direct(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class QuestionScore:
    """A question's score for one student: None when ungraded; ``raw`` before the cap;
    ``direct`` when typed as a score; ``over_max`` when the marks went past the maximum."""

    question: str
    score: float | None
    raw: float | None
    direct: bool
    over_max: bool
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class StudentGrades:
    """One student's (one layer's) scores, in the scheme's order, and what follows."""

    layer: str
    scores: tuple[QuestionScore, ...]
    total: float
    max_total: float
    grade: str
    status: str
    unassigned: tuple[Mark, ...]
    feedback: tuple[str, ...]

    def score(self, question_id: str) -> QuestionScore | None:
        return next((s for s in self.scores if s.question == question_id), None)

    @property
    def over_max(self) -> tuple[str, ...]:
        return tuple(s.question for s in self.scores if s.over_max)

    def first_ungraded(self) -> str | None:
        return next((s.question for s in self.scores if s.score is None), None)


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def record_text(content: Mapping[str, Any]) -> str:
    """The words of a note or free text (a stamp mark's: its ``note``)."""
    if content.get("type") == "pspdfkit/stamp":
        note = content.get("note")
        return note if isinstance(note, str) else ""
    text = content.get("text")
    if isinstance(text, Mapping):
        text = text.get("value")
    return text if isinstance(text, str) else ""


def mark_of(record: Record) -> Mark | None:
    """The grading mark ``record`` is, or None (not an annotation with a valid
    ``customData.grading``)."""
    if record.kind != "annotation":
        return None
    custom = record.content.get("customData")
    grading = custom.get("grading") if isinstance(custom, Mapping) else None
    return make_mark(
        record.id,
        grading,
        record.content.get("pageIndex"),
        record.content.get("updatedAt"),
        record_text(record.content),
    )


def make_mark(record_id: str, grading: Any, page: Any, updated_at: Any, text: str) -> Mark | None:
    """A :class:`Mark` from the parts of an annotation; None unless ``grading`` names a
    question and carries points or a score."""
    if not isinstance(grading, Mapping):
        return None
    question = grading.get("question")
    points, score = grading.get("points"), grading.get("score")
    if not isinstance(question, str) or not (_number(points) or _number(score)):
        return None
    comment = grading.get("comment")
    return Mark(
        record_id,
        question,
        float(points) if _number(points) and not _number(score) else None,
        float(score) if _number(score) else None,
        page if isinstance(page, int) and not isinstance(page, bool) else 0,
        str(updated_at or ""),
        text,
        comment if isinstance(comment, str) else None,
    )


def grading_data(question: str, *, points: float | None = None, score: float | None = None,
                 comment: str | None = None) -> dict[str, Any]:  # fmt: skip
    """The ``customData.grading`` object of a new mark."""
    data: dict[str, Any] = {"question": question}
    if score is not None:
        data["score"] = score
    elif points is not None:
        data["points"] = points
    if comment is not None:
        data["comment"] = comment
    return data


MARK_COLOR = "#c8102e"
MARK_FONT_SIZE = 14


def mark_text(points: float | None = None, score: float | None = None,
              maximum: float | None = None) -> str:  # fmt: skip
    """What a mark shows: "+2" and "−1" for points, "4/5" for a direct score."""
    if score is not None:
        return (
            f"{format_points(score)}/{format_points(maximum)}" if maximum else format_points(score)
        )
    value = points or 0.0
    return ("−" if value < 0 else "+") + format_points(abs(value))


def mark_content(
    question: str,
    page: int,
    x: float,
    y: float,
    *,
    points: float | None = None,
    score: float | None = None,
    maximum: float | None = None,
    text: str | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """A new grading mark: a red free text at (x, y) on ``page`` showing its points (or
    ``text``, a bank comment's), carrying ``customData.grading``."""
    shown = text if text is not None else mark_text(points, score, maximum)
    lines = shown.splitlines() or [""]
    width = max(len(line) for line in lines) * MARK_FONT_SIZE * 0.55 + 6
    height = len(lines) * MARK_FONT_SIZE * 1.25 + 4
    return {
        "v": 2,
        "type": "pspdfkit/text",
        "pageIndex": page,
        "bbox": [round(x, 2), round(y, 2), round(width, 2), round(height, 2)],
        "text": {"format": "plain", "value": shown},
        "fontSize": MARK_FONT_SIZE,
        "fontColor": MARK_COLOR,
        "font": "Helvetica",
        "opacity": 1.0,
        "horizontalAlign": "left",
        "verticalAlign": "top",
        "customData": {
            "grading": grading_data(question, points=points, score=score, comment=comment)
        },
    }


GLYPH_STAMPS = ("Accepted", "Rejected")  # drawn as a check mark and a cross when untitled


def stamp_mark_content(
    grading: Mapping[str, Any],
    page: int,
    x: float,
    y: float,
    *,
    stamp_type: str,
    text: str,
    color: str | None = None,
) -> dict[str, Any]:
    """A bank comment placed with a stamp look: a stamp of ``stamp_type`` at (x, y) saying
    ``text`` (framed words; a check mark or a cross keeps its glyph, the text in its note)."""
    glyph = stamp_type in GLYPH_STAMPS
    width = 32.0 if glyph else max(80.0, min(len(text), 60) * 7.0 + 24.0)
    content: dict[str, Any] = {
        "v": 2,
        "type": "pspdfkit/stamp",
        "pageIndex": page,
        "bbox": [round(x, 2), round(y, 2), width, 32.0 if glyph else 30.0],
        "stampType": stamp_type,
        "note": text,
        "opacity": 1.0,
        "customData": {"grading": dict(grading)},
    }
    if not glyph:
        content["title"] = text
    if color is not None:
        content["color"] = color
    return content


def question_score(question: str, maximum: float, marks: Sequence[Mark]) -> QuestionScore:
    """A question's score from its marks: the newest direct score, else the sum of points."""
    if not marks:
        return QuestionScore(question, None, None, False, False, ())
    direct = [m for m in marks if m.score is not None]
    if direct:
        raw = max(direct, key=lambda m: m.updated_at).score or 0.0
    else:
        raw = sum(m.points or 0.0 for m in marks)
    capped = min(max(raw, 0.0), maximum)
    return QuestionScore(question, capped, raw, bool(direct), raw > maximum + 1e-9, tuple(marks))


def by_someone_else(record: Record, layer: str) -> bool:
    """Whether a note or free text of the student's layer was written by someone other than
    the student (a teacher's feedback): its author is known and is not the layer's name."""
    return someone_else(layer, record.content.get("creatorName"), record.created_by)


def someone_else(layer: str, *authors: Any) -> bool:
    """Whether the known ``authors`` (None: unknown) are someone other than the student."""
    known = {str(a).casefold() for a in authors if a}
    return bool(known) and layer.casefold() not in known


def student_grades(
    scheme: Scheme, layer: str, records: Iterable[Record], base_ids: frozenset[str] = frozenset()
) -> StudentGrades:
    """Everything the score sheet shows for one student, from the records of the layer
    (``base_ids``: the PDF's own annotations, never feedback). Feedback: the bank comments,
    and the notes and free texts someone other than the student wrote in the layer."""
    marks: list[Mark] = []
    feedback: list[str] = []
    for record in records:
        mark = mark_of(record)
        if mark is not None:
            marks.append(mark)
            if mark.comment is not None and mark.text.strip():
                feedback.append(mark.text.strip())
            continue
        if (
            record.kind == "annotation"
            and record.id not in base_ids
            and (text := record_text(record.content).strip())
            and (
                _bank_comment(record)
                or (record.content.get("type") in FEEDBACK_TYPES and by_someone_else(record, layer))
            )
        ):
            feedback.append(text)
    return grades_from(scheme, layer, marks, feedback)


def _bank_comment(record: Record) -> bool:
    custom = record.content.get("customData")
    grading = custom.get("grading") if isinstance(custom, Mapping) else None
    return isinstance(grading, Mapping) and isinstance(grading.get("comment"), str)


def grades_from(
    scheme: Scheme, layer: str, marks: Iterable[Mark], feedback: Sequence[str]
) -> StudentGrades:
    """A student's grades from their marks (any order) and feedback texts."""
    by_question: dict[str, list[Mark]] = {q.id: [] for q in scheme.questions}
    unassigned: list[Mark] = []
    for mark in marks:
        by_question.get(mark.question, unassigned).append(mark)
    scores = tuple(question_score(q.id, q.max_points, by_question[q.id]) for q in scheme.questions)
    graded = sum(s.score is not None for s in scores)
    status = GRADED if graded == len(scores) and scores else PARTLY if graded else UNGRADED
    total = sum(s.score or 0.0 for s in scores)
    maximum = scheme.max_total
    return StudentGrades(
        layer,
        scores,
        total,
        maximum,
        scheme.scale.grade(total, maximum) if graded else "",
        status,
        tuple(unassigned),
        tuple(feedback),
    )


def bank_mark_text(text: str, points: float | None) -> str:
    """What a bank comment's mark shows: "−1 Check the units", or the text alone."""
    return text if points is None else f"{mark_text(points)} {text}"


def rebanked(
    records: Iterable[Record], comment: str, text: str, points: float | None
) -> list[dict[str, Any]]:
    """New contents for the annotations placed from bank comment ``comment``: its points
    (none: feedback only) and text as they are now. Annotations already so are left out."""
    out: list[dict[str, Any]] = []
    for record in records:
        custom = record.content.get("customData")
        grading = custom.get("grading") if isinstance(custom, Mapping) else None
        if not isinstance(grading, Mapping) or grading.get("comment") != comment:
            continue
        new = {k: v for k, v in grading.items() if k not in ("points", "score")}
        if points is not None:
            new["points"] = points
        shown = bank_mark_text(text, points)
        if new == dict(grading) and record_text(record.content) == shown:
            continue
        content = dict(record.content)
        content["customData"] = {**dict(custom or {}), "grading": new}
        if content.get("type") == "pspdfkit/stamp":
            content["note"] = shown
            if content.get("title"):
                content["title"] = shown
        else:
            content["text"] = {"format": "plain", "value": shown}
        content["id"] = record.id
        out.append(content)
    return out
