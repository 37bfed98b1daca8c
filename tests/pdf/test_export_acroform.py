"""Form values go into a form whose /AcroForm and /DR are indirect objects (issue 17, finding
2: PyMuPDF's key paths cannot pass through indirect objects, and the form fonts crashed)."""

from __future__ import annotations

from typing import Any

import pymupdf
import pytest

from reviewer_app.instant.records import LayerExport, Record
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import export_layer_pdf
from tests.pdf.cases import indirect_acroform


def _value(name: str, value: Any) -> Record:
    content = {"v": 1, "type": "pspdfkit/form-field-value", "name": name, "value": value}
    return Record("formFieldValue", name, content)


@pytest.mark.parametrize("flatten", [False, True])
def test_form_values_go_into_a_form_whose_acroform_and_dr_are_indirect(flatten: bool) -> None:
    values = [_value("name", "Jane Doe"), _value("agree", "Yes")]
    layer = LayerExport(write=tuple(values), remove_object_ids=frozenset(), shown=tuple(values))
    data = export_layer_pdf(indirect_acroform(), layer, flatten=flatten)
    doc = pymupdf.open(stream=data)
    assert "Jane Doe" in doc[0].get_text()
    if not flatten:
        got = {r.id: r.content["value"] for r in extract_base_layer(data).records}
        assert got == {"name": "Jane Doe", "agree": "Yes"}
        form = int(doc.xref_get_key(doc.pdf_catalog(), "AcroForm")[1].split()[0])
        resources = int(doc.xref_get_key(form, "DR")[1].split()[0])
        assert doc.xref_get_key(resources, "Font/ZaDb")[0] == "xref"  # the tick's font
