"""Connect to Server: the server's address, the token and the document, checked with the server
before anything is kept."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.sync import SyncError, explain, log_failure, read_token
from reviewer_app.sync.messages import server_name
from reviewer_app.ui.core.tasks import TaskRunner

Check = Callable[[str, str, str], object]
"""Asks the server whether (url, token, document id) works; raises what sync raises if not."""

ERROR_STYLE = "color: #b00020;"
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def server_url(text: str) -> str | None:
    """The server address typed (``https://`` added when no scheme is given), without a
    trailing slash; None when it is not an http(s) address with a host."""
    text = text.strip()
    if not text or any(c.isspace() for c in text):
        return None
    if "://" not in text:
        text = f"http://{text}" if is_loopback(f"//{text}") else f"https://{text}"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.query or not is_host(parts.hostname):
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def is_host(name: str | None) -> bool:
    """An IP address or a DNS name (labels of letters, digits and hyphens, 63 at most)."""
    if not name:
        return False
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return len(ascii_name) <= 253 and all(_LABEL.fullmatch(p) for p in ascii_name.split("."))


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token_summary(token: str) -> tuple[str, bool]:
    """What a token grants, in words, and whether that is fine (False: expired, unreadable)."""
    if not token:
        return "", True
    try:
        info = read_token(token)
    except SyncError:
        return "This is not a token Reviewer can read: check that it was pasted whole.", False
    if info.server:
        return "The server's own token: every document and every layer.", True
    if info.layers is None:
        layers = "every layer"
    elif info.own_layer is not None:
        layers = f"your layer “{info.own_layer or 'Default layer'}”"
    else:
        layers = "the layers " + ", ".join(f"“{n}”" for n in sorted(info.layers))
    access = "read and change" if info.write else "read only"
    parts = [f"{access.capitalize()}: {layers}"]
    if info.expires is not None:
        when = info.expires.astimezone().strftime("%d %b %Y %H:%M")
        if info.expired(datetime.now(UTC)):
            return f"This token expired on {when}. Ask for a new one.", False
        parts.append(f"valid until {when}")
    return ", ".join(parts) + ".", True


class ConnectDialog(QDialog):
    """Asks for the server URL, the token (JWT or server token) and the remote document id
    (filled from the token when it names one). Connect first asks the server, through
    ``check``, in the background: the dialog closes as accepted only when the server takes the
    token; otherwise it says why, and nothing is kept."""

    def __init__(
        self,
        parent: QWidget | None,
        url: str = "",
        document_id: str = "",
        token_for: Callable[[str], str | None] = lambda _url: None,
        check: Check | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to Server")
        self.setMinimumWidth(600)
        self.token_for, self.check = token_for, check
        self.tasks = TaskRunner(at_once=1, parent=self)
        self.checking = False
        self.url = QLineEdit(url, placeholderText="https://reviewer.example.org")
        self.url_note = QLabel(wordWrap=True)
        self.token = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("Paste the token you were given")
        self.token.setMinimumWidth(360)
        self.token.setFont(QFont("monospace"))
        self.paste = QPushButton("&Paste")
        self.reveal = QCheckBox("S&how")
        self.token_note = QLabel(wordWrap=True)
        self.document = QLineEdit(document_id, placeholderText="the document's id on the server")
        self.message = QLabel(wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for field, name in ((self.url, "Server URL"), (self.token, "Token")):
            field.setAccessibleName(name)
        self.document.setAccessibleName("Document id")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Connect")
        self._lay_out()
        self.buttons.accepted.connect(self.start_check)
        self.buttons.rejected.connect(self.reject)
        self.paste.clicked.connect(self._paste)
        self.reveal.toggled.connect(self._reveal)
        self.url.editingFinished.connect(self._fill_token)
        for field in (self.url, self.token, self.document):
            field.textChanged.connect(self._update)
        self._fill_token()
        self._update()

    def _lay_out(self) -> None:
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.paste)
        token_row.addWidget(self.reveal)
        form = QFormLayout()
        form.addRow("&Server URL:", self.url)
        form.addRow("", self.url_note)
        token_label = QLabel("&Token:")
        token_label.setBuddy(self.token)
        form.addRow(token_label, token_row)
        form.addRow("", self.token_note)
        form.addRow("&Document:", self.document)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _paste(self) -> None:
        text = QGuiApplication.clipboard().text().strip()
        if text:
            self.token.setText(text)

    def _reveal(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.token.setEchoMode(mode)

    def _fill_token(self) -> None:
        url = self.server_url()
        if not self.token.text() and url:
            self.token.setText(self.token_for(url) or "")

    def server_url(self) -> str:
        return server_url(self.url.text()) or ""

    def _update(self) -> None:
        """Say what is wrong with the fields as they are typed; Connect when all are there."""
        url = self.server_url()
        typed = self.url.text().strip()
        note = ""
        if typed and not url:
            note = "This is not a server address: it looks like https://reviewer.example.org"
        elif url.startswith("http://") and not is_loopback(url):
            note = "Without https:// the token crosses the network unencrypted."
        elif typed and "://" not in typed:
            note = f"Connects to {url}"
        self.url_note.setText(note)
        self.url_note.setStyleSheet(ERROR_STYLE if typed and not url else "")
        self.url_note.setVisible(bool(note))
        token = self.token.text().strip()
        summary, fine = token_summary(token)
        claimed = read_token(token).document_id if fine and token else None
        if claimed and not self.document_id():
            self.document.setText(claimed)  # comes back here once
            return
        if claimed and claimed != self.document_id():
            summary, fine = f"This token is for the document {claimed}, not this one.", False
        self.token_note.setText(summary)
        self.token_note.setStyleSheet("" if fine else ERROR_STYLE)
        self.token_note.setVisible(bool(summary))
        ready = bool(url) and bool(self.token.text().strip()) and bool(self.document_id())
        self.ok.setEnabled(ready and not self.checking)

    def document_id(self) -> str:
        return self.document.text().strip()

    def values(self) -> tuple[str, str, str]:
        return self.server_url(), self.token.text().strip(), self.document_id()

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")

    def start_check(self) -> None:
        """Ask the server in the background; accept only if it takes the token."""
        url, token, document_id = self.values()
        if not (url and token and document_id) or self.checking:
            return
        if self.check is None:
            self.accept()
            return
        check = self.check
        self.say(f"Checking the token with {server_name(url)}…")
        self.checking = True
        task = self.tasks.run(lambda _: check(url, token, document_id), name="sync: check token")
        task.returned.connect(lambda _: self._checked(None, url))
        task.errored.connect(lambda exc: self._checked(exc, url))
        self._update()

    def _checked(self, exc: BaseException | None, url: str) -> None:
        self.checking = False
        self._update()
        if exc is None:
            self.say("")
            self.accept()
            return
        log_failure(exc, f"checking the token with {url}")
        self.say(explain(exc, url), error=True)

    def done(self, result: int) -> None:
        self.tasks.shutdown()  # a check still running is abandoned, never waited for
        super().done(result)
