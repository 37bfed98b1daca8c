"""The comments summary: pages after a layer PDF's last page listing its comments, grouped by
page, under a heading that names the document and the layer (as Acrobat's "Summarize
comments"). MuPDF's HTML layout sets them: long texts wrap and flow on to further pages."""

from __future__ import annotations

import html
import io
import itertools
import re
from collections.abc import Sequence
from typing import Any

import pymupdf

from reviewer_app.pdf.comments import Comment

_mupdf: Any = pymupdf

A4 = (595.0, 842.0)
MARGIN = 54.0  # points: three quarters of an inch
FOOTER = 24.0  # room under the text for "Comments summary, page 2 of 3"
MAX_PAGES = 5000  # a guard: MuPDF's layout always advances, this only stops a runaway
LONGEST_RUN = 40  # characters without a space before a line may break (URLs, "aaaa...")
BASE_LAYER = "*base"  # the engine's name for the base layer (``reviewer_app.engine.BASE``)

CSS = """
body { font-family: sans-serif; font-size: 10pt; line-height: 1.3; color: #000; }
h1 { font-size: 17pt; margin: 0 0 4pt 0; }
p.document { font-size: 12pt; font-weight: bold; margin: 0 0 2pt 0; }
p.about { color: #444; margin: 0 0 10pt 0; }
h2 { font-size: 12pt; margin: 12pt 0 4pt 0; padding-bottom: 2pt;
     border-bottom: 0.6pt solid #888; }
p.meta { margin: 6pt 0 1pt 0; color: #333; }
p.text { margin: 0 0 0 16pt; white-space: pre-wrap; }
p.quote { margin: 0 0 1pt 16pt; color: #555; font-style: italic; }
p.reply { margin: 3pt 0 0 32pt; color: #333; }
p.reply-text { margin: 0 0 0 44pt; white-space: pre-wrap; }
p.state { margin: 3pt 0 0 32pt; color: #1a6b1a; font-weight: bold; }
"""


def layer_label(name: str) -> str:
    """How the summary's heading names a layer: the default and the base layer by role."""
    return {"": "Default layer", BASE_LAYER: "Base layer (the PDF's own annotations)"}.get(
        name, name
    )


def append_comments_summary(
    doc: Any, comments: Sequence[Comment], *, title: str, layer: str
) -> int:
    """Append the summary of ``comments`` after the last page of ``doc`` (an open
    ``pymupdf.Document``); returns the number of pages added: none when there is no comment.
    ``title`` names the document and ``layer`` the layer (its name, see :func:`layer_label`)."""
    if not comments:
        return 0
    width, height = summary_page_size(doc)
    summary = summary_document(comments, title, layer_label(layer), width, height)
    try:
        doc.insert_pdf(summary)
        return int(summary.page_count)
    finally:
        summary.close()


def summary_page_size(doc: Any) -> tuple[float, float]:
    """The summary's page size: the first page's, upright, unless it is not a paper size
    (then A4)."""
    if doc.page_count == 0:
        return A4
    rect = doc[0].rect
    width, height = sorted((float(rect.width), float(rect.height)))
    if not (300 <= width <= 1300 and 400 <= height <= 1800):
        return A4
    return width, height


def summary_document(
    comments: Sequence[Comment], title: str, layer: str, width: float, height: float
) -> Any:
    """The summary as a PDF of its own (fonts subset), to be inserted after the document."""
    story = _mupdf.Story(html=summary_html(comments, title, layer), user_css=CSS)
    buffer = io.BytesIO()
    writer = _mupdf.DocumentWriter(buffer)
    page = _mupdf.Rect(0, 0, width, height)
    text_area = _mupdf.Rect(MARGIN, MARGIN, width - MARGIN, height - MARGIN - FOOTER)
    more, pages = True, 0
    while more and pages < MAX_PAGES:
        device = writer.begin_page(page)
        more, _ = story.place(text_area)
        story.draw(device)
        writer.end_page()
        pages += 1
    writer.close()
    summary = _mupdf.open("pdf", buffer.getvalue())
    _number_pages(summary, height)
    summary.subset_fonts()  # the fallback fonts (CJK, symbols) are megabytes whole
    return summary


def summary_html(comments: Sequence[Comment], title: str, layer: str) -> str:
    """The summary's HTML: the heading, then the comments grouped by page, numbered."""
    count = f"{len(comments)} comment{'s' if len(comments) != 1 else ''}"
    replies = sum(len(c.replies) for c in comments)
    if replies:
        count += f", {replies} repl{'ies' if replies != 1 else 'y'}"
    parts = [
        "<h1>Comments summary</h1>",
        f'<p class="document">{_text(title)}</p>',
        f'<p class="about">Layer: <b>{_text(layer)}</b> · {count}</p>',
    ]
    number = itertools.count(1)
    for page, on_page in itertools.groupby(comments, key=lambda c: c.page):
        parts.append(f"<h2>Page {page + 1}</h2>")
        for comment in on_page:
            about = " · ".join(_text(p) for p in (comment.author, comment.date) if p)
            parts.append(
                f'<p class="meta"><b>{next(number)}. {_text(comment.kind)}</b>'
                + (f" · {about}" if about else "")
                + "</p>"
                + (f'<p class="quote">“{_text(comment.quote)}”</p>' if comment.quote else "")
                + (f'<p class="text">{_text(comment.text)}</p>' if comment.text else "")
            )
            parts.extend(_thread_html(comment))
    return "<body>" + "".join(parts) + "</body>"


def _thread_html(comment: Comment) -> list[str]:
    """A thread's replies, each under its author and date, then its state when settled."""
    parts = []
    for reply in comment.replies:
        about = " · ".join(_text(p) for p in (reply.date,) if p)
        parts.append(
            f'<p class="reply">↳ <b>{_text(reply.author or "Someone")}</b>'
            + (f" · {about}" if about else "")
            + f'</p><p class="text reply-text">{_text(reply.text)}</p>'
        )
    if comment.state:
        parts.append(f'<p class="state">✓ {_text(comment.state)}</p>')
    return parts


def _text(value: str) -> str:
    """``value`` as HTML text: escaped, with a place to break in every long run without
    spaces (a zero-width space), so no line runs off the page."""
    breakable = re.sub(
        rf"\S{{{LONGEST_RUN + 1},}}",
        lambda m: "\u200b".join(re.findall(rf".{{1,{LONGEST_RUN}}}", m.group())),
        value,
    )
    return html.escape(breakable, quote=False)


def _number_pages(summary: Any, height: float) -> None:
    """ "Comments summary, page k of n" at the foot of each summary page."""
    for index in range(summary.page_count):
        label = f"Comments summary, page {index + 1} of {summary.page_count}"
        summary[index].insert_text(
            (MARGIN, height - MARGIN + 4), label, fontname="helv", fontsize=8, color=(0.4,) * 3
        )
