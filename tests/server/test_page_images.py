"""Pages drawn as images (Document Engine's ``pages/{i}/image``), on the default layer and on
any layer: the size asked (exactly one of width and height), PNG or JPEG by ``Accept``, the
layer's own annotations drawn with ``render_ap_streams``, bounded sizes, drawn in a worker."""

from __future__ import annotations

from typing import Any

import pymupdf
import pytest

from reviewer_app.server.fair import PDF_WORK, heavy_kind
from tests.server.conftest import Server, make_pdf

RED_SQUARE = {
    "v": 2,
    "type": "pspdfkit/shape/rectangle",
    "pageIndex": 0,
    "bbox": [100, 100, 200, 200],
    "strokeWidth": 2,
    "strokeColor": "#ff0000",
    "fillColor": "#ff0000",
    "opacity": 1,
}


def turned_pdf() -> bytes:
    """Two A4 pages, the second turned a quarter (/Rotate 90): shown 842 × 595 points."""
    doc = pymupdf.open(stream=make_pdf(pages=2))
    doc[1].set_rotation(90)
    data: bytes = doc.tobytes()
    doc.close()
    return data


def picture(answer: Any) -> Any:
    """The answer's image, decoded (a pymupdf.Pixmap)."""
    assert answer.status_code == 200, answer.text
    return pymupdf.Pixmap(answer.content)


def rgb(pixmap: Any, x: int, y: int) -> tuple[int, ...]:
    return tuple(pixmap.pixel(x, y)[:3])


@pytest.fixture(scope="module")
def turned(server: Server) -> str:
    return server.upload(turned_pdf())


@pytest.mark.parametrize("layer", ["", "/layers/drawn"])
def test_a_page_at_the_width_or_height_asked(server: Server, turned: str, layer: str) -> None:
    base = f"/api/documents/{turned}{layer}/pages"
    wide = server.request("GET", f"{base}/0/image", params={"width": 300})
    assert wide.headers["content-type"] == "image/png" and wide.content.startswith(b"\x89PNG")
    assert (picture(wide).width, picture(wide).height) == (300, 425)  # 595 × 842 pt
    high = picture(server.request("GET", f"{base}/0/image", params={"height": 100}))
    assert (high.width, high.height) == (71, 100)
    shown_turned = picture(server.request("GET", f"{base}/1/image", params={"width": 842}))
    assert (shown_turned.width, shown_turned.height) == (842, 595)  # as shown: turned


def test_jpeg_when_asked_and_webp_refused(server: Server, turned: str) -> None:
    path = f"/api/documents/{turned}/pages/0/image"
    jpeg = server.request("GET", path, params={"width": 120}, headers={"Accept": "image/jpeg"})
    assert jpeg.headers["content-type"] == "image/jpeg" and jpeg.content[:2] == b"\xff\xd8"
    assert picture(jpeg).width == 120
    webp = server.request("GET", path, params={"width": 120}, headers={"Accept": "image/webp"})
    assert webp.status_code == 406 and "image/png or image/jpeg" in webp.json()["details"]
    either = {"Accept": "image/webp, image/png;q=0.5"}
    assert server.request("GET", path, params={"width": 120}, headers=either).ok
    browser = {"Accept": "text/html, */*;q=0.8"}
    answer = server.request("GET", path, params={"width": 120}, headers=browser)
    assert answer.headers["content-type"] == "image/png"


@pytest.mark.parametrize(
    ("params", "status", "reason"),
    [
        ({}, 400, "exactly one of 'width' and 'height'"),
        ({"width": 100, "height": 100}, 400, "exactly one of 'width' and 'height'"),
        ({"width": 0}, 400, "at least 1"),
        ({"width": "nan"}, 400, "at least 1"),
        ({"width": 9000}, 400, "at most 8,192 a side"),
        ({"width": 5000}, 400, "5,000 × 7,076 pixels"),  # 35 million pixels
        ({"width": 100, "ocg_layers": 1}, 400, "ocg_layers is not supported"),
    ],
)
def test_sizes_past_the_limits_are_refused(
    server: Server, turned: str, params: dict[str, Any], status: int, reason: str
) -> None:
    answer = server.request("GET", f"/api/documents/{turned}/pages/0/image", params=params)
    assert answer.status_code == status and reason in answer.json()["details"], answer.text


def test_no_such_page(server: Server, turned: str) -> None:
    answer = server.request("GET", f"/api/documents/{turned}/pages/2/image", params={"width": 9})
    assert answer.status_code == 404 and "has 2" in answer.json()["details"]


def test_the_layers_annotations_drawn_when_asked(server: Server) -> None:
    doc = server.upload(make_pdf())
    base = f"/api/documents/{doc}"
    made = server.request("POST", f"{base}/layers/red/annotations", json={"content": RED_SQUARE})
    assert made.status_code == 200, made.text
    width = {"width": 595}  # one pixel a point
    drawn = {"width": 595, "render_ap_streams": "true"}
    red = picture(server.request("GET", f"{base}/layers/red/pages/0/image", params=drawn))
    assert rgb(red, 200, 200) == (255, 0, 0)
    plain = picture(server.request("GET", f"{base}/layers/red/pages/0/image", params=width))
    assert rgb(plain, 200, 200) == (255, 255, 255)  # the page alone
    other = picture(server.request("GET", f"{base}/pages/0/image", params=drawn))
    assert rgb(other, 200, 200) == (255, 255, 255)  # the default layer has no square
    base_note = picture(server.request("GET", f"{base}/pages/0/image", params=drawn))
    shown = picture(server.request("GET", f"{base}/pages/0/image", params=width))
    assert base_note.samples != shown.samples  # the PDF's own note, drawn only when asked


def test_page_images_take_a_heavy_slot() -> None:
    assert heavy_kind("GET", "/api/documents/d/pages/3/image") == PDF_WORK
    assert heavy_kind("GET", "/api/documents/d/layers/x/pages/3/image") == PDF_WORK
