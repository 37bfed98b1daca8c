"""A change of a few records redraws only them: the overlay, the Annotations list and the
layer summary follow the Change (no re-read of the layer) and end as a full read shows them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BASE, Change
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations import overlay as overlay_module
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import layer_read, open_and_wait

USER = "Tester"
MANY = 300  # records in the user's layer, on the first two pages
HIGHLIGHT_PAGE = 1  # the sample PDF's own highlight (a base record) is there


def shape(index: int, page: int = 0, colour: str = "#2060d0") -> dict[str, Any]:
    kind = ("rectangle", "ellipse")[index % 2]
    return {
        "v": 2,
        "type": f"pspdfkit/shape/{kind}",
        "pageIndex": page,
        "bbox": [20 + (index * 37) % 330, 30 + (index * 53) % 500, 30, 20],
        "strokeColor": colour,
        "strokeWidth": 1.5,
        "creatorName": ("Ann", "Bob")[index % 2],
    }


@pytest.fixture
def busy(qtbot: QtBot, window: MainWindow, sample_pdf: Path) -> MainWindow:
    """The window showing the user's layer of MANY records, its Annotations list on screen."""
    ViewerSettings().set_user_name(USER)
    open_and_wait(qtbot, window, sample_pdf)
    doc = window.document
    assert doc is not None
    contents = [shape(i, page=i % 2) for i in range(MANY)]
    window.engine.create_records(doc.id, USER, "annotation", contents, user=USER)
    window.review.refresh_layers()
    window.set_layer(USER)
    window.view.go_to_page(0)
    window.review.annotations.raise_()
    qtbot.waitUntil(lambda: window.review.annotations.on_screen())
    qtbot.waitUntil(lambda: len(window.review.annotations.keys_listed()) == MANY + 1)  # + PDF's
    listed = window.review.annotations  # and settled: the words its highlight quotes came
    quotes = listed.quotes
    listed.entries()  # (an entry asks for its quote when it is shown, or asked for)
    qtbot.waitUntil(lambda: quotes is None or not quotes._waiting)
    qtbot.waitUntil(lambda: not listed._refresh.isActive() and not listed._stale)
    qtbot.waitUntil(lambda: not listed.filling())  # (a list still filling follows by a rebuild)
    return window


class FullReads:
    """Counts the window's reads of a whole layer (``engine.records`` of every kind)."""

    def __init__(self, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = window.engine.records

        def counted(doc: str, layer: str, kind: Any = None, page: Any = None) -> list[Record]:
            self.count += kind is None
            return real(doc, layer, kind, page)

        monkeypatch.setattr(window.engine, "records", counted)


def fresh(window: MainWindow) -> dict[int, list[Record]]:
    """What a full read of the shown layer draws on each page."""
    return {page: list(records) for page, records in window.overlay.by_page.items()}


def assert_as_a_full_read_shows(qtbot: QtBot, window: MainWindow) -> None:
    """The overlay, its page items, their marks, the list and the layer summary are what
    reading the whole layer again gives."""
    overlay, listed = window.overlay, window.review.annotations
    settled(qtbot, window)
    followed = fresh(window)
    items = {page: list(item.records) for page, item in overlay.items.items()}
    marks = {page: [m.record.id for m in item.marks()] for page, item in overlay.items.items()}
    picture = window.view.grab().toImage()
    entries = listed.entries()
    window.set_layer(window.layer)  # the full read
    settled(qtbot, window)
    assert followed == fresh(window)
    assert items == {page: list(item.records) for page, item in overlay.items.items()}
    assert items == {page: overlay.on_page(page) for page in items}
    assert marks == {page: [m.record.id for m in i.marks()] for page, i in overlay.items.items()}
    assert same_pixels(picture, window.view.grab().toImage())
    listed.rebuild()
    assert entries == listed.entries()
    doc = window.document
    assert doc is not None
    wanted = next(s for s in window.engine.layer_summaries(doc.id) if s.name == window.layer)
    qtbot.waitUntil(lambda: window.review.layers.rows[row_index(window)].summary == wanted)


def settled(qtbot: QtBot, window: MainWindow) -> None:
    """Every tile and every PDF appearance the view asked the render worker for has come and
    been placed (they arrive when they will: a picture taken before one came would differ)."""
    overlay = window.overlay
    layer_read(qtbot, window)  # the layer shown and its marks made (a slice per turn)
    qtbot.waitUntil(lambda: all(item.ready() for item in overlay.items.values()))
    comparing = window.review.comparing  # a merge compares again: its differences drawn
    qtbot.waitUntil(lambda: comparing.running is None and not comparing.overlay.drawing())

    def appearances_in() -> bool:
        asked = overlay._asked.items()
        missing = [
            x for x, s in asked if x not in overlay.lacking and overlay.images.get(x, (0.0,))[0] < s
        ]
        return not missing and not overlay._arrived

    qtbot.waitUntil(lambda: window.client.waiting("view") == 0 and appearances_in())


def row_index(window: MainWindow) -> int:
    return window.review.layers.index_of(window.layer)


def same_pixels(a: QImage, b: QImage) -> bool:
    return a.size() == b.size() and a.convertToFormat(b.format()) == b


def ids_on(window: MainWindow, page: int) -> list[str]:
    return [r.id for r in window.overlay.on_page(page)]


def test_edits_and_their_undo_redraw_only_what_changed(
    qtbot: QtBot, busy: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, editor, listed = busy, busy.editor, busy.review.annotations
    reads = FullReads(window, monkeypatch)
    middle = window.overlay.on_page(0)[MANY // 4]
    untouched = window.overlay.on_page(0)[3]
    row = QPersistentModelIndex(listed.model.row_of(untouched.key))
    resets, entries_moved = [], []  # (the model's signals: what the list did)
    model = listed.model
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _, first, last: entries_moved.append(last - first + 1))
    model.rowsRemoved.connect(lambda _, first, last: entries_moved.append(last - first + 1))

    made = editor.create([shape(1000, colour="#00aa00")])
    assert made is not None and ids_on(window, 0)[-1] == made.upserted[0].id
    moved = {**middle.content, "id": middle.id, "bbox": [200, 200, 60, 40]}
    editor.update([moved])
    assert window.overlay.on_page(0)[MANY // 4].content["bbox"] == [200, 200, 60, 40]
    editor.delete([window.overlay.on_page(1)[5].key])
    assert len(window.overlay.on_page(1)) == MANY // 2  # the PDF's highlight, one less of ours
    assert "Undo Delete annotation" in window.viewer_actions.undo.text().replace("&", "")
    for step in (editor.undo, editor.undo, editor.redo):
        assert step() is not None
    assert reads.count == 0  # no change read the layer again
    # the list moved only the changed entries (one made, one deleted and put back; the
    # one moved on its page changed in place) and left the others where they were
    assert not resets and entries_moved == [1, 1, 1]
    assert row.isValid() and model.record_at(row) == untouched
    colours = [listed.colour.itemData(i) for i in range(listed.colour.count())]
    assert "#00aa00" in colours  # the filter offers the new colour
    assert_as_a_full_read_shows(qtbot, window)


def test_a_change_to_another_layer_leaves_the_shown_one_alone(
    qtbot: QtBot, busy: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, review = busy, busy.review
    doc = window.document
    assert doc is not None
    window.engine.fork_layer(doc.id, USER, "other")
    review.context.changes.layer_set_changed()
    shown = {page: list(records) for page, records in window.overlay.by_page.items()}
    items = {page: item.records for page, item in window.overlay.items.items()}
    entries = review.annotations.entries()
    reads = FullReads(window, monkeypatch)
    gone = window.overlay.on_page(0)[0].key
    change = window.engine.delete_records(doc.id, "other", [gone])
    review.context.changes.record_change(change)
    assert reads.count == 0
    assert {page: list(r) for page, r in window.overlay.by_page.items()} == shown
    assert all(item.records is items[page] for page, item in window.overlay.items.items())
    assert review.annotations.entries() == entries
    other = review.layers.index_of("other")
    qtbot.waitUntil(lambda: review.layers.rows[other].summary.annotations == MANY)


def test_the_pdfs_own_annotation_comes_back_in_its_place(qtbot: QtBot, busy: MainWindow) -> None:
    window = busy
    doc = window.document
    assert doc is not None
    before = ids_on(window, HIGHLIGHT_PAGE)
    base = window.engine.records(doc.id, BASE, "annotation")
    highlight = next(r for r in base if r.content.get("pageIndex") == HIGHLIGHT_PAGE)
    assert before[0] == highlight.id  # under the layer's own marks
    window.editor.delete([highlight.key])
    assert highlight.id not in ids_on(window, HIGHLIGHT_PAGE)
    window.editor.undo()  # shown again from a read: its place is the base layer's
    layer_read(qtbot, window)
    assert ids_on(window, HIGHLIGHT_PAGE) == before
    assert_as_a_full_read_shows(qtbot, window)


def test_a_hidden_list_waits_until_shown(qtbot: QtBot, busy: MainWindow) -> None:
    window, listed = busy, busy.review.annotations
    window.properties.raise_()  # the Annotations tab goes behind the Properties one
    qtbot.waitUntil(lambda: not listed.on_screen())
    titles = [heading for heading, _ in listed.shown()]
    for index in range(3):
        window.editor.create([shape(2000 + index)])
    for _ in range(3):  # a few turns of the event loop: nothing is listed while hidden
        QApplication.processEvents()
    assert [heading for heading, _ in listed.shown()] == titles
    listed.raise_()
    expected = f"Page 1 ({MANY // 2 + 3})"
    qtbot.waitUntil(lambda: listed.shown()[0][0] == expected)


def test_a_merge_into_the_shown_layer_is_followed_and_undone(
    qtbot: QtBot, busy: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, review = busy, busy.review
    doc = window.document
    assert doc is not None
    window.engine.fork_layer(doc.id, USER, "other")
    added: Change = window.engine.create_records(doc.id, "other", "annotation", [shape(3000)])
    review.context.changes.layer_set_changed()
    with qtbot.waitSignal(review.comparing.compared, timeout=10_000):
        review.comparing.compare(USER, "other")
    reads = FullReads(window, monkeypatch)
    assert review.comparing.merge([], "a") is not None
    assert reads.count == 0 and added.upserted[0].id in ids_on(window, 0)
    assert window.viewer_actions.undo.isEnabled()
    assert_as_a_full_read_shows(qtbot, window)
    review.comparing.undo_merge()
    assert added.upserted[0].id not in ids_on(window, 0)
    assert_as_a_full_read_shows(qtbot, window)


def test_a_layer_shown_again_is_sorted_out_again_only_once_it_changed(
    qtbot: QtBot, busy: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Switching back to a layer reuses how its records were sorted out by page; an edit
    followed in place leaves that kept sorting as it was, and the edited layer, shown again,
    is sorted out anew."""
    window, editor = busy, busy.editor
    sorted_out: list[int] = []
    real = overlay_module.sort_out

    def counted(records: Any, *args: Any) -> Any:
        sorted_out.append(len(records))
        return real(records, *args)

    monkeypatch.setattr(overlay_module, "sort_out", counted)
    for layer in (BASE, USER):
        window.set_layer(layer)
        layer_read(qtbot, window)
    sorted_out.clear()
    for layer in (BASE, USER, BASE, USER):
        window.set_layer(layer)
        layer_read(qtbot, window)
    assert sorted_out == []
    before = ids_on(window, 0)
    made = editor.create([shape(2000, colour="#00aa00")])
    assert made is not None and ids_on(window, 0) == [*before, made.upserted[0].id]
    window.set_layer(BASE)
    layer_read(qtbot, window)
    assert sorted_out == []  # the base layer did not change
    window.set_layer(USER)
    layer_read(qtbot, window)
    assert len(sorted_out) == 1
    assert ids_on(window, 0) == [*before, made.upserted[0].id]
    assert_as_a_full_read_shows(qtbot, window)
