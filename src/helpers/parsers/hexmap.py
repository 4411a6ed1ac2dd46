"""Hex cartogram of UK local authority districts, 2023 boundaries (Open Innovations HexJSON, MIT licence).

Used by the national overview page (:mod:`helpers.overview`, issue 18 §4) to draw England as one equal-area
hexagon per district or unitary council.

Table ``hexes`` of ``hexmap_uk_lad_2023_openinnovations``: one row per hexagon: ``area_code`` (GSS code of the
district, unitary, metropolitan district or London borough, April 2023), ``area_name``, ``q`` and ``r`` (integer
column and row of the "odd-r" offset grid; larger ``r`` is further north), ``region`` (GSS region code E12... or
the nation code for Wales, Scotland and Northern Ireland). The publisher's suggested ``colour`` is dropped
(the overview colours hexagons by data).
"""

from __future__ import annotations

import json

import pandas as pd
import pandera.pandas as pa

from ..datasets import parser
from ..errors import SchemaError
from ..schemas import gss_code

DATASET = "hexmap_uk_lad_2023_openinnovations"
FILE = "uk-local-authority-districts-2023.hexjson"


@parser(
    DATASET,
    "hexes",
    files=[FILE],
    schema=pa.DataFrameSchema(
        {
            "area_code": gss_code(),
            "area_name": pa.Column(str),
            "q": pa.Column(int),
            "r": pa.Column(int),
            "region": gss_code(),
        },
        unique=["area_code"],
        strict=True,
    ),
)
def hexes(paths):
    """One row per hexagon of the Open Innovations HexJSON (odd-r layout): code, name, q, r, region."""
    doc = json.loads(paths[FILE].read_text(encoding="utf-8"))
    if doc.get("layout") != "odd-r" or not isinstance(doc.get("hexes"), dict):
        raise SchemaError(
            f"{DATASET}/{FILE}: expected a HexJSON object with layout 'odd-r' and a 'hexes' object "
            f"(got layout {doc.get('layout')!r}); a different file version? re-import the mirror's source.yaml"
        )
    rows = [
        {"area_code": code, "area_name": h["n"], "q": int(h["q"]), "r": int(h["r"]), "region": h["region"]}
        for code, h in doc["hexes"].items()
    ]
    return pd.DataFrame(rows, columns=["area_code", "area_name", "q", "r", "region"])
