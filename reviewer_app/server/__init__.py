"""HTTP server over the engine: Document Engine's layer API, authentication, the sync extension."""
