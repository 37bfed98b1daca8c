"""Export all: one file per layer, safe names, progress, cancel, never a partial file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export_folder import export_layers
from reviewer_app.pdf.write_files import file_stem, layer_file_names, write_atomically
from tests.pdf.layer_records import EMPTY, blank_pdf, own_layer, records_for_page


def test_file_names_are_safe_and_unique() -> None:
    names = layer_file_names(["", "a/b", "A/B", "con", "   ", "x" * 300, "Ünïcode?"])
    assert names[""] == "default.pdf"
    assert names["a/b"] == "a_b.pdf" and names["A/B"] == "A_B (2).pdf"
    assert names["con"] == "_con.pdf" and names["   "] == "_.pdf"
    assert len(names["x" * 300].encode()) < 255
    assert names["Ünïcode?"] == "Ünïcode_.pdf"
    assert file_stem("..") == "_"


def test_thirty_layers_with_progress_and_cancel(tmp_path: Path) -> None:
    source = blank_pdf()
    digest = hashlib.sha256(source).hexdigest()
    records = records_for_page(0)
    layers = {f"student {n:02d}": own_layer(records[n % len(records) :][:3]) for n in range(30)}
    layers[""] = EMPTY
    calls: list[tuple[int, int, str]] = []
    files = export_layers(
        source, layers, tmp_path / "out", progress=lambda *call: calls.append(call)
    )
    assert len(files) == 31 and [c[0] for c in calls] == list(range(1, 32))
    assert {c[1] for c in calls} == {31} and calls[-1][2] == ""
    assert (tmp_path / "out" / "default.pdf") in files
    for n in (0, 29):
        names = {r.content.get("name") for r in extract_base_layer(files[n].read_bytes()).records}
        assert names == {r.id for r in layers[f"student {n:02d}"].write}
    assert hashlib.sha256(source).hexdigest() == digest

    done: list[str] = []
    cancelled = export_layers(
        source,
        layers,
        tmp_path / "cancelled",
        progress=lambda _d, _t, name: done.append(name),
        cancelled=lambda: len(done) >= 5,
    )
    assert len(cancelled) == 5
    assert sorted(p.name for p in (tmp_path / "cancelled").iterdir()) == sorted(
        p.name for p in cancelled
    )


def test_a_failed_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        export_layers(blank_pdf(), {"a": EMPTY}, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_get_the_mode_the_umask_gives(tmp_path: Path, umask: int, mode: int) -> None:
    """As any new file: others on a shared drive read the PDFs unless the umask says no."""
    import os
    import stat

    old = os.umask(umask)
    try:
        files = export_layers(blank_pdf(), {"a": EMPTY, "": EMPTY}, tmp_path / "out")
        single = tmp_path / "single.pdf"
        write_atomically(single, b"%PDF-1.7\n")
    finally:
        os.umask(old)
    for path in [*files, single]:
        assert stat.S_IMODE(path.stat().st_mode) == mode, path


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    import stat

    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "kept.pdf"
    write_atomically(path, b"old")
    path.chmod(0o640)
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["kept.pdf"]  # no temporary file left


@pytest.mark.parametrize("count", [2, 5])  # in this process, and in worker processes
def test_each_layer_gets_its_own_comments_summary(tmp_path: Path, count: int) -> None:
    import pymupdf

    from reviewer_app.pdf.export_folder import worker_count

    note = records_for_page(0)[0]  # "A sticky note"
    layers = {f"student {n}": own_layer([note]) for n in range(count)}
    layers[""] = EMPTY
    assert (worker_count(len(layers)) > 1) == (count == 5)
    files = export_layers(
        blank_pdf(), layers, tmp_path, flatten=True, summary=True, title="Worksheet 4"
    )
    for name, path in zip(layers, files, strict=True):
        with pymupdf.open(path) as doc:
            pages = doc.page_count
            last = doc[pages - 1].get_text()
        if name:
            assert pages == 8 and f"Layer: {name} · 1 comment" in last
            assert "Worksheet 4" in last and "A sticky note" in last
        else:
            assert pages == 7  # the empty default layer has no comment: no summary page
