"""PDFs as other tools write them, built in raw PDF syntax: each holds one of the cases the
fidelity findings are about (issue 17). Every builder returns the file's bytes; CASES names
them all for the fidelity check (tests/pdf/test_fidelity.py)."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from tests.pdf.builders import PdfWriter, annot

TEXT = "The quick brown fox jumps over the lazy dog, again and again."
COMB = 1 << 24  # text field flag: one character per cell (with /MaxLen)
MULTILINE = 1 << 12


def stream(writer: PdfWriter, body: str, keys: str = "") -> int:
    """A stream object holding ``body``; returns its number."""
    return writer.add(
        f"<< {keys} /Length {len(body.encode('latin-1'))} >>\nstream\n{body}\nendstream"
    )


def form_xobject(writer: PdfWriter, bbox: str, body: str, resources: str = "") -> int:
    """An appearance stream (a form XObject) over ``bbox`` drawing ``body``."""
    keys = f"/Type /XObject /Subtype /Form /BBox {bbox} /Resources << {resources} >>"
    return stream(writer, body, keys)


def text_page(
    writer: PdfWriter,
    annots: list[str] = (),  # type: ignore[assignment]
    refs: list[int] = (),  # type: ignore[assignment]
    lines: int = 8,
    mediabox: str = "[0 0 612 792]",
    extra: str = "",
) -> int:
    """A page of ``lines`` lines of Helvetica text from the top, with annotations."""
    font = writer.add(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    x0, _, _, y1 = (float(v) for v in mediabox.strip("[]").split())
    body = "".join(
        f"BT /F1 12 Tf {x0 + 60:g} {y1 - 80 - 30 * n:g} Td ({TEXT}) Tj ET\n" for n in range(lines)
    )
    content = stream(writer, body)
    return writer.page(
        annots,
        mediabox=mediabox,
        refs=refs,
        extra=f"/Contents {content} 0 R /Resources << /Font << /F1 {font} 0 R >> >> {extra}",
    )


def broken_xref() -> bytes:
    """A page with a square, whose cross-reference table points one object (the page's
    content, read only when the page is drawn or saved) at the wrong offset: MuPDF opens it
    without noticing and repairs it later, when it meets that object."""
    w = PdfWriter()
    ap = form_xobject(w, "[0 0 100 60]", "0 0 1 RG 2 w 1 1 98 58 re S")
    page = text_page(
        w,
        [
            annot(
                "Square",
                "[100 500 200 560]",
                f"/C [0 0 1] /BS << /W 2 >> /F 4 /AP << /N {ap} 0 R >>",
            )
        ],
    )
    content = int(re.search(r"/Contents (\d+) 0 R", w.bodies[page]).group(1))  # type: ignore[union-attr]
    data = w.tobytes()
    table = data.rindex(b"\nxref\n") + 1
    head, tail = data[:table], data[table:].split(b"\n")
    tail[2 + content] = b"%010d 00000 n " % 9  # inside the header: no object there
    return head + b"\n".join(tail)


def indirect_acroform() -> bytes:
    """A form whose /AcroForm and its /DR are indirect objects (as several producers write
    them; the /DR's /Font dictionary is in the /DR), with a text field and a check box."""
    w = PdfWriter()
    helv = w.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    resources = w.add(f"<< /Font << /Helv {helv} 0 R >> >>")
    page = w.reserve()
    text_ap = form_xobject(w, "[0 0 200 20]", "/Tx BMC EMC")
    on = form_xobject(w, "[0 0 14 14]", "0 g 2 2 10 10 re f")
    off = form_xobject(w, "[0 0 14 14]", "")
    text = w.add(
        f"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V () /Rect [100 600 300 620] "
        f"/DA (/Helv 12 Tf 0 g) /F 4 /P {page} 0 R /AP << /N {text_ap} 0 R >> >>"
    )
    box = w.add(
        f"<< /Type /Annot /Subtype /Widget /FT /Btn /T (agree) /V /Off /AS /Off "
        f"/Rect [100 560 114 574] /F 4 /P {page} 0 R /MK << /CA (4) >> "
        f"/DA (/ZaDb 0 Tf 0 g) /AP << /N << /Yes {on} 0 R /Off {off} 0 R >> >> >>"
    )
    form = w.add(f"<< /Fields [{text} 0 R {box} 0 R] /DR {resources} 0 R /DA (/Helv 0 Tf 0 g) >>")
    w.catalog_extra = f"/AcroForm {form} 0 R"
    font = w.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    body = "BT /F1 12 Tf 60 700 Td (Name and agreement:) Tj ET"
    content = stream(w, body)
    w.put(
        page,
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [{text} 0 R {box} 0 R] "
        f"/Contents {content} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>",
    )
    w.page_numbers.append(page)
    return w.tobytes()


def _image(w: PdfWriter) -> int:
    """A 4 x 4 RGB picture of coloured squares, deflated."""
    colours = [(200, 30, 30), (30, 160, 60), (30, 60, 200), (240, 190, 20)]
    pixels = bytes(v for row in range(4) for col in range(4) for v in colours[(row + col) % 4])
    data = zlib.compress(pixels)
    keys = (
        "/Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceRGB "
        f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(data)}"
    )
    return w.add(f"<< {keys} >>\nstream\n{data.decode('latin-1')}\nendstream")


def stamps() -> bytes:
    """Stamps drawn by their appearance: a picture, a custom one with words in a frame, a
    signature (curves), and a standard stamp in blue (/C) as Acrobat draws it."""
    w = PdfWriter()
    picture = form_xobject(
        w, "[0 0 120 80]", "q 120 0 0 80 0 0 cm /Im0 Do Q", f"/XObject << /Im0 {_image(w)} 0 R >>"
    )
    helv = "/Font << /HeBo << /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >> >>"
    custom = form_xobject(
        w,
        "[0 0 160 50]",
        "0.1 0.5 0.2 RG 0.9 1 0.9 rg 3 w 2 2 156 46 re B "
        "0.1 0.5 0.2 rg BT /HeBo 26 Tf 22 16 Td (PAID 2024) Tj ET",
        helv,
    )
    signature = form_xobject(
        w,
        "[0 0 150 50]",
        "0 0 0.6 RG 1.5 w 1 J 5 15 m 25 55 40 -10 60 25 c 80 50 90 5 110 20 c "
        "125 30 135 25 145 22 c S",
    )
    blue = form_xobject(
        w,
        "[0 0 150 45]",
        "0.1 0.2 0.8 RG 0.1 0.2 0.8 rg 3 w 2 2 146 41 re S "
        "BT /HeBo 24 Tf 14 14 Td (APPROVED) Tj ET",
        helv,
    )
    stamp = "/Type /Annot /Subtype /Stamp /F 4 /T (Sam)"
    text_page(
        w,
        [
            f"<< {stamp} /Name /Image /Rect [60 560 180 640] /AP << /N {picture} 0 R >> >>",
            f"<< {stamp} /Name /PaidStamp /Rect [220 580 380 630] /AP << /N {custom} 0 R >> >>",
            f"<< {stamp} /Name /Signature /Rect [60 440 210 490] /AP << /N {signature} 0 R >> >>",
            f"<< {stamp} /Name /Approved /C [0.1 0.2 0.8] /Rect [260 440 410 485] "
            f"/AP << /N {blue} 0 R >> >>",
        ],
    )
    return w.tobytes()


def user_unit() -> bytes:
    """A page whose /UserUnit is 2 (a unit of user space is 2 points): a 306 x 396 unit
    MediaBox shows as a US Letter page, with a square, an ink line and a free text."""
    w = PdfWriter()
    square = form_xobject(w, "[0 0 50 30]", "1 0 0 RG 2 w 1 1 48 28 re S")
    ink = form_xobject(w, "[40 150 140 200]", "0 0.6 0 RG 3 w 1 J 45 155 m 90 195 l 135 160 l S")
    words = form_xobject(
        w,
        "[0 0 120 20]",
        "BT 0 0 1 rg /Helv 10 Tf 2 6 Td (Twice the size) Tj ET",
        "/Font << /Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>",
    )
    text_page(
        w,
        [
            annot(
                "Square",
                "[30 200 80 230]",
                f"/C [1 0 0] /BS << /W 2 >> /F 4 /AP << /N {square} 0 R >>",
            ),
            annot(
                "Ink",
                "[40 150 140 200]",
                f"/InkList [[45 155 90 195 135 160]] /C [0 0.6 0] /BS << /W 3 >> /F 4 "
                f"/AP << /N {ink} 0 R >>",
            ),
            annot(
                "FreeText",
                "[160 200 280 220]",
                f"/Contents (Twice the size) /DA (0 0 1 rg /Helv 10 Tf) /F 4 "
                f"/AP << /N {words} 0 R >>",
            ),
        ],
        lines=3,
        mediabox="[0 0 306 396]",
        extra="/UserUnit 2",
    )
    return w.tobytes()


def rich_free_text() -> bytes:
    """Free texts as Acrobat writes them: the font, size, colour and alignment in /DS and the
    text as rich text in /RC, /DA left plain black; each drawn so by its appearance."""
    w = PdfWriter()
    fonts = (
        "/Font << /HeBo << /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >> "
        "/Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
    )
    red = form_xobject(
        w,
        "[0 0 220 40]",
        "BT 0.898 0.133 0.216 rg /HeBo 16 Tf 45.6 14 Td (Check this step) Tj ET",
        fonts,
    )
    green = form_xobject(
        w,
        "[0 0 220 60]",
        "BT 0 0.5 0 rg /Helv 11 Tf 101.5 44 Td (Well argued,) Tj 32 -13 Td (see p. 4) Tj ET",
        fonts,
    )
    rc = (
        '<?xml version="1.0"?><body xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/" xfa:APIVersion="Acrobat:11.0.23" '
        'xfa:spec="2.0.2" style="font-size:16.0pt;text-align:center;color:#E52237;'
        'font-weight:bold;font-family:Helvetica"><p dir="ltr">Check this step</p></body>'
    )
    text_page(
        w,
        [
            annot(
                "FreeText",
                "[100 560 320 600]",
                f"/Contents (Check this step) /DA (/Helv 12 Tf 0 g) /Q 1 "
                f"/DS (font: bold Helvetica,sans-serif 16.0pt; text-align:center; "
                f"color:#E52237) /RC ({rc}) /F 4 /AP << /N {red} 0 R >>",
            ),
            annot(
                "FreeText",
                "[300 420 520 480]",
                f"/Contents (Well argued,\\rsee p. 4) /DA (/Helv 12 Tf 0 g) /Q 2 "
                f"/DS (font: Helvetica 11pt; text-align:right; color:#008000) /F 4 "
                f"/AP << /N {green} 0 R >>",
            ),
        ],
    )
    return w.tobytes()


def hidden() -> bytes:
    """Annotations that show on screen and those that do not: hidden (/F 2), not viewed
    (NoView, /F 32), not printed (no Print flag) and a text field never shown (NoView)."""
    w = PdfWriter()
    red = form_xobject(w, "[0 0 80 40]", "1 0 0 rg 0 0 80 40 re f")
    blue = form_xobject(w, "[0 0 80 40]", "0 0 1 rg 0 0 80 40 re f")
    green = form_xobject(w, "[0 0 80 40]", "0 0.6 0 rg 0 0 80 40 re f")
    value = form_xobject(
        w,
        "[0 0 160 20]",
        "/Tx BMC BT 0 g /Helv 12 Tf 2 5 Td (secret answer) Tj ET EMC",
        "/Font << /Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>",
    )
    page = w.reserve()
    field = w.add(
        f"<< /Type /Annot /Subtype /Widget /FT /Tx /T (hidden_total) /V (secret answer) "
        f"/Rect [300 300 460 320] /DA (/Helv 12 Tf 0 g) /F 36 /P {page} 0 R "
        f"/AP << /N {value} 0 R >> >>"
    )
    w.catalog_extra = f"/AcroForm << /Fields [{field} 0 R] /DA (/Helv 0 Tf 0 g) >>"
    font = w.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    content = stream(w, f"BT /F1 12 Tf 60 700 Td ({TEXT}) Tj ET")
    squares = [
        annot(
            "Square",
            "[60 500 140 540]",
            f"/C [1 0 0] /IC [1 0 0] /BS << /W 0 >> /F 6 /AP << /N {red} 0 R >>",
        ),
        annot(
            "Square",
            "[160 500 240 540]",
            f"/C [0 0 1] /IC [0 0 1] /BS << /W 0 >> /F 36 /AP << /N {blue} 0 R >>",
        ),
        annot(
            "Square",
            "[260 500 340 540]",
            f"/C [0 0.6 0] /IC [0 0.6 0] /BS << /W 0 >> /F 0 /AP << /N {green} 0 R >>",
        ),
    ]
    refs = [w.add(body) for body in squares]
    annots = " ".join(f"{n} 0 R" for n in [*refs, field])
    w.put(
        page,
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [{annots}] "
        f"/Contents {content} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>",
    )
    w.page_numbers.append(page)
    return w.tobytes()


def blend_modes() -> bytes:
    """A highlight and a square drawn with the Multiply blend mode over the text (the
    highlight's in its appearance, the square's as the annotation's /BM): the words show
    through."""
    w = PdfWriter()
    multiply = "/ExtGState << /M << /BM /Multiply >> >>"
    highlight = form_xobject(w, "[58 709 340 725]", "/M gs 1 1 0 rg 58 709 282 16 re f", multiply)
    square = form_xobject(w, "[0 0 280 20]", "0.6 0.9 1 rg 0 0 280 20 re f")
    text_page(
        w,
        [
            annot(
                "Highlight",
                "[58 709 340 725]",
                "/QuadPoints [58 725 340 725 58 709 340 709] /C [1 1 0] /F 4 "
                f"/AP << /N {highlight} 0 R >>",
            ),
            annot(
                "Square",
                "[58 678 340 698]",
                f"/IC [0.6 0.9 1] /C [0.6 0.9 1] /BM /Multiply /F 4 /AP << /N {square} 0 R >>",
            ),
        ],
    )
    return w.tobytes()


def form_layouts() -> bytes:
    """Text fields that centre (/Q 1) and right-align (/Q 2) their value, a multiline value
    with carriage returns for line breaks, and a comb field of 6 cells, each with the
    appearance MuPDF gives it."""
    import pymupdf  # here: the other cases are raw PDF syntax

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((60, 80), "Form layouts", fontsize=14)
    specs = [
        ("centred", (60, 100, 300, 122), "In the middle", 0, 1, 0),
        ("right", (60, 140, 300, 162), "On the right", 0, 2, 0),
        ("lines", (60, 180, 300, 250), "line one\rline two\rline three", MULTILINE, 0, 0),
        ("comb", (60, 270, 240, 292), "AB1234", COMB, 0, 6),
    ]
    for name, rect, value, flags, quadding, max_length in specs:
        widget = pymupdf.Widget()
        widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
        widget.field_name = name
        widget.rect = pymupdf.Rect(rect)
        widget.field_value = value
        widget.field_flags = flags
        widget.text_fontsize = 11
        widget.border_color, widget.border_width = (0.3, 0.3, 0.3), 1
        if max_length:
            widget.text_maxlen = max_length
        added = page.add_widget(widget)
        if quadding:
            doc.xref_set_key(added.xref, "Q", str(quadding))
            page.load_widget(added.xref).update()
    return bytes(doc.tobytes())


def links() -> bytes:
    """Links whose borders show: a solid red one 2 wide (/Border), a dashed blue one (/BS),
    and one with no border."""
    w = PdfWriter()
    uri = "/A << /S /URI /URI (https://example.org/) >>"
    text_page(
        w,
        [
            annot("Link", "[58 686 300 704]", f"/Border [0 0 2] /C [1 0 0] {uri}"),
            annot("Link", "[58 656 300 674]", f"/BS << /W 1 /S /D /D [3 2] >> /C [0 0 1] {uri}"),
            annot("Link", "[58 626 300 644]", f"/Border [0 0 0] /C [0 1 0] {uri}"),
        ],
    )
    return w.tobytes()


def note_icons() -> bytes:
    """Sticky notes without appearances, by icon name (each reader draws the icon), and one
    with an icon of its own (a green disc in its appearance)."""
    w = PdfWriter()
    disc = form_xobject(
        w,
        "[0 0 20 20]",
        "0 0.6 0.3 rg 10 0 m 15.5 0 20 4.5 20 10 c "
        "20 15.5 15.5 20 10 20 c 4.5 20 0 15.5 0 10 c 0 4.5 4.5 0 10 0 c f",
    )
    names = ["Comment", "Key", "Help", "Check", "Circle", "Cross", "Star", "RightArrow"]
    notes = [
        annot(
            "Text",
            f"[{60 + 50 * n} 600 {80 + 50 * n} 620]",
            f"/Name /{name} /C [1 0.85 0] /F 28 /Contents (A note: {name})",
        )
        for n, name in enumerate(names)
    ]
    notes.append(
        annot(
            "Text",
            "[60 520 80 540]",
            f"/Name /Comment /F 28 /Contents (my own icon) /AP << /N {disc} 0 R >>",
        )
    )
    text_page(w, notes)
    return w.tobytes()


CASES: dict[str, Callable[[], bytes]] = {
    "broken-xref": broken_xref,
    "indirect-acroform": indirect_acroform,
    "stamps": stamps,
    "user-unit": user_unit,
    "rich-free-text": rich_free_text,
    "hidden": hidden,
    "blend-modes": blend_modes,
    "form-layouts": form_layouts,
    "links": links,
    "note-icons": note_icons,
}
"""Every case PDF by name."""
