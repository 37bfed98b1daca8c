"""The README documents every HTTP endpoint the server has (a new route needs a line there)."""

from __future__ import annotations

import re
from pathlib import Path

from reviewer_app.server.app import create_app
from reviewer_app.server.config import ServerConfig

README = Path(__file__).resolve().parents[2] / "README.md"
DOC = "/api/documents/{document_id}"
LAYER = "/layers/{layer}"


def documented_form(path: str) -> str:
    """How the README names a route: the part after the document (and layer) prefix, which
    it writes once for the default layer and every named one (``…/annotations/{aid}``)."""
    tail = path.removeprefix(DOC) if path.startswith(DOC + "/") else path
    if tail.startswith(LAYER + "/"):
        tail = tail.removeprefix(LAYER)
    return tail


def pattern(form: str) -> re.Pattern[str]:
    """``form`` with any ``{name}`` matching any other ``{name}`` (``{aid}`` for ``{id}``)."""
    parts = re.split(r"\{[^}]*\}", form)
    return re.compile(r"\{[^}]*\}".join(re.escape(p) for p in parts) + r"(?![\w.-])")


def test_every_endpoint_is_in_the_readme(tmp_path: Path) -> None:
    app = create_app(ServerConfig(tmp_path, insecure_no_auth=True))
    paths = list(app.openapi()["paths"])
    assert f"{DOC}/layers/{{layer}}/attachments/{{attachment_id}}" in paths
    readme = README.read_text(encoding="utf-8")
    missing = [p for p in paths if not pattern(documented_form(p)).search(readme)]
    assert missing == [], f"document these endpoints in README.md: {missing}"


def test_the_check_notices_an_undocumented_route() -> None:
    readme = "GET …/annotations/{aid} and /layers/{layer}/pdf"
    assert pattern(documented_form(f"{DOC}/layers/{{layer}}/annotations/{{x}}")).search(readme)
    assert not pattern(documented_form(f"{DOC}/annotations/{{x}}/comments")).search(readme)
    assert not pattern(documented_form(f"{DOC}/layers/{{layer}}/pdf_with_instant_json")).search(
        readme
    )


def _listed(readme: str, start: str, end: str) -> set[tuple[str, str]]:
    block = readme.split(f"<!-- de-routes:{start} -->", 1)[1].split(f"<!-- de-routes:{end} -->")[0]
    found = re.findall(r"^\s*(GET|POST|PUT|DELETE)\s+(/api\S*)\s*$", block, re.MULTILINE)
    return {(method, path) for method, path in found}


def test_the_readme_lists_every_document_engine_route_served_or_not(tmp_path: Path) -> None:
    """Each of DE 1.9.0's operations, in DE's own spelling, once: under served if the server
    has it, else under not served (with its reason beside it)."""
    from tests.server.conformance import claimed, operations

    app = create_app(ServerConfig(tmp_path, insecure_no_auth=True))
    ours = claimed(app.openapi())
    spec = {route: (op.method, op.path) for route, op in operations().items()}
    readme = README.read_text(encoding="utf-8")
    served = _listed(readme, "served", "not-served")
    not_served = _listed(readme, "not-served", "end")
    assert served == {spec[r] for r in ours}
    assert not_served == {spec[r] for r in spec if r not in ours}
