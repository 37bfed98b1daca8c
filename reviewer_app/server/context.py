"""What a request works on: the engine, the caller, and the document and layer in its path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from reviewer_app.engine import DEFAULT, LayerEngine, Writer
from reviewer_app.engine.layers import check_name, check_shared_name, path_problem
from reviewer_app.pdf.sandbox import PdfSandbox
from reviewer_app.server.auth import READ, Authenticator, Principal
from reviewer_app.server.config import ServerConfig


def engine_of(request: Request) -> LayerEngine:
    engine: LayerEngine = request.app.state.engine
    return engine


def config_of(request: Request) -> ServerConfig:
    config: ServerConfig = request.app.state.config
    return config


def sandbox_of(request: Request) -> PdfSandbox:
    """The worker processes that run PyMuPDF on the documents (see pdf/sandbox.py)."""
    sandbox: PdfSandbox = request.app.state.sandbox
    return sandbox


# The dependencies below are ``async``: FastAPI runs a plain ``def`` dependency on the thread
# pool, a hand-over to a thread and back for each, which cost more than their own work (a
# remembered token, a name check) on every request.


async def caller(request: Request) -> Principal:
    """The authenticated caller (401 without credentials, 403 with bad ones)."""
    auth: Authenticator = request.app.state.auth
    return auth.authenticate(request.headers.get("authorization"))


Caller = Annotated[Principal, Depends(caller)]


@dataclass(frozen=True)
class Target:
    """A document and one of its layers, as named by the path, and who asks for them."""

    engine: LayerEngine
    config: ServerConfig
    principal: Principal
    document_id: str
    layer: str
    scoped: bool

    def require(self, permission: str) -> None:
        """403 unless the caller may use ``permission`` on this document and layer."""
        self.principal.require(self.document_id, permission, self.layer)

    def user(self, claimed: str | None) -> str | None:
        """Who a change is made by: a client's token decides; the server token may say."""
        return claimed if self.principal.server else self.principal.user_id

    @property
    def writer(self) -> Writer | None:
        """Who writes, for the pictures an image record may name (see picture_rule)."""
        return writer_of(self.principal)


def writer_of(principal: Principal) -> Writer | None:
    """The :class:`Writer` a caller is: the layers its token lets it read (none without
    ``read-document``); None for the server token, which may read everything anyway."""
    if principal.server:
        return None
    if READ not in principal.permissions:
        return Writer(frozenset())
    return Writer(principal.layers)


async def default_layer(request: Request, document_id: str, principal: Caller) -> Target:
    """The default layer ``""`` of the document (the routes without ``/layers/{layer}``)."""
    return Target(
        engine_of(request), config_of(request), principal, document_id, DEFAULT, scoped=False
    )


async def named_layer(request: Request, document_id: str, layer: str, principal: Caller) -> Target:
    """The layer named in the path (400 for a name the rules forbid). A name a URL path cannot
    carry is refused too unless the layer exists (from before the rule): any write would
    create it (``%2E%2E`` reaches us as ``..``)."""
    check_name(layer)
    engine = engine_of(request)
    if path_problem(layer) is not None and not await run_in_threadpool(
        engine.has_layer, document_id, layer
    ):
        check_shared_name(layer)
    return Target(engine, config_of(request), principal, document_id, layer, True)


DefaultLayer = Annotated[Target, Depends(default_layer)]
NamedLayer = Annotated[Target, Depends(named_layer)]
