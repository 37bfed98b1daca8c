"""The annotation tools (one module per kind), the PageTools that routes the page view to them, and
what acts on their selection: the Properties dock and the annotation clipboard."""
