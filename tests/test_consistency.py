"""The one-quantity-one-value page check bites on a page that shows one quantity twice with different values."""

from __future__ import annotations

import pandas as pd

from helpers import consistency, tables


def _page(tmp_path, name, frame):
    path = tmp_path / name
    path.write_text(f"<html><body><p>{tables.csv_link(frame, 'x.csv')}</p></body></html>", encoding="utf-8")
    return path


def _rows(value):
    return pd.DataFrame(
        {"indicator_id": ["fuel-poverty-lilee"], "area_code": ["E07000010"], "period": ["2021"], "value": [value]}
    )


def test_the_same_value_twice_is_fine(tmp_path):
    pages = [_page(tmp_path, "a.html", _rows(13.4347)), _page(tmp_path, "b.html", _rows(13.4347))]
    assert consistency.conflicts(pages) == []


def test_two_values_for_one_quantity_are_reported(tmp_path):
    pages = [_page(tmp_path, "a.html", _rows(13.4347)), _page(tmp_path, "b.html", _rows(15.33))]
    (line,) = consistency.conflicts(pages)
    assert "fuel-poverty-lilee / E07000010 / 2021" in line and "a.html" in line and "b.html" in line


def test_data_without_an_indicator_id_is_not_compared(tmp_path):
    frame = pd.DataFrame({"area_name": ["Fenland"], "period": ["2021"], "value": [1.0]})
    assert consistency.quantities([_page(tmp_path, "a.html", frame)]).empty
