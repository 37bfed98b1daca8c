"""The tool framework (``Tool``, ``PageTools`` routing the page view to the tool in use, the
tool actions) and editing what is drawn: the select tool and its handles, typing text in place,
the Properties dock and the annotation clipboard."""
