"""Server tokens kept in the system keyring, or in a file only the user can read."""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path

import platformdirs

SERVICE = "Reviewer sync"
FILE_NAME = "sync-credentials.json"


class CredentialError(Exception):
    """The credentials file is unsafe (readable by others) or unreadable."""


class MissingToken(CredentialError):
    """No token is kept for a server (deleted from the keyring, or never saved)."""


def keyring_usable() -> bool:
    """Whether a real keyring backend exists (not the "fail" or "null" one)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        return not isinstance(backend, fail.Keyring) and float(backend.priority) > 0
    except Exception:  # a broken keyring setup is "no keyring"
        return False


class CredentialStore:
    """Tokens per server URL: in the system keyring when one is usable, else in a JSON file
    under the user's config folder, created with mode 0600 and refused if others can read it."""

    def __init__(self, path: Path | None = None, *, use_keyring: bool | None = None) -> None:
        config = Path(platformdirs.user_config_dir("Reviewer", appauthor=False))
        self.path = path or config / FILE_NAME
        self.use_keyring = keyring_usable() if use_keyring is None else use_keyring

    def get(self, url: str) -> str | None:
        if self.use_keyring:
            import keyring

            return keyring.get_password(SERVICE, url)
        return self._read().get(url)

    def set(self, url: str, token: str) -> None:
        if self.use_keyring:
            import keyring

            keyring.set_password(SERVICE, url, token)
            return
        tokens = self._read()
        tokens[url] = token
        self._write(tokens)

    def delete(self, url: str) -> None:
        if self.use_keyring:
            import keyring
            from keyring.errors import PasswordDeleteError

            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(SERVICE, url)
            return
        tokens = self._read()
        if tokens.pop(url, None) is not None:
            self._write(tokens)

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        mode = self.path.stat().st_mode
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise CredentialError(
                f"{self.path} can be read by other users (mode {stat.S_IMODE(mode):o}); "
                f"run: chmod 600 {self.path}"
            )
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CredentialError(f"cannot read {self.path}: {exc}") from exc
        if not isinstance(data, dict):
            raise CredentialError(f"{self.path} does not hold a JSON object")
        return {str(k): str(v) for k, v in data.items()}

    def _write(self, tokens: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(tokens, file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, self.path)
