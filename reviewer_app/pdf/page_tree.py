"""The depth of a PDF's page tree, checked before MuPDF walks it recursively.

MuPDF's writer marks the objects it keeps by recursion: a page tree nested tens of thousands of
levels deep (a few megabytes of PDF) overflows its stack and kills the process. No real PDF
nests its pages more than a few levels; one nested beyond ``MAX_DEPTH`` is refused at import.
"""

from __future__ import annotations

from typing import Any

from reviewer_app.pdf.errors import PdfRefused

MAX_DEPTH = 256
"""The deepest page tree accepted (a balanced tree of that depth could hold 2^256 pages)."""


def page_tree_depth(doc: Any, limit: int = MAX_DEPTH) -> int:
    """How many /Parent steps lead from the deepest page to the root: ``limit + 1`` as soon as
    some page is deeper than ``limit`` (or its parents loop). Every node is walked once."""
    known: dict[int, int] = {}  # node → the steps from it up to the root
    deepest = 0
    for index in range(doc.page_count):
        chain: list[int] = []
        node, above = int(doc.page_xref(index)), 0
        while True:
            kind, value = doc.xref_get_key(node, "Parent")
            if kind != "xref":
                break
            node = int(value.split()[0])
            if node in known:
                above = known[node] + 1
                break
            chain.append(node)
            if len(chain) > limit:
                return limit + 1
        for steps, parent in enumerate(reversed(chain)):
            known[parent] = above + steps
        depth = above + len(chain)
        if depth > limit:
            return limit + 1
        deepest = max(deepest, depth)
    return deepest


def check_page_tree(doc: Any, name: str) -> None:
    """Raise PdfRefused (the sandbox remembers it) when the page tree of ``doc`` is nested
    deeper than MAX_DEPTH levels."""
    if page_tree_depth(doc) > MAX_DEPTH:
        raise PdfRefused(
            f"this PDF could not be processed: the page tree of {name} is nested more than "
            f"{MAX_DEPTH} levels deep"
        )
