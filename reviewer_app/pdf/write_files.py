"""File names for layer PDFs, and writing a file so that no partial one is ever left behind."""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

DEFAULT_LAYER_FILE = "default"
_ILLEGAL = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$")  # Windows device names
_MAX_STEM = 120  # bytes of UTF-8; leaves room for a suffix and ".pdf" under 255


def file_stem(layer: str) -> str:
    """A file name stem for a layer name, legal on Linux, macOS and Windows."""
    stem = _ILLEGAL.sub("_", layer).strip().rstrip(".")
    if not stem:
        return DEFAULT_LAYER_FILE if layer == "" else "_"
    if _RESERVED.match(stem):
        stem = f"_{stem}"
    encoded = stem.encode("utf-8")[:_MAX_STEM]
    return encoded.decode("utf-8", "ignore")


def layer_file_names(layers: Iterable[str]) -> dict[str, str]:
    """``{layer: "name.pdf"}``: sanitised names, unique without regard to case (a collision
    gets `` (2)``, `` (3)``...)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for layer in layers:
        stem = file_stem(layer)
        candidate, number = f"{stem}.pdf", 1
        while candidate.casefold() in taken:
            number += 1
            candidate = f"{stem} ({number}).pdf"
        taken.add(candidate.casefold())
        names[layer] = candidate
    return names


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename, so
    ``path`` holds either its old content or all of ``data``.

    The file gets the mode any new file gets (``0666`` less the process umask, applied by
    the system as it creates the temporary file), or keeps the mode of the file it replaces."""
    handle, temp = _create_temporary(path)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if path.exists():
                os.chmod(temp, stat.S_IMODE(path.stat().st_mode))
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _create_temporary(path: Path) -> tuple[int, Path]:
    """A new, empty, hidden file beside ``path``, open for writing, mode ``0666`` less the
    umask (``tempfile.mkstemp`` would make it ``0600``: a layer PDF on a shared drive is
    meant to be read by others)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = path.parent / f".{path.name}.{secrets.token_hex(4)}.part"
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))
