"""The wheel in a fresh venv: it carries its resources and passes --self-test outside the repo."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from reviewer_app import __version__

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "io.github.reviewer_app.Reviewer"
IN_WHEEL = [
    "reviewer_app/resources/sample-worksheet.pdf",
    "reviewer_app/resources/icons/reviewer.svg",
    f"reviewer_app/resources/icons/hicolor/256x256/apps/{APP_ID}.png",
    f"reviewer_app/resources/desktop/{APP_ID}.desktop",
    f"reviewer_app/resources/desktop/{APP_ID}.metainfo.xml",
    "reviewer_app/pdf/render_worker.py",
    "reviewer_app/ui/self_test.py",
]
IN_SDIST = ["resources/sample-worksheet.pdf", "packaging/reviewer.spec", "packaging/Dockerfile"]


def run(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run a command with a clean environment (no PYTHONPATH, no display); fail loudly."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONNOUSERSITE="1")
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done


def base_python() -> str:
    """The interpreter this venv was made from: it has no reviewer_app installed."""
    return getattr(sys, "_base_executable", sys.executable)


def venv_bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "-w", out, cwd=out)
    (built,) = out.glob("reviewer_app-*.whl")
    return built


@pytest.mark.slow
def test_wheel_carries_resources_and_desktop_metadata(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in IN_WHEEL if name not in names]
    assert not missing, f"not in {wheel.name}: {missing}"
    assert not any(name.startswith("tests/") for name in names)


@pytest.mark.slow
def test_sdist_carries_resources_and_packaging(tmp_path: Path) -> None:
    import hatchling.build as hatchling_build  # in the dev extra: a missing one is a failure

    name = hatchling_build.build_sdist(str(tmp_path))
    with tarfile.open(tmp_path / name) as sdist:
        names = {member.split("/", 1)[1] for member in sdist.getnames() if "/" in member}
    missing = [name for name in IN_SDIST if name not in names]
    assert not missing, f"not in the sdist: {missing}"


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_passes_the_self_test(wheel: Path, tmp_path: Path) -> None:
    venv, outside = tmp_path / "venv", tmp_path / "elsewhere"
    outside.mkdir()
    run(base_python(), "-m", "venv", venv, cwd=outside)
    python = venv_bin(venv, "python")
    # The same dependency versions as this venv (and pip's cache): fast, and never the
    # PySide6 release pyproject.toml excludes.
    frozen = run(sys.executable, "-m", "pip", "freeze", "--exclude-editable", cwd=outside)
    pins = [line for line in frozen.stdout.splitlines() if not line.startswith("reviewer")]
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
    run(python, "-m", "pip", "install", "--quiet", "-c", constraints, wheel, cwd=outside)

    where = run(python, "-c", "import reviewer_app; print(reviewer_app.__file__)", cwd=outside)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    app = venv_bin(venv, "reviewer-app")
    assert run(app, "--version", cwd=outside).stdout.strip() == f"reviewer-app {__version__}"

    out = run(app, "--self-test", cwd=outside, timeout=120).stdout
    lines = out.splitlines()
    resources = next(line for line in lines if line.startswith("ok   find resources"))
    found = Path(resources.split(": ", 1)[1])
    assert found.is_relative_to(venv) and found.name == "resources", resources
    assert any(line.startswith("ok   render page 1") for line in lines), out
    assert lines[-1].startswith("all steps passed"), out
