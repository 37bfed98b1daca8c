"""Document Engine's ``url`` upload form, made safe: the server fetches a PDF only from a public
address (never from itself, its network or the cloud's metadata service), connects to the very
address it checked (a name cannot resolve elsewhere between the check and the fetch), follows
no redirect, and stops at the upload limit."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable
from urllib.parse import urlsplit

from reviewer_app.server.errors import ApiError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
CHUNK = 1 << 20
TIMEOUT = 30
"""Seconds to connect, and between two reads."""


def _private(address: Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        return _private(mapped)
    return not address.is_global or address.is_multicast


def public_address(url: str) -> tuple[str, int, Address]:
    """The host, port and the one address the server may fetch ``url`` from; 400 saying why
    for anything but http(s) to a host whose every address is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ApiError(400, "the url must start with http:// or https://")
    if parts.username or parts.password:
        raise ApiError(400, "the url must not hold a user name or password")
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ApiError(400, "the url's port is not a number from 0 to 65535") from None
    if not host:
        raise ApiError(400, "the url names no host")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ApiError(400, f"the url's host {host[:100]!r} cannot be resolved") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    refused = [a for a in addresses if _private(a)]
    if refused or not addresses:
        raise ApiError(
            400,
            f"the url's host {host[:100]!r} is {refused[0] if refused else 'nowhere'}, a private "
            "or local address: the server fetches documents from public addresses only",
        )
    return host, port, addresses[0]


class _PinnedHttps(http.client.HTTPSConnection):
    """HTTPS to one address, the certificate checked against the host's name."""

    def __init__(self, address: str, port: int, name: str) -> None:
        super().__init__(address, port, timeout=TIMEOUT, context=ssl.create_default_context())
        self.name = name

    def connect(self) -> None:
        raw = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.name)  # type: ignore[attr-defined]


def fetch(url: str, take: Callable[[bytes], None], limit: int) -> None:
    """Fetch ``url`` (see :func:`public_address`) into ``take`` a megabyte at a time; 400 for
    an answer other than 200 (a redirect included), 413 past ``limit`` bytes."""
    host, port, address = public_address(url)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHttps(str(address), port, host)
    else:
        connection = http.client.HTTPConnection(str(address), port, timeout=TIMEOUT)
    try:
        try:
            connection.request("GET", target, headers={"Host": parts.netloc})
            answer = connection.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            raise ApiError(400, f"the url could not be fetched: {str(exc)[:200]}") from None
        if answer.status != 200:
            raise ApiError(400, f"fetching the url answered {answer.status}, not 200")
        size = 0
        while chunk := answer.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise ApiError(413, f"the document at the url is over {limit} bytes")
            take(chunk)
    finally:
        connection.close()
