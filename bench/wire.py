"""Bytes as on the wire: a TCP relay on 127.0.0.1 between a client and the server that counts
every byte each way (HTTP request lines, headers, bodies, chunk framing; TCP/IP headers are
below it and not counted) and every connection opened."""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import urlsplit


class WireCounter:
    """``url`` is the relay's address; point a client at it instead of ``target``."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.sent = 0  # client to server
        self.received = 0  # server to client
        self.connections = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    @property
    def total(self) -> int:
        return self.sent + self.received

    def snapshot(self) -> tuple[int, int]:
        with self.lock:
            return self.sent, self.received

    def accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self.lock:
                self.connections += 1
            threading.Thread(target=self.pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self.pump, args=(server, client, False), daemon=True).start()

    def pump(self, source: socket.socket, sink: socket.socket, upstream: bool) -> None:
        try:
            while chunk := source.recv(65536):
                with self.lock:  # counted before it goes on: a reader sees it counted
                    if upstream:
                        self.sent += len(chunk)
                    else:
                        self.received += len(chunk)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()
