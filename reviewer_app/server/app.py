"""The FastAPI application: Document Engine's layer API and our sync extension over the engine."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from starlette.concurrency import run_in_threadpool

from reviewer_app import __version__
from reviewer_app.engine import LayerEngine
from reviewer_app.pdf.sandbox import REMEMBERED_FILE, PdfSandbox
from reviewer_app.server import (
    annotation_routes,
    attachment_routes,
    bookmarks,
    comment_routes,
    content_routes,
    documents,
    embedded_routes,
    errors,
    export_routes,
    grading_routes,
    image_routes,
    instruction_routes,
    layers,
    operations,
    search_routes,
    sync_routes,
    xfdf_routes,
)
from reviewer_app.server.auth import Authenticator
from reviewer_app.server.bodies import AccessLog, BodyLimit
from reviewer_app.server.config import ServerConfig
from reviewer_app.server.context import default_layer, named_layer
from reviewer_app.server.failures import InternalErrors
from reviewer_app.server.fair import PDF_WORK, UPLOAD, FairShare, HeavyGate
from reviewer_app.server.metrics import Metrics
from reviewer_app.server.storage import open_storage

DESCRIPTION = """\
A Document Engine 1.9.0 compatible server for Instant layers: documents, layers, annotations,
comments, bookmarks and form field values, on the default layer and under `/layers/{layer}`.

Authentication: `Authorization: Token token="<API_AUTH_TOKEN>"` (full access) or
`Authorization: Bearer <JWT>` signed with RS256/RS512/ES256/ES512, claims `exp`, `document_id`,
`permissions` (`read-document`, `write`, `download`), optional `layer` and `user_id`, and our
extension `layers` (a list of layer names, or `["*"]` for every layer of the document).

The routes tagged "Sync extension (Reviewer)" are ours, not Document Engine's.
"""

REFUSED_PDFS = REMEMBERED_FILE


def create_app(config: ServerConfig) -> FastAPI:
    """The application serving ``config.data_dir`` (the engine opens there now)."""
    auth = Authenticator(config)
    engine = LayerEngine(
        config.data_dir, config.database, storage=open_storage(config), pool_size=config.pool_size
    )
    for leftover in engine.remove_leftovers():  # a kill mid-upload (or mid-write) left it
        logging.getLogger(__name__).info(
            json.dumps({"event": "removed a half-written file", "path": str(leftover)})
        )
    # PyMuPDF runs on uploaded PDFs only in these worker processes (see pdf/sandbox.py): one
    # for each upload and each PDF request the gates let run; a PDF that crashed one is
    # remembered in the data folder and refused at once, after a restart too
    workers = 2 * config.heavy_running
    sandbox = PdfSandbox(workers=workers, remembered=config.data_dir / REFUSED_PDFS)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(sandbox.start)  # the first upload need not wait for a worker
        try:
            yield
        finally:
            sandbox.close()
            engine.close()

    app = FastAPI(
        title="Reviewer layer server",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.auth = auth
    app.state.engine = engine
    app.state.sandbox = sandbox
    errors.install(app)
    doc, layer = "/api/documents/{document_id}", "/api/documents/{document_id}/layers/{layer}"
    if config.sync_extension:
        # first: a request is matched against the routes in order, and every client's sync
        # (each 30 s) asks these; no other route takes their paths
        syncing = APIRouter()
        for base, target in ((layer, named_layer), (doc, default_layer)):
            sync_routes.register(syncing, base, target)
        app.include_router(syncing)
    app.include_router(documents.router)
    app.include_router(layers.router)
    app.include_router(search_routes.router)
    if config.sync_extension:
        app.include_router(grading_routes.router)
    records = APIRouter()
    for base, target in ((doc, default_layer), (layer, named_layer)):
        annotation_routes.register(records, base, target)
        comment_routes.register(records, base, target)
        attachment_routes.register(records, base, target)
        bookmarks.register(records, base, target)
        export_routes.register(records, base, target)
        content_routes.register(records, base, target)
        embedded_routes.register(records, base, target)
        image_routes.register(records, base, target)
        instruction_routes.register(records, base, target)
        xfdf_routes.register(records, base, target)
    app.include_router(records)

    operations.register(app)
    app.add_middleware(
        BodyLimit, upload_limit=config.max_upload_size, body_limit=config.max_body_size
    )
    gates = {
        kind: HeavyGate(config.heavy_per_token, config.heavy_running, config.heavy_queue)
        for kind in (UPLOAD, PDF_WORK)
    }
    app.add_middleware(FairShare, gates=gates, auth=auth)  # outside BodyLimit: sees its 413
    app.add_middleware(InternalErrors)  # outside BodyLimit (its 413), inside the access log
    app.add_middleware(AccessLog)
    app.add_middleware(Metrics, database=engine.db, paths=lambda: app.openapi()["paths"])
    return app
