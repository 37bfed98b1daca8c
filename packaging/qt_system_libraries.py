"""Check that Qt's X11 platform plugin finds its system libraries (`make run` runs this first).

PySide6's wheels bring Qt but not the X11 libraries its xcb plugin loads; on a fresh Debian
or Ubuntu desktop some are missing (libxcb-cursor0 first of all) and the app dies with
"Could not load the Qt platform plugin xcb". This asks `ldd` which libraries the plugin
cannot find, names the Debian packages that hold them, installs them when run as root with
--install, and otherwise prints the one apt-get line to run. Exit code 0: nothing missing
(or all installed), 1: something is missing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

# soname → the Debian / Ubuntu package that holds it
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames `ldd` reports as "not found", in order, each once."""
    found: list[str] = []
    for line in ldd_output.splitlines():
        name, arrow, where = line.strip().partition("=>")
        if arrow and where.strip() == "not found" and name.strip() not in found:
            found.append(name.strip())
    return found


def packages_for(sonames: list[str]) -> tuple[list[str], list[str]]:
    """The packages holding ``sonames``, and the sonames no package is known for."""
    packages = sorted({PACKAGES[s] for s in sonames if s in PACKAGES})
    return packages, [s for s in sonames if s not in PACKAGES]


def plugin_files() -> list[Path]:
    """Qt's xcb platform plugin and the library it is built on, in the installed PySide6."""
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    return [qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"]


def ldd(path: Path) -> str:
    result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="apt-get install when root")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return 0
    sonames: list[str] = []
    for path in plugin_files():
        if path.is_file():
            sonames += [s for s in missing_libraries(ldd(path)) if s not in sonames]
    if not sonames:
        return 0
    packages, unknown = packages_for(sonames)
    line = "apt-get install -y " + " ".join(packages)
    if args.install and packages and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Qt's X11 plugin needs {', '.join(sonames)}: installing {' '.join(packages)}")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        if subprocess.run(line.split(), check=False).returncode == 0 and not unknown:
            return 0
    print(f"Qt's X11 plugin cannot find: {', '.join(sonames)}.", file=sys.stderr)
    if packages:
        print(f"Install them with:  sudo {line}", file=sys.stderr)
    if unknown:
        print(
            f"(no package known for {', '.join(unknown)}: look it up with apt-file)",
            file=sys.stderr,
        )
    return 1


if __name__ == "__main__":
    sys.exit(main())
