"""Pages drawn as images, on the default layer and on any layer (Document Engine's
``pages/{pageIndex}/image``): exactly one of ``width`` and ``height`` in pixels, PNG (the
default) or JPEG as the ``Accept`` header asks, the layer's annotations drawn when
``render_ap_streams`` is true. Drawn in a worker of the server's sandbox, never in its process."""

# No "from __future__ import annotations": FastAPI reads the routes' Depends(layer) at run time.

import math
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from reviewer_app.pdf import jobs
from reviewer_app.pdf.page_image import FORMATS
from reviewer_app.server.auth import READ
from reviewer_app.server.context import Target
from reviewer_app.server.errors import ApiError
from reviewer_app.server.pdf_reads import read_pdf, remembered_read

MAX_SIDE = 8192
MAX_PIXELS = 25_000_000
"""The largest image drawn: 8,192 pixels a side, 25 million in all (75 MB of pixels)."""
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpeg", "image/jpg": "jpeg"}


def image_type(accept: str | None) -> str:
    """The media type to answer for an ``Accept`` header: the acceptable one it prefers (the
    highest ``q``, then the first), PNG for none or any; 406 saying what can be had."""
    choices: list[tuple[float, int, str]] = []
    for order, entry in enumerate((accept or "").split(",")):
        kind, *params = (part.strip() for part in entry.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if kind and quality > 0:
            choices.append((-quality, order, kind.lower()))
    if not choices:
        return "image/png"
    for _, _, kind in sorted(choices):
        if kind in IMAGE_TYPES:
            return "image/jpeg" if IMAGE_TYPES[kind] == "jpeg" else kind
        if kind in ("*/*", "image/*"):
            return "image/png"
    raise ApiError(
        406,
        f"cannot answer {accept[:100] if accept else ''!r}: pages are drawn as image/png or "
        "image/jpeg (WebP is not available: the PDF renderer has no encoder for it)",
    )


def image_size(
    shown: tuple[float, float], width: float | None, height: float | None
) -> tuple[int, int]:
    """The image's pixels for a page ``shown`` points wide and high, from exactly one of
    ``width`` and ``height`` (the other keeps the page's proportions); 400 past the limits."""
    if (width is None) == (height is None):
        raise ApiError(400, "give exactly one of 'width' and 'height' (in pixels)")
    asked = width if width is not None else height
    if asked is None or not math.isfinite(asked) or asked < 1:
        raise ApiError(400, "'width' or 'height' must be a number of pixels, at least 1")
    page_width, page_height = shown
    if not (page_width > 0 and page_height > 0):
        raise ApiError(422, "this page has no area to draw (its box is empty)")
    if width is not None:
        size = (round(width), max(1, round(page_height * width / page_width)))
    else:
        size = (max(1, round(page_width * asked / page_height)), round(asked))
    if max(size) > MAX_SIDE or size[0] * size[1] > MAX_PIXELS:
        raise ApiError(
            400,
            f"the image would be {size[0]:,} × {size[1]:,} pixels: at most {MAX_SIDE:,} a side "
            f"and {MAX_PIXELS:,} in all",
        )
    return size


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
    """Add ``GET {base}/pages/{page_index}/image``."""

    @router.get(
        f"{base}/pages/{{page_index}}/image",
        tags=["Documents"] if "{layer}" not in base else ["Layers"],
        response_class=Response,
        responses={200: {"content": {kind: {} for kind in FORMATS}}},
    )
    def page_image(
        request: Request,
        page_index: int,
        t: Annotated[Target, Depends(layer)],
        width: float | None = None,
        height: float | None = None,
        render_ap_streams: bool = False,
        ocg_layers: str | None = None,
    ) -> Response:
        """The page drawn ``width`` or ``height`` pixels large (exactly one of them), as
        ``image/png`` or ``image/jpeg`` (``Accept``); with ``render_ap_streams=true`` the
        layer's annotations drawn on it. Optional content groups show as the PDF sets them:
        ``ocg_layers`` is refused."""
        t.require(READ)
        if ocg_layers is not None:
            raise ApiError(400, "ocg_layers is not supported: pages show as the PDF sets them")
        kind = image_type(request.headers.get("accept"))
        sizes = remembered_read(request, t.document_id, jobs.page_sizes)
        if not 0 <= page_index < len(sizes):
            raise ApiError(404, f"no page {page_index}: the document has {len(sizes)}")
        page_width, page_height, rotation = sizes[page_index]
        turned = rotation % 180 == 90
        size = image_size(
            (page_height, page_width) if turned else (page_width, page_height), width, height
        )
        drawn = t.engine.layer_export(t.document_id, t.layer) if render_ap_streams else None
        image = read_pdf(
            request, t.document_id, jobs.page_image, page_index, size, FORMATS[kind], drawn
        )
        return Response(image, media_type=kind)
