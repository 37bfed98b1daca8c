"""The layer command line: every command, --json, and exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer_app.cli import main
from reviewer_app.resources import sample_document
from tests.conftest import corpus_file


class Cli:
    """Runs ``reviewer-app --data-dir <tmp> ...`` in-process and captures its output."""

    def __init__(self, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data = data
        self.capsys = capsys

    def __call__(self, *args: str, code: int = 0) -> str:
        self.capsys.readouterr()
        got = main(["--data-dir", str(self.data), *args])
        out, err = self.capsys.readouterr()
        assert got == code, (out, err)
        self.err = err
        return out

    def json(self, *args: str) -> object:
        return json.loads(self("--json", *args))


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "data", capsys)


@pytest.fixture
def doc(cli: Cli) -> str:
    return cli("import", str(sample_document())).strip()


def test_import_prints_the_id_and_is_idempotent(cli: Cli, doc: str) -> None:
    again = cli.json("import", str(sample_document()))
    assert isinstance(again, dict)
    assert again["id"] == doc and again["new"] is False
    assert again["records"]["pspdfkit/markup/highlight"] == 1
    assert [d["id"] for d in cli.json("documents")] == [doc]  # type: ignore[union-attr]
    assert doc in cli("documents")


def test_layer_lifecycle(cli: Cli, doc: str) -> None:
    assert "created layer alice" in cli("layers", "create", doc, "alice")
    cli("layers", "create", doc, "bob", "--from", "alice")
    names = [layer["name"] for layer in cli.json("layers", "list", doc)]  # type: ignore[union-attr]
    assert names == ["", "alice", "bob"]
    assert "(default)" in cli("layers", "list", doc)
    cli("layers", "delete", doc, "bob")
    cli("layers", "delete", doc, "bob", code=1)
    assert "no layer 'bob'" in cli.err and "Traceback" not in cli.err


def test_diff_copy_and_annotations(cli: Cli, doc: str, tmp_path: Path) -> None:
    base = cli.json("annotations", "list", doc)
    assert isinstance(base, list) and len(base) == 3
    note = {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": 1,
        "bbox": [10, 10, 24, 24],
        "text": {"format": "plain", "value": "Good point"},
        "icon": "comment",
    }
    file = tmp_path / "extra.json"
    file.write_text(
        json.dumps({"format": "https://pspdfkit.com/instant-json/v1", "annotations": [note]})
    )
    cli("instant", "import", doc, str(file), "--layer", "teacher")
    diff = cli.json("layers", "diff", doc, "teacher", "*base")
    assert isinstance(diff, dict) and len(diff["only_a"]) == 1
    new_id = diff["only_a"][0]["id"]
    assert "only in teacher: 1" in cli("layers", "diff", doc, "teacher", "*base")
    cli("layers", "copy", doc, "teacher", "student", "--ids", new_id)
    listed = cli.json("annotations", "list", doc, "--layer", "student")
    assert new_id in [r["id"] for r in listed]  # type: ignore[union-attr]
    assert "Good point" in cli("annotations", "list", doc, "--layer", "student")


def test_instant_export_and_create_from_file(cli: Cli, doc: str, tmp_path: Path) -> None:
    out = tmp_path / "layer.json"
    cli("instant", "export", doc, "-o", str(out))
    exported = json.loads(out.read_text())
    assert len(exported["annotations"]) == 3 and len(exported["formFieldValues"]) == 4
    bad = {**exported, "annotations": [*exported["annotations"], {"v": 2, "type": "x"}]}
    out.write_text(json.dumps(bad))
    created = cli.json("layers", "create", doc, "copy", "--instant-json", str(out))
    assert isinstance(created, dict) and len(created["errors"]) == 1
    cli("layers", "create", doc, "copy2", "--instant-json", str(out))
    assert "warning:" in cli.err
    assert cli.json("layers", "diff", doc, "copy", "*base")["changed"] == []  # type: ignore[index]
    assert json.loads(cli("instant", "export", doc, "-o", "-"))["format"].endswith("/v1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["layers", "create", "NOPE", "x"], "no document"),
        (["layers", "list", "NOPE"], "no document"),
        (["import", "/does/not/exist.pdf"], "cannot read"),
        (["instant", "import", "NOPE", "/does/not/exist.json"], "cannot read"),
    ],
)
def test_user_errors_exit_1_with_one_line(cli: Cli, args: list[str], message: str) -> None:
    cli(*args, code=1)
    assert message in cli.err and cli.err.count("\n") == 1


def test_bad_layer_name_and_both_sources(cli: Cli, doc: str) -> None:
    cli("layers", "create", doc, "a*b", code=1)
    assert "must not contain '*'" in cli.err
    with pytest.raises(SystemExit) as exc:
        main(["layers", "create", doc, "x", "--from", "a", "--instant-json", "f.json"])
    assert exc.value.code == 2


def test_broken_and_encrypted_pdfs_are_user_errors(cli: Cli) -> None:
    cli("import", str(corpus_file("truncated.pdf")), code=1)
    assert "truncated.pdf" in cli.err
    cli("import", str(corpus_file("encrypted-file.pdf")), code=1)
    assert "password" in cli.err.lower()
    cli("import", str(corpus_file("encrypted-file.pdf")), "--password", "wrong", code=1)
    assert "password" in cli.err.lower()
    cli("import", str(corpus_file("random-bytes.pdf")), code=1)
    assert "not a PDF" in cli.err
    assert cli.json("documents") == []  # nothing half-imported
    assert not list((cli.data / "assets").rglob("*.pdf"))
    assert cli("import", str(corpus_file("encrypted-file.pdf")), "--password", "test").strip()
    assert cli.json("documents") != []


def test_console_script_exit_codes(tmp_path: Path) -> None:
    exe = [sys.executable, "-m", "reviewer_app", "--data-dir", str(tmp_path)]
    bad_usage = subprocess.run([*exe, "layers"], capture_output=True, text=True)
    assert bad_usage.returncode == 2
    missing = subprocess.run([*exe, "layers", "list", "X"], capture_output=True, text=True)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    version = subprocess.run([*exe, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("reviewer-app ")


def test_export_one_layer_and_all_layers(cli: Cli, doc: str, tmp_path: Path) -> None:
    import pymupdf

    cli("layers", "create", doc, "alice")
    cli("layers", "create", doc, "bob/2")
    out = tmp_path / "alice.pdf"
    result = cli.json("export", doc, "--layer", "alice", "-o", str(out))
    expected = {"files": [str(out)], "flattened": False, "comments_summary": False, "skipped": []}
    assert result == expected
    assert pymupdf.open(out).page_count >= 1
    flat = tmp_path / "flat.pdf"
    cli("export", doc, "--flatten", "-o", str(flat))
    assert all(not list(page.annots()) for page in pymupdf.open(flat))
    folder = tmp_path / "all"
    printed = cli("export", doc, "--all-layers", "-o", str(folder))
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["alice.pdf", "bob_2.pdf"]  # the default layer changed nothing
    assert str(folder / "alice.pdf") in printed
    assert "[2/2]" in cli.err
    cli("export", doc, "--all-layers", "--include-default", "-o", str(tmp_path / "with"))
    assert sorted(p.name for p in (tmp_path / "with").iterdir())[-1] == "default.pdf"


def add_note(cli: Cli, doc: str, layer: str, words: str) -> None:
    from reviewer_app.engine import LayerEngine

    note = {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": 1,
        "bbox": [100, 100, 24, 24],
        "opacity": 1,
        "icon": "comment",
        "color": "#ffd54f",
        "creatorName": "Ms Okafor",
        "text": {"format": "plain", "value": words},
    }
    with LayerEngine(cli.data) as engine:
        engine.create_records(doc, layer, "annotation", [note])


def test_export_chosen_layers_and_the_default_layer_once_it_changed(
    cli: Cli, doc: str, tmp_path: Path
) -> None:
    for name in ("alice", "bob", "carol"):
        cli("layers", "create", doc, name)
    cli("export", doc, "--layers", "carol", "alice", "-o", str(tmp_path / "two"))
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == ["alice.pdf", "carol.pdf"]
    assert "[1/2] carol" in cli.err and "[2/2] alice" in cli.err  # in the order given
    cli("export", doc, "--layers", "", "-o", str(tmp_path / "default"))
    assert [p.name for p in (tmp_path / "default").iterdir()] == ["default.pdf"]
    add_note(cli, doc, "", "for everyone")
    cli("export", doc, "--all-layers", "-o", str(tmp_path / "all"))
    names = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert names == ["alice.pdf", "bob.pdf", "carol.pdf", "default.pdf"]
    cli("export", doc, "--layer", "alice", "--include-default", "-o", "x.pdf", code=1)
    assert "--include-default goes with --all-layers" in cli.err


def test_a_layer_that_does_not_exist_yet_exports_as_the_base_layer(
    cli: Cli, doc: str, tmp_path: Path
) -> None:
    from reviewer_app.pdf import extract_base_layer

    def annotations(path: Path) -> list[tuple[object, object]]:
        found = extract_base_layer(path.read_bytes()).records
        return sorted(
            (r.content["type"], r.content["bbox"]) for r in found if r.kind == "annotation"
        )

    out = tmp_path / "nobody.pdf"
    result = cli.json("export", doc, "--layer", "nobody", "-o", str(out))
    assert result["files"] == [str(out)]  # type: ignore[index]
    assert "'nobody' does not exist yet" in cli.err
    base = annotations(sample_document())
    assert base and annotations(out) == base
    cli("export", doc, "--layers", "nobody", "somebody", "-o", str(tmp_path / "both"))
    assert annotations(tmp_path / "both" / "somebody.pdf") == base
    assert "nobody" not in str(cli.json("layers", "list", doc))  # nothing was created


def test_comments_summary_follows_flatten_unless_told(cli: Cli, doc: str, tmp_path: Path) -> None:
    import pymupdf

    add_note(cli, doc, "dana", "Show your working")
    pages = pymupdf.open(sample_document()).page_count

    def export(*options: str) -> tuple[int, str]:
        out = tmp_path / "dana.pdf"
        cli("export", doc, "--layer", "dana", *options, "-o", str(out))
        with pymupdf.open(out) as pdf:
            return pdf.page_count, pdf[pdf.page_count - 1].get_text()

    count, last = export("--flatten")
    assert count == pages + 1 and "Show your working" in last and "Ms Okafor" in last
    assert "Layer: dana ·" in last and "Page 2" in last
    assert export()[0] == pages
    assert export("--flatten", "--no-comments-summary")[0] == pages
    assert export("--comments-summary")[0] == pages + 1
    result = cli.json("export", doc, "--layer", "dana", "--flatten", "-o", str(tmp_path / "j.pdf"))
    assert result["comments_summary"] is True  # type: ignore[index]


def test_export_errors_exit_1(cli: Cli, doc: str, tmp_path: Path) -> None:
    cli("export", doc, "--layer", "a*b", "-o", str(tmp_path / "x.pdf"), code=1)
    assert "invalid layer name" in cli.err and len(cli.err.strip().splitlines()) == 1
    cli("export", doc, "-o", str(tmp_path / "missing" / "dir" / "x.pdf"), code=1)
    assert cli.err.startswith("reviewer-app: error: cannot write")


def test_instant_export_carries_pictures_to_another_machine(
    cli: Cli, doc: str, tmp_path: Path
) -> None:
    from reviewer_app.engine import LayerEngine

    png = b"\x89PNG\r\n\x1a\n" + b"a picture"
    with LayerEngine(cli.data) as engine:
        sha = engine.add_attachment(png)
        image = {"v": 2, "type": "pspdfkit/image", "pageIndex": 0, "bbox": [10, 10, 50, 40]}
        engine.create_records(doc, "pics", "annotation", [{**image, "imageAttachmentId": sha}])
    out = tmp_path / "pics.json"
    cli("instant", "export", doc, "--layer", "pics", "-o", str(out))
    assert json.loads(out.read_text())["attachments"][sha]["contentType"] == "image/png"
    elsewhere = Cli(tmp_path / "elsewhere", cli.capsys)
    there = elsewhere("import", str(sample_document())).strip()
    elsewhere("instant", "import", there, str(out), "--layer", "pics")
    with LayerEngine(elsewhere.data) as engine:
        assert engine.attachment(sha) == png


NO_QT = """
import sys
from reviewer_app.cli import main
data, pdf = sys.argv[1:]
code = main(["--data-dir", data, "import", pdf]) + main(["--data-dir", data, "documents"])
print(code, sorted(m for m in sys.modules if m.startswith(("PySide6", "reviewer_app.ui"))))
"""


def test_layer_commands_never_load_qt(tmp_path: Path) -> None:
    """Only starting the app loads the UI: a layer command runs where Qt cannot."""
    args = [sys.executable, "-c", NO_QT, str(tmp_path), str(sample_document())]
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 []"


def test_every_command_is_in_the_readme() -> None:
    """The README's command-line section names every command and action the parser has."""
    import argparse

    from reviewer_app.cli.parser import build_parser

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]

    def commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
        found = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    nested = commands(sub, f"{prefix}{name} ")
                    found += nested or [f"{prefix}{name}"]
        return found

    listed = commands(build_parser())
    assert {"import", "layers create", "instant import", "xfdf export", "export", "grades"} <= set(
        listed
    )
    assert [c for c in listed if f"\n  {c} " not in section] == []


def test_a_thread_in_instant_json_goes_in_and_out_of_the_command_line(
    cli: Cli, doc: str, tmp_path: Path
) -> None:
    """The issue's report: a highlight rooting a thread and its comment, imported with
    ``instant import`` (and ``layers create --instant-json``), were answered with no error
    and exported without the comment."""
    root = {
        "v": 2,
        "id": "01HBDGR9D5JTFERPSCEMNH5GPG",
        "type": "pspdfkit/markup/highlight",
        "pageIndex": 0,
        "bbox": [60, 60, 100, 14],
        "rects": [[60, 60, 100, 14]],
        "color": "#fcee7c",
        "isCommentThreadRoot": True,
    }
    comment = {
        "v": 2,
        "type": "pspdfkit/comment",
        "id": "01HBDGRC0MMENT0000000000001",
        "rootId": root["id"],
        "pageIndex": 0,
        "text": {"format": "xhtml", "value": "Annotation with <b>xhtml</b> contents."},
        "creatorName": "John Doe",
        "createdAt": "2019-09-16T15:05:03.712909Z",
        "updatedAt": "2019-09-16T15:05:03.712909Z",
    }
    file = tmp_path / "thread.json"
    body = {"format": "https://pspdfkit.com/instant-json/v1", "annotations": [root]}
    file.write_text(json.dumps({**body, "comments": [comment]}))
    imported = cli.json("instant", "import", doc, str(file), "--layer", "t")
    assert isinstance(imported, dict) and imported["errors"] == [], imported
    out = tmp_path / "out.json"
    cli("instant", "export", doc, "--layer", "t", "-o", str(out))
    (back,) = json.loads(out.read_text())["comments"]
    assert back == comment  # as it was written, nothing lost or added
    created = cli.json("layers", "create", doc, "t2", "--instant-json", str(out))
    assert isinstance(created, dict) and created["errors"] == []
    cli("instant", "export", doc, "--layer", "t2", "-o", str(out))
    assert json.loads(out.read_text())["comments"] == [back]
    file.write_text(json.dumps({**body, "annotations": [], "comments": [comment]}))
    lost = cli.json("instant", "import", doc, str(file), "--layer", "t3")
    assert isinstance(lost, dict) and "its root annotation" in lost["errors"][0]["reason"]


def test_a_reader_that_stops_early_ends_the_command_quietly(cli: Cli, doc: str) -> None:
    """``instant export -o - | head``: the command's output outgrows the pipe, the reader
    closes it; no BrokenPipeError traceback, exit code 141 (as a SIGPIPE)."""
    from reviewer_app.engine import LayerEngine

    note = {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": 0,
        "bbox": [10, 10, 24, 24],
        "icon": "note",
    }
    notes = [note | {"text": {"format": "plain", "value": f"note {n} " * 8}} for n in range(600)]
    with LayerEngine(cli.data) as engine:
        engine.create_records(doc, "", "annotation", notes)
    exe = [sys.executable, "-m", "reviewer_app", "--data-dir", str(cli.data)]
    for command in (["instant", "export", doc, "-o", "-"], ["--json", "annotations", "list", doc]):
        run = subprocess.Popen([*exe, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert run.stdout is not None and run.stderr is not None
        assert run.stdout.read(100)  # the head of it, then the reader goes
        run.stdout.close()
        errors = run.stderr.read().decode()
        assert run.wait() == 141, errors
        assert errors == ""
