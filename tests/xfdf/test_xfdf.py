"""XFDF both ways on the command line: a layer written as XFDF and read into a new layer gives
the same records; files written by hand after the XFDF 3.0 specification import; hostile and
broken XML is refused with a clear error and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewer_app.engine import LayerEngine
from reviewer_app.instant.records import Record
from tests.test_cli import Cli

WHEN = {"createdAt": "2026-11-30T09:15:00Z", "updatedAt": "2026-12-01T10:20:30Z"}


def common(i: int, kind: str, page: int = 0) -> dict[str, Any]:
    return {
        "v": 2,
        "id": f"r{i}",
        "type": kind,
        "pageIndex": page,
        "bbox": [40 + i * 3.25, 60 + i * 11.5, 80, 30],
        "opacity": 0.8,
        "creatorName": f"Author {i}",
        **WHEN,
    }


def every_kind() -> list[dict[str, Any]]:
    stroke = {"strokeColor": "#1e90ff", "strokeWidth": 2}
    records = [
        {
            **common(1, "pspdfkit/note"),
            "text": {"format": "plain", "value": "Ünïcode note"},
            "icon": "help",
            "color": "#ffd54f",
        },
        {
            **common(2, "pspdfkit/text"),
            "text": {"format": "plain", "value": "Free text"},
            "fontSize": 14,
            "font": "Helvetica",
            "fontColor": "#c00000",
            "horizontalAlign": "center",
            "verticalAlign": "top",
            "backgroundColor": "#ffffcc",
        },
        {
            **common(3, "pspdfkit/shape/line"),
            **stroke,
            "startPoint": [50, 100],
            "endPoint": [150, 140],
            "lineCaps": {"start": "circle", "end": "openArrow"},
        },
        {
            **common(4, "pspdfkit/shape/rectangle"),
            **stroke,
            "fillColor": "#eeeeee",
            "strokeDashArray": [3, 3],
            "note": "dashed",
        },
        {**common(5, "pspdfkit/shape/ellipse"), **stroke, "cloudyBorderIntensity": 2},
        {
            **common(6, "pspdfkit/shape/polygon"),
            **stroke,
            "points": [[60, 200], [120, 210], [90, 260]],
        },
        {
            **common(7, "pspdfkit/shape/polyline"),
            **stroke,
            "points": [[60, 300], [120, 310], [90, 360]],
            "lineCaps": {"end": "closedArrow"},
        },
        {
            **common(8, "pspdfkit/ink"),
            "strokeColor": "#008000",
            "lineWidth": 3,
            "lines": {
                "points": [[[50, 400], [70, 420], [90, 405]], [[60, 430], [80, 440]]],
                "intensities": [[0.5] * 3, [0.5] * 2],
            },
        },
        {**common(9, "pspdfkit/stamp", page=1), "stampType": "Approved", "color": "#00aa00"},
        {
            **common(10, "pspdfkit/stamp", page=1),
            "stampType": "Custom",
            "title": "GRADED",
            "color": "#aa0000",
        },
    ]
    for n, markup in enumerate(("highlight", "underline", "strikeout", "squiggly")):
        box = [72, 100 + n * 20, 150, 12]
        records.append(
            {
                **common(11 + n, f"pspdfkit/markup/{markup}", page=2),
                "bbox": box,
                "rects": [box, [72, 113 + n * 20, 90, 12]],
                "color": "#ffeb3b",
                "note": f"{markup} note",
            }
        )
    return records


def close(a: Any, b: Any) -> bool:
    """Equal, with numbers (at any depth) within 0.5 pt."""
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= 0.5
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    return bool(a == b)


COMPARED = (
    *("type", "pageIndex", "bbox", "opacity", "creatorName", "createdAt", "updatedAt"),
    *("text", "note", "icon", "color", "strokeColor", "fillColor", "strokeWidth", "lineWidth"),
    *("startPoint", "endPoint", "lineCaps", "points", "lines", "rects", "strokeDashArray"),
    *("cloudyBorderIntensity", "fontSize", "font", "fontColor", "horizontalAlign"),
    *("backgroundColor", "stampType", "title"),
)


def shown(data: Path, doc: str, layer: str) -> dict[str, Record]:
    with LayerEngine(data) as engine:
        return {r.id: r for r in engine.records(doc, layer) if r.kind == "annotation"}


def test_a_layer_read_back_from_its_xfdf_is_the_same_layer(
    cli: Cli,
    doc: str,
    tmp_path: Path,
) -> None:
    with LayerEngine(cli.data) as engine:
        engine.create_records(doc, "all", "annotation", every_kind())
        engine.set_form_field_values(doc, "all", [{"name": "name", "value": "Dana"}])
    out = tmp_path / "all.xfdf"
    report = cli.json("xfdf", "export", doc, "--layer", "all", "-o", str(out))
    assert isinstance(report, dict) and report["errors"] == []
    assert report["annotations"] >= len(every_kind())
    imported = cli.json("xfdf", "import", doc, str(out), "--layer", "copy")
    assert isinstance(imported, dict) and imported["errors"] == []
    before, after = shown(cli.data, doc, "all"), shown(cli.data, doc, "copy")
    for record in every_kind():
        a, b = before[record["id"]].content, after[record["id"]].content
        for key in COMPARED:
            assert close(a.get(key), b.get(key)), (record["type"], key, a.get(key), b.get(key))
    with LayerEngine(cli.data) as engine:
        values = {
            r.content["name"]: r.content["value"]
            for r in engine.records(doc, "copy")
            if r.kind == "formFieldValue"
        }
    assert values["name"] == "Dana"


SPEC_EXAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">
  <fields>
    <field name="name"><value>Jo Bloggs</value></field>
    <field name="answer"><value>evaporation</value></field>
  </fields>
  <annots>
    <highlight page="0" rect="72.0,700.0,300.0,714.0" color="#FFFF00" title="Teacher"
      creationdate="D:20261201083000+01'00'" name="spec-highlight" opacity="0.5"
      coords="72,714,300,714,72,700,300,700">
      <contents>Good sentence</contents>
    </highlight>
    <ink page="0" rect="100,100,200,200" color="#FF0000" width="2" name="spec-ink">
      <inklist><gesture>100,100;150,180;200,120</gesture></inklist>
    </ink>
    <freetext page="0" rect="300,500,450,540" justification="centered" name="spec-free"
      date="D:20261202120000Z">
      <contents>See me</contents>
      <defaultappearance>0 0 1 rg /Helv 12 Tf</defaultappearance>
    </freetext>
    <stamp page="0" rect="400,600,500,650" icon="Approved" color="#008000" name="spec-stamp"/>
    <sound page="0" rect="1,1,2,2" name="spec-sound"/>
    <square page="99" rect="1,1,2,2" name="spec-far"/>
  </annots>
</xfdf>
"""


def test_xfdf_written_by_hand_after_the_specification_imports(
    cli: Cli,
    doc: str,
    tmp_path: Path,
) -> None:
    path = tmp_path / "spec.xfdf"
    path.write_text(SPEC_EXAMPLE, encoding="utf-8")
    result = cli.json("xfdf", "import", doc, str(path), "--layer", "teacher")
    assert isinstance(result, dict)
    reasons = {e.get("name"): e["reason"] for e in result["errors"]}
    assert "<sound>" in reasons["spec-sound"] and "page '99'" in reasons["spec-far"]
    records = shown(cli.data, doc, "teacher")
    highlight = records["spec-highlight"].content
    assert highlight["type"] == "pspdfkit/markup/highlight" and highlight["color"] == "#ffff00"
    assert highlight["note"] == "Good sentence" and highlight["creatorName"] == "Teacher"
    assert highlight["createdAt"] == "2026-12-01T07:30:00Z" and highlight["opacity"] == 0.5
    ink = records["spec-ink"].content
    assert len(ink["lines"]["points"][0]) == 3 and ink["lineWidth"] == 2
    free = records["spec-free"].content
    assert free["text"]["value"] == "See me" and free["horizontalAlign"] == "center"
    assert free["fontColor"] == "#0000ff" and free["fontSize"] == 12
    assert records["spec-stamp"].content["stampType"] == "Approved"
    with LayerEngine(cli.data) as engine:
        values = {
            r.content["name"]: r.content["value"]
            for r in engine.records(doc, "teacher")
            if r.kind == "formFieldValue"
        }
    assert values["name"] == "Jo Bloggs" and values["answer"] == "evaporation"


BOMB = """<?xml version="1.0"?>
<!DOCTYPE xfdf [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots>
<text page="0" rect="1,1,20,20" name="boom"><contents>&e;</contents></text></annots></xfdf>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE xfdf [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots>
<text page="0" rect="1,1,20,20" name="leak"><contents>&secret;</contents></text></annots></xfdf>
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BOMB, "declares entities"),
        (EXTERNAL, "declares entities"),
        ("<xfdf><annots><text page='0'", "not well-formed"),
        ("<html><body/></html>", "not XFDF"),
    ],
)
def test_hostile_or_broken_xfdf_is_refused_and_changes_nothing(
    cli: Cli,
    doc: str,
    tmp_path: Path,
    text: str,
    message: str,
) -> None:
    path = tmp_path / "bad.xfdf"
    path.write_text(text, encoding="utf-8")
    before = json.loads(cli("instant", "export", doc, "-o", "-"))
    cli("xfdf", "import", doc, str(path), code=1)
    assert message in cli.err and "Traceback" not in cli.err
    assert json.loads(cli("instant", "export", doc, "-o", "-")) == before


def test_comment_threads_go_out_as_replies_and_states_and_come_back(
    cli: Cli, doc: str, tmp_path: Path
) -> None:
    highlight = {**common(30, "pspdfkit/markup/highlight"), "rects": [[72, 90, 200, 14]]}
    highlight |= {"bbox": [72, 90, 200, 14], "color": "#ffff00"}
    marker = {
        **common(31, "pspdfkit/comment-marker"),
        "bbox": [400, 100, 24, 24],
        "icon": "comment",
    }
    with LayerEngine(cli.data) as engine:
        engine.create_records(doc, "talk", "annotation", [highlight])
        asked = [
            {"text": {"format": "plain", "value": w}, "creatorName": "Ann"} for w in ("Why?", "So.")
        ]
        engine.add_comments(doc, "talk", "r30", asked)
        engine.set_thread_state(doc, "talk", "r30", "resolved", by="Ms Okafor")
        said = [
            {"text": {"format": "plain", "value": w}, "creatorName": "Sam"} for w in ("Hi", "Then")
        ]
        firsts = [(comment, "Sam", None) for comment in said]
        engine.create_thread(doc, "talk", marker, firsts)
        before = {t.root.id: t for t in engine.threads(doc, "talk")}
    out = tmp_path / "talk.xfdf"
    cli("xfdf", "export", doc, "--layer", "talk", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert 'inreplyto="r30"' in text and 'statemodel="Marked"' in text
    result = cli.json("xfdf", "import", doc, str(out), "--layer", "back")
    assert isinstance(result, dict) and result["errors"] == []
    with LayerEngine(cli.data) as engine:
        after = {t.root.id: t for t in engine.threads(doc, "back")}
    assert set(after) == set(before) == {"r30", "r31"}
    for root, thread in before.items():
        words = [
            (c.content["text"]["value"], c.content.get("creatorName")) for c in thread.comments
        ]
        again = [
            (c.content["text"]["value"], c.content.get("creatorName")) for c in after[root].comments
        ]
        assert again == words, root
        assert (after[root].state.state, after[root].state.by) == (
            thread.state.state,
            thread.state.by,
        )
    assert after["r31"].root.content["type"] == "pspdfkit/comment-marker"
