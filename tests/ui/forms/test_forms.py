"""Form fields filled in the window with real clicks and keys, each layer with its own values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BASE
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.pdf.render import page_display_list
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.forms.field_items import FieldItem
from reviewer_app.ui.main_window import MainWindow
from tests.conftest import corpus_file
from tests.ui.conftest import open_and_wait, when_modal
from tests.ui.tools.conftest import LEFT, USER, click

COLOURS = ("red", "green", "blue")
PLACES = {  # a point inside each widget, in page points
    "name": (100, 70),
    "essay": (100, 130),
    "agree": (68, 188),
    "red": (68, 228),
    "green": (98, 228),
    "blue": (128, 228),
    "city": (100, 270),
    "fruit": (100, 330),
    "pets": (280, 330),
    "teacher": (280, 188),
}


def make_form_pdf(path: Path) -> Path:
    """One page with a widget of every kind that holds a value, and a read-only text field."""
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=560)
    page.insert_text((60, 50), "Worksheet", fontsize=14)

    def add(kind: int, name: str, rect: tuple[float, ...], **values: Any) -> int:
        widget = pymupdf.Widget()
        widget.field_type, widget.field_name = kind, name
        widget.rect = pymupdf.Rect(*rect)
        for key, value in values.items():
            setattr(widget, key, value)
        return int(page.add_widget(widget).xref)

    mu: Any = pymupdf
    add(mu.PDF_WIDGET_TYPE_TEXT, "name", (60, 60, 260, 80), field_value="", text_fontsize=11)
    essay = {"field_flags": 4096, "field_value": "", "text_fontsize": 10}
    add(mu.PDF_WIDGET_TYPE_TEXT, "essay", (60, 100, 260, 160), **essay)
    add(mu.PDF_WIDGET_TYPE_CHECKBOX, "agree", (60, 180, 76, 196), field_value=False)
    radios = [
        add(
            mu.PDF_WIDGET_TYPE_RADIOBUTTON,
            "colour",
            (60 + 30 * i, 220, 76 + 30 * i, 236),
            field_value=False,
        )
        for i in range(3)
    ]
    cities = {"choice_values": ["Paris", "Rome", "Oslo"], "field_value": "Paris"}
    add(mu.PDF_WIDGET_TYPE_COMBOBOX, "city", (60, 260, 200, 280), text_fontsize=11, **cities)
    fruit = {"choice_values": ["Apple", "Pear", "Plum"], "field_value": "Apple"}
    add(mu.PDF_WIDGET_TYPE_LISTBOX, "fruit", (60, 300, 200, 360), text_fontsize=11, **fruit)
    pets = {"choice_values": ["Cat", "Dog", "Fish"], "field_flags": 1 << 21, "field_value": ""}
    add(mu.PDF_WIDGET_TYPE_LISTBOX, "pets", (220, 300, 340, 360), text_fontsize=11, **pets)
    teacher = {"field_value": "Ms Smith", "field_flags": 1, "text_fontsize": 10}
    add(mu.PDF_WIDGET_TYPE_TEXT, "teacher", (220, 180, 340, 196), **teacher)
    _radio_group(doc, "colour", radios)
    doc.save(path)
    return path


def _radio_group(doc: Any, name: str, kids: list[int]) -> None:
    """Make the radio widgets kids of one field, each with its own export value (a colour)."""
    parent = doc.get_new_xref()
    refs = " ".join(f"{x} 0 R" for x in kids)
    doc.update_object(parent, f"<< /FT /Btn /Ff 49152 /T ({name}) /V /Off /Kids [{refs}] >>")
    fields = doc.xref_get_key(doc.pdf_catalog(), "AcroForm/Fields")[1]
    for xref, colour in zip(kids, COLOURS, strict=True):
        on, off = (doc.xref_get_key(xref, f"AP/N/{state}")[1] for state in ("Yes", "Off"))
        doc.xref_set_key(xref, "AP/N", f"<< /Off {off} /{colour} {on} >>")
        for key in ("T", "FT", "Ff", "V"):
            doc.xref_set_key(xref, key, "null")
        doc.xref_set_key(xref, "Parent", f"{parent} 0 R")
        fields = fields.replace(f"{xref} 0 R", "")
    doc.xref_set_key(doc.pdf_catalog(), "AcroForm/Fields", fields.rstrip("]") + f" {parent} 0 R]")


@pytest.fixture
def form(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> MainWindow:
    """The window on the form, the user's layer shown, the fields drawn."""
    ViewerSettings().set_user_name(USER)
    open_and_wait(qtbot, window, make_form_pdf(tmp_path / "form.pdf"))
    window.view.set_zoom(1.0)
    window.view.go_to_page(0)
    qtbot.waitUntil(lambda: bool(window.forms.items.get(0)))
    assert window.layer == USER
    return window


def values(window: MainWindow, layer: str) -> dict[str, Any]:
    assert window.document is not None
    records = window.engine.records(window.document.id, layer, "formFieldValue")
    return {r.content["name"]: r.content.get("value") for r in records}


def item(window: MainWindow, name: str, on: str | None = None) -> FieldItem:
    return next(i for i in window.forms.items_of(name) if on is None or i.widget.on_state == on)


def press(qtbot: QtBot, window: MainWindow, place: str) -> None:
    click(qtbot, window, 0, PLACES[place])


def type_into(qtbot: QtBot, window: MainWindow, place: str, text: str) -> None:
    """Click a text field and type ``text`` (keys go to the view, as from a keyboard)."""
    press(qtbot, window, place)
    qtbot.waitUntil(lambda: window.forms.editing is not None)
    qtbot.keyClicks(window.view, text)


def choose(qtbot: QtBot, window: MainWindow, place: str, *labels: str) -> None:
    """Click a choice field and click options in its popup (Enter closes a multi-choice)."""
    press(qtbot, window, place)
    qtbot.waitUntil(lambda: window.forms.popup is not None and window.forms.popup.isVisible())
    popup = window.forms.popup
    assert popup is not None
    several = popup.several
    for label in labels:
        row = next(popup.item(i) for i in range(popup.count()) if popup.item(i).text() == label)
        qtbot.mouseClick(popup.viewport(), LEFT, pos=popup.visualItemRect(row).center())
    if several:
        qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.forms.popup is None)


def fill_everything(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, "name", "Ada Lovelace 1815")  # A, L, V, E and 1 are tool keys
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    type_into(qtbot, window, "essay", "Line one")
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    qtbot.keyClicks(window.view, "Line two")
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, "agree")
    press(qtbot, window, "green")
    press(qtbot, window, "blue")
    press(qtbot, window, "blue")  # a chosen radio button stays chosen (NoToggleToOff)
    choose(qtbot, window, "city", "Oslo")
    choose(qtbot, window, "fruit", "Pear")
    choose(qtbot, window, "pets", "Cat", "Fish")


FILLED = {
    "name": "Ada Lovelace 1815",
    "essay": "Line one\nLine two",
    "agree": "Yes",
    "colour": "blue",
    "city": "Oslo",
    "fruit": "Pear",
    "pets": ["Cat", "Fish"],
    "teacher": "Ms Smith",
}
PDF_VALUES = {
    "name": "",
    "essay": "",
    "agree": "Off",
    "colour": "Off",
    "city": "Paris",
    "fruit": "Apple",
    "pets": [],
    "teacher": "Ms Smith",
}


def test_every_kind_of_field_is_filled_in_the_users_layer_only(
    qtbot: QtBot, form: MainWindow
) -> None:
    window = form
    doc = window.document
    assert doc is not None
    window.engine.create_layer(doc.id, "B")
    fill_everything(qtbot, window)
    assert values(window, USER) == FILLED
    assert values(window, "B") == PDF_VALUES
    assert values(window, BASE) == PDF_VALUES
    records = window.engine.records(doc.id, USER, "formFieldValue")
    assert {r.updated_by for r in records if r.id in ("name", "agree")} == {USER}
    assert window.tools.current.name == "select"  # the typed letters chose no tool
    assert item(window, "name").shown_text() == "Ada Lovelace 1815"
    assert item(window, "colour", "blue").checked and not item(window, "colour", "green").checked
    assert item(window, "pets").shown_text() == "Cat\nFish"


def test_esc_drops_an_edit_and_read_only_fields_do_not_change(
    qtbot: QtBot, form: MainWindow
) -> None:
    window = form
    type_into(qtbot, window, "name", "Typo")
    assert window.forms.editing is not None
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.forms.editing is None)
    press(qtbot, window, "teacher")
    assert window.forms.editing is None and window.forms.popup is None
    assert values(window, USER) == PDF_VALUES
    assert item(window, "name").shown_text() == ""


def test_a_click_elsewhere_commits_the_text(qtbot: QtBot, form: MainWindow) -> None:
    window = form
    type_into(qtbot, window, "name", "Grace")
    click(qtbot, window, 0, (300, 500))  # nothing there: the field loses the focus
    qtbot.waitUntil(lambda: values(window, USER)["name"] == "Grace")
    assert window.forms.editing is None


def test_each_layer_shows_its_own_values_and_undo_restores(qtbot: QtBot, form: MainWindow) -> None:
    window = form
    doc = window.document
    assert doc is not None
    window.engine.create_layer(doc.id, "B")
    b_values = [{"name": "name", "value": "Bea"}, {"name": "colour", "value": "red"}]
    window.engine.set_form_field_values(doc.id, "B", b_values, user="B")
    press(qtbot, window, "agree")
    type_into(qtbot, window, "name", "Ada")
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert item(window, "agree").checked and item(window, "name").shown_text() == "Ada"

    window.set_layer("B")
    assert item(window, "name").shown_text() == "Bea"
    assert item(window, "colour", "red").checked and not item(window, "agree").checked
    window.set_layer(BASE)
    assert item(window, "name").shown_text() == "" and item(window, "city").shown_text() == "Paris"
    assert item(window, "teacher").shown_text() == "Ms Smith"
    press(qtbot, window, "agree")  # the base layer is the PDF's: nothing is written
    assert values(window, BASE) == PDF_VALUES and not item(window, "agree").checked
    window.set_layer(USER)
    assert item(window, "name").shown_text() == "Ada" and item(window, "agree").checked

    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert values(window, USER)["name"] == "" and item(window, "name").shown_text() == ""
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert values(window, USER)["agree"] == "Off" and not item(window, "agree").checked
    assert values(window, "B")["name"] == "Bea"


def test_the_pdf_of_the_layer_carries_its_values(
    qtbot: QtBot, form: MainWindow, tmp_path: Path
) -> None:
    window = form
    fill_everything(qtbot, window)
    doc = window.document
    assert doc is not None
    source = window.engine.pdf_path(doc.id).read_bytes()
    exported = pymupdf.open(
        stream=export_layer_pdf(source, window.engine.layer_export(doc.id, USER))
    )
    read = {}
    for widget in exported[0].widgets():
        if widget.field_type == pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON:
            if widget.field_value not in ("Off", False):
                read["colour"] = widget.on_state()
        else:
            read[widget.field_name] = widget.field_value
    assert read["name"] == "Ada Lovelace 1815" and read["essay"] == "Line one\nLine two"
    assert read["agree"] in ("Yes", True) and read["colour"] == "blue"
    assert read["city"] == "Oslo" and read["fruit"] == "Pear"
    assert exported.xref_get_key(exported[0].widgets().__next__().xref, "T")[1] == "name"
    pets = next(w for w in exported[0].widgets() if w.field_name == "pets")
    chosen = exported.xref_get_key(pets.xref, "V")[1]
    assert "(Cat)" in chosen and "(Fish)" in chosen and "(Dog)" not in chosen
    base = pymupdf.open(stream=export_layer_pdf(source, window.engine.layer_export(doc.id, BASE)))
    assert next(w for w in base[0].widgets() if w.field_name == "name").field_value == ""


def test_the_tiles_leave_out_the_fields_the_viewer_draws(tmp_path: Path) -> None:
    doc = pymupdf.open(make_form_pdf(tmp_path / "form.pdf"))
    clip = pymupdf.Rect(220, 180, 340, 196)  # the read-only field that holds "Ms Smith"
    with_fields = page_display_list(doc[0]).get_pixmap(clip=clip)
    without = page_display_list(doc[0], fields=False).get_pixmap(clip=clip)
    assert set(without.samples) == {255} and set(with_fields.samples) != {255}


def test_a_corpus_form_opens_and_draws_its_fields(qtbot: QtBot, window: MainWindow) -> None:
    ViewerSettings().set_user_name(USER)
    open_and_wait(qtbot, window, corpus_file("FormTestFromOo.pdf"))
    qtbot.waitUntil(lambda: len(window.forms.items.get(0, [])) == 13)
    items = window.forms.items[0]
    assert {i.widget.kind for i in items} == {"text", "checkbox", "radio", "combo", "list"}
    assert sum(1 for i in items if i.widget.name == "RadioGroup1") == 3
    window.grab()  # paints every field
    radio = next(i for i in items if i.widget.on_state == "2")
    window.view.set_zoom(0.7)
    click(qtbot, window, 0, (radio.widget.rect[0] + 4, radio.widget.rect[1] + 4))
    assert values(window, USER)["RadioGroup1"] == "2" and radio.checked


def test_opening_another_pdf_drops_the_edit_and_the_fields(
    qtbot: QtBot, form: MainWindow, tmp_path: Path
) -> None:
    window = form
    first = window.document
    type_into(qtbot, window, "name", "Unfinished")
    other = pymupdf.open()
    other.new_page().insert_text((72, 72), "No form here")
    other.save(tmp_path / "plain.pdf")
    open_and_wait(qtbot, window, tmp_path / "plain.pdf")
    assert window.forms.editing is None and not window.forms.items
    assert first is not None
    kept = window.engine.records(first.id, USER, "formFieldValue")
    assert {r.id: r.content.get("value") for r in kept}["name"] == ""
    assert window.forms.field_at(0, QPointF(100, 70)) is None


def test_tab_keeps_the_text_and_moves_to_the_next_text_field(
    qtbot: QtBot, form: MainWindow
) -> None:
    window = form
    type_into(qtbot, window, "name", "Ada")
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: values(window, USER)["name"] == "Ada")
    editing = window.forms.editing
    assert editing is not None and editing.item.widget.name == "essay"
    qtbot.keyClicks(window.view, "Why")
    qtbot.keyClick(window.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: values(window, USER)["essay"] == "Why")
    assert window.forms.editing is not None
    assert window.forms.editing.item.widget.name == "name"
    assert window.forms.editing.text() == "Ada"


def tab(qtbot: QtBot, window: MainWindow, backwards: bool = False) -> None:
    """Tab (or Shift+Tab) where the keys are: the open field's editor, else the view."""
    editing = window.forms.editing
    target = editing.editor if editing is not None else window.view
    if backwards:
        qtbot.keyClick(target, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    else:
        qtbot.keyClick(target, Qt.Key.Key_Tab)


def focused(window: MainWindow) -> str:
    """The field Tab reached, as "name" or "name=export value" (a radio button); "" if none."""
    item = window.forms.focused
    if item is None:
        return ""
    shown = [i for i in window.forms.items[0] if i.focused]
    assert shown == [item]  # the one framed
    on = item.widget.on_state if item.widget.kind == "radio" else ""
    return f"{item.widget.name}={on}" if on else item.widget.name


def test_tab_goes_through_every_field_and_space_ticks_picks_and_opens(
    qtbot: QtBot, form: MainWindow
) -> None:
    """A student filling the form from the keyboard: Tab past the text fields reaches the
    check box (it used to go round to the first text field, where a Space meant as a tick
    was typed), the radio buttons and the lists; the read-only field is left out."""
    window = form
    type_into(qtbot, window, "essay", "Why")
    tab(qtbot, window)
    qtbot.waitUntil(lambda: values(window, USER)["essay"] == "Why")
    assert window.forms.editing is None and focused(window) == "agree"
    assert QApplication.focusWidget() is window.view
    qtbot.keyClick(window.view, Qt.Key.Key_Space)
    assert values(window, USER)["agree"] == "Yes" and focused(window) == "agree"
    qtbot.keyClick(window.view, Qt.Key.Key_Space)  # off again
    assert values(window, USER)["agree"] == "Off"
    tab(qtbot, window)
    assert focused(window) == "colour=red"
    tab(qtbot, window)
    tab(qtbot, window)
    assert focused(window) == "colour=blue"
    tab(qtbot, window, backwards=True)
    qtbot.keyClick(window.view, Qt.Key.Key_Space)
    assert values(window, USER)["colour"] == "green" and focused(window) == "colour=green"
    tab(qtbot, window)
    tab(qtbot, window)
    assert focused(window) == "city"
    qtbot.keyClick(window.view, Qt.Key.Key_Return)  # its choices, from the value shown
    popup = window.forms.popup
    assert popup is not None and popup.isVisible() and QApplication.focusWidget() is popup
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert values(window, USER)["city"] == "Rome" and window.forms.popup is None
    assert focused(window) == "city" and QApplication.focusWidget() is window.view
    tab(qtbot, window)
    tab(qtbot, window)
    assert focused(window) == "pets"
    tab(qtbot, window)  # past the read-only teacher, round to the first field: typed in
    editing = window.forms.editing
    assert editing is not None and editing.item.widget.name == "name" and focused(window) == ""
    tab(qtbot, window, backwards=True)
    assert window.forms.editing is None and focused(window) == "pets"
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)  # the form is left, the tool stays
    assert focused(window) == "" and window.tools.current.name == "select"


def test_tab_on_the_page_goes_into_the_form_with_the_select_tool(
    qtbot: QtBot, form: MainWindow
) -> None:
    """A student who clicked the page presses Tab to start filling: the first field opens
    (Shift+Tab: the last is framed); with a drawing tool, Tab moves through the window."""
    window = form
    click(qtbot, window, 0, (300, 500))  # the page, beside every field
    assert QApplication.focusWidget() is window.view and window.forms.editing is None
    tab(qtbot, window)
    editing = window.forms.editing
    assert editing is not None and editing.item.widget.name == "name"
    qtbot.keyClick(editing.editor, Qt.Key.Key_Escape)
    assert window.forms.editing is None
    window.view.setFocus()
    tab(qtbot, window, backwards=True)
    assert focused(window) == "pets"
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    qtbot.keyClick(window.view, Qt.Key.Key_H)
    assert window.tools.current.name == "highlight"
    tab(qtbot, window)
    assert window.forms.editing is None and focused(window) == ""
    assert QApplication.focusWidget() is not window.view


def test_tab_after_enter_or_a_click_goes_on_from_that_field(qtbot: QtBot, form: MainWindow) -> None:
    """Enter keeps a text field's text and closes it; the next Tab goes on to the field
    after it (it went back to the first field of the page, the one just filled), and so
    after a box ticked with a click."""
    window = form
    type_into(qtbot, window, "essay", "Why")
    editing = window.forms.editing
    assert editing is not None
    qtbot.keyClick(editing.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: values(window, USER)["essay"] == "Why")
    assert window.forms.editing is None and QApplication.focusWidget() is window.view
    tab(qtbot, window)
    assert focused(window) == "agree"
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    press(qtbot, window, "red")  # picked with a click
    assert values(window, USER)["colour"] == "red"
    tab(qtbot, window)
    assert focused(window) == "colour=green"
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    tab(qtbot, window, backwards=True)
    assert focused(window) == "colour=red"


def test_a_first_tick_from_the_keyboard_keeps_the_field_framed_in_the_users_layer(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """A new user's first click into a field asks their name and names their layer after it
    (the layer shown changes): the box reached next with Tab is ticked in it and stays
    framed, and the next Tab goes on from it (it went to the Layers filter, where a Space
    was typed)."""
    open_and_wait(qtbot, window, make_form_pdf(tmp_path / "form.pdf"))
    window.view.set_zoom(1.0)
    window.view.go_to_page(0)
    qtbot.waitUntil(lambda: bool(window.forms.items.get(0)))

    def named(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog) and dialog.windowTitle() == "Your name"
        dialog.setTextValue("Eve")
        dialog.accept()

    answering = when_modal(QInputDialog, named)
    press(qtbot, window, "essay")  # the name asked; opened, nothing typed: nothing kept
    answering.stop()
    assert window.layer == "Eve"
    qtbot.waitUntil(lambda: window.forms.editing is not None)
    tab(qtbot, window)
    assert focused(window) == "agree"
    qtbot.keyClick(window.view, Qt.Key.Key_Space)
    assert window.layer == "Eve" and values(window, "Eve")["agree"] == "Yes"
    assert focused(window) == "agree"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert focused(window) == "colour=red"


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Tab])
def test_a_new_users_first_click_in_a_field_asks_the_name_and_the_app_goes_on(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, key: Qt.Key
) -> None:
    """A new user's name is asked when they first click into a field, before they type:
    asked when the first answer was kept (Enter or Tab), it took the keys typed on into the
    next field. The text is kept in the layer named after the user (the layer that stood for
    theirs is not made), and Enter or Tab goes on as for anyone."""
    open_and_wait(qtbot, window, make_form_pdf(tmp_path / "form.pdf"))
    window.view.set_zoom(1.0)
    window.view.go_to_page(0)
    qtbot.waitUntil(lambda: bool(window.forms.items.get(0)))
    stand_in = window.layer

    def named(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        assert window.forms.editing is None  # nothing open to type in yet
        dialog.setTextValue("Eve")
        dialog.accept()

    answering = when_modal(QInputDialog, named)
    type_into(qtbot, window, "name", "Lee")
    answering.stop()
    assert window.layer == "Eve" != stand_in
    editing = window.forms.editing
    assert editing is not None
    qtbot.keyClick(editing.editor, key)
    assert values(window, "Eve")["name"] == "Lee"
    assert not window.engine.has_layer(window.document.id, stand_in)  # type: ignore[union-attr]
    if key == Qt.Key.Key_Return:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view, timeout=5000)
        tab(qtbot, window)
    opened = window.forms.editing
    assert opened is not None and opened.item.widget.name == "essay"
    qtbot.keyClicks(opened.editor, "Why")
    tab(qtbot, window)
    assert values(window, "Eve")["essay"] == "Why" and focused(window) == "agree"


def test_another_key_leaves_the_focused_field_and_acts_on_the_page(
    qtbot: QtBot, form: MainWindow
) -> None:
    window = form
    type_into(qtbot, window, "essay", "Why")
    tab(qtbot, window)
    assert focused(window) == "agree"
    qtbot.keyClick(window.view, Qt.Key.Key_H)
    assert focused(window) == "" and window.tools.current.name == "highlight"
    assert values(window, USER).get("agree") in (None, "Off")
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    type_into(qtbot, window, "essay", "!")
    tab(qtbot, window)
    assert focused(window) == "agree"
    press(qtbot, window, "city")  # a click elsewhere leaves it too
    assert focused(window) == "" and window.forms.popup is not None


def test_an_editable_combo_takes_a_value_of_ones_own_or_an_option_typed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=300)
    widget = pymupdf.Widget()
    widget.field_type, widget.field_name = pymupdf.PDF_WIDGET_TYPE_COMBOBOX, "town"
    widget.rect = pymupdf.Rect(60, 60, 260, 80)
    widget.choice_values, widget.field_value = ["Paris", "Rome"], "Paris"
    widget.field_flags, widget.text_fontsize = 1 << 18, 11  # Edit: free text allowed
    page.add_widget(widget)
    doc.save(tmp_path / "town.pdf")
    ViewerSettings().set_user_name(USER)
    open_and_wait(qtbot, window, tmp_path / "town.pdf")
    window.view.set_zoom(1.0)
    qtbot.waitUntil(lambda: bool(window.forms.items.get(0)))
    for typed, value in (("Lyon", "Lyon"), ("ro", "Rome")):  # "ro" is completed to "Rome"
        click(qtbot, window, 0, (100, 70))
        qtbot.waitUntil(lambda: window.forms.editing is not None)
        assert window.forms.popup is None  # typed into, not picked from a list
        editor = window.forms.editing.editor
        assert editor.completer() is not None
        editor.selectAll()
        qtbot.keyClicks(window.view, typed)
        qtbot.keyClick(window.view, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda v=value: values(window, USER).get("town") == v)
        assert item(window, "town").shown_text() == value
    assert window.editor.undo_label() == "Fill form"
    window.editor.undo()  # back to the free value, which the layer's PDF carries
    document = window.document
    assert document is not None
    source = window.engine.pdf_path(document.id).read_bytes()
    exported = export_layer_pdf(source, window.engine.layer_export(document.id, USER))
    assert next(pymupdf.open(stream=exported)[0].widgets()).field_value == "Lyon"


def test_ctrl_tab_in_a_field_is_not_tab_the_text_typed_is_kept(
    qtbot: QtBot, form: MainWindow
) -> None:
    """Ctrl+Tab (and Alt+Tab) are not Tab in a field's editor, as on the page: they do not
    move on to the next field; what was typed is kept either way."""
    window = form
    type_into(qtbot, window, "name", "Ada")
    editing = window.forms.editing
    assert editing is not None
    qtbot.keyClick(editing.editor, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: (
            values(window, USER).get("name") == "Ada"
            or (window.forms.editing is not None and window.forms.editing.text() == "Ada")
        )
    )
    now = window.forms.editing
    assert now is None or now.item.widget.name == "name"
    assert window.forms.focused is None or window.forms.focused.widget.name == "name"
