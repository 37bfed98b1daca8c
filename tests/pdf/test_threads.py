"""Comment threads in layer PDFs: replies (/IRT, /RT /R) and state annotations (/State)
written so that other readers (pypdf here, poppler's pdftotext) see them, and read back from
a PDF as the same threads."""

from __future__ import annotations

import io
import subprocess
from typing import Any

import pymupdf
import pypdf

from reviewer_app.instant.comments import ThreadState, with_state
from reviewer_app.instant.records import LayerExport, Record
from reviewer_app.instant.threads import threads_of
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import Skipped, export_layer_pdf
from tests.pdf.layer_records import blank_pdf, own_layer

HIGHLIGHT: dict[str, Any] = {
    "v": 2,
    "type": "pspdfkit/markup/highlight",
    "pageIndex": 0,
    "bbox": [72, 80, 130, 16],
    "rects": [[72, 80, 130, 16]],
    "color": "#fcee7c",
    "opacity": 1,
    "isCommentThreadRoot": True,
    "creatorName": "Teacher",
    "createdAt": "2024-03-01T10:00:00Z",
}


def comment(root: str, text: str, author: str, minute: int) -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/comment",
        "rootId": root,
        "pageIndex": 0,
        "text": {"format": "plain", "value": text},
        "creatorName": author,
        "createdAt": f"2024-03-01T10:{minute:02d}:00Z",
        "updatedAt": f"2024-03-01T10:{minute:02d}:00Z",
    }


def thread_layer() -> list[Record]:
    root = with_state(HIGHLIGHT, ThreadState("resolved", "Teacher", "2024-03-01T11:00:00Z"))
    marker = {
        "v": 2,
        "type": "pspdfkit/comment-marker",
        "pageIndex": 0,
        "bbox": [300, 300, 24, 24],
        "icon": "comment",
        "isCommentThreadRoot": True,
    }
    return [
        Record("annotation", "ROOT", root),
        Record("comment", "C1", comment("ROOT", "Why this word?", "Student", 1)),
        Record("comment", "C2", comment("ROOT", "It is the subject.", "Teacher", 2)),
        Record("annotation", "MARK", marker),
        Record("comment", "M1", comment("MARK", "A general remark", "Teacher", 3)),
        Record("comment", "M2", comment("MARK", "Thanks!", "Student", 4)),
    ]


def pypdf_annots(data: bytes) -> list[dict[str, Any]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            found.append({"ref": ref.idnum, **ref.get_object()})
    return found


def test_replies_and_states_are_pdf_annotations_that_answer_their_root() -> None:
    skipped: list[Skipped] = []
    data = export_layer_pdf(blank_pdf(), own_layer(thread_layer()), skipped=skipped)
    assert skipped == []
    annots = pypdf_annots(data)
    by_nm = {str(a.get("/NM")): a for a in annots}
    root, marker = by_nm["ROOT"], by_nm["MARK"]
    for nm, parent, words, author in (
        ("C1", root, "Why this word?", "Student"),
        ("C2", root, "It is the subject.", "Teacher"),
        ("M2", marker, "Thanks!", "Student"),
    ):
        reply = by_nm[nm]
        assert reply["/Subtype"] == "/Text" and reply["/RT"] == "/R"
        assert reply["/IRT"].idnum == parent["ref"]
        assert (reply["/Contents"], reply["/T"]) == (words, author)
        assert reply["/CreationDate"].startswith("D:20240301")
    assert "M1" not in by_nm  # a marker's first comment is its own text
    assert marker["/Contents"] == "A general remark"
    state = by_nm["ROOT-state"]
    assert (state["/State"], state["/StateModel"]) == ("Marked", "Marked")
    assert state["/IRT"].idnum == root["ref"] and state["/F"] & 2  # hidden, as Acrobat's


def test_a_pdfs_threads_come_back_as_the_same_threads() -> None:
    records = thread_layer()
    data = export_layer_pdf(blank_pdf(), own_layer(records))
    extracted = extract_base_layer(data).records
    threads = {str(t.root.content.get("name")): t for t in threads_of(extracted)}
    assert set(threads) == {"ROOT", "MARK"}
    words = {k: [c.content["text"]["value"] for c in t.comments] for k, t in threads.items()}
    assert words == {
        "ROOT": ["Why this word?", "It is the subject."],
        "MARK": ["A general remark", "Thanks!"],
    }
    root = threads["ROOT"]
    assert root.root.content["type"] == "pspdfkit/markup/highlight"
    assert root.state.state == "resolved" and root.state.by == "Teacher"
    assert [c.content["creatorName"] for c in root.comments] == ["Student", "Teacher"]
    assert threads["MARK"].root.content["type"] == "pspdfkit/comment-marker"
    assert not any(r.content.get("type") == "pspdfkit/note" for r in extracted)


def test_untouched_base_threads_stay_and_follow_a_rewritten_root() -> None:
    """Exported once (the PDF's own thread), then a layer changes only the root's state:
    the old state annotation goes, the old replies answer the new root."""
    source = export_layer_pdf(blank_pdf(), own_layer(thread_layer()[:3]))
    base = extract_base_layer(source).records
    root = next(r for r in base if r.kind == "annotation")
    changed = Record(
        "annotation",
        root.id,
        with_state(root.content, ThreadState("accepted", "Boss", "2024-04-01T09:00:00Z")),
    )
    shown = tuple(changed if r.id == root.id else r for r in base)
    layer = LayerExport(
        write=(changed,),
        remove_object_ids=frozenset({root.content["pdfObjectId"]}),
        shown=shown,
    )
    data = export_layer_pdf(source, layer)
    again = threads_of(extract_base_layer(data).records)
    (thread,) = again
    assert thread.state.state == "accepted" and thread.state.by == "Boss"
    assert len(thread.comments) == 2
    states = [a for a in pypdf_annots(data) if "/State" in a]
    assert [s["/State"] for s in states] == ["Accepted"]


def test_nothing_of_a_reply_is_drawn_on_the_page() -> None:
    plain = export_layer_pdf(blank_pdf(), own_layer(thread_layer()[:1]), flatten=True)
    threaded = export_layer_pdf(blank_pdf(), own_layer(thread_layer()[:3]), flatten=True)
    pictures = []
    for data in (plain, threaded):
        with pymupdf.open("pdf", data) as doc:
            pictures.append(doc[0].get_pixmap(dpi=50).samples)
    assert pictures[0] == pictures[1]


def test_a_comment_without_its_root_is_said_skipped() -> None:
    skipped: list[Skipped] = []
    lost = Record("comment", "C9", comment("GONE", "orphan", "x", 1))
    export_layer_pdf(blank_pdf(), own_layer([lost]), skipped=skipped)
    assert skipped == [Skipped("C9", "comment", "its root annotation is not in the layer")]


def test_the_comments_summary_lists_each_thread_with_its_replies(tmp_path: Any) -> None:
    """Flattened, the replies leave no mark on the page: the summary is where they are
    read, in order, under the text the highlight marks, with the thread's state."""
    data = export_layer_pdf(
        blank_pdf(), own_layer(thread_layer()), flatten=True, summary=True, title="Essay"
    )
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    summary = text[text.index("Comments summary") :]
    assert "2 comments, 3 replies" in summary
    order = [
        "“Hello layer world”",
        "Student",
        "Why this word?",
        "It is the subject.",
        "Resolved by Teacher",
        "A general remark",
        "Thanks!",
    ]
    places = [summary.index(words) for words in order]
    assert places == sorted(places), summary
