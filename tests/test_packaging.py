"""Packaging: the PyInstaller spec matches the real imports; desktop metadata validates."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "reviewer.spec"
APP_ID = "io.github.reviewer_app.Reviewer"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
# Parts of reviewer_app that the desktop app never imports (they ship elsewhere).
NOT_IN_DESKTOP_APP = ("reviewer_app/server/", "reviewer_app/engine/pg_store.py")
"""The server, and the engine's PostgreSQL store (opened only for a postgresql:// URL, which
only reviewer-server gives)."""


def spec_constants() -> dict[str, object]:
    """The spec's literal top-level assignments (BUNDLED, EXCLUDED, ...)."""
    found: dict[str, object] = {}
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                try:
                    found[target.id] = ast.literal_eval(node.value)
                except ValueError:
                    continue
    return found


def third_party_imports(skip: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """Top-level modules outside the standard library imported by reviewer_app, with where."""
    imports: dict[str, set[str]] = {}
    for path in sorted((ROOT / "reviewer_app").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        if where.startswith(skip):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "reviewer_app":
                    imports.setdefault(top, set()).add(where)
    return imports


def test_every_third_party_import_is_bundled_or_excluded_with_a_reason() -> None:
    spec = spec_constants()
    bundled, excluded = spec["BUNDLED"], spec["EXCLUDED"]
    assert isinstance(bundled, list) and isinstance(excluded, dict)
    imported = third_party_imports()
    unaccounted = {m: sorted(w) for m, w in imported.items() if m not in (*bundled, *excluded)}
    assert not unaccounted, f"add these to BUNDLED or EXCLUDED in {SPEC.name}: {unaccounted}"
    assert all(isinstance(r, str) and r.strip() for r in excluded.values())
    assert not set(bundled) & set(excluded)


def test_the_desktop_app_needs_everything_bundled_and_nothing_excluded() -> None:
    spec = spec_constants()
    bundled, excluded = spec["BUNDLED"], spec["EXCLUDED"]
    assert isinstance(bundled, list) and isinstance(excluded, dict)
    desktop = third_party_imports(skip=NOT_IN_DESKTOP_APP)
    assert set(bundled) == set(desktop), "BUNDLED should list exactly what the app imports"
    wrongly = {m: sorted(w) for m, w in desktop.items() if m in excluded}
    assert not wrongly, f"the desktop app imports modules the spec excludes: {wrongly}"


def test_qt_modules_used_are_kept_and_unused_ones_excluded() -> None:
    used = {
        f"PySide6.{m}"
        for path in (ROOT / "reviewer_app").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("PySide6.")
        for m in [node.module.split(".")[1]]
    }
    excluded = spec_constants()["QT_EXCLUDED"]
    assert isinstance(excluded, list)
    assert used and not used & set(excluded), f"the app imports excluded Qt modules: {used}"
    assert {"PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick"} <= set(excluded)


def test_runtime_imports_are_hidden_imports_and_exist() -> None:
    hidden = spec_constants()["HIDDEN_IMPORTS"]
    assert isinstance(hidden, list)
    assert "reviewer_app.pdf.render_worker" in hidden
    assert "reviewer_app.ui.self_test" in hidden
    for module in hidden:
        assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), module
    source = SPEC.read_text(encoding="utf-8")
    assert 'ROOT / "reviewer_app" / "__main__.py"' in source
    assert 'resources.rglob("*")' in source and "reviewer_app/resources" in source


def test_the_cli_serves_as_render_worker_with_the_flag() -> None:
    from reviewer_app.pdf.render_worker import read_message, write_message
    from reviewer_app.resources import sample_document

    worker = subprocess.Popen(
        [sys.executable, "-m", "reviewer_app", "--render-worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert worker.stdin is not None and worker.stdout is not None
    try:
        write_message(worker.stdin, {"op": "open", "path": str(sample_document())})
        reply = read_message(worker.stdout)
        worker.stdin.close()  # end of input stops it (a "quit" races its stdin reader at exit)
        assert worker.wait(10) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stdout.close()
    assert reply is not None and reply["op"] == "opened" and reply["pages"] >= 1


def test_a_frozen_app_starts_itself_as_render_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewer_app.pdf.render_pipe import worker_command

    assert worker_command() == [sys.executable, "-m", "reviewer_app.pdf.render_worker"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert worker_command() == [sys.executable, "--render-worker"]


def test_desktop_entry_opens_pdfs_with_the_app() -> None:
    text = DESKTOP.read_text(encoding="utf-8")
    assert "MimeType=application/pdf;" in text
    assert "Exec=reviewer-app %f" in text and f"Icon={APP_ID}" in text
    assert (ROOT / "resources/icons/hicolor/256x256/apps" / f"{APP_ID}.png").is_file()


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils missing")
def test_desktop_file_validates() -> None:
    done = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream missing")
def test_metainfo_validates() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--pedantic", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_render_worker_exits_cleanly_when_told_to_quit() -> None:
    """A quit while its stdin reader thread is blocked used to abort the worker at shutdown
    ("could not acquire lock for stdin"), about one run in eight."""
    from reviewer_app.pdf.render_worker import write_message

    for _ in range(8):
        worker = subprocess.Popen(
            [sys.executable, "-m", "reviewer_app.pdf.render_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert worker.stdin is not None
        write_message(worker.stdin, {"op": "quit"})
        worker.stdin.flush()
        try:
            code = worker.wait(10)  # stdin stays open: the reader thread is still blocked
        finally:
            if worker.poll() is None:
                worker.kill()
            worker.stdin.close()
        assert worker.stderr is not None
        err = worker.stderr.read()
        worker.stderr.close()
        assert code == 0, err.decode(errors="replace")
        assert b"Fatal" not in err


LDD_ON_A_FRESH_DESKTOP = """\
	linux-vdso.so.1 (0x00007ffd)
	libxcb-cursor.so.0 => not found
	libxcb-icccm.so.4 => not found
	libxcb-keysyms.so.1 => not found
	libxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f23)
	libxcb-mystery.so.9 => not found
"""


def test_make_run_names_the_packages_qt_lacks_on_a_fresh_desktop(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`make run` checks Qt's xcb plugin with `ldd` (the output of a machine without the
    libraries is given here: this one has them) and prints the apt-get line to run."""
    packaging_check = qt_libraries_check()

    libs = packaging_check.missing_libraries(LDD_ON_A_FRESH_DESKTOP)
    assert libs == [
        "libxcb-cursor.so.0",
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
        "libxcb-mystery.so.9",
    ]
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    monkeypatch.setattr(packaging_check, "plugin_files", lambda: [plugin])
    monkeypatch.setattr(packaging_check, "ldd", lambda path: LDD_ON_A_FRESH_DESKTOP)
    assert packaging_check.main([]) == 1  # not --install: it only says what to do
    err = capsys.readouterr().err
    assert "sudo apt-get install -y libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in err
    assert "libxcb-mystery.so.9" in err


def test_the_qt_plugin_check_finds_the_plugin_it_checks() -> None:
    packaging_check = qt_libraries_check()

    assert all(path.is_file() for path in packaging_check.plugin_files())
    assert "libxcb-cursor.so.0" in packaging_check.PACKAGES


def qt_libraries_check() -> Any:
    """packaging/qt_system_libraries.py, loaded as a module (it is a script, not in the package)."""
    spec = importlib.util.spec_from_file_location(
        "qt_system_libraries", ROOT / "packaging" / "qt_system_libraries.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
