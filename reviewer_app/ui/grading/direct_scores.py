"""Direct scores: a score typed in the score sheet is a mark of its own in the student's
layer (``customData.grading.score``), replacing the sum of the question's points marks."""

from __future__ import annotations

from reviewer_app.engine import EngineError
from reviewer_app.engine.grades import mark_content, mark_of
from reviewer_app.engine.grading_scheme import Scheme
from reviewer_app.ui.grading.points_tool import read_points
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.session.editor import LayerEditor


def type_score(
    context: DocumentContext,
    editor: LayerEditor,
    scheme: Scheme,
    layer: str,
    question: str,
    text: str,
) -> None:
    """A score typed in the sheet: a direct-score mark in the student's layer (its
    earlier one replaced); empty text removes it (the marks count again)."""
    doc, q = context.document_id, scheme.question(question)
    if doc is None or q is None:
        return
    old = [
        m
        for r in context.engine.annotations(doc, layer)
        if (m := mark_of(r)) is not None and m.question == question and m.direct
    ]
    points, score = read_points(text)
    value = score if score is not None else points
    try:
        if not text.strip():
            change = context.engine.delete_records(
                doc, layer, [("annotation", m.record_id) for m in old]
            )
        elif value is None:
            context.notify(f"“{text}” is not a score (nothing changed)", 8000)
            return
        else:
            page = q.page if q.page is not None else 0
            x, y = (q.region[0], q.region[1]) if q.region else (8.0, 8.0)
            content = mark_content(q.id, page, x, y, score=value, maximum=q.max_points)
            user = editor.user()
            if old:
                content = {**content, "id": old[0].record_id}
                change = context.engine.update_records(
                    doc, layer, "annotation", [content], user=user
                )
            else:
                change = context.engine.create_records(
                    doc, layer, "annotation", [content], user=user
                )
    except EngineError as exc:
        context.notify(f"Score not changed: {exc}", 8000)
        return
    context.changes.record_change(change)
